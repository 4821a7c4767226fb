package demo

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// importWorld is a world with a time-scaled simulator, so reports finish
// and rate limits refill quickly, and a connected demo store.
func importWorld(t *testing.T, orders int) (*world, station.Store) {
	t.Helper()
	w := newWorldWith(t, sim.Config{Seed: 4, Orders: orders, TimeScale: 200, ReportDelay: 40 * time.Second})
	w.flow.ReportPoll = 50 * time.Millisecond
	w.flow.RetryBase = 5 * time.Millisecond
	st, err := w.station.ConnectDemo(context.Background(), station.RegionNA)
	require.NoError(t, err)
	return w, st
}

// truth is the simulator's set of in-scope orders: merchant, paid,
// unshipped or partially shipped, bought in the last 7 days.
func truth(w *world, seller string) []string {
	var ids []string
	for _, o := range w.env.Sim.Orders(seller) {
		if o.FulfilledBy == "MERCHANT" && (o.Status == "UNSHIPPED" || o.Status == "PARTIALLY_SHIPPED") &&
			o.Created.After(time.Now().Add(-7*24*time.Hour)) {
			ids = append(ids, o.OrderID)
		}
	}
	sort.Strings(ids)
	return ids
}

func local(t *testing.T, w *world, f station.OrderFilter) []string {
	t.Helper()
	rows, err := w.station.AllOrders(context.Background(), f)
	require.NoError(t, err)
	var ids []string
	seen := map[string]bool{}
	for _, r := range rows {
		require.False(t, seen[r.AmazonOrderID], "order %s twice", r.AmazonOrderID)
		seen[r.AmazonOrderID] = true
		ids = append(ids, r.AmazonOrderID)
	}
	sort.Strings(ids)
	return ids
}

func TestFirstImportFromTheReportThenIncremental(t *testing.T) {
	w, st := importWorld(t, 150)
	ctx := context.Background()
	var stages []string
	run, err := w.station.Import(ctx, st.ID, func(p station.ImportProgress) { stages = append(stages, p.Stage) })
	require.NoError(t, err)
	want := truth(w, sim.DemoSellerNA)
	require.NotEmpty(t, want)
	assert.Equal(t, want, local(t, w, station.OrderFilter{StoreID: st.ID}))
	assert.Equal(t, len(want), run.New)
	assert.Contains(t, stages, "report")
	assert.Equal(t, 1, w.env.Sim.Stats()["createReport"].Requests, "the first import bootstraps from the report")

	// The report has no prices; the address and items are there.
	rows, _ := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID})
	o, err := w.station.Order(ctx, rows[0].ID)
	require.NoError(t, err)
	assert.NotEmpty(t, o.ShipTo.Line1)
	assert.NotEmpty(t, o.Items)
	assert.NotEmpty(t, o.MarketplaceID)

	// Later: buyers order, one cancels, the seller ships one elsewhere.
	fresh, err := w.env.Sim.NewOrders(sim.DemoSellerNA, 3)
	require.NoError(t, err)
	require.NoError(t, w.env.Sim.CancelOrder(want[0]))
	require.NoError(t, w.env.Sim.ShipElsewhere(want[1]))
	// searchOrders sees changes older than two minutes only (Amazon's rule).
	w.env.Sim.Clock().Advance(3 * time.Minute)
	run, err = w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, len(fresh), run.New)
	assert.GreaterOrEqual(t, run.Updated, 1)
	cancelled := local(t, w, station.OrderFilter{StoreID: st.ID, Status: station.StatusCancelled})
	assert.Equal(t, []string{want[0]}, cancelled, "a cancellation after import is caught")
	assert.Equal(t, []string{want[1]}, local(t, w, station.OrderFilter{StoreID: st.ID, Status: station.StatusShipped}),
		"an order shipped elsewhere leaves the ready list")
	assert.Equal(t, 1, w.env.Sim.Stats()["createReport"].Requests, "later imports use searchOrders only")

	stores, _ := w.station.Stores(ctx)
	assert.False(t, stores[0].LastImportAt.IsZero(), "the last successful import time is recorded")
	runs, err := w.station.ImportRuns(ctx, st.ID, 10)
	require.NoError(t, err)
	assert.Len(t, runs, 2)
}

func TestImportUnderFaultsLosesNothingAndDuplicatesNothing(t *testing.T) {
	w, st := importWorld(t, 400)
	ctx := context.Background()
	// A FATAL report: the import falls back to searching.
	w.env.Sim.SetFault("createReport", sim.Fault{Kind: sim.FaultReportFatal, Times: 1})
	// Once the first page is in (and the client has learnt the rate from it),
	// the following calls meet a 429 storm, 5xx, dropped connections and a
	// truncated body, spread over the pages.
	injected := false
	_, err := w.station.Import(ctx, st.ID, func(p station.ImportProgress) {
		if p.Stage == "orders" && !injected {
			injected = true
			for _, f := range []sim.Fault{
				{Kind: sim.FaultStatus, Status: 429, Times: 2},
				{Kind: sim.FaultStatus, Status: 503, Times: 1},
				{Kind: sim.FaultDrop, Times: 1},
				{Kind: sim.FaultMalformed, Times: 1},
			} {
				w.env.Sim.SetFault("searchOrders", f)
			}
		}
	})
	require.NoError(t, err)
	require.True(t, injected)
	assert.Equal(t, truth(w, sim.DemoSellerNA), local(t, w, station.OrderFilter{StoreID: st.ID}))
	assert.Equal(t, 5, w.env.Sim.Stats()["searchOrders"].Faulted, "every fault was met and survived")
}

func TestAKilledImportResumesFromItsCheckpoint(t *testing.T) {
	w, st := importWorld(t, 400)
	w.env.Sim.SetFault("createReport", sim.Fault{Kind: sim.FaultReportFatal, Times: 1})
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	_, err := w.station.Import(ctx, st.ID, func(p station.ImportProgress) {
		if p.Stage == "orders" {
			pages++
			if pages == 1 {
				cancel() // the process dies after the first page is saved
			}
		}
	})
	require.Error(t, err)
	partial := local(t, w, station.OrderFilter{StoreID: st.ID})
	want := truth(w, sim.DemoSellerNA)
	require.Less(t, len(partial), len(want), "the run stopped part-way")
	searchesBefore := w.env.Sim.Stats()["searchOrders"].Requests

	run, err := w.station.Import(context.Background(), st.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, want, local(t, w, station.OrderFilter{StoreID: st.ID}))
	assert.Equal(t, len(want)-len(partial), run.New, "nothing saved twice")
	pagesAfter := w.env.Sim.Stats()["searchOrders"].Requests - searchesBefore
	assert.Less(t, pagesAfter, pages+10, "resumed at the next page, not from the start")
}

func TestARevokedStoreTurnsRedAndSaysReauthorize(t *testing.T) {
	w, st := importWorld(t, 20)
	w.env.Sim.RevokeSeller(sim.DemoSellerNA)
	run, err := w.station.Import(context.Background(), st.ID, nil)
	assert.ErrorIs(t, err, station.ErrReauthorize)
	assert.NotEmpty(t, run.Error)
	got, _ := w.db.GetStore(context.Background(), st.ID)
	assert.Equal(t, station.HealthRed, got.Health)
	assert.Contains(t, got.HealthReason, "reauthorize")
	assert.True(t, got.LastImportAt.IsZero())
}

func TestOneImportPerStoreAtATime(t *testing.T) {
	w, st := importWorld(t, 20)
	w.env.Sim.SetFault("createReport", sim.Fault{Kind: sim.FaultLatency, Latency: 300 * time.Millisecond, Times: 1})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := w.station.Import(context.Background(), st.ID, nil)
			errs <- err
		}()
	}
	e1, e2 := <-errs, <-errs
	assert.True(t, errors.Is(e1, station.ErrImportRunning) != errors.Is(e2, station.ErrImportRunning), "%v / %v", e1, e2)
}

func TestImportWeightsFillsMissingSKUsFromTheCatalogButNeverOverAPacker(t *testing.T) {
	w, st := importWorld(t, 30)
	ctx := context.Background()
	set := st.Settings
	set.ImportWeights = true
	require.NoError(t, w.station.UpdateStoreSettings(ctx, st.ID, set))
	assert.ErrorContains(t, w.station.UpdateStoreSettings(ctx, st.ID, station.StoreSettings{ImportEveryMinutes: 1, ImportDays: 7, Identifier: station.BySKU}), "5 to 1440")
	assert.ErrorContains(t, w.station.UpdateStoreSettings(ctx, st.ID, station.StoreSettings{ImportEveryMinutes: 15, ImportDays: 7, RetentionDays: 90, Identifier: station.BySKU}), "Data Protection Policy")

	_, err := w.station.Import(ctx, st.ID, nil) // the report: no ASINs yet
	require.NoError(t, err)
	_, err = w.env.Sim.NewOrders(sim.DemoSellerNA, 40)
	require.NoError(t, err)
	w.env.Sim.Clock().Advance(3 * time.Minute)
	// A packer weighed the travel mug already: the catalog must not overwrite it.
	require.NoError(t, w.station.RememberWeight(ctx, st.ID, "MUG-TRV-16", station.Weight{Value: 401, Unit: station.Gram}))
	_, err = w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err)
	assert.Positive(t, w.env.Sim.Stats()["getCatalogItem"].Requests)

	rows, err := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID})
	require.NoError(t, err)
	weighed := 0
	for _, r := range rows {
		if r.WeightKnown {
			weighed++
			o, err := w.station.Order(ctx, r.ID)
			require.NoError(t, err)
			for _, it := range o.Items {
				if it.SKU == "MUG-TRV-16" {
					assert.InDelta(t, 401, it.UnitWeight.Grams(), 0.01)
				}
			}
		}
	}
	assert.Positive(t, weighed, "orders whose products the catalog knows now have a weight")
}

// Amazon takes minutes to make the Unshipped Orders report (3 to 5
// typically, docs/amazon.md). A first import does not keep the packer
// waiting for it: the first pages of searchOrders are listed while the
// report is made, and the report then brings the rest.
func TestTheFirstOrdersAreListedWhileTheReportIsMade(t *testing.T) {
	w := newWorldWith(t, sim.Config{Seed: 4, Orders: 400, TimeScale: 200, ReportDelay: 10 * time.Minute})
	w.flow.ReportPoll = 50 * time.Millisecond
	w.flow.RetryBase = 5 * time.Millisecond
	ctx := context.Background()
	st, err := w.station.ConnectDemo(ctx, station.RegionNA)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := w.station.Import(ctx, st.ID, nil)
		done <- err
	}()
	var listed int
	for listed == 0 {
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before any order was listed", err)
		case <-time.After(20 * time.Millisecond):
		}
		rows, err := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID})
		require.NoError(t, err)
		listed = len(rows)
	}
	assert.Zero(t, w.env.Sim.Stats()["getReportDocument"].Requests, "listed before the report was ready")
	require.NoError(t, <-done)
	assert.Equal(t, truth(w, sim.DemoSellerNA), local(t, w, station.OrderFilter{StoreID: st.ID}), "then the report brings every order")
	assert.Less(t, listed, len(truth(w, sim.DemoSellerNA)))
}
