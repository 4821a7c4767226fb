package amazon

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/packbench/packbench/station"
)

// Refresher trades a refresh token for an access token: the broker for the
// public app, LWA for a seller's own app.
type Refresher interface {
	Refresh(ctx context.Context, refreshToken string) (Token, error)
}

// earlyRefresh is how long before expiry a token is renewed, as Amazon's own SDK does.
const earlyRefresh = 60 * time.Second

// TokenSource hands out a store's access token, refreshing it a minute
// before it expires. It is safe for concurrent use: callers that arrive
// during a refresh wait for it rather than each refreshing. Once Amazon
// refuses the refresh token (station.ErrReauthorize) it stops asking.
type TokenSource struct {
	refresher Refresher
	refresh   string
	now       func() time.Time

	mu     sync.Mutex
	token  Token
	margin time.Duration // how early this token is renewed
	broken error
}

// NewTokenSource makes a token source for one store.
func NewTokenSource(r Refresher, refreshToken string) *TokenSource {
	return &TokenSource{refresher: r, refresh: refreshToken, now: time.Now}
}

// AccessToken returns a valid access token.
func (ts *TokenSource) AccessToken(ctx context.Context) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.broken != nil {
		return "", ts.broken
	}
	if ts.token.Access != "" && ts.now().Add(ts.margin).Before(ts.token.Expiry) {
		return ts.token.Access, nil
	}
	t, err := ts.refresher.Refresh(ctx, ts.refresh)
	if err != nil {
		if isReauthorize(err) {
			ts.broken = err
		}
		return "", err
	}
	if t.Expiry.IsZero() {
		t.Expiry = ts.now().Add(time.Hour)
	}
	// A minute early, or a fifth of the lifetime for short-lived tokens
	// (a time-scaled simulator's hour can be seconds long).
	ts.token, ts.margin = t, min(earlyRefresh, t.Expiry.Sub(ts.now())/5)
	return t.Access, nil
}

// staticToken serves one token that cannot be renewed (a restricted data token).
func staticToken(t Token) *TokenSource {
	return &TokenSource{token: t, now: time.Now, refresher: noRefresh{}}
}

// Invalidate drops the cached token, after Amazon answered 403 to it.
func (ts *TokenSource) Invalidate() {
	ts.mu.Lock()
	ts.token = Token{}
	ts.mu.Unlock()
}

func isReauthorize(err error) bool { return errors.Is(err, station.ErrReauthorize) }
