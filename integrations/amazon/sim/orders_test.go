package sim

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchOrdersPagesThroughExactlyTheMatchingOrders(t *testing.T) {
	h := newHarness(t, Config{Seed: 3, Orders: 120})
	tok := h.accessToken(DemoSellerNA)
	after := testStart.Add(-7 * 24 * time.Hour).Format(time.RFC3339)

	want := map[string]bool{}
	for _, o := range h.sim.Orders(DemoSellerNA) {
		if o.FulfilledBy == "MERCHANT" && (o.Status == "UNSHIPPED" || o.Status == "PARTIALLY_SHIPPED") &&
			!o.Created.Before(testStart.Add(-7*24*time.Hour)) {
			want[o.OrderID] = true
		}
	}
	require.NotEmpty(t, want)

	q := url.Values{"createdAfter": {after}, "fulfillmentStatuses": {"UNSHIPPED,PARTIALLY_SHIPPED"}, "fulfilledBy": {"MERCHANT"},
		"maxResultsPerPage": {"10"}, "includedData": {"RECIPIENT,FULFILLMENT,BUYER,PACKAGES"}}
	got := map[string]bool{}
	pages := 0
	for {
		r := h.do("GET", "/orders/2026-01-01/orders?"+q.Encode(), tok, nil)
		require.Equal(t, 200, r.status, string(r.body))
		assert.Equal(t, "0.0056", r.header.Get("x-amzn-RateLimit-Limit"))
		body := r.json(t)
		for _, raw := range body["orders"].([]any) {
			o := raw.(map[string]any)
			id := o["orderId"].(string)
			assert.False(t, got[id], "order %s twice", id)
			got[id] = true
			assert.NotEmpty(t, o["orderItems"], "items are inline in the 2026-01-01 API")
			addr := o["recipient"].(map[string]any)["deliveryAddress"].(map[string]any)
			assert.NotEmpty(t, addr["addressLine1"])
			assert.Contains(t, []string{"UNSHIPPED", "PARTIALLY_SHIPPED"}, o["fulfillment"].(map[string]any)["fulfillmentStatus"])
		}
		pages++
		next, _ := body["pagination"].(map[string]any)
		if next == nil {
			break
		}
		q.Set("paginationToken", next["nextToken"].(string))
		// includedData and maxResultsPerPage may change between pages.
		q.Set("maxResultsPerPage", "7")
	}
	assert.Equal(t, want, got)
	assert.Greater(t, pages, 1)
}

func TestSearchOrdersIncludedDataControlsPersonalData(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	o := h.unshippedOrder(DemoSellerNA, nil)
	r := h.do("GET", "/orders/2026-01-01/orders/"+o.ID, tok, nil)
	require.Equal(t, 200, r.status)
	got := r.json(t)["order"].(map[string]any)
	assert.Nil(t, got["recipient"], "no address unless RECIPIENT is asked for")
	assert.Nil(t, got["buyer"])
	r = h.do("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=RECIPIENT,BUYER", tok, nil)
	got = r.json(t)["order"].(map[string]any)
	assert.Equal(t, o.Address.Name, got["recipient"].(map[string]any)["deliveryAddress"].(map[string]any)["name"])
	assert.Equal(t, o.Buyer.Name, got["buyer"].(map[string]any)["buyerName"])
}

func TestSearchOrdersRefusesBadFilters(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	for name, q := range map[string]string{
		"no after":        "",
		"both afters":     "createdAfter=2026-11-01T00:00:00Z&lastUpdatedAfter=2026-11-01T00:00:00Z",
		"mixed":           "createdAfter=2026-11-01T00:00:00Z&lastUpdatedBefore=2026-11-02T00:00:00Z",
		"before too late": "createdAfter=2026-11-01T00:00:00Z&createdBefore=" + testStart.Format(time.RFC3339),
		"bad token":       "createdAfter=2026-11-01T00:00:00Z&paginationToken=nonsense",
		"foreign market":  "createdAfter=2026-11-01T00:00:00Z&marketplaceIds=A1F83G8C2ARO7P",
	} {
		r := h.do("GET", "/orders/2026-01-01/orders?"+q, tok, nil)
		assert.Equal(t, 400, r.status, name)
		assert.Equal(t, "InvalidInput", r.json(t)["errors"].([]any)[0].(map[string]any)["code"], name)
	}
}

func TestLastUpdatedAfterSeesABuyerCancellation(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	o := h.unshippedOrder(DemoSellerNA, nil)
	h.sim.Clock().Advance(10 * time.Minute)
	checkpoint := h.sim.Clock().Now().Add(-3 * time.Minute)
	require.NoError(t, h.sim.CancelOrder(o.ID))
	h.sim.Clock().Advance(3 * time.Minute)
	r := h.do("GET", "/orders/2026-01-01/orders?lastUpdatedAfter="+checkpoint.Format(time.RFC3339)+"&includedData=FULFILLMENT,CANCELLATION", tok, nil)
	require.Equal(t, 200, r.status)
	orders := r.json(t)["orders"].([]any)
	require.Len(t, orders, 1)
	got := orders[0].(map[string]any)
	assert.Equal(t, o.ID, got["orderId"])
	assert.Equal(t, "CANCELLED", got["fulfillment"].(map[string]any)["fulfillmentStatus"])
	assert.NotNil(t, got["orderItems"].([]any)[0].(map[string]any)["cancellation"])
}

func TestGetOrderOfAnotherSellerIsNotFound(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerEU)
	o := h.unshippedOrder(DemoSellerNA, nil)
	r := h.do("GET", "/orders/2026-01-01/orders/"+o.ID, tok, nil)
	assert.Equal(t, 404, r.status)
}

func TestConfirmShipmentShipsTheOrderAndEditsByPackageReference(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	o := h.unshippedOrder(DemoSellerNA, func(o *order) bool { return len(o.Items) == 1 })
	body := map[string]any{"marketplaceId": o.MarketplaceID, "packageDetail": map[string]any{
		"packageReferenceId": "1", "carrierCode": "USPS", "shippingMethod": "Ground Advantage",
		"trackingNumber": "9400100000000000000001", "shipDate": testStart.Format(time.RFC3339),
		"orderItems": []any{map[string]any{"orderItemId": o.Items[0].ID, "quantity": o.Items[0].Quantity}}}}
	r := h.do("POST", "/orders/v0/orders/"+o.ID+"/shipmentConfirmation", tok, body)
	require.Equal(t, 204, r.status, string(r.body))
	assert.Equal(t, "2", r.header.Get("x-amzn-RateLimit-Limit"))

	// The same packageReferenceId again edits the package instead of adding one.
	body["packageDetail"].(map[string]any)["trackingNumber"] = "9400100000000000000002"
	require.Equal(t, 204, h.do("POST", "/orders/v0/orders/"+o.ID+"/shipmentConfirmation", tok, body).status)
	got := h.do("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=PACKAGES,FULFILLMENT", tok, nil).json(t)["order"].(map[string]any)
	assert.Equal(t, "SHIPPED", got["fulfillment"].(map[string]any)["fulfillmentStatus"])
	pkgs := got["packages"].([]any)
	require.Len(t, pkgs, 1)
	assert.Equal(t, "9400100000000000000002", pkgs[0].(map[string]any)["trackingNumber"])

	h.invalidRequests = true
	body["packageDetail"].(map[string]any)["packageReferenceId"] = "abc"
	assert.Equal(t, 400, h.do("POST", "/orders/v0/orders/"+o.ID+"/shipmentConfirmation", tok, body).status)
	assert.Equal(t, 404, h.do("POST", "/orders/v0/orders/999-0000000-0000000/shipmentConfirmation", tok, body).status)
}
