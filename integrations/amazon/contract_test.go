package amazon_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/contract"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// TestClientRequestsMatchAmazonsModels runs the client's calls through a
// proxy that validates every request against Amazon's models before the
// simulator sees it, and every answer after.
func TestClientRequestsMatchAmazonsModels(t *testing.T) {
	s, err := sim.New(sim.Config{Seed: 8, Orders: 150, TimeScale: 200, ReportDelay: 20 * time.Second})
	require.NoError(t, err)
	v, err := contract.Load()
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		// LWA and the report download are not SP-API operations.
		if _, err := v.Find(r); err == nil {
			op, err := v.ValidateRequest(r, body)
			if err != nil {
				t.Errorf("the client sent a request Amazon's model refuses: %v", err)
			}
			mu.Lock()
			seen[op.OperationID]++
			mu.Unlock()
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()

	seller := sim.DemoSellerNA
	lwa := amazon.LWA{TokenURL: srv.URL + "/auth/o2/token", ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret}
	c := &amazon.Client{Base: srv.URL, Tokens: amazon.NewTokenSource(lwa, sim.DemoRefreshToken(seller)), Limiter: amazon.NewLimiter(),
		ReportPoll: 20 * time.Millisecond, UserAgent: "Packbench-test/1 (Language=Go)"}
	ctx := context.Background()
	mps := []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"}

	_, err = c.MarketplaceParticipations(ctx)
	require.NoError(t, err)
	orders, _, err := c.ReportOrders(ctx, mps, func(station.ImportProgress) {})
	require.NoError(t, err)
	require.NotEmpty(t, orders)
	var pages int
	err = c.SearchUpdated(ctx, station.UpdatedQuery{MarketplaceIDs: mps, After: time.Now().Add(-7 * 24 * time.Hour)}, func(p station.SearchPage) error {
		pages++
		return nil
	})
	require.NoError(t, err)
	o, err := c.GetOrder(ctx, orders[0].AmazonOrderID)
	require.NoError(t, err)
	assert.Equal(t, orders[0].AmazonOrderID, o.AmazonOrderID)
	assert.NotEmpty(t, o.Items[0].ASIN, "getOrder fills what the report lacks")
	assert.NotZero(t, o.Items[0].UnitPrice.Minor)

	// Buy Shipping: rates, purchase, reprint, void; then a manual confirmation on another order.
	for i := range o.Items {
		o.Items[i].UnitWeight = station.Weight{Value: 250, Unit: station.Gram}
	}
	q, err := c.GetRates(ctx, station.RateRequest{Order: o, ShipFrom: station.Address{Name: "Demo Warehouse", Line1: "1 Dock Rd",
		City: "Seattle", State: "WA", PostalCode: "98109", CountryCode: "US"},
		Package:    station.Package{Weight: station.Weight{Value: 700, Unit: station.Gram}, Dimensions: station.DefaultBox},
		PackageRef: o.AmazonOrderID + "-1"})
	require.NoError(t, err)
	require.NotEmpty(t, q.Rates)
	rate := q.Rates[0]
	service := ""
	if rate.SignatureRequired {
		service = "SIGNATURE_CONFIRMATION"
	}
	bought, err := c.Purchase(ctx, station.PurchaseRequest{Rate: rate, IdempotencyKey: "contract-1", Format: station.FormatZPL300, Service: service})
	require.NoError(t, err)
	_, err = c.Documents(ctx, bought.ShipmentID, bought.PackageRef, station.FormatPDF)
	require.NoError(t, err)
	tr, err := c.Tracking(ctx, bought.TrackingID, rate.CarrierID)
	require.NoError(t, err)
	assert.Equal(t, station.ParcelPreTransit, tr.Parcel())
	require.NoError(t, c.Cancel(ctx, bought.ShipmentID))
	tr, err = c.Tracking(ctx, bought.TrackingID, rate.CarrierID)
	require.NoError(t, err)
	assert.Equal(t, station.ParcelCancelled, tr.Parcel())
	// Another label, followed to its delivery: every event's shape is Amazon's.
	bought, err = c.Purchase(ctx, station.PurchaseRequest{Rate: rate, IdempotencyKey: "contract-2", Format: station.FormatZPL300, Service: service})
	if err != nil { // the rate was used: rate again
		q, err = c.GetRates(ctx, station.RateRequest{Order: o, ShipFrom: station.Address{Name: "Demo Warehouse", Line1: "1 Dock Rd",
			City: "Seattle", State: "WA", PostalCode: "98109", CountryCode: "US"},
			Package:    station.Package{Weight: station.Weight{Value: 700, Unit: station.Gram}, Dimensions: station.DefaultBox},
			PackageRef: o.AmazonOrderID + "-2"})
		require.NoError(t, err)
		rate = q.Rates[0]
		bought, err = c.Purchase(ctx, station.PurchaseRequest{Rate: rate, IdempotencyKey: "contract-2", Format: station.FormatZPL300, Service: service})
		require.NoError(t, err)
	}
	// End of day: the labels of carriers that take a collection form.
	unmanifested, err := c.Unmanifested(ctx)
	require.NoError(t, err)
	t.Logf("second label: %s; carriers waiting for a form: %d", rate.CarrierID, len(unmanifested))
	if rate.CarrierID == "USPS" || rate.CarrierID == "CANADA_POST" {
		require.NotEmpty(t, unmanifested)
	}
	for _, u := range unmanifested {
		pdf, err := c.GenerateCollectionForm(ctx, "contract-form-"+u.CarrierID, u.CarrierID, u.From)
		require.NoError(t, err)
		assert.NotEmpty(t, pdf)
	}
	var history struct {
		Records []struct {
			ID string `json:"collectionFormId"`
		} `json:"collectionFormsHistoryRecordList"`
	}
	require.NoError(t, c.Do(ctx, "getCollectionFormHistory", http.MethodPut, "/shipping/v2/collectionForms/history", nil,
		map[string]any{"maxResults": 10}, &history))
	require.Len(t, history.Records, len(unmanifested))
	for _, r := range history.Records {
		require.NoError(t, c.Do(ctx, "getCollectionForm", http.MethodGet, "/shipping/v2/collectionForms/"+r.ID, nil, nil, &struct{}{}))
	}

	s.Clock().Advance(12 * 24 * time.Hour)
	tr, err = c.Tracking(ctx, bought.TrackingID, rate.CarrierID)
	require.NoError(t, err)
	assert.NotEqual(t, station.ParcelPreTransit, tr.Parcel())
	assert.Greater(t, len(tr.Events), 4, "picked up, through the network, out for delivery, and on")
	other, err := c.GetOrder(ctx, orders[1].AmazonOrderID)
	require.NoError(t, err)
	require.NoError(t, c.ConfirmShipment(ctx, other, station.ManualShipment{PackageReferenceID: "1", CarrierCode: "UPS",
		TrackingNumber: "1Z999", ShipDate: time.Now()}))

	for _, op := range []string{"getMarketplaceParticipations", "createReport", "getReport", "createRestrictedDataToken",
		"getReportDocument", "searchOrders", "getOrder", "getRates", "purchaseShipment", "getShipmentDocuments",
		"cancelShipment", "getTracking", "getUnmanifestedShipments", "generateCollectionForm", "getCollectionFormHistory", "getCollectionForm", "confirmShipment"} {
		assert.Positive(t, seen[op], "%s was called and validated", op)
	}
	assert.Equal(t, pages, seen["searchOrders"])
}
