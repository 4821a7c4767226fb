package contract

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelsLoadAndRouteAmazonPaths(t *testing.T) {
	v, err := Load()
	require.NoError(t, err)
	for path, want := range map[string]string{
		"GET /orders/2026-01-01/orders":                                   "searchOrders",
		"GET /orders/2026-01-01/orders/113-1234567-1234567":               "getOrder",
		"POST /orders/v0/orders/113-1234567-1234567/shipmentConfirmation": "confirmShipment",
		"POST /shipping/v2/shipments/rates":                               "getRates",
		"POST /shipping/v2/shipments":                                     "purchaseShipment",
		"PUT /shipping/v2/shipments/abc/cancel":                           "cancelShipment",
		"GET /shipping/v2/shipments/abc/documents":                        "getShipmentDocuments",
		"GET /shipping/v2/tracking":                                       "getTracking",
		"POST /reports/2021-06-30/reports":                                "createReport",
		"GET /reports/2021-06-30/reports/123":                             "getReport",
		"GET /reports/2021-06-30/documents/abc":                           "getReportDocument",
		"POST /tokens/2021-03-01/restrictedDataToken":                     "createRestrictedDataToken",
		"GET /sellers/v1/marketplaceParticipations":                       "getMarketplaceParticipations",
		"GET /catalog/2022-04-01/items/B000000001":                        "getCatalogItem",
	} {
		method, p, _ := strings.Cut(path, " ")
		op, err := v.Find(httptest.NewRequest(method, "http://127.0.0.1:1234"+p, nil))
		require.NoError(t, err, path)
		assert.Equal(t, want, op.OperationID, path)
	}
	_, err = v.Find(httptest.NewRequest("GET", "http://127.0.0.1/nowhere", nil))
	assert.ErrorIs(t, err, ErrNoOperation)
}

func TestValidatorRejectsWhatAmazonWould(t *testing.T) {
	v, err := Load()
	require.NoError(t, err)
	// maxResultsPerPage is an integer and fulfillmentStatuses an enum in the model.
	r := httptest.NewRequest("GET", "/orders/2026-01-01/orders?createdAfter=2026-11-01T00:00:00Z&maxResultsPerPage=ten", nil)
	_, err = v.ValidateRequest(r, nil)
	assert.Error(t, err)
	r = httptest.NewRequest("GET", "/orders/2026-01-01/orders?createdAfter=2026-11-01T00:00:00Z&fulfillmentStatuses=LOST", nil)
	_, err = v.ValidateRequest(r, nil)
	assert.Error(t, err)

	// Arrays are comma-separated (Swagger 2.0's csv), as Amazon takes them.
	r = httptest.NewRequest("GET", "/orders/2026-01-01/orders?createdAfter=2026-11-01T00:00:00Z&fulfillmentStatuses=UNSHIPPED,LOST", nil)
	_, err = v.ValidateRequest(r, nil)
	assert.Error(t, err)
	r = httptest.NewRequest("GET", "/orders/2026-01-01/orders?createdAfter=2026-11-01T00:00:00Z&fulfillmentStatuses=UNSHIPPED,PARTIALLY_SHIPPED&maxResultsPerPage=50", nil)
	_, err = v.ValidateRequest(r, nil)
	assert.NoError(t, err)

	// A getRates body without the required packages.
	body := []byte(`{"shipFrom":{"name":"A","addressLine1":"1 St","city":"X","stateOrRegion":"WA","postalCode":"98109","countryCode":"US"},"channelDetails":{"channelType":"AMAZON"}}`)
	r = httptest.NewRequest("POST", "/shipping/v2/shipments/rates", nil)
	r.Header.Set("Content-Type", "application/json")
	_, err = v.ValidateRequest(r, body)
	assert.ErrorContains(t, err, "packages")

	// A response with a status the operation does not document.
	r = httptest.NewRequest("GET", "/sellers/v1/marketplaceParticipations", nil)
	_, err = v.ValidateResponse(r, nil, 418, map[string][]string{"Content-Type": {"application/json"}}, []byte(`{}`))
	assert.Error(t, err)
	_, err = v.ValidateResponse(r, nil, 200, map[string][]string{"Content-Type": {"application/json"}}, []byte(`{"payload":[{"marketplace":{"id":"ATVPDKIKX0DER","name":"Amazon.com","countryCode":"US","defaultCurrencyCode":"USD","defaultLanguageCode":"en_US","domainName":"www.amazon.com"},"participation":{"isParticipating":true,"hasSuspendedListings":false},"storeName":"Acme"}]}`))
	assert.NoError(t, err)
	_, err = v.ValidateResponse(r, nil, 200, map[string][]string{"Content-Type": {"application/json"}}, []byte(`{"payload":[{"marketplace":{"id":"ATVPDKIKX0DER"}}]}`))
	assert.Error(t, err, "required marketplace fields are missing")
}

func TestUsagePlansComeFromTheModels(t *testing.T) {
	v, err := Load()
	require.NoError(t, err)
	plans := v.UsagePlans()
	// The figures docs/amazon.md, "Rate limits", takes from the same models.
	for op, want := range map[string]UsagePlan{
		"searchOrders":                 {0.0056, 20},
		"getOrder":                     {0.5, 30},
		"confirmShipment":              {2, 10},
		"createRestrictedDataToken":    {1, 10},
		"createReport":                 {0.0167, 15},
		"getReport":                    {2, 15},
		"getReportDocument":            {0.0167, 15},
		"getMarketplaceParticipations": {0.016, 15},
		"getCatalogItem":               {2, 2},
		"getRates":                     {80, 100},
		"purchaseShipment":             {80, 100},
		"getShipmentDocuments":         {80, 100},
		"cancelShipment":               {80, 100},
		"getTracking":                  {80, 100},
	} {
		assert.Equal(t, want, plans[op], op)
	}
}
