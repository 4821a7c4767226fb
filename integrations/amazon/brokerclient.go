package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// BrokerClient is the app's side of the auth broker (cmd/packbench-broker):
// it holds the public app's client secret, so code exchanges and refreshes
// of broker-connected stores go through it.
type BrokerClient struct {
	BaseURL string
	HTTP    *http.Client
}

// TokenRequest is the broker's POST /token body.
type TokenRequest struct {
	GrantType    string `json:"grant_type"` // authorization_code or refresh_token
	Code         string `json:"code,omitempty"`
	CodeVerifier string `json:"code_verifier,omitempty"`
	State        string `json:"state,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// TokenResponse is the broker's answer, shaped like LWA's.
type TokenResponse struct {
	AccessToken      string `json:"access_token,omitempty"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	ExpiresIn        int    `json:"expires_in,omitempty"`
	TokenType        string `json:"token_type,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func (b BrokerClient) post(ctx context.Context, req TokenRequest) (Token, error) {
	raw, _ := json.Marshal(req)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(b.BaseURL, "/")+"/token", bytes.NewReader(raw))
	if err != nil {
		return Token{}, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	hc := b.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return Token{}, fmt.Errorf("Packbench's sign-in service could not be reached (check the internet connection, then try again): %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var tr TokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return Token{}, fmt.Errorf("Packbench's sign-in service answered %d with something unreadable: try again later", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK || tr.Error != "" {
		return Token{}, &AuthError{Status: resp.StatusCode, Code: tr.Error, Description: tr.ErrorDescription}
	}
	if tr.AccessToken == "" {
		return Token{}, errors.New("Packbench's sign-in service sent no access token: try again")
	}
	return Token{Access: tr.AccessToken, Refresh: tr.RefreshToken, Expiry: time.Now().Add(time.Duration(tr.ExpiresIn) * time.Second)}, nil
}

// ExchangeCode has the broker trade the code; it checks the verifier against the state's challenge.
func (b BrokerClient) ExchangeCode(ctx context.Context, code, verifier, state string) (Token, error) {
	t, err := b.post(ctx, TokenRequest{GrantType: "authorization_code", Code: code, CodeVerifier: verifier, State: state})
	if err != nil {
		return Token{}, codeError(err)
	}
	return t, nil
}

// Refresh has the broker refresh an access token.
func (b BrokerClient) Refresh(ctx context.Context, refreshToken string) (Token, error) {
	t, err := b.post(ctx, TokenRequest{GrantType: "refresh_token", RefreshToken: refreshToken})
	if err != nil {
		return Token{}, refreshError(err)
	}
	return t, nil
}
