package demo

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// Parcels are followed to delivery on the simulator's clock: a bought label
// waits for the carrier (Label bought), its first scan moves the order to
// Shipped, delivery to Delivered with the carrier's date; a parcel that
// could not be delivered and is coming back needs the seller. Buyers' data
// are redacted at delivery + retention, not before, and not at the
// promised date while the parcel is late.
func TestParcelsAreTrackedToDeliveryAndRedactionCountsFromIt(t *testing.T) {
	w, st, rows := shipWorld(t)
	ctx := context.Background()
	shift := shiftClock(w)
	advance := func(d time.Duration) { w.env.Sim.Clock().Advance(d); shift(d) }
	status := func(id int64) station.OrderRow {
		all, err := w.station.AllOrders(ctx, station.OrderFilter{StoreID: st.ID})
		require.NoError(t, err)
		for _, r := range all {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("order %d is not listed", id)
		return station.OrderRow{}
	}
	var bought []int64
	for _, r := range rows[:min(len(rows), 30)] {
		if _, err := w.station.Buy(ctx, r.ID, station.BuyChoice{}); err == nil {
			bought = append(bought, r.ID)
		}
	}
	require.GreaterOrEqual(t, len(bought), 20)
	// One parcel nobody can deliver: of an order with a promised delivery
	// date (searchOrders gives one; the report's orders have none).
	sentBack := int64(0)
	for _, id := range bought {
		if o, err := w.station.Order(ctx, id); err == nil && !o.DeliverBy.Latest.IsZero() {
			sentBack = id
			break
		}
	}
	require.NotZero(t, sentBack)
	sh, _, err := w.station.OrderTracking(ctx, sentBack)
	require.NoError(t, err)
	w.env.Sim.SendBack(sh.TrackingID)

	// One pass reads the store's credentials from the keychain once, not
	// once a parcel.
	keychain := &countingSecrets{Secrets: w.secrets}
	w.station.WithAmazon(w.flow, keychain)
	_, err = w.station.TrackDue(ctx)
	require.NoError(t, err)
	assert.LessOrEqual(t, keychain.gets.Load(), int32(2), "the refresh token and client secret, once for %d parcels", len(bought))
	for _, id := range bought {
		o := status(id)
		assert.Equal(t, station.StatusLabelBought, o.Status, "no carrier scan yet")
		_, tr, err := w.station.OrderTracking(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, station.ParcelPreTransit, tr.Parcel())
	}
	moved, err := w.station.TrackDue(ctx)
	require.NoError(t, err)
	assert.Zero(t, moved, "asked again only after TrackEvery")

	advance(7 * time.Hour) // the carrier picked them up at 6 hours
	moved, err = w.station.TrackDue(ctx)
	require.NoError(t, err)
	assert.Equal(t, len(bought), moved)
	for _, id := range bought {
		assert.Equal(t, station.StatusShipped, status(id).Status, "the first carrier scan ships the order")
	}

	// Twelve days on, every parcel has reached the end of its story. A
	// failed delivery attempt needs the seller until the parcel is delivered.
	var delivered, returned []int64
	problems := map[int64]bool{}
	for range 24 {
		advance(12 * time.Hour)
		_, err = w.station.TrackDue(ctx)
		require.NoError(t, err)
		for _, id := range bought {
			if o := status(id); o.Attention == "parcel: delivery problem" {
				problems[id] = true
			}
		}
	}
	require.NotEmpty(t, problems, "this seeded world has a failed delivery attempt")
	for _, id := range bought {
		o := status(id)
		_, tr, err := w.station.OrderTracking(ctx, id)
		require.NoError(t, err)
		switch tr.Parcel() {
		case station.ParcelDelivered:
			delivered = append(delivered, id)
			assert.Equal(t, station.StatusDelivered, o.Status)
			assert.Empty(t, o.Attention)
			assert.Equal(t, "Delivered", tr.Events[len(tr.Events)-1].Code)
			attempted := slices.ContainsFunc(tr.Events, func(e station.TrackingEvent) bool { return e.Code == "DeliveryAttempted" })
			assert.Equal(t, attempted, problems[id], "%s: a failed attempt needed the seller, until delivery", o.AmazonOrderID)
		case station.ParcelReturned:
			returned = append(returned, id)
			assert.Equal(t, station.StatusShipped, o.Status)
			assert.Equal(t, "parcel: returning to you", o.Attention, "the seller expects it back")
		default:
			t.Errorf("%s: parcel %s after 12 days", o.AmazonOrderID, tr.Parcel())
		}
	}
	require.NotEmpty(t, delivered)
	assert.Equal(t, []int64{sentBack}, returned, "the parcel sent back")
	counts, err := w.station.StatusCounts(ctx, station.OrderFilter{StoreID: st.ID})
	require.NoError(t, err)
	assert.Equal(t, len(delivered), counts[station.StatusDelivered], "the Delivered tab counts them")

	// Redaction counts from the carrier's delivery date.
	id := delivered[0]
	_, tr, err := w.station.OrderTracking(ctx, id)
	require.NoError(t, err)
	retention := time.Duration(st.Settings.RetentionDays) * 24 * time.Hour
	due, err := w.db.RedactionDue(ctx, tr.DeliveredAt().Add(retention-time.Hour))
	require.NoError(t, err)
	assert.NotContains(t, due, id, "kept until delivery + retention")
	due, err = w.db.RedactionDue(ctx, tr.DeliveredAt().Add(retention))
	require.NoError(t, err)
	assert.Contains(t, due, id, "redacted at delivery + retention")
	// A returning parcel is not redacted at its promised date + retention
	// while it is on its way (under 60 days): the seller may send it again.
	back, err := w.station.Order(ctx, returned[0])
	require.NoError(t, err)
	require.False(t, back.DeliverBy.Latest.IsZero())
	due, err = w.db.RedactionDue(ctx, back.DeliverBy.Latest.Add(retention+time.Hour))
	require.NoError(t, err)
	assert.NotContains(t, due, returned[0])
	due, err = w.db.RedactionDue(ctx, back.PurchasedAt.Add(61*24*time.Hour))
	require.NoError(t, err)
	assert.Contains(t, due, returned[0], "but not for ever")
}

// What shipping cost: the report's totals are what the simulated Amazon
// charged for the labels bought, and the voided ones are refunds due.
func TestTheCostReportIsWhatAmazonCharged(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	var bought []int64
	for i, r := range rows[:min(len(rows), 12)] {
		choice := station.BuyChoice{}
		if i%4 == 1 {
			choice.Package.Confirmation = station.ConfirmSignature // a value-added service costs too
		}
		if _, err := w.station.Buy(ctx, r.ID, choice); err == nil {
			bought = append(bought, r.ID)
		}
	}
	require.GreaterOrEqual(t, len(bought), 8)
	for _, id := range bought[:3] {
		require.NoError(t, w.station.Void(ctx, id))
	}

	// The demo store sells in three currencies (US, CA, MX): each is summed apart.
	charged, refunds, labels, voided := map[string]float64{}, map[string]float64{}, map[string]int{}, map[string]int{}
	for _, p := range w.env.Sim.Purchases() {
		labels[p.Currency]++
		if p.Cancelled {
			refunds[p.Currency] += p.Charged
			voided[p.Currency]++
		} else {
			charged[p.Currency] += p.Charged
		}
	}
	today := time.Now()
	from, to, err := station.ParseReportDays("", "", today, time.Local)
	require.NoError(t, err)
	rep, err := w.station.CostReport(ctx, from, to, time.Local)
	require.NoError(t, err)
	require.Len(t, rep.Totals, len(labels), "one total per currency")
	n, v := 0, 0
	for _, tot := range rep.Totals {
		cur := tot.Spent.Currency
		assert.Equal(t, labels[cur], tot.Labels, cur)
		assert.Equal(t, voided[cur], tot.Voided, cur)
		assert.InDelta(t, charged[cur], tot.Spent.Decimal(), 0.001, "%s spent: what Amazon charged for the live labels", cur)
		assert.InDelta(t, refunds[cur], tot.RefundDue.Decimal(), 0.001, "%s refund due: the voided labels", cur)
		n, v = n+tot.Labels, v+tot.Voided
	}
	assert.Equal(t, len(bought), n)
	assert.Equal(t, 3, v)
	rowsSum := map[string]int64{}
	for _, r := range rep.Rows {
		rowsSum[r.Spent.Currency] += r.Spent.Minor
	}
	for _, tot := range rep.Totals {
		assert.Equal(t, tot.Spent.Minor, rowsSum[tot.Spent.Currency], "the rows add up to the total")
	}

	yesterday := today.AddDate(0, 0, -1).Format("2006-01-02")
	from, to, err = station.ParseReportDays(yesterday, yesterday, today, time.Local)
	require.NoError(t, err)
	rep, err = w.station.CostReport(ctx, from, to, time.Local)
	require.NoError(t, err)
	assert.Empty(t, rep.Rows, "nothing was bought yesterday")
}

// End of day: the carriers that take parcels against a collection form
// get one per store, covering every label on none yet; it prints on the
// document printer; closing again makes none; a form asked for while
// Packbench died is asked for again with its key and is the same form.
func TestClosingTheDayMakesOneCollectionFormPerCarrier(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	dir := t.TempDir()
	w.station.WithLabelPrinter(folderPrinter{dir: dir})
	office, err := w.station.SavePrinter(ctx, station.Printer{Name: "Office", Kind: station.PrinterFolder, Address: dir, Format: station.FormatPDFLetter})
	require.NoError(t, err)
	require.NoError(t, w.station.SetDocumentPrinter(ctx, office.ID))
	for _, r := range rows[:min(len(rows), 16)] {
		_, _ = w.station.Buy(ctx, r.ID, station.BuyChoice{})
	}
	plan, err := w.station.CloseDayPlan(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, plan, "USPS and Canada Post labels wait for a form")
	want := map[string]int{}
	for _, d := range plan {
		assert.Contains(t, []string{"USPS", "CANADA_POST"}, d.Unmanifested.CarrierID, "only carriers that take a form")
		assert.Positive(t, d.Labels)
		want[d.Unmanifested.CarrierID] += d.Labels
	}

	// A crash between Amazon making a form and Packbench keeping it.
	first := plan[0]
	pending, err := w.db.StartCollectionForm(ctx, station.CollectionForm{StoreID: first.Store.ID, CarrierID: first.Unmanifested.CarrierID,
		CarrierName: first.Unmanifested.CarrierName, From: first.Unmanifested.From, IdempotencyKey: "cf-crash", CreatedAt: time.Now()})
	require.NoError(t, err)
	creds, err := w.station.StoreCredentials(first.Store)
	require.NoError(t, err)
	lost, err := w.flow.GenerateCollectionForm(ctx, creds, "cf-crash", first.Unmanifested.CarrierID, first.Unmanifested.From)
	require.NoError(t, err, "Amazon made it; the process died before saving it")

	forms, err := w.station.CloseDay(ctx, "")
	require.NoError(t, err)
	require.Len(t, forms, len(plan), "one form per carrier and address; the lost one recovered, not made twice")
	got := map[string]int{}
	for _, f := range forms {
		got[f.CarrierID] += f.Labels
		assert.True(t, bytes.HasPrefix(f.PDF, []byte("%PDF-")))
		if f.ID == pending.ID {
			assert.Equal(t, lost, f.PDF, "the same form, asked for again with its key")
		}
		require.NoError(t, w.station.PrintCollectionForm(ctx, f))
	}
	assert.Equal(t, want, got, "every label waiting is on a form")
	printed, _ := filepath.Glob(filepath.Join(dir, "*collection-form*"))
	assert.Len(t, printed, len(forms), "each form printed on the document printer")

	again, err := w.station.CloseDayPlan(ctx)
	require.NoError(t, err)
	assert.Empty(t, again, "nothing left to put on a form")
	forms, err = w.station.CloseDay(ctx, "")
	require.NoError(t, err)
	assert.Empty(t, forms)
}

// Checking the items: in a store that checks them, no label is bought
// until every item of the order is scanned; the items' barcodes come from
// Amazon's catalog (UPC or EAN alike), a wrong item or one too many counts
// nothing and says what it is, and an unknown barcode attached once to a
// SKU is known from then on.
func TestALabelWaitsForEveryItemToBeScanned(t *testing.T) {
	w, st, rows := shipWorld(t)
	ctx := context.Background()
	set := st.Settings
	set.Verify = station.VerifyScan
	require.NoError(t, w.station.UpdateStoreSettings(ctx, st.ID, set))
	creds, err := w.station.StoreCredentials(st)
	require.NoError(t, err)

	// An order whose products Amazon's catalog knows, and another order.
	var order, other station.Order
	for _, r := range rows {
		o, err := w.flow.RefreshOrder(ctx, creds, r.AmazonOrderID)
		require.NoError(t, err)
		o.ID = r.ID
		inCatalog := true
		for _, it := range o.Items {
			codes, err := w.flow.CatalogIdentifiers(ctx, creds, o.MarketplaceID, it.ASIN)
			require.NoError(t, err)
			inCatalog = inCatalog && len(codes) > 0
		}
		switch {
		case inCatalog && order.ID == 0:
			order = o
		case other.ID == 0:
			other = o
		}
	}
	require.NotZero(t, order.ID, "the demo store has an order of catalog products")
	require.NotZero(t, other.ID)

	_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{})
	require.ErrorIs(t, err, station.ErrItemsNotChecked, "no label before the items are scanned")

	check, err := w.station.StartPackCheck(ctx, order.ID)
	require.NoError(t, err)
	r, err := w.station.ScanItem(ctx, check, other.Items[0].SKU)
	require.NoError(t, err)
	if !slices.ContainsFunc(order.Items, func(it station.Item) bool { return it.SKU == other.Items[0].SKU }) {
		assert.Contains(t, r.Problem, "wrong item: "+other.Items[0].SKU+" is not in order "+order.AmazonOrderID)
	}
	r, err = w.station.ScanItem(ctx, check, "4006381333931")
	require.NoError(t, err)
	assert.True(t, r.Unknown, "a barcode nobody knows")
	for i, it := range order.Items {
		upc := sim.ProductUPC(it.ASIN)
		for n := range it.ToShip() {
			code := upc
			if (i+n)%2 == 1 {
				code = "0" + upc // the EAN-13 of the same product
			}
			r, err := w.station.ScanItem(ctx, check, code)
			require.NoError(t, err)
			require.Empty(t, r.Problem, "%s: %s", code, r.Problem)
			assert.Equal(t, it.SKU, r.Line.SKU)
		}
	}
	assert.True(t, check.Done())
	r, err = w.station.ScanItem(ctx, check, order.Items[0].SKU)
	require.NoError(t, err)
	assert.Contains(t, r.Problem, "too many", "a unit over the order is refused")

	_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{})
	require.NoError(t, err, "every item scanned: the label is bought")

	// An unknown barcode attached once is known from then on.
	require.NoError(t, w.station.AttachBarcode(ctx, st.ID, "4006381333931", other.Items[0].SKU))
	check, err = w.station.StartPackCheck(ctx, other.ID)
	require.NoError(t, err)
	r, err = w.station.ScanItem(ctx, check, "4006381333931")
	require.NoError(t, err)
	assert.Empty(t, r.Problem)
	assert.Equal(t, other.Items[0].SKU, r.Line.SKU)
}

// countingSecrets counts the keychain's reads.
type countingSecrets struct {
	station.Secrets
	gets atomic.Int32
}

func (c *countingSecrets) Get(key string) (string, error) {
	c.gets.Add(1)
	return c.Secrets.Get(key)
}
