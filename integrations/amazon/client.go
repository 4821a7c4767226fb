package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/packbench/packbench/station"
)

// APIError is an SP-API error answer.
type APIError struct {
	Status    int
	Code      string
	Message   string
	Details   string
	RequestID string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("Amazon answered %d %s: %s (request %s)", e.Status, e.Code, e.Message, e.RequestID)
}

// Client calls the Selling Partner API for one store.
type Client struct {
	Base      string // e.g. https://sellingpartnerapi-na.amazon.com
	Tokens    *TokenSource
	HTTP      *http.Client
	UserAgent string
	Log       *slog.Logger
}

// Do sends one request: x-amz-access-token and a user-agent on every call
// (amazon-api-notes.md §1.7); JSON in and out; Amazon's error body as *APIError.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		status, err := c.once(ctx, method, path, query, raw, out)
		// An access token Amazon no longer takes is dropped and fetched again, once.
		if status == http.StatusForbidden && attempt == 0 {
			var ae *APIError
			if asAPIError(err, &ae) && ae.Code == "Unauthorized" {
				c.Tokens.Invalidate()
				continue
			}
		}
		return err
	}
}

func asAPIError(err error, target **APIError) bool {
	ae, ok := err.(*APIError)
	if ok {
		*target = ae
	}
	return ok
}

func (c *Client) once(ctx context.Context, method, path string, query url.Values, body []byte, out any) (int, error) {
	tok, err := c.Tokens.AccessToken(ctx)
	if err != nil {
		return 0, err
	}
	u := c.Base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("x-amz-access-token", tok)
	ua := c.UserAgent
	if ua == "" {
		ua = "Packbench (Language=Go)"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("Amazon could not be reached: %w", err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("reading Amazon's answer: %w", err)
	}
	reqID := resp.Header.Get("x-amzn-RequestId")
	if c.Log != nil {
		c.Log.Debug("sp-api call", "method", method, "path", path, "status", resp.StatusCode, "requestId", reqID)
	}
	if resp.StatusCode >= 300 {
		ae := &APIError{Status: resp.StatusCode, RequestID: reqID, Code: http.StatusText(resp.StatusCode)}
		var errs struct {
			Errors []struct{ Code, Message, Details string } `json:"errors"`
		}
		if json.Unmarshal(respBody, &errs) == nil && len(errs.Errors) > 0 {
			ae.Code, ae.Message, ae.Details = errs.Errors[0].Code, errs.Errors[0].Message, errs.Errors[0].Details
		}
		return resp.StatusCode, ae
	}
	if out != nil && len(respBody) > 0 {
		if err := json.Unmarshal(respBody, out); err != nil {
			return resp.StatusCode, fmt.Errorf("Amazon's answer to %s %s is not valid JSON (request %s): %w", method, path, reqID, err)
		}
	}
	return resp.StatusCode, nil
}

// MarketplaceParticipations is Sellers API getMarketplaceParticipations.
func (c *Client) MarketplaceParticipations(ctx context.Context) ([]station.Participation, error) {
	var out struct {
		Payload []struct {
			Marketplace struct {
				ID string `json:"id"`
			} `json:"marketplace"`
			Participation struct {
				IsParticipating bool `json:"isParticipating"`
			} `json:"participation"`
			StoreName string `json:"storeName"`
		} `json:"payload"`
	}
	if err := c.Do(ctx, http.MethodGet, "/sellers/v1/marketplaceParticipations", nil, nil, &out); err != nil {
		return nil, err
	}
	parts := make([]station.Participation, 0, len(out.Payload))
	for _, p := range out.Payload {
		parts = append(parts, station.Participation{MarketplaceID: p.Marketplace.ID, StoreName: p.StoreName,
			Participating: p.Participation.IsParticipating})
	}
	return parts, nil
}
