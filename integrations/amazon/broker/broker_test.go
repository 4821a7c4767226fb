package broker

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/sim"
)

func newBroker(t *testing.T) (*Server, *sim.Sim, *bytes.Buffer) {
	t.Helper()
	s, err := sim.New(sim.Config{Orders: 1})
	require.NoError(t, err)
	simSrv := httptest.NewServer(s)
	t.Cleanup(simSrv.Close)
	var logs bytes.Buffer
	b := New(amazon.LWA{TokenURL: simSrv.URL + "/auth/o2/token", ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret},
		sim.DemoRedirectURI, slog.New(slog.NewTextHandler(&logs, nil)))
	return b, s, &logs
}

func get(b http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	return rec
}

func TestCallbackRedirectsOnlyToLoopback(t *testing.T) {
	b, _, logs := newBroker(t)
	_, challenge := amazon.NewVerifier()
	state := amazon.State{Nonce: "n", Port: 53123, Challenge: challenge}.Encode()
	rec := get(b, "/amazon/callback?spapi_oauth_code=SECRETCODE&selling_partner_id=A1&state="+url.QueryEscape(state))
	require.Equal(t, http.StatusFound, rec.Code)
	loc, err := url.Parse(rec.Header().Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "http", loc.Scheme)
	assert.Equal(t, "127.0.0.1:53123", loc.Host)
	assert.Equal(t, "/callback", loc.Path)
	assert.Equal(t, "SECRETCODE", loc.Query().Get("code"))

	// A state crafted to name another host or a redirect still lands on 127.0.0.1 or nowhere.
	for i, raw := range []string{
		`{"n":"n","p":443,"c":"x","host":"evil.example","redirect":"https://evil.example/steal"}`,
		`{"n":"n","p":80,"c":"x"}`,
		`{"n":"n","p":0,"c":"x"}`,
		`{"n":"n","p":70000,"c":"x"}`,
		`not json`,
	} {
		st := base64.RawURLEncoding.EncodeToString([]byte(raw))
		rec := get(b, "/amazon/callback?spapi_oauth_code=C"+strconv.Itoa(i)+"&selling_partner_id=A1&state="+st)
		if loc := rec.Header().Get("Location"); loc != "" {
			u, _ := url.Parse(loc)
			assert.Equal(t, "127.0.0.1", u.Hostname(), raw)
		}
		assert.NotContains(t, rec.Body.String(), "evil.example", raw)
	}
	rec = get(b, "/amazon/callback?spapi_oauth_code=C&selling_partner_id=A1&state="+
		base64.RawURLEncoding.EncodeToString([]byte(`{"n":"n","p":0,"c":"x"}`)))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), "http://127.0.0.1:0/callback?", "port 0: the address to paste")
	assert.Equal(t, 400, get(b, "/amazon/callback?state=x").Code)
	assert.NotContains(t, logs.String(), "SECRETCODE", "no code in the broker's log")
}

func post(b http.Handler, body any) (*httptest.ResponseRecorder, amazon.TokenResponse) {
	raw, _ := json.Marshal(body)
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest("POST", "/token", bytes.NewReader(raw)))
	var tr amazon.TokenResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &tr)
	return rec, tr
}

func TestTokenChecksTheVerifierAndRelaysLWA(t *testing.T) {
	b, s, logs := newBroker(t)
	verifier, challenge := amazon.NewVerifier()
	state := amazon.State{Nonce: "n", Port: 50000, Challenge: challenge}.Encode()

	rec, tr := post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: "anything", CodeVerifier: "wrong", State: state})
	assert.Equal(t, 400, rec.Code)
	assert.Equal(t, "invalid_grant", tr.Error)

	require.Equal(t, http.StatusFound, get(b, "/amazon/callback?spapi_oauth_code=ANSimexpired&selling_partner_id=A1&state="+url.QueryEscape(state)).Code)
	rec, tr = post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: "ANSimexpired", CodeVerifier: verifier, State: state})
	assert.Equal(t, 400, rec.Code, "LWA's refusal of the code is relayed")
	assert.Equal(t, "invalid_grant", tr.Error)

	refresh, err := s.SelfAuthorize(sim.DemoClientID, sim.DemoSellerNA)
	require.NoError(t, err)
	rec, tr = post(b, amazon.TokenRequest{GrantType: "refresh_token", RefreshToken: refresh})
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.True(t, strings.HasPrefix(tr.AccessToken, "Atza|"))
	assert.Positive(t, tr.ExpiresIn)

	require.NoError(t, s.Revoke(refresh))
	rec, tr = post(b, amazon.TokenRequest{GrantType: "refresh_token", RefreshToken: refresh})
	assert.Equal(t, 400, rec.Code)
	assert.Equal(t, "invalid_grant", tr.Error)
	assert.Contains(t, tr.ErrorDescription, "revoked")

	rec, tr = post(b, amazon.TokenRequest{GrantType: "password"})
	assert.Equal(t, 400, rec.Code)
	assert.Equal(t, "unsupported_grant_type", tr.Error)

	for _, secret := range []string{refresh, strings.TrimPrefix(refresh, "Atzr|"), verifier, "Atza|"} {
		assert.NotContains(t, logs.String(), secret, "the broker logs no token")
	}
}

func TestLWADownIsABrokerFailureNotTheSellers(t *testing.T) {
	b := New(amazon.LWA{TokenURL: "http://127.0.0.1:1/auth/o2/token", ClientID: "id", ClientSecret: "s"}, sim.DemoRedirectURI, nil)
	rec, tr := post(b, amazon.TokenRequest{GrantType: "refresh_token", RefreshToken: "Atzr|x"})
	assert.Equal(t, 502, rec.Code)
	assert.Equal(t, "temporarily_unavailable", tr.Error)
}

// signIn plays Amazon's consent: a real code for the demo seller, sent to
// the broker's callback with the app's state, as the seller's browser does.
func signIn(t *testing.T, b http.Handler, s *sim.Sim, state string) string {
	t.Helper()
	code, err := s.IssueCode(sim.DemoClientID, sim.DemoSellerNA)
	require.NoError(t, err)
	rec := get(b, "/amazon/callback?spapi_oauth_code="+url.QueryEscape(code)+"&selling_partner_id="+sim.DemoSellerNA+"&state="+url.QueryEscape(state))
	require.Equal(t, http.StatusFound, rec.Code)
	return code
}

// A code seen by someone else (browser history, a screenshot of the paste
// page) is worthless to them: it is bound to the state it came back with,
// whose challenge only the app's verifier answers. The seller's own
// exchange still works afterwards.
func TestAStolenCodeCannotBeExchangedWithAForgedStateOrVerifier(t *testing.T) {
	b, s, _ := newBroker(t)
	verifier, challenge := amazon.NewVerifier()
	state := amazon.State{Nonce: "n", Port: 50000, Challenge: challenge}.Encode()
	code := signIn(t, b, s, state)

	evilVerifier, evilChallenge := amazon.NewVerifier()
	evilState := amazon.State{Nonce: "evil", Port: 0, Challenge: evilChallenge}.Encode()
	rec, tr := post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: code, CodeVerifier: evilVerifier, State: evilState})
	assert.Equal(t, 400, rec.Code, "a forged state and its verifier")
	assert.Equal(t, "invalid_grant", tr.Error)
	assert.Empty(t, tr.RefreshToken)

	rec = get(b, "/amazon/callback?spapi_oauth_code="+url.QueryEscape(code)+"&selling_partner_id="+sim.DemoSellerNA+"&state="+url.QueryEscape(evilState))
	assert.Equal(t, 400, rec.Code, "the code cannot be bound again to the attacker's state through the callback")
	rec, _ = post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: code, CodeVerifier: evilVerifier, State: evilState})
	assert.Equal(t, 400, rec.Code)

	rec, _ = post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: code, CodeVerifier: evilVerifier, State: state})
	assert.Equal(t, 400, rec.Code, "the real state with a forged verifier")

	other, err := s.IssueCode(sim.DemoClientID, sim.DemoSellerNA)
	require.NoError(t, err)
	rec, _ = post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: other, CodeVerifier: evilVerifier, State: evilState})
	assert.Equal(t, 400, rec.Code, "a code that never came back through the broker")

	rec, tr = post(b, amazon.TokenRequest{GrantType: "authorization_code", Code: code, CodeVerifier: verifier, State: state})
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.True(t, strings.HasPrefix(tr.RefreshToken, "Atzr|"), "the seller's own exchange works")
}
