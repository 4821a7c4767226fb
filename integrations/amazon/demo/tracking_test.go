package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	sh, _, err := w.station.OrderTracking(ctx, bought[0])
	require.NoError(t, err)
	w.env.Sim.SendBack(sh.TrackingID) // one parcel nobody can deliver

	_, err = w.station.TrackDue(ctx)
	require.NoError(t, err)
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
	assert.Equal(t, []int64{bought[0]}, returned, "the parcel sent back")
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
