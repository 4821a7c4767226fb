package station

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rate is worth what it costs as the order needs it: an order that
// requires a signature pays each carrier's signature too, so the pick
// and the prices shown include it; a label records what Amazon charges.
func TestARateCostsWhatTheOrderNeedsItToCost(t *testing.T) {
	usd := func(minor int64) Money { return Money{Minor: minor, Currency: "USD"} }
	cheapButDearSignature := Rate{RateID: "a", Total: usd(500), Protected: true, SignatureRequired: true,
		Services: []string{"SIGNATURE_CONFIRMATION"}, ServiceCosts: map[string]Money{"SIGNATURE_CONFIRMATION": usd(400)}}
	dearerButCheapSignature := Rate{RateID: "b", Total: usd(800), Protected: true, SignatureRequired: true,
		Services: []string{"SIGNATURE_CONFIRMATION"}, ServiceCosts: map[string]Money{"SIGNATURE_CONFIRMATION": usd(50)}}
	assert.Equal(t, usd(900), cheapButDearSignature.Price())
	assert.Equal(t, usd(850), dearerButCheapSignature.Price())
	pick, _ := pickRate([]Rate{cheapButDearSignature, dearerButCheapSignature})
	require.NotNil(t, pick)
	assert.Equal(t, "b", pick.RateID, "8.50 with its signature beats 9.00 with its own")

	plain := Rate{Total: usd(500), ServiceCosts: map[string]Money{"SIGNATURE_CONFIRMATION": usd(400), "ADULT_SIGNATURE_CONFIRMATION": usd(640)}}
	assert.Equal(t, usd(500), plain.Price(), "no signature required: the rate alone")
	assert.Equal(t, usd(500), plain.Charge(""))
	assert.Equal(t, usd(1140), plain.Charge("ADULT_SIGNATURE_CONFIRMATION"), "a signature the packer chose is charged too")
	assert.Equal(t, usd(500), Rate{Total: usd(500), ServiceCosts: map[string]Money{"SIGNATURE_CONFIRMATION": {Minor: 3, Currency: "EUR"}}}.
		Charge("SIGNATURE_CONFIRMATION"), "a cost in another currency is never added")
}
