package sim

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBurstThen429ThenRefillAtTheDocumentedRate(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	// getMarketplaceParticipations: rate 0.016 per second, burst 15 (sellers.json).
	for i := 0; i < 15; i++ {
		r := h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil)
		require.Equal(t, 200, r.status, "request %d of the burst", i+1)
		assert.Equal(t, "0.016", r.header.Get("x-amzn-RateLimit-Limit"))
	}
	r := h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil)
	require.Equal(t, 429, r.status)
	assert.Equal(t, "QuotaExceeded", r.json(t)["errors"].([]any)[0].(map[string]any)["code"])
	assert.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"), "Amazon sends no rate header on 429")

	// One token takes 1/0.016 = 62.5 s to come back.
	h.sim.Clock().Advance(60 * time.Second)
	assert.Equal(t, 429, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	h.sim.Clock().Advance(3 * time.Second)
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	assert.Equal(t, 429, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)

	// Buckets are per selling partner: another seller is not throttled.
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", h.accessToken(DemoSellerEU), nil).status)
	st := h.sim.Stats()["getMarketplaceParticipations"]
	assert.Equal(t, 3, st.Throttled)
}

func TestTimeScaleSpeedsRefillAndScalesTheRateHeader(t *testing.T) {
	h := newHarness(t, Config{TimeScale: 600})
	tok := h.accessToken(DemoSellerNA)
	var r response
	for i := 0; i < 16; i++ {
		r = h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil)
		if r.status == 429 {
			break
		}
		// 0.016 requests per Amazon second is 9.6 per real second at scale 600.
		assert.Equal(t, "9.6", r.header.Get("x-amzn-RateLimit-Limit"))
	}
	require.Equal(t, 429, r.status, "the burst runs out")
	// 250 real ms are 150 Amazon seconds: more than 2 tokens at 0.016/s.
	time.Sleep(250 * time.Millisecond)
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
}

func TestFaultsAreInjectedPerOperation(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	h.sim.SetFault("getMarketplaceParticipations", Fault{Kind: FaultStatus, Status: 503, Times: 2})
	assert.Equal(t, 503, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	assert.Equal(t, 503, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status, "the fault ran out")

	h.sim.SetFault("getMarketplaceParticipations", Fault{Kind: FaultLatency, Latency: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)

	// Dropped connections and malformed bodies bypass the validating harness:
	// talk to the simulator directly.
	direct := httpTestServer(t, h.sim)
	h.sim.SetFault("getMarketplaceParticipations", Fault{Kind: FaultDrop, Times: 1})
	req, _ := http.NewRequest("GET", direct+"/sellers/v1/marketplaceParticipations", nil)
	req.Header.Set("x-amz-access-token", tok)
	_, err := http.DefaultClient.Do(req)
	assert.Error(t, err, "the connection is dropped without an answer")

	h.sim.SetFault("getMarketplaceParticipations", Fault{Kind: FaultMalformed, Times: 1})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.False(t, jsonValid(body))

	h.sim.SetFault("lwaToken", Fault{Kind: FaultStatus, Status: 500, Times: 1})
	refresh, _ := h.sim.SelfAuthorize(DemoClientID, DemoSellerNA)
	resp, err = http.PostForm(direct+"/auth/o2/token", map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 500, resp.StatusCode)

	h.sim.SetFault("getMarketplaceParticipations", Fault{Kind: FaultStatus})
	h.sim.ClearFaults()
	assert.Equal(t, 200, h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).status)
}
