package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func httpTestServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func jsonValid(b []byte) bool { return json.Valid(b) }

func TestSameSeedSameWorld(t *testing.T) {
	a, err := New(Config{Seed: 42, Orders: 50, Start: testStart})
	require.NoError(t, err)
	b, err := New(Config{Seed: 42, Orders: 50, Start: testStart})
	require.NoError(t, err)
	c, err := New(Config{Seed: 43, Orders: 50, Start: testStart})
	require.NoError(t, err)
	assert.Equal(t, a.Orders(""), b.Orders(""))
	assert.NotEqual(t, a.Orders(""), c.Orders(""))
	assert.Len(t, a.Orders(""), 150, "50 per seller, three sellers")
}

func TestTheWorldHasWhatAnImportMustHandle(t *testing.T) {
	s, err := New(Config{Seed: 9, Orders: 300, Start: testStart})
	require.NoError(t, err)
	var multi, prime, business, unicodeName, longName, noPhone, afn, cancelled, pending, partial, old, gift int
	markets := map[string]bool{}
	for _, o := range s.orderSeq {
		markets[o.MarketplaceID] = true
		if len(o.Items) > 1 {
			multi++
		}
		if o.has("PRIME") {
			prime++
		}
		if o.has("AMAZON_BUSINESS") {
			business++
		}
		if utf8.RuneCountInString(o.Address.Name) != len(o.Address.Name) {
			unicodeName++
		}
		if len(o.Address.Name) > 50 || len(o.Address.Line1) > 60 {
			longName++
		}
		if o.Address.Phone == "" {
			noPhone++
		}
		switch {
		case o.FulfilledBy == "AMAZON":
			afn++
		case o.Status == "CANCELLED":
			cancelled++
		case o.Status == "PENDING":
			pending++
		case o.Status == "PARTIALLY_SHIPPED":
			partial++
		}
		if o.Created.Before(testStart.Add(-7 * 24 * time.Hour)) {
			old++
		}
		for _, it := range o.Items {
			if it.GiftMessage != "" {
				gift++
			}
		}
	}
	for name, n := range map[string]int{"multi-item": multi, "prime": prime, "business": business, "unicode names": unicodeName,
		"long names or addresses": longName, "no phone": noPhone, "fulfilled by Amazon": afn, "cancelled": cancelled,
		"unpaid": pending, "partially shipped": partial, "older than 7 days": old, "gift messages": gift} {
		assert.Positive(t, n, name)
	}
	assert.GreaterOrEqual(t, len(markets), 8, "orders across marketplaces and regions")
}

func TestAdminAPI(t *testing.T) {
	s, err := New(Config{Seed: 1, Orders: 10, Start: testStart})
	require.NoError(t, err)
	base := httpTestServer(t, s)
	post := func(path, body string) *http.Response {
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	var orders []OrderTruth
	resp, err := http.Get(base + "/_sim/orders?seller=" + DemoSellerNA)
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&orders))
	resp.Body.Close()
	require.Len(t, orders, 10)

	var target string
	for _, o := range orders {
		if o.Status == "UNSHIPPED" {
			target = o.OrderID
		}
	}
	assert.Equal(t, 204, post("/_sim/orders/"+target+"/cancel", "").StatusCode)
	assert.Equal(t, 404, post("/_sim/orders/000-0000000-0000000/cancel", "").StatusCode)
	before := s.Clock().Now()
	assert.Equal(t, 200, post("/_sim/advance", `{"seconds": 3600}`).StatusCode)
	assert.WithinDuration(t, before.Add(time.Hour), s.Clock().Now(), time.Minute)
	assert.Equal(t, 400, post("/_sim/advance", `{"seconds": -1}`).StatusCode)
	assert.Equal(t, 204, post("/_sim/faults", `{"operation": "getRates", "kind": "status", "status": 503, "times": 1}`).StatusCode)
	assert.Equal(t, 400, post("/_sim/faults", `{}`).StatusCode)

	resp, err = http.Post(base+"/_sim/self-authorize", "application/json", bytes.NewReader([]byte(`{"clientId": "`+DemoClientID+`", "sellerId": "`+DemoSellerNA+`"}`)))
	require.NoError(t, err)
	var sa struct{ RefreshToken string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sa))
	resp.Body.Close()
	assert.True(t, strings.HasPrefix(sa.RefreshToken, "Atzr|"))
	assert.Equal(t, 204, post("/_sim/revoke", `{"refreshToken": "`+sa.RefreshToken+`"}`).StatusCode)
	assert.Equal(t, 404, post("/_sim/revoke", `{"refreshToken": "nope"}`).StatusCode)

	resp, err = http.Get(base + "/nowhere")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, string(body), "does not serve")
}
