package sim

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ratesBody(o *order, grams float64) map[string]any {
	items := []any{}
	for _, it := range o.Items {
		items = append(items, map[string]any{"itemIdentifier": it.ID, "quantity": it.Quantity - it.Shipped,
			"weight": map[string]any{"value": 100, "unit": "GRAM"}})
	}
	return map[string]any{
		"shipFrom": map[string]any{"name": "Demo Warehouse", "addressLine1": "1 Dock Rd", "city": "Seattle",
			"stateOrRegion": "WA", "postalCode": "98109", "countryCode": "US"},
		"packages": []any{map[string]any{
			"dimensions":               map[string]any{"length": 10, "width": 8, "height": 4, "unit": "INCH"},
			"weight":                   map[string]any{"value": grams, "unit": "GRAM"},
			"insuredValue":             map[string]any{"value": 20, "unit": "USD"},
			"packageClientReferenceId": "pkg-" + o.ID,
			"items":                    items,
		}},
		"channelDetails": map[string]any{"channelType": "AMAZON", "amazonOrderDetails": map[string]any{"orderId": o.ID}},
	}
}

func labelSpec(format string, dpi int) map[string]any {
	spec := map[string]any{"format": format, "size": map[string]any{"width": 4, "length": 6, "unit": "INCH"},
		"needFileJoining": false, "requestedDocumentTypes": []string{"LABEL"}}
	if dpi > 0 {
		spec["dpi"] = dpi
	}
	return spec
}

func usOrder(h *harness, signature bool) *order {
	return h.unshippedOrder(DemoSellerNA, func(o *order) bool {
		sig := false
		for _, it := range o.Items {
			sig = sig || it.SignatureRequired
		}
		// Recent enough that the slower services still meet the delivery promise.
		return o.MarketplaceID == "ATVPDKIKX0DER" && sig == signature && o.Created.After(testStart.Add(-36*time.Hour))
	})
}

func rates(t *testing.T, h *harness, tok string, o *order, grams float64) (string, []map[string]any, []map[string]any) {
	t.Helper()
	r := h.do("POST", "/shipping/v2/shipments/rates", tok, ratesBody(o, grams), "x-amzn-shipping-business-id", "AmazonShipping_US")
	require.Equal(t, 200, r.status, string(r.body))
	p := r.json(t)["payload"].(map[string]any)
	var eligible, ineligible []map[string]any
	for _, x := range p["rates"].([]any) {
		eligible = append(eligible, x.(map[string]any))
	}
	for _, x := range p["ineligibleRates"].([]any) {
		ineligible = append(ineligible, x.(map[string]any))
	}
	return p["requestToken"].(string), eligible, ineligible
}

func TestGetRatesOffersCarriersWithPromisesBenefitsAndReasons(t *testing.T) {
	h := newHarness(t, Config{Seed: 5, Orders: 250})
	tok := h.accessToken(DemoSellerNA)
	o := usOrder(h, false)
	_, eligible, ineligible := rates(t, h, tok, o, 900)
	carriers := map[string]bool{}
	for _, r := range eligible {
		carriers[r["carrierId"].(string)] = true
		assert.NotEmpty(t, r["promise"].(map[string]any)["deliveryWindow"])
		assert.Equal(t, "USD", r["totalCharge"].(map[string]any)["unit"])
	}
	assert.GreaterOrEqual(t, len(carriers), 3, "several carriers")
	var direct, protected bool
	for _, r := range eligible {
		direct = direct || r["paymentType"] == "PAY_DIRECT_TO_CARRIER"
		for _, b := range r["benefits"].(map[string]any)["includedBenefits"].([]any) {
			protected = protected || b == "CLAIMS_PROTECTED"
		}
	}
	assert.True(t, direct, "a rate on the seller's own carrier account")
	assert.True(t, protected)
	// The demo NA seller has not accepted FedEx's terms.
	var tnc bool
	for _, r := range ineligible {
		for _, reason := range r["ineligibilityReasons"].([]any) {
			if reason.(map[string]any)["code"] == "TERMS_AND_CONDITIONS_NOT_ACCEPTED" {
				tnc = true
				assert.Contains(t, reason.(map[string]any)["message"], "Seller Central")
			}
		}
	}
	assert.True(t, tnc)

	// Heavier parcels cost more and fall out of light services.
	_, heavy, heavyOut := rates(t, h, tok, o, 30000)
	assert.Less(t, len(heavy), len(eligible))
	assert.Greater(t, len(heavyOut), len(ineligible))
}

func TestPurchaseIsIdempotentAndShipsTheOrder(t *testing.T) {
	h := newHarness(t, Config{Seed: 5, Orders: 250})
	tok := h.accessToken(DemoSellerNA)
	o := usOrder(h, false)
	reqToken, eligible, _ := rates(t, h, tok, o, 900)
	buy := map[string]any{"requestToken": reqToken, "rateId": eligible[0]["rateId"], "requestedDocumentSpecification": labelSpec("ZPL", 203)}

	first := h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "intent-1")
	require.Equal(t, 200, first.status, string(first.body))
	p := first.json(t)["payload"].(map[string]any)
	shipmentID := p["shipmentId"].(string)
	detail := p["packageDocumentDetails"].([]any)[0].(map[string]any)
	tracking := detail["trackingId"].(string)
	zpl, err := base64.StdEncoding.DecodeString(detail["packageDocuments"].([]any)[0].(map[string]any)["contents"].(string))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(zpl), "^XA"))
	assert.True(t, strings.HasSuffix(strings.TrimSpace(string(zpl)), "^XZ"))
	assert.Contains(t, string(zpl), tracking)

	// A retry after a timeout replays the key: the same shipment, not a second label.
	replay := h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "intent-1")
	require.Equal(t, 200, replay.status)
	assert.Equal(t, shipmentID, replay.json(t)["payload"].(map[string]any)["shipmentId"])
	purchases := 0
	for _, pu := range h.sim.Purchases() {
		if pu.OrderID == o.ID {
			purchases++
		}
	}
	assert.Equal(t, 1, purchases)

	order := h.do("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=FULFILLMENT,PACKAGES", tok, nil).json(t)["order"].(map[string]any)
	assert.Equal(t, "SHIPPED", order["fulfillment"].(map[string]any)["fulfillmentStatus"], "Buy Shipping confirms the order")
	assert.Equal(t, tracking, order["packages"].([]any)[0].(map[string]any)["trackingNumber"])

	// A new key for an order with nothing left to ship is refused.
	again := h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "intent-2")
	assert.Equal(t, 400, again.status)
}

func TestPurchaseRefusesExpiredRatesMissingSignatureAndCancelledOrders(t *testing.T) {
	h := newHarness(t, Config{Seed: 5, Orders: 250})
	tok := h.accessToken(DemoSellerNA)

	o := usOrder(h, false)
	reqToken, eligible, _ := rates(t, h, tok, o, 900)
	h.sim.Clock().Advance(10*time.Minute + time.Second)
	r := h.do("POST", "/shipping/v2/shipments", tok, map[string]any{"requestToken": reqToken, "rateId": eligible[0]["rateId"],
		"requestedDocumentSpecification": labelSpec("PDF", 0)}, "x-amzn-IdempotencyKey", "k1")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "TOKEN_EXPIRED", r.json(t)["errors"].([]any)[0].(map[string]any)["code"])

	sig := usOrder(h, true)
	reqToken, eligible, _ = rates(t, h, tok, sig, 900)
	group := eligible[0]["availableValueAddedServiceGroups"].([]any)[0].(map[string]any)
	assert.Equal(t, true, group["isRequired"])
	buy := map[string]any{"requestToken": reqToken, "rateId": eligible[0]["rateId"], "requestedDocumentSpecification": labelSpec("PNG", 300)}
	assert.Equal(t, 400, h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "k2").status)
	buy["requestedValueAddedServices"] = []any{map[string]any{"id": "SIGNATURE_CONFIRMATION"}}
	require.Equal(t, 200, h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "k3").status)

	// The buyer cancels between rating and buying.
	o2 := h.unshippedOrder(DemoSellerNA, func(x *order) bool { return x.ID != o.ID && x.ID != sig.ID })
	reqToken, eligible, _ = rates(t, h, tok, o2, 900)
	require.NoError(t, h.sim.CancelOrder(o2.ID))
	r = h.do("POST", "/shipping/v2/shipments", tok, map[string]any{"requestToken": reqToken, "rateId": eligible[0]["rateId"],
		"requestedDocumentSpecification": labelSpec("ZPL", 203)}, "x-amzn-IdempotencyKey", "k4")
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "CANCELLED")
	r = h.do("POST", "/shipping/v2/shipments/rates", tok, ratesBody(o2, 900))
	assert.Equal(t, 400, r.status, "no rates for a cancelled order")
}

func buyLabel(t *testing.T, h *harness, tok string, o *order, format string, dpi int) (shipmentID, tracking, carrier, ref string) {
	t.Helper()
	reqToken, eligible, _ := rates(t, h, tok, o, 900)
	var pick map[string]any
	for _, r := range eligible {
		if r["carrierId"] == "USPS" {
			pick = r
		}
	}
	require.NotNil(t, pick)
	r := h.do("POST", "/shipping/v2/shipments", tok, map[string]any{"requestToken": reqToken, "rateId": pick["rateId"],
		"requestedDocumentSpecification": labelSpec(format, dpi)}, "x-amzn-IdempotencyKey", "buy-"+o.ID+"-"+format)
	require.Equal(t, 200, r.status, string(r.body))
	p := r.json(t)["payload"].(map[string]any)
	d := p["packageDocumentDetails"].([]any)[0].(map[string]any)
	return p["shipmentId"].(string), d["trackingId"].(string), "USPS", d["packageClientReferenceId"].(string)
}

func TestReprintInAnotherFormatVoidAndTracking(t *testing.T) {
	h := newHarness(t, Config{Seed: 5, Orders: 250})
	tok := h.accessToken(DemoSellerNA)
	o := usOrder(h, false)
	id, tracking, carrier, ref := buyLabel(t, h, tok, o, "ZPL", 203)

	r := h.do("GET", "/shipping/v2/shipments/"+id+"/documents?packageClientReferenceId="+url.QueryEscape(ref)+"&format=PNG&dpi=300", tok, nil)
	require.Equal(t, 200, r.status, string(r.body))
	doc := r.json(t)["payload"].(map[string]any)["packageDocumentDetail"].(map[string]any)["packageDocuments"].([]any)[0].(map[string]any)
	raw, _ := base64.StdEncoding.DecodeString(doc["contents"].(string))
	img, err := png.Decode(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, 1200, img.Bounds().Dx(), "4 inches at 300 dpi")
	assert.Equal(t, 1800, img.Bounds().Dy(), "6 inches at 300 dpi")
	assert.Equal(t, 400, h.do("GET", "/shipping/v2/shipments/"+id+"/documents?packageClientReferenceId=other", tok, nil).status)
	assert.Equal(t, 404, h.do("GET", "/shipping/v2/shipments/nope/documents?packageClientReferenceId=x", tok, nil).status)

	// Void: the order is open again.
	r = h.do("PUT", "/shipping/v2/shipments/"+id+"/cancel", tok, nil)
	require.Equal(t, 200, r.status, string(r.body))
	order := h.do("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=FULFILLMENT,PACKAGES", tok, nil).json(t)["order"].(map[string]any)
	assert.Equal(t, "UNSHIPPED", order["fulfillment"].(map[string]any)["fulfillmentStatus"])
	assert.Equal(t, "CANCELLED", order["packages"].([]any)[0].(map[string]any)["packageStatus"].(map[string]any)["status"])
	assert.Equal(t, 400, h.do("PUT", "/shipping/v2/shipments/"+id+"/cancel", tok, nil).status, "already cancelled")
	tr := h.do("GET", "/shipping/v2/tracking?trackingId="+tracking+"&carrierId="+carrier, tok, nil).json(t)["payload"].(map[string]any)
	assert.Equal(t, "PickupCancelled", tr["summary"].(map[string]any)["status"])

	// A new label, tracked until delivered; once picked up it can no longer be voided.
	id, tracking, _, _ = buyLabel(t, h, tok, o, "PDF", 0)
	tr = h.do("GET", "/shipping/v2/tracking?trackingId="+tracking+"&carrierId=USPS", tok, nil).json(t)["payload"].(map[string]any)
	assert.Equal(t, "PreTransit", tr["summary"].(map[string]any)["status"])
	h.sim.Clock().Advance(7 * time.Hour)
	tok = h.accessToken(DemoSellerNA) // access tokens live an hour
	tr = h.do("GET", "/shipping/v2/tracking?trackingId="+tracking+"&carrierId=USPS", tok, nil).json(t)["payload"].(map[string]any)
	assert.Equal(t, "InTransit", tr["summary"].(map[string]any)["status"])
	r = h.do("PUT", "/shipping/v2/shipments/"+id+"/cancel", tok, nil)
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "picked up")
	h.sim.Clock().Advance(6 * 24 * time.Hour)
	tok = h.accessToken(DemoSellerNA)
	tr = h.do("GET", "/shipping/v2/tracking?trackingId="+tracking+"&carrierId=USPS", tok, nil).json(t)["payload"].(map[string]any)
	assert.Equal(t, "Delivered", tr["summary"].(map[string]any)["status"])
	events := tr["eventHistory"].([]any)
	assert.Equal(t, "Delivered", events[len(events)-1].(map[string]any)["eventCode"])
	order = h.do("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=PACKAGES", tok, nil).json(t)["order"].(map[string]any)
	assert.Equal(t, "DELIVERED", order["packages"].([]any)[1].(map[string]any)["packageStatus"].(map[string]any)["status"])
	assert.Equal(t, 404, h.do("GET", "/shipping/v2/tracking?trackingId="+tracking+"&carrierId=UPS", tok, nil).status)
}

func TestConcurrentRetriesWithOneKeyBuyOneLabel(t *testing.T) {
	h := newHarness(t, Config{Seed: 5, Orders: 250})
	tok := h.accessToken(DemoSellerNA)
	o := usOrder(h, false)
	reqToken, eligible, _ := rates(t, h, tok, o, 900)
	buy := map[string]any{"requestToken": reqToken, "rateId": eligible[0]["rateId"], "requestedDocumentSpecification": labelSpec("ZPL", 203)}
	ids := make(chan string, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r := h.do("POST", "/shipping/v2/shipments", tok, buy, "x-amzn-IdempotencyKey", "same-intent")
			if r.status == 200 {
				ids <- r.json(t)["payload"].(map[string]any)["shipmentId"].(string)
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	assert.Len(t, seen, 1, "eight concurrent retries, one shipment")
	n := 0
	for _, p := range h.sim.Purchases() {
		if p.OrderID == o.ID {
			n++
		}
	}
	assert.Equal(t, 1, n)
}
