package sim

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsentRedirectsWithACodeThatWorksOnceWithinFiveMinutes(t *testing.T) {
	h := newHarness(t, Config{})
	page := h.do("GET", "/apps/authorize/consent?application_id="+url.QueryEscape(DemoApplicationID)+"&state=nonce-123", "", nil)
	require.Equal(t, 200, page.status)
	assert.Contains(t, string(page.body), `id="confirm"`)
	assert.Equal(t, "no-referrer", page.header.Get("Referrer-Policy"))

	confirm := h.form("/apps/authorize/confirm", url.Values{"application_id": {DemoApplicationID}, "state": {"nonce-123"},
		"redirect_uri": {DemoRedirectURI}, "selling_partner_id": {DemoSellerEU}})
	require.Equal(t, 302, confirm.status)
	loc, err := url.Parse(confirm.header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "auth.packbench.invalid", loc.Host)
	assert.Equal(t, "nonce-123", loc.Query().Get("state"))
	assert.Equal(t, DemoSellerEU, loc.Query().Get("selling_partner_id"))
	code := loc.Query().Get("spapi_oauth_code")
	require.NotEmpty(t, code)

	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DemoRedirectURI},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
	r := h.form("/auth/o2/token", exchange)
	require.Equal(t, 200, r.status, string(r.body))
	tok := r.json(t)
	assert.Equal(t, "bearer", tok["token_type"])
	assert.Equal(t, float64(3600), tok["expires_in"])
	assert.Regexp(t, `^Atza\|`, tok["access_token"])
	assert.Regexp(t, `^Atzr\|`, tok["refresh_token"])

	again := h.form("/auth/o2/token", exchange)
	assert.Equal(t, 400, again.status)
	assert.Equal(t, "invalid_grant", again.json(t)["error"])
	assert.Equal(t, "The request has an invalid grant parameter : code", again.json(t)["error_description"])

	// A second consent's code, used after five minutes, has expired.
	confirm = h.form("/apps/authorize/confirm", url.Values{"application_id": {DemoApplicationID}, "state": {"s2"},
		"redirect_uri": {DemoRedirectURI}, "selling_partner_id": {DemoSellerEU}})
	loc, _ = url.Parse(confirm.header.Get("Location"))
	h.sim.Clock().Advance(5*time.Minute + time.Second)
	exchange.Set("code", loc.Query().Get("spapi_oauth_code"))
	late := h.form("/auth/o2/token", exchange)
	assert.Equal(t, 400, late.status)
	assert.Equal(t, "invalid_grant", late.json(t)["error"])

	// The refresh token keeps working, and the access token reaches the seller's data.
	refresh := h.form("/auth/o2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	require.Equal(t, 200, refresh.status)
	p := h.do("GET", "/sellers/v1/marketplaceParticipations", refresh.json(t)["access_token"].(string), nil)
	require.Equal(t, 200, p.status)
	assert.Equal(t, "Demo Home Europe", p.json(t)["payload"].([]any)[0].(map[string]any)["storeName"])
}

func TestConsentRefusesWhatAmazonRefuses(t *testing.T) {
	draft := App{ApplicationID: "amzn1.sp.solution.draft", ClientID: "draft-client", ClientSecret: "s", RedirectURIs: []string{"https://x.example/cb"}, Draft: true}
	h := newHarness(t, Config{Apps: []App{draft}})
	r := h.do("GET", "/apps/authorize/consent?application_id=amzn1.sp.solution.draft&state=s", "", nil)
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "MD1000")
	r = h.do("GET", "/apps/authorize/consent?application_id=amzn1.sp.solution.draft&state=s&version=beta", "", nil)
	assert.Equal(t, 200, r.status)
	r = h.do("GET", "/apps/authorize/consent?application_id=amzn1.sp.solution.draft&state=s&version=beta&redirect_uri="+url.QueryEscape("http://127.0.0.1:9/cb"), "", nil)
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "MD5101")
}

func TestLWARefusesBadClientsAndRevokedTokens(t *testing.T) {
	h := newHarness(t, Config{})
	refresh, err := h.sim.SelfAuthorize(DemoClientID, DemoSellerNA)
	require.NoError(t, err)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {DemoClientID}, "client_secret": {"wrong"}}
	r := h.form("/auth/o2/token", form)
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "invalid_client", r.json(t)["error"])

	form.Set("client_secret", DemoClientSecret)
	require.Equal(t, 200, h.form("/auth/o2/token", form).status)
	require.NoError(t, h.sim.Revoke(refresh))
	r = h.form("/auth/o2/token", form)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "invalid_grant", r.json(t)["error"])
	assert.Contains(t, r.json(t)["error_description"], "User may have revoked")

	form.Set("grant_type", "password")
	assert.Equal(t, "unsupported_grant_type", h.form("/auth/o2/token", form).json(t)["error"])
}

func TestAPICallsNeedAValidUnexpiredToken(t *testing.T) {
	h := newHarness(t, Config{})
	for _, tok := range []string{"", "Atza|made-up"} {
		r := h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil)
		assert.Equal(t, 403, r.status)
		e := r.json(t)["errors"].([]any)[0].(map[string]any)
		assert.Equal(t, "Unauthorized", e["code"])
		assert.Equal(t, "Access to requested resource is denied.", e["message"])
		assert.NotEmpty(t, r.header.Get("x-amzn-RequestId"))
	}
	tok := h.accessToken(DemoSellerNA)
	require.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	h.sim.Clock().Advance(time.Hour + time.Second)
	r := h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil)
	assert.Equal(t, 403, r.status)
	assert.Contains(t, string(r.body), "expired")
}

func TestTokenLifetimesAreReportedInRealSecondsUnderTimeScale(t *testing.T) {
	h := newHarness(t, Config{TimeScale: 60})
	refresh, _ := h.sim.SelfAuthorize(DemoClientID, DemoSellerNA)
	r := h.form("/auth/o2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	require.Equal(t, 200, r.status)
	assert.Equal(t, float64(60), r.json(t)["expires_in"], "an Amazon hour at scale 60 is one real minute")
}

func TestRestrictedDataTokens(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	r := h.do("POST", "/tokens/2021-03-01/restrictedDataToken", tok, map[string]any{
		"restrictedResources": []any{map[string]any{"method": "GET", "path": "/orders/v0/orders/{orderId}", "dataElements": []string{"shippingAddress"}}}})
	require.Equal(t, 200, r.status)
	assert.Regexp(t, `^Atz\.sprdt\|`, r.json(t)["restrictedDataToken"])
	assert.Equal(t, float64(3600), r.json(t)["expiresIn"])

	h.invalidRequests = true
	r = h.do("POST", "/tokens/2021-03-01/restrictedDataToken", tok, map[string]any{"restrictedResources": []any{}})
	assert.Equal(t, 400, r.status)
	r = h.do("POST", "/tokens/2021-03-01/restrictedDataToken", tok, map[string]any{
		"restrictedResources": []any{map[string]any{"method": "GET", "path": "/reports/2021-06-30/documents/{reportDocumentId}"}}})
	assert.Equal(t, 400, r.status, "getReportDocument needs a specific path")
}
