package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

// shipWorld is an imported demo store whose orders all have a weight.
func shipWorld(t *testing.T) (*world, station.Store, []station.OrderRow) {
	t.Helper()
	w, st, rows := readyWorld(t)
	ctx := context.Background()
	for _, r := range rows {
		o, err := w.station.Order(ctx, r.ID)
		require.NoError(t, err)
		for _, it := range o.Items {
			require.NoError(t, w.station.RememberWeight(ctx, st.ID, it.SKU, station.Weight{Value: 300, Unit: station.Gram}))
		}
	}
	return w, st, rows
}

// readyWorld is an imported demo store and its orders Ready to ship, with
// the weights the catalog gave (some SKUs have none).
func readyWorld(t *testing.T) (*world, station.Store, []station.OrderRow) {
	t.Helper()
	w, st := importWorld(t, 60)
	ctx := context.Background()
	_, err := w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err)
	rows, err := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID, Status: station.StatusReady})
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	return w, st, rows
}

func purchasesOf(w *world, amazonOrderID string) int {
	n := 0
	for _, p := range w.env.Sim.Purchases() {
		if p.OrderID == amazonOrderID && !p.Cancelled {
			n++
		}
	}
	return n
}

var errCrash = errors.New("simulated crash")

func TestACrashAtEveryStepOfAPurchaseBuysExactlyOneRecoverableLabel(t *testing.T) {
	for _, step := range []string{"intent", "answer", "saved"} {
		t.Run(step, func(t *testing.T) {
			w, _, rows := shipWorld(t)
			ctx := context.Background()
			order := rows[0]
			w.station.WithPurchaseHook(func(s string) error {
				if s == step {
					return errCrash
				}
				return nil
			})
			_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{})
			require.ErrorIs(t, err, errCrash)

			// Restart: a station over the same database, without the crash.
			w.station.WithPurchaseHook(nil)
			recovered, err := w.station.Reconcile(ctx)
			require.NoError(t, err)
			if step != "saved" {
				assert.Equal(t, 1, recovered)
			}
			assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID), "Amazon sold exactly one label")

			// Buying again returns the recovered label, never a second one.
			_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{})
			assert.ErrorContains(t, err, "already has a label")
			assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID))

			l, sh, err := w.station.LabelFor(ctx, order.ID, "")
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(l.Contents, []byte("^XA")), "the label is there to print")
			assert.Contains(t, string(l.Contents), sh.TrackingID)
			got, _ := w.station.Order(ctx, order.ID)
			assert.Equal(t, station.StatusLabelBought, got.Status)
		})
	}
}

func TestAnIntentOlderThanItsRateBuysNothing(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.station.WithPurchaseHook(func(s string) error {
		if s == "intent" {
			return errCrash
		}
		return nil
	})
	_, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.ErrorIs(t, err, errCrash)
	w.station.WithPurchaseHook(nil)
	w.env.Sim.Clock().Advance(11 * time.Minute) // the process was down longer than a rate lives
	recovered, err := w.station.Reconcile(ctx)
	require.NoError(t, err)
	assert.Zero(t, recovered)
	assert.Zero(t, purchasesOf(w, rows[0].AmazonOrderID), "a stale rate is never bought silently")
	// The packer buys again, at a fresh rate.
	sh, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	assert.NotEmpty(t, sh.TrackingID)
	assert.Equal(t, 1, purchasesOf(w, rows[0].AmazonOrderID))
}

func TestBadInputsBuyNothing(t *testing.T) {
	w, st, rows := shipWorld(t)
	ctx := context.Background()
	// Cancelled by the buyer since import.
	require.NoError(t, w.env.Sim.CancelOrder(rows[0].AmazonOrderID))
	_, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	assert.ErrorContains(t, err, "cancelled by the buyer")
	// A service that is not offered.
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{ServiceID: "NO_SUCH_SERVICE"})
	assert.ErrorContains(t, err, "no rate for service")
	// No weight known.
	w2, st2 := importWorld(t, 30)
	_, err = w2.station.Import(ctx, st2.ID, nil)
	require.NoError(t, err)
	// (Most demo SKUs get their weight from the catalog; a few do not.)
	unweighed, err := w2.station.AllOrders(ctx, station.OrderFilter{StoreID: st2.ID, Weight: station.WeightsMissing})
	require.NoError(t, err)
	require.NotEmpty(t, unweighed, "the demo keeps a few SKUs without a catalog weight")
	_, err = w2.station.Buy(ctx, unweighed[0].ID, station.BuyChoice{})
	assert.ErrorContains(t, err, "no known weight")
	for _, id := range []string{rows[0].AmazonOrderID, rows[1].AmazonOrderID, unweighed[0].AmazonOrderID} {
		assert.Zero(t, purchasesOf(w, id)+purchasesOf(w2, id))
	}
	_ = st
}

func TestVoidPutsTheOrderBackAndReprintFetchesAGoneLabel(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	sh, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{Format: station.FormatPDF})
	require.NoError(t, err)
	l, _, err := w.station.LabelFor(ctx, rows[0].ID, station.FormatPNG)
	require.NoError(t, err, "a label in another format comes from getShipmentDocuments")
	assert.True(t, bytes.HasPrefix(l.Contents, []byte("\x89PNG")))

	require.NoError(t, w.station.Void(ctx, rows[0].ID))
	got, _ := w.station.Order(ctx, rows[0].ID)
	assert.Equal(t, station.StatusReady, got.Status)
	assert.Zero(t, purchasesOf(w, rows[0].AmazonOrderID))
	assert.ErrorContains(t, w.station.Void(ctx, rows[0].ID), "no label")

	// After the carrier's pickup, a void is refused with a reason.
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{})
	require.NoError(t, err)
	w.env.Sim.Clock().Advance(7 * time.Hour)
	err = w.station.Void(ctx, rows[1].ID)
	assert.ErrorIs(t, err, station.ErrVoidRefused)
	assert.ErrorContains(t, err, "picked it up")
	_ = sh
	_ = sim.DemoSellerNA
}

func TestBulkShipBuysOneLabelPerOrder(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	results := w.station.BuyAll(ctx, ids, station.BuyChoice{}, 8)
	bought := 0
	for _, r := range results {
		if r.Err == nil {
			bought++
		} else {
			t.Errorf("order %d: %v", r.OrderID, r.Err)
		}
	}
	assert.Equal(t, len(rows), bought)
	for _, r := range rows {
		assert.Equal(t, 1, purchasesOf(w, r.AmazonOrderID), r.AmazonOrderID)
	}
}

func TestAServiceMappingPicksTheServiceAndConfirmation(t *testing.T) {
	w, st, rows := shipWorld(t)
	ctx := context.Background()
	o, err := w.station.Order(ctx, rows[0].ID)
	require.NoError(t, err)
	_, err = w.station.SaveServiceMapping(ctx, station.ServiceMapping{StoreID: st.ID, SKU: o.Items[0].SKU, ServiceID: "NOT_A_SERVICE"})
	require.NoError(t, err)
	choice, err := w.station.Rates(ctx, rows[0].ID, station.Package{})
	require.NoError(t, err)
	assert.Contains(t, choice.Why, "is not offered", "a mapping to a service that is not offered falls back, and says so")

	rules, _ := w.station.ServiceMappings(ctx, st.ID)
	require.NoError(t, w.station.DeleteServiceMapping(ctx, st.ID, rules[0].ID))
	// Pick a service that is offered but is not the cheapest.
	var want station.Rate
	for _, r := range choice.Quote.Rates {
		if r.ServiceID != choice.Pick.ServiceID && slices.Contains(r.Services, "SIGNATURE_CONFIRMATION") {
			want = r
		}
	}
	require.NotEmpty(t, want.ServiceID)
	_, err = w.station.SaveServiceMapping(ctx, station.ServiceMapping{StoreID: st.ID, MarketplaceID: o.MarketplaceID,
		ServiceID: want.ServiceID, Confirmation: station.ConfirmSignature})
	require.NoError(t, err)
	choice, err = w.station.Rates(ctx, rows[0].ID, station.Package{})
	require.NoError(t, err)
	assert.Equal(t, want.ServiceID, choice.Pick.ServiceID)
	assert.Contains(t, choice.Why, "your rule")
	assert.Equal(t, station.ConfirmSignature, choice.Confirmation)
	sh, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	assert.Equal(t, want.ServiceID, sh.ServiceID)
}

func TestMarkShippedConfirmsOnAmazon(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	err := w.station.MarkShipped(ctx, rows[0].ID, station.ManualShipment{CarrierCode: "Other", TrackingNumber: "X1"})
	assert.ErrorContains(t, err, "carrier's name")
	require.NoError(t, w.station.MarkShipped(ctx, rows[0].ID, station.ManualShipment{CarrierCode: "USPS", ShippingMethod: "Ground Advantage",
		TrackingNumber: "9400100000000000000123"}))
	got, _ := w.station.Order(ctx, rows[0].ID)
	assert.Equal(t, station.StatusShipped, got.Status)
	for _, o := range w.env.Sim.Orders(sim.DemoSellerNA) {
		if o.OrderID == rows[0].AmazonOrderID {
			assert.Equal(t, "SHIPPED", o.Status)
			require.NotEmpty(t, o.Packages)
			assert.Equal(t, "9400100000000000000123", o.Packages[len(o.Packages)-1].Tracking)
		}
	}
	// An order with a Buy Shipping label is confirmed by Amazon already.
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{})
	require.NoError(t, err)
	assert.ErrorContains(t, w.station.MarkShipped(ctx, rows[1].ID, station.ManualShipment{CarrierCode: "UPS", TrackingNumber: "1Z"}),
		"confirmed the shipment already")
}

func TestABoxPresetGivesItsSizeAndAddsItsEmptyWeight(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	box, err := w.station.SavePackagePreset(ctx, station.PackagePreset{Name: "Mailer",
		Dimensions: station.Dimensions{Length: 30, Width: 20, Height: 5, Unit: station.Centimeter}, Tare: station.Weight{Value: 150, Unit: station.Gram}})
	require.NoError(t, err)
	o, _ := w.station.Order(ctx, rows[0].ID)
	items, complete := o.Weight()
	require.True(t, complete)
	choice, err := w.station.Rates(ctx, rows[0].ID, station.Package{PresetID: box.ID})
	require.NoError(t, err)
	assert.InDelta(t, items.Grams()+150, choice.Package.Weight.Grams(), 0.01)
	assert.Equal(t, box.Dimensions, choice.Package.Dimensions)
	_, err = w.station.SavePackagePreset(ctx, station.PackagePreset{Name: "Flat"})
	assert.ErrorContains(t, err, "length, width and height")
}

// rawPrinter is the station's label printer over raw 9100, as the app wires it.
type rawPrinter struct{}

func (rawPrinter) PrintLabel(ctx context.Context, p station.Printer, name string, l station.Label) (string, error) {
	err := printing.Raw9100{Addr: p.Address, Timeout: time.Second}.Print(ctx, printing.Document{Name: name, Format: printing.ZPL, Data: l.Contents})
	if errors.Is(err, printing.ErrPrinterOffline) {
		return "", fmt.Errorf("%w: %w", station.ErrPrinterOffline, err)
	}
	return "", err
}

func TestAnOfflinePrinterGetsItsLabelOnceWhenItIsBack(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.station.WithLabelPrinter(rawPrinter{})
	// A port nothing listens on yet: the printer is off.
	addr := printertest.OfflineAddr(t)
	pr, err := w.station.SavePrinter(ctx, station.Printer{Name: "Zebra", Kind: station.PrinterRaw9100, Address: addr})
	require.NoError(t, err)
	require.NoError(t, w.station.SetLabelPrinter(ctx, pr.ID))

	_, err = w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	err = w.station.PrintLabel(ctx, rows[0].ID)
	require.ErrorIs(t, err, station.ErrQueued, "the packer is told the label waits")
	n, err := w.station.RetryPrintQueue(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "still off")

	// The printer is back.
	_, received := printertest.ZebraAt(t, addr)
	n, err = w.station.RetryPrintQueue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	label := printertest.WaitJob(t, received)
	assert.True(t, bytes.HasPrefix(label, []byte("^XA")))
	n, _ = w.station.RetryPrintQueue(ctx)
	assert.Zero(t, n, "a printed job is never sent twice")
	select {
	case extra := <-received:
		t.Fatalf("printed twice: %q", extra[:10])
	case <-time.After(200 * time.Millisecond):
	}
}

// shiftClock moves the station's clock (not the simulator's) forward, so
// that its last sweep of a store is no longer fresh.
func shiftClock(w *world) func(time.Duration) {
	var offset atomic.Int64
	w.station.WithClock(func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }, nil)
	return func(d time.Duration) { offset.Add(int64(d)) }
}

func calls(w *world, op string) int { return w.env.Sim.Stats()[op].Requests }

func idsOf(rows []station.OrderRow) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// A bulk ship checks for cancellations with one searchOrders sweep of the
// store, not a getOrder per order (half an order a second at Amazon), and
// skips an order the buyer cancelled since the import.
func TestABulkShipSweepsTheStoreOnceAndSkipsACancelledOrder(t *testing.T) {
	w, _, rows := shipWorld(t)
	advance := shiftClock(w)
	advance(station.SweepFresh + time.Minute) // the import is no longer fresh
	require.NoError(t, w.env.Sim.CancelOrder(rows[0].AmazonOrderID))
	// searchOrders sees changes up to two minutes old (Amazon's lag).
	w.env.Sim.Clock().Advance(3 * time.Minute)
	gets, searches := calls(w, "getOrder"), calls(w, "searchOrders")

	res := w.station.ShipAll(context.Background(), idsOf(rows), station.BuyChoice{}, station.ShipAllOptions{})
	assert.Equal(t, gets, calls(w, "getOrder"), "no order was read one by one")
	assert.Equal(t, searches+1, calls(w, "searchOrders"), "one sweep")
	assert.ErrorIs(t, res.Results[0].Err, station.ErrOrderCancelled)
	assert.Equal(t, 1, res.Cancelled())
	assert.Equal(t, len(rows)-1, res.Bought)
	assert.Zero(t, purchasesOf(w, rows[0].AmazonOrderID))
	for _, r := range rows[1:] {
		assert.Equal(t, 1, purchasesOf(w, r.AmazonOrderID), r.AmazonOrderID)
	}
}

// A buyer who cancels after the sweep is caught by Amazon itself: it will
// not rate or sell a label for a cancelled order. The refusal is explained
// with one getOrder, and the order is skipped as cancelled.
func TestACancellationAfterTheSweepIsCaughtByAmazonsRefusal(t *testing.T) {
	w, _, rows := shipWorld(t)
	// Twenty: the simulator's clock runs 200 times faster than the
	// station's, so a long bulk ship on a loaded machine outlives the
	// plan's rates in simulated time (10 minutes: 3 s here), which no real
	// bench sees.
	rows = rows[:min(len(rows), 20)]
	plan, err := w.station.PlanShipAll(context.Background(), idsOf(rows), station.BuyChoice{})
	require.NoError(t, err)
	require.Len(t, plan.Buy, len(rows))
	require.NoError(t, w.env.Sim.CancelOrder(rows[1].AmazonOrderID))
	gets, rates := calls(w, "getOrder"), calls(w, "getRates")

	res := w.station.ShipAll(context.Background(), plan.Buy, station.BuyChoice{}, station.ShipAllOptions{Plan: &plan})
	assert.Equal(t, rates, calls(w, "getRates"), "the plan's rates are bought, not asked for again")
	assert.Equal(t, gets+1, calls(w, "getOrder"), "only the refused order is read")
	assert.ErrorIs(t, res.Results[1].Err, station.ErrOrderCancelled)
	assert.Equal(t, len(rows)-1, res.Bought)
	assert.Zero(t, purchasesOf(w, rows[1].AmazonOrderID))
	got, err := w.station.Order(context.Background(), rows[1].ID)
	require.NoError(t, err)
	assert.Equal(t, station.AmazonCancelled, got.AmazonStatus, "saved as Amazon has it")
}

// A single label, bought long after the last import, still reads its
// order first: a cancellation stops it before Amazon is asked for rates.
func TestALabelBoughtLongAfterTheImportReadsItsOrderFirst(t *testing.T) {
	w, _, rows := shipWorld(t)
	advance := shiftClock(w)
	advance(station.SweepFresh + time.Minute)
	require.NoError(t, w.env.Sim.CancelOrder(rows[0].AmazonOrderID))
	gets, rates := calls(w, "getOrder"), calls(w, "getRates")
	_, err := w.station.Buy(context.Background(), rows[0].ID, station.BuyChoice{})
	assert.ErrorIs(t, err, station.ErrOrderCancelled)
	assert.Equal(t, gets+1, calls(w, "getOrder"))
	assert.Equal(t, rates, calls(w, "getRates"), "no rates asked for a cancelled order")
}

// At the bench, scans can come faster than getOrder's half a call a
// second. Once its bucket is empty, a label's order is checked with one
// sweep of the store (searchOrders) instead of waiting for getOrder.
func TestScansFasterThanGetOrderAllowsSweepInstead(t *testing.T) {
	w := newWorldWith(t, sim.Config{Seed: 4, Orders: 60, TimeScale: 1, ReportDelay: time.Second})
	w.flow.ReportPoll = 50 * time.Millisecond
	ctx := context.Background()
	st, err := w.station.ConnectDemo(ctx, station.RegionNA)
	require.NoError(t, err)
	// At Amazon's speed the catalog answers two a second: no weights asked here.
	set := st.Settings
	set.ImportWeights = false
	require.NoError(t, w.station.UpdateStoreSettings(ctx, st.ID, set))
	_, err = w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err)
	rows, err := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID, Status: station.StatusReady})
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	shiftClock(w)(station.SweepFresh + time.Minute)
	creds, err := w.station.StoreCredentials(st)
	require.NoError(t, err)
	for w.flow.CallWait(creds, "getOrder") == 0 { // earlier scans used the burst
		_, err := w.flow.RefreshOrder(ctx, creds, rows[0].AmazonOrderID)
		require.NoError(t, err)
	}
	gets, searches := calls(w, "getOrder"), calls(w, "searchOrders")
	pkg := station.Package{Weight: station.Weight{Value: 400, Unit: station.Gram}}
	_, err = w.station.Buy(ctx, rows[0].ID, station.BuyChoice{Package: pkg})
	require.NoError(t, err)
	assert.Equal(t, gets, calls(w, "getOrder"), "no wait for getOrder")
	assert.Equal(t, searches+1, calls(w, "searchOrders"), "one sweep instead")
	// The sweep vouches for the next scans too.
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{Package: pkg})
	require.NoError(t, err)
	assert.Equal(t, gets, calls(w, "getOrder"))
	assert.Equal(t, searches+1, calls(w, "searchOrders"))
}

// The preview is Amazon's own image of the label, fetched once and kept
// with it; when Amazon cannot send it, Packbench draws the ZPL and says so.
func TestThePreviewIsAmazonsImageKeptWithTheLabelOrADrawingThatSaysSo(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.station.WithDocuments(drawer{})
	_, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{Format: station.FormatZPL203})
	require.NoError(t, err)
	docs := calls(w, "getShipmentDocuments")
	first, err := w.station.LabelPreview(ctx, rows[0].ID)
	require.NoError(t, err)
	assert.True(t, first.FromAmazon)
	again, err := w.station.LabelPreview(ctx, rows[0].ID)
	require.NoError(t, err)
	assert.Equal(t, first.PNG, again.PNG)
	assert.Equal(t, docs+1, calls(w, "getShipmentDocuments"), "fetched once, then kept")
	l, _, err := w.station.LabelFor(ctx, rows[0].ID, "")
	require.NoError(t, err)
	assert.Equal(t, station.FormatZPL203, l.Format, "the kept image is never the label that prints")

	img, err := png.Decode(bytes.NewReader(first.PNG))
	require.NoError(t, err)
	assert.Positive(t, img.Bounds().Dx())

	// Amazon refuses: the ZPL is drawn here, and the preview says why.
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{Format: station.FormatZPL203})
	require.NoError(t, err)
	w.env.Sim.SetFault("getShipmentDocuments", sim.Fault{Kind: sim.FaultStatus, Status: 400})
	drawn, err := w.station.LabelPreview(ctx, rows[1].ID)
	require.NoError(t, err)
	assert.False(t, drawn.FromAmazon)
	assert.Contains(t, drawn.Why, "could not be fetched")
	assert.Equal(t, []byte("drawn from ZPL"), drawn.PNG)
}

// drawer stands for Packbench's ZPL renderer (package cli wires the real one).
type drawer struct{ slipMaker }

func (drawer) Preview(l station.Label) ([]byte, error) {
	if !l.Format.IsZPL() {
		return nil, errors.New("not ZPL")
	}
	return []byte("drawn from ZPL"), nil
}
