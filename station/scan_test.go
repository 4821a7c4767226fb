package station

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestServicesAreNamedAsAPersonWritesThem(t *testing.T) {
	assert.Equal(t, "USPS Priority Mail", ServiceLabel("USPS", "USPS Priority Mail"), "not USPS USPS Priority Mail")
	assert.Equal(t, "UPS Ground", ServiceLabel("UPS", "Ground"))
	assert.Equal(t, "Ground", ServiceLabel("", "Ground"))
	assert.Equal(t, "1 order", Plural(1, "order", "orders"))
	assert.Equal(t, "0 orders", Plural(0, "order", "orders"))
}

func TestAScanSaysWhereItsOrderIs(t *testing.T) {
	bought := &Shipment{CarrierName: "UPS", ServiceName: "Ground", TrackingID: "1Z999", PurchasedAt: time.Date(2026, 11, 30, 10, 41, 0, 0, time.UTC)}
	order := func(s OrderStatus, a AmazonStatus) *OrderRow {
		return &OrderRow{AmazonOrderID: "111-1111111-1111111", Status: s, AmazonStatus: a}
	}
	parcel := func(s OrderStatus, p Parcel) *OrderRow {
		return &OrderRow{AmazonOrderID: "111-1111111-1111111", Status: s, Parcel: p}
	}
	for _, c := range []struct {
		res  ScanResult
		want string
	}{
		{ScanResult{Code: "X1"}, "No order X1 in any store: check the label, or import now (Ctrl+I)."},
		{ScanResult{Code: "111", Matches: 20, More: true}, "111 matches 20 orders or more: scan the whole order id."},
		{ScanResult{Order: order(StatusShipped, ""), Shipment: bought}, "Order 111-1111111-1111111 already has a label, waiting for the carrier: label bought Nov 30 10:41, UPS Ground, tracking 1Z999."},
		{ScanResult{Order: parcel(StatusShipped, ParcelInTransit), Shipment: bought}, "Order 111-1111111-1111111 is already shipped (in transit): label bought Nov 30 10:41, UPS Ground, tracking 1Z999."},
		{ScanResult{Order: parcel(StatusShipped, ParcelReturned), Shipment: bought}, "Order 111-1111111-1111111: returning to you (label bought Nov 30 10:41, UPS Ground, tracking 1Z999)."},
		{ScanResult{Order: parcel(StatusDelivered, ParcelDelivered), Shipment: bought}, "Order 111-1111111-1111111 was delivered: label bought Nov 30 10:41, UPS Ground, tracking 1Z999."},
		{ScanResult{Order: order(StatusShipped, "")}, "Order 111-1111111-1111111 is already shipped."},
		{ScanResult{Order: order(StatusLabelBought, ""), Shipment: bought}, "Order 111-1111111-1111111 already has a label: label bought Nov 30 10:41, UPS Ground, tracking 1Z999."},
		{ScanResult{Order: order(StatusCancelled, "")}, "Order 111-1111111-1111111 was cancelled: do not ship."},
		{ScanResult{Order: order(StatusReady, "")}, "Order 111-1111111-1111111 is ready to ship."},
	} {
		assert.Equal(t, c.want, c.res.Where(time.UTC))
	}
}

func TestBenchSettingsRefuseWhatTheyDoNotKnow(t *testing.T) {
	_, err := ParseAfterAction("sideways")
	assert.ErrorContains(t, err, `"sideways"`)
	a, err := ParseAfterAction(" NEXT ")
	assert.NoError(t, err)
	assert.Equal(t, NextOrder, a)
	assert.Equal(t, KeepOrder, BenchSettings{AfterAction: "??"}.Normalized().AfterAction, "a hand-edited file falls back to the default")
	assert.Error(t, New(nil, nil).SetBench(BenchSettings{AfterAction: "??"}))
}

func TestWeightsAreReadAsAPackerTypesThem(t *testing.T) {
	for text, grams := range map[string]float64{"640": 640, "640 g": 640, "1.2 kg": 1200, "1,5kg": 1500,
		"19 oz": 538.64, "1 lb 3 oz": 538.64, "1lb3oz": 538.64, "2 lbs": 907.18} {
		w, err := ParseWeight(text, Gram)
		if assert.NoError(t, err, text) {
			assert.InDelta(t, grams, w.Grams(), 0.01, text)
		}
	}
	w, err := ParseWeight("19", Ounce)
	assert.NoError(t, err)
	assert.Equal(t, Weight{Value: 19, Unit: Ounce}, w, "a bare number is in the unit the bench types")
	for _, bad := range []string{"", "abc", "1 lb 3", "3 stone", "-2 kg", "0", "12 g; DROP"} {
		_, err := ParseWeight(bad, Gram)
		assert.Error(t, err, bad)
	}
}

func TestAStoreWeighsInItsUnits(t *testing.T) {
	us := Store{MarketplaceIDs: []string{"A2EUQ1WTGCTBG2", usMarketplace}}
	assert.Equal(t, Imperial, us.Units(), "a store selling in the US weighs in ounces")
	assert.Equal(t, Metric, Store{MarketplaceIDs: []string{"A1PA6795UKMFR9"}}.Units())
	us.Settings.Units = Metric
	assert.Equal(t, Metric, us.Units(), "the seller's choice wins")

	w := Weight{Value: 19.2, Unit: Ounce}
	assert.Equal(t, "1 lb 3.2 oz", Imperial.ShowWeight(w))
	assert.Equal(t, "544 g", Metric.ShowWeight(w))
	assert.Equal(t, "1.25 kg", Metric.ShowWeight(Weight{Value: 1250, Unit: Gram}))
	assert.Equal(t, "12 oz", Imperial.ShowWeight(Weight{Value: 12, Unit: Ounce}))
	assert.Equal(t, "19.2", Imperial.TypedWeight(w), "the weight field starts in ounces")
	typed, err := ParseWeight(Imperial.TypedWeight(w), Imperial.Weight())
	assert.NoError(t, err)
	assert.InDelta(t, w.Grams(), typed.Grams(), 0.01, "what the field shows reads back the same")
	_, err = ParseUnits("stones")
	assert.Error(t, err)
	assert.Error(t, New(nil, nil).UpdateStoreSettings(t.Context(), 1, StoreSettings{ImportEveryMinutes: 15, ImportDays: 7,
		Identifier: BySKU, Units: "stones"}))
}
