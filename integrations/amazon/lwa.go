package amazon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/packbench/packbench/station"
)

// Token is an LWA answer. Refresh is empty when LWA did not send one.
type Token struct {
	Access  string
	Refresh string
	Expiry  time.Time
}

// AuthError is LWA's (or the broker's) refusal, in LWA's words.
type AuthError struct {
	Status      int
	Code        string // invalid_grant, invalid_client, ...
	Description string
}

func (e *AuthError) Error() string {
	if e.Description != "" {
		return e.Code + ": " + e.Description
	}
	return e.Code
}

// LWA talks to Login with Amazon directly with a client secret: the broker
// does this for the public app, and a seller's own app does it in Packbench.
type LWA struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	HTTP         *http.Client
}

func (l LWA) config(redirectURI string) *oauth2.Config {
	return &oauth2.Config{ClientID: l.ClientID, ClientSecret: l.ClientSecret, RedirectURL: redirectURI,
		Endpoint: oauth2.Endpoint{TokenURL: l.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
}

func (l LWA) ctx(ctx context.Context) context.Context {
	if l.HTTP != nil {
		return context.WithValue(ctx, oauth2.HTTPClient, l.HTTP)
	}
	return context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: 30 * time.Second})
}

// ExchangeCode trades an spapi_oauth_code (valid 5 minutes, once) for tokens.
func (l LWA) ExchangeCode(ctx context.Context, code, redirectURI string) (Token, error) {
	t, err := l.config(redirectURI).Exchange(l.ctx(ctx), code)
	if err != nil {
		return Token{}, lwaError(err)
	}
	return Token{Access: t.AccessToken, Refresh: t.RefreshToken, Expiry: t.Expiry}, nil
}

// Refresh trades a refresh token for a fresh access token. invalid_grant
// means the authorization is gone: the error wraps station.ErrReauthorize.
func (l LWA) Refresh(ctx context.Context, refreshToken string) (Token, error) {
	t, err := l.config("").TokenSource(l.ctx(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return Token{}, refreshError(lwaError(err))
	}
	return Token{Access: t.AccessToken, Refresh: t.RefreshToken, Expiry: t.Expiry}, nil
}

func lwaError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := re.ErrorCode
		if code == "" {
			code = "server_error"
		}
		return &AuthError{Status: status, Code: code, Description: re.ErrorDescription}
	}
	return fmt.Errorf("Login with Amazon could not be reached: %w", err)
}

// refreshError turns invalid_grant on a refresh into station.ErrReauthorize.
func refreshError(err error) error {
	var ae *AuthError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "invalid_grant":
			// Both wrapped: the app sees ErrReauthorize, the broker LWA's own words.
			return fmt.Errorf("%w: %w", station.ErrReauthorize, ae)
		case "invalid_client", "unauthorized_client":
			return fmt.Errorf("%w: %w", station.ErrAppCredentials, err)
		}
	}
	return err
}

// codeError explains a failed code exchange in the seller's terms.
func codeError(err error) error {
	var ae *AuthError
	if errors.As(err, &ae) && ae.Code == "invalid_grant" {
		return errors.New("Amazon refused the sign-in code: it is valid 5 minutes and works once. Sign in again")
	}
	return err
}
