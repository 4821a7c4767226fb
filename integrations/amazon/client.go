package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	// Limiter paces calls per operation; nil means no pacing (tests).
	Limiter *Limiter
	// MaxRetries bounds retries after 429, 5xx and dropped connections
	// (0 means the default, 6; negative means none).
	MaxRetries int
	// OnWait is told when a call waits for the rate limit or a back-off.
	OnWait func(op string, d time.Duration)
	// Headers are added to every request (x-amzn-shipping-business-id, ...).
	Headers http.Header
	// ReportPoll is how often a report's status is asked (default 15 s).
	ReportPoll time.Duration
	// RetryBase is the first back-off after a failed call (default 1 s), doubling up to a minute.
	RetryBase time.Duration
}

// Do sends one request: x-amz-access-token and a user-agent on every call
// (docs/amazon.md, "Hosts and headers"); JSON in and out; Amazon's error body as
// *APIError. It waits for op's rate limit, and retries 429 (after emptying
// the bucket), 5xx and dropped connections with jittered back-off; callers
// only send requests that are safe to repeat (purchases carry an
// idempotency key).
func (c *Client) Do(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	return c.DoWithHeaders(ctx, op, method, path, query, nil, body, out)
}

// DoWithHeaders is Do with extra request headers (x-amzn-IdempotencyKey).
func (c *Client) DoWithHeaders(ctx context.Context, op, method, path string, query url.Values, headers http.Header, body, out any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	maxRetries := c.MaxRetries
	switch {
	case maxRetries == 0:
		maxRetries = 6
	case maxRetries < 0:
		maxRetries = 0
	}
	refreshed := false
	for attempt := 0; ; attempt++ {
		if c.Limiter != nil {
			d, err := c.Limiter.Wait(ctx, op)
			if err != nil {
				return err
			}
			if d > 0 && c.OnWait != nil {
				c.OnWait(op, d)
			}
		}
		status, rateHeader, err := c.once(ctx, method, path, query, headers, raw, out)
		if c.Limiter != nil && rateHeader != "" {
			c.Limiter.Observe(op, rateHeader)
		}
		var ae *APIError
		isAPI := asAPIError(err, &ae)
		var se *signInError
		signIn := errors.As(err, &se)
		switch {
		case err == nil:
			return nil
		case signIn && !se.retryable:
			return err
		case status == http.StatusForbidden && isAPI && ae.Code == "Unauthorized" && !refreshed:
			// An access token Amazon no longer takes is dropped and fetched again, once.
			c.Tokens.Invalidate()
			refreshed = true
			continue
		case ctx.Err() != nil, attempt >= maxRetries:
			return err
		case status == http.StatusTooManyRequests:
			if c.Limiter != nil {
				c.Limiter.Throttled(op)
			}
		case signIn, status >= 500 || (status == 0 && !errors.Is(err, station.ErrReauthorize) && !errors.Is(err, station.ErrAppCredentials) && isTransport(err)):
		default:
			return err
		}
		base := c.RetryBase
		if base <= 0 {
			base = time.Second
		}
		wait := Backoff(attempt, base, time.Minute)
		if c.Log != nil {
			c.Log.Info("sp-api retry", "op", op, "status", status, "attempt", attempt+1, "wait", wait.Round(time.Millisecond).String())
		}
		if c.OnWait != nil {
			c.OnWait(op, wait)
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}

// transportError marks a request that got no usable answer.
type transportError struct{ err error }

func (e transportError) Error() string { return e.err.Error() }
func (e transportError) Unwrap() error { return e.err }

func isTransport(err error) bool {
	var te transportError
	return errors.As(err, &te)
}

func asAPIError(err error, target **APIError) bool {
	ae, ok := err.(*APIError)
	if ok {
		*target = ae
	}
	return ok
}

// ErrSignInFailed marks a call that failed at Login with Amazon (getting an
// access token), not at the Selling Partner API: the seller is told it was
// Amazon's sign-in service.
var ErrSignInFailed = errors.New("Amazon's sign-in service (Login with Amazon) failed")

// signInError is a failed token refresh; retryable when LWA (or the broker
// in front of it) was down or busy, not when it refused the authorization.
type signInError struct {
	err       error
	retryable bool
}

func (e *signInError) Error() string { return ErrSignInFailed.Error() + ": " + e.err.Error() }
func (e *signInError) Unwrap() []error {
	return []error{ErrSignInFailed, e.err}
}

func newSignInError(err error) error {
	var ae *AuthError
	retryable := false
	switch {
	case errors.Is(err, station.ErrReauthorize), errors.Is(err, station.ErrAppCredentials):
	case errors.As(err, &ae):
		retryable = ae.Status >= 500 || ae.Status == http.StatusTooManyRequests || ae.Code == "server_error" || ae.Code == "temporarily_unavailable"
	default:
		retryable = true // LWA could not be reached
	}
	return &signInError{err: err, retryable: retryable}
}

func (c *Client) once(ctx context.Context, method, path string, query url.Values, headers http.Header, body []byte, out any) (int, string, error) {
	tok, err := c.Tokens.AccessToken(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", err
		}
		return 0, "", newSignInError(err)
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
		return 0, "", err
	}
	for k, vs := range c.Headers {
		req.Header[k] = vs
	}
	for k, vs := range headers {
		req.Header[k] = vs
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
		return 0, "", transportError{fmt.Errorf("Amazon could not be reached: %w", err)}
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, "", transportError{fmt.Errorf("reading Amazon's answer: %w", err)}
	}
	reqID := resp.Header.Get("x-amzn-RequestId")
	rate := resp.Header.Get("x-amzn-RateLimit-Limit")
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
		return resp.StatusCode, rate, ae
	}
	if out != nil && len(respBody) > 0 {
		if err := json.Unmarshal(respBody, out); err != nil {
			// A truncated answer is retried like a dropped connection.
			return 0, rate, transportError{fmt.Errorf("Amazon's answer to %s %s is not valid JSON (request %s): %w", method, path, reqID, err)}
		}
	}
	return resp.StatusCode, rate, nil
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
	if err := c.Do(ctx, "getMarketplaceParticipations", http.MethodGet, "/sellers/v1/marketplaceParticipations", nil, nil, &out); err != nil {
		return nil, err
	}
	parts := make([]station.Participation, 0, len(out.Payload))
	for _, p := range out.Payload {
		parts = append(parts, station.Participation{MarketplaceID: p.Marketplace.ID, StoreName: p.StoreName,
			Participating: p.Participation.IsParticipating})
	}
	return parts, nil
}

// ErrNotThisSeller: the token works, but for another seller account than
// the one named (a pasted redirect URL whose selling_partner_id was changed).
var ErrNotThisSeller = errors.New("the authorization belongs to another seller account than the one in the address")

// sellerProbeSKU is a SKU no seller has: the search answers with no item,
// but only after Amazon checked the seller id.
const sellerProbeSKU = "PACKBENCH-SELLER-CHECK"

// VerifySeller asks Amazon whether the token belongs to sellerID. SP-API
// has no "who am I" call; searchCatalogItems by SKU takes a sellerId and
// answers only for the caller's own (a SKU is a seller's), so a refusal
// means the token is another seller's. See docs/amazon.md, "Which seller".
func (c *Client) VerifySeller(ctx context.Context, sellerID, marketplaceID string) error {
	q := url.Values{"identifiers": {sellerProbeSKU}, "identifiersType": {"SKU"}, "sellerId": {sellerID},
		"marketplaceIds": {marketplaceID}, "includedData": {"summaries"}}
	err := c.Do(ctx, "searchCatalogItems", http.MethodGet, "/catalog/2022-04-01/items", q, nil, nil)
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == http.StatusForbidden || ae.Status == http.StatusBadRequest) {
		return fmt.Errorf("%w (Amazon: %s)", ErrNotThisSeller, ae.Message)
	}
	return err
}
