package station

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMoneyKeepsMinorUnits(t *testing.T) {
	assert.Equal(t, Money{Minor: 1234, Currency: "USD"}, MoneyFromDecimal(12.34, "usd"))
	assert.Equal(t, Money{Minor: 1235, Currency: "GBP"}, MoneyFromDecimal(12.345, "GBP"), "half rounds away from zero")
	assert.Equal(t, Money{Minor: 1500, Currency: "JPY"}, MoneyFromDecimal(1500, "JPY"), "yen has no minor unit")
	assert.Equal(t, "12.34 USD", Money{Minor: 1234, Currency: "USD"}.String())
	assert.Equal(t, "-0.05 EUR", Money{Minor: -5, Currency: "EUR"}.String())
	assert.Equal(t, "1500 JPY", Money{Minor: 1500, Currency: "JPY"}.String())
	// 0.1+0.2 in float64 is 0.30000000000000004; in minor units it is exact.
	sum := MoneyFromDecimal(0.1, "USD").Minor + MoneyFromDecimal(0.2, "USD").Minor
	assert.Equal(t, int64(30), sum)
}

func TestWeightAndDimensionConversions(t *testing.T) {
	lb := Weight{Value: 1, Unit: Pound}
	assert.InDelta(t, 453.59237, lb.Grams(), 1e-9)
	assert.InDelta(t, 16, lb.In(Ounce).Value, 1e-9)
	assert.False(t, Weight{}.Known())
	assert.False(t, Weight{Value: 3, Unit: "STONE"}.Known(), "an unknown unit is not a known weight")
	assert.Equal(t, "unknown", Weight{}.String())

	box := Dimensions{Length: 10, Width: 8, Height: 4, Unit: Inch}
	cm := box.In(Centimeter)
	assert.InDelta(t, 25.4, cm.Length, 1e-9)
	assert.False(t, Dimensions{Length: 1, Width: 1, Unit: Inch}.Known(), "a missing side means unknown")
}

func TestOrderWeightIsCompleteOnlyWhenEveryItemIsWeighed(t *testing.T) {
	o := Order{Items: []Item{
		{SKU: "A", Quantity: 2, UnitWeight: Weight{Value: 100, Unit: Gram}},
		{SKU: "B", Quantity: 1},
	}}
	w, complete := o.Weight()
	assert.False(t, complete)
	assert.InDelta(t, 200, w.Grams(), 1e-9)
	o.Items[1].UnitWeight = Weight{Value: 1, Unit: Ounce}
	_, complete = o.Weight()
	assert.True(t, complete)
	_, complete = Order{}.Weight()
	assert.False(t, complete, "an order without items has no known weight")
	// Units already shipped are not in this package.
	o.Items[0].Shipped = 1
	w, _ = o.Weight()
	assert.InDelta(t, 100+28.349523125, w.Grams(), 1e-9)
}

func TestNextStatus(t *testing.T) {
	cases := []struct {
		current OrderStatus
		known   bool
		amazon  AmazonStatus
		want    OrderStatus
	}{
		{"", false, AmazonUnshipped, StatusReady},
		{"", false, AmazonPartiallyShipped, StatusReady},
		{"", false, AmazonCancelled, StatusCancelled},
		{"", false, AmazonShipped, StatusShipped},
		{StatusReady, true, AmazonCancelled, StatusCancelled},
		{StatusReady, true, AmazonShipped, StatusShipped}, // shipped elsewhere
		{StatusLabelBought, true, AmazonCancelled, StatusLabelBought},
		{StatusLabelBought, true, AmazonShipped, StatusShipped}, // Amazon confirmed the Buy Shipping label
		{StatusShipped, true, AmazonUnshipped, StatusShipped},
		{StatusDelivered, true, AmazonShipped, StatusDelivered},
		{StatusDelivered, true, AmazonUnshipped, StatusDelivered},
		{StatusCancelled, true, AmazonUnshipped, StatusReady},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, NextStatus(c.current, c.known, c.amazon), "%s + %s", c.current, c.amazon)
	}
	assert.True(t, NeedsVoid(StatusLabelBought, AmazonCancelled))
	assert.False(t, NeedsVoid(StatusReady, AmazonCancelled))
}

func TestAddressNeverReachesALog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	log.Info("ship", "to", Address{Name: "Zoë Example", Line1: "1 Main St", City: "Seattle", CountryCode: "US"})
	assert.NotContains(t, buf.String(), "Zoë")
	assert.NotContains(t, buf.String(), "Main St")
	assert.Contains(t, buf.String(), "US")
}

func TestMarketplaceCatalogue(t *testing.T) {
	uk, ok := MarketplaceByID("A1F83G8C2ARO7P")
	assert.True(t, ok)
	assert.Equal(t, RegionEU, uk.Region)
	assert.Equal(t, "GBP", uk.Currency)
	assert.Equal(t, "JP", MarketplaceLabel("A1VC38T7YXB528"))
	assert.Equal(t, "XYZ", MarketplaceLabel("XYZ"))
	all := Marketplaces()
	assert.Len(t, all, 23)
	seen := map[string]bool{}
	for _, m := range all {
		assert.False(t, seen[m.ID])
		seen[m.ID] = true
		assert.NotEmpty(t, m.Currency)
	}
}

func TestFailingStoresRetrySoonerButNeverStop(t *testing.T) {
	last := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	every := 15 * time.Minute
	assert.Equal(t, last.Add(every), nextAttempt(last, every, 0))
	assert.Equal(t, last.Add(time.Minute), nextAttempt(last, every, 1))
	assert.Equal(t, last.Add(4*time.Minute), nextAttempt(last, every, 3))
	assert.Equal(t, last.Add(every), nextAttempt(last, every, 30), "backs off to the interval, never beyond: it keeps trying")
}

func TestServiceMappingsMatch(t *testing.T) {
	o := Order{MarketplaceID: "ATVPDKIKX0DER", ServiceLevel: "Expedited", Items: []Item{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1, Shipped: 1}}}
	w := Weight{Value: 800, Unit: Gram}
	for _, c := range []struct {
		m    ServiceMapping
		want bool
	}{
		{ServiceMapping{}, true},
		{ServiceMapping{MarketplaceID: "ATVPDKIKX0DER", ServiceLevel: "expedited"}, true},
		{ServiceMapping{MarketplaceID: "A1F83G8C2ARO7P"}, false},
		{ServiceMapping{MinGrams: 500, MaxGrams: 1000}, true},
		{ServiceMapping{MaxGrams: 500}, false},
		{ServiceMapping{SKU: "MUG"}, true},
		{ServiceMapping{SKU: "TEE"}, false}, // already shipped: not in this package
	} {
		assert.Equal(t, c.want, c.m.Matches(o, w), "%+v", c.m)
	}
	rules := []ServiceMapping{{ID: 1, SKU: "NOPE", ServiceID: "A"}, {ID: 2, ServiceLevel: "Expedited", ServiceID: "B"}, {ID: 3, ServiceID: "C"}}
	assert.Equal(t, "B", mappingFor(rules, o, w).ServiceID, "the first matching rule wins")
}
