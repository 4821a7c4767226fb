package amazon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

type countingRefresher struct {
	calls atomic.Int32
	err   error
	ttl   time.Duration
}

func (c *countingRefresher) Refresh(ctx context.Context, rt string) (Token, error) {
	n := c.calls.Add(1)
	time.Sleep(10 * time.Millisecond)
	if c.err != nil {
		return Token{}, c.err
	}
	return Token{Access: "Atza|" + string(rune('a'+n)), Expiry: time.Now().Add(c.ttl)}, nil
}

func TestTokenSourceRefreshesOnceForConcurrentCallersAndEarly(t *testing.T) {
	r := &countingRefresher{ttl: time.Hour}
	ts := NewTokenSource(r, "Atzr|x")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := ts.AccessToken(context.Background())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), r.calls.Load(), "one refresh for twenty callers")

	// A token with less than a minute left is renewed before use.
	ts.now = func() time.Time { return time.Now().Add(time.Hour - 30*time.Second) }
	_, err := ts.AccessToken(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(2), r.calls.Load())
}

func TestTokenSourceStopsAfterInvalidGrant(t *testing.T) {
	r := &countingRefresher{err: refreshError(&AuthError{Status: 400, Code: "invalid_grant", Description: "revoked"})}
	ts := NewTokenSource(r, "Atzr|x")
	for range 3 {
		_, err := ts.AccessToken(context.Background())
		assert.ErrorIs(t, err, station.ErrReauthorize)
	}
	assert.Equal(t, int32(1), r.calls.Load(), "no retry loop against a revoked authorization")

	// A transient failure is not sticky.
	r2 := &countingRefresher{err: errors.New("connection refused")}
	ts2 := NewTokenSource(r2, "Atzr|x")
	_, _ = ts2.AccessToken(context.Background())
	_, _ = ts2.AccessToken(context.Background())
	assert.Equal(t, int32(2), r2.calls.Load())
}

func TestClientSendsTokenAndUserAgentAndRetriesA403Once(t *testing.T) {
	var seen []http.Header
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		n := len(seen)
		mu.Unlock()
		w.Header().Set("x-amzn-RequestId", "req-1")
		if n == 1 {
			w.WriteHeader(403)
			_, _ = w.Write([]byte(`{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied."}]}`))
			return
		}
		_, _ = w.Write([]byte(`{"payload":[{"marketplace":{"id":"ATVPDKIKX0DER"},"participation":{"isParticipating":true},"storeName":"S"}]}`))
	}))
	defer srv.Close()
	r := &countingRefresher{ttl: time.Hour}
	c := &Client{Base: srv.URL, Tokens: NewTokenSource(r, "Atzr|x"), UserAgent: "Packbench/1.0 (Language=Go)"}
	parts, err := c.MarketplaceParticipations(context.Background())
	require.NoError(t, err)
	require.Len(t, parts, 1)
	require.Len(t, seen, 2)
	for _, h := range seen {
		assert.NotEmpty(t, h.Get("x-amz-access-token"))
		assert.Empty(t, h.Get("Authorization"), "SP-API wants x-amz-access-token, not a bearer header")
		assert.Equal(t, "Packbench/1.0 (Language=Go)", h.Get("User-Agent"))
	}
	assert.NotEqual(t, seen[0].Get("x-amz-access-token"), seen[1].Get("x-amz-access-token"), "a refused token is replaced")
}

func TestAPIErrorsCarryAmazonsWordsAndRequestID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-RequestId", "abc-123")
		w.WriteHeader(429)
		_, _ = w.Write([]byte(`{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}`))
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, Tokens: NewTokenSource(&countingRefresher{ttl: time.Hour}, "Atzr|x"), MaxRetries: -1}
	_, err := c.MarketplaceParticipations(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 429, ae.Status)
	assert.Equal(t, "QuotaExceeded", ae.Code)
	assert.Equal(t, "abc-123", ae.RequestID)
}

func TestStateAndConsentURL(t *testing.T) {
	v, c := NewVerifier()
	assert.True(t, VerifierMatches(v, c))
	assert.False(t, VerifierMatches("other", c))
	st := State{Nonce: "n1", Port: 41234, Challenge: c}
	back, err := DecodeState(st.Encode())
	require.NoError(t, err)
	assert.Equal(t, st, back)
	_, err = DecodeState("%%%")
	assert.Error(t, err)

	u := ConsentURL("https://sellercentral-europe.amazon.com", "amzn1.sp.solution.x", "s", true)
	assert.Equal(t, "https://sellercentral-europe.amazon.com/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=s&version=beta", u)
	assert.Equal(t, "https://sellercentral.amazon.co.jp", Production().SellerCentralURL("A1VC38T7YXB528"))

	e := Production().FromEnv(func(k string) string {
		return map[string]string{"PACKBENCH_SPAPI_EU": "http://proxy.local/", "PACKBENCH_LWA_TOKEN_URL": "http://lwa.local/token"}[k]
	})
	assert.Equal(t, "http://proxy.local", e.SPAPI[station.RegionEU])
	assert.Equal(t, "https://sellingpartnerapi-na.amazon.com", e.SPAPI[station.RegionNA])
	assert.Equal(t, "http://lwa.local/token", e.LWATokenURL)
}
