//go:build ci

package ui

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/scale"
	"github.com/packbench/packbench/station"
)

// fakeScale is a bench scale behind the station's interface: it shows its
// readings in turn, the last one for good.
type fakeScale struct {
	readings []station.ScaleReading
	closed   atomic.Bool
}

func (f *fakeScale) Read(ctx context.Context) (station.ScaleReading, error) {
	if len(f.readings) > 0 {
		r := f.readings[0]
		f.readings = f.readings[1:]
		return r, nil
	}
	<-ctx.Done()
	return station.ScaleReading{}, ctx.Err()
}

func (f *fakeScale) Close() error { f.closed.Store(true); return nil }

// Auto mode with a bench scale: a scanned order is weighed on the scale,
// and its label bought with the scale's stable weight and printed, with
// no key pressed after the scan; moving readings are shown, never used.
func TestAScannedOrderIsWeighedOnTheScaleAndShippedWithNoKeyPressed(t *testing.T) {
	u, _, s, dir := realUI(t)
	importedDemo(t, u)
	scale := &fakeScale{readings: []station.ScaleReading{
		{Weight: station.Weight{Value: 1.31, Unit: station.Kilogram}, Text: "1.31 kg (unstable: hold still)"},
		{Weight: station.Weight{Value: 1.22, Unit: station.Kilogram}, Text: "1.22 kg (unstable: hold still)"},
		{Weight: station.Weight{Value: 1.234, Unit: station.Kilogram}, Stable: true, Text: "1.234 kg (stable)"},
	}}
	u.station.WithScales(func(cfg station.ScaleConfig) (station.Scale, error) {
		assert.Equal(t, "/dev/ttyUSB0", cfg.Port)
		return scale, nil
	}, nil)
	b := u.bench
	b.Auto, b.Scale = true, station.ScaleConfig{Port: "/dev/ttyUSB0", Protocol: "sics"}
	u.saveBench(b)
	u.Refresh()

	rows, err := u.station.AllOrders(u.ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	var order station.OrderRow
	for _, r := range rows {
		if r.WeightKnown {
			order = r // known SKU weights: the scale weighs it anyway
			break
		}
	}
	require.NotEmpty(t, order.AmazonOrderID)
	scan(u, order.AmazonOrderID)

	require.Len(t, s.Purchases(), 1, "bought on the stable reading")
	p := s.Purchases()[0]
	assert.Equal(t, order.AmazonOrderID, p.OrderID)
	assert.InDelta(t, 1234, p.Grams, 0.5, "with the scale's stable weight, not a moving one nor the SKUs' sum")
	assert.Contains(t, u.status.Text, "Label printed.")
	assert.Len(t, labelsIn(dir), 1)

	// The scale stays open, its reading live at the foot of the window.
	u.heldScale.run()
	assert.True(t, u.scaleView.box.Visible())
	assert.Equal(t, "Scale: 1.234 kg (stable), already used", u.scaleView.label.Text)
	assert.Equal(t, widget.SuccessImportance, u.scaleView.label.Importance)
	assert.False(t, scale.closed.Load())
	b.Scale = station.ScaleConfig{}
	u.saveBench(b)
	assert.Eventually(t, scale.closed.Load, 5*time.Second, time.Millisecond, "no scale on the bench: the port is let go")
	assert.False(t, u.scaleView.box.Visible())
}

// The same through a real serial port: Packbench's serial reader on one
// end of a pty, a simulated MT-SICS scale (as cmd/scale-sim plays it) on
// the other, settling on 1.234 kg.
func TestAScannedOrderIsWeighedOnASerialScale(t *testing.T) {
	u, _, s, _ := realUI(t)
	importedDemo(t, u)
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	defer tty.Close()
	var looks atomic.Int32
	sim := scale.Sim{Protocol: scale.SICS, Now: func() scale.Reading {
		if looks.Add(1) < 3 {
			return scale.Reading{Weight: station.Weight{Value: 1.3, Unit: station.Kilogram}, State: scale.Motion}
		}
		return scale.Reading{Weight: station.Weight{Value: 1.234, Unit: station.Kilogram}, State: scale.Stable}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = sim.Serve(ctx, ptmx) }()
	u.station.WithScales(scale.Open, scale.Ports)
	b := u.bench
	b.Auto, b.Scale = true, station.ScaleConfig{Port: tty.Name(), Protocol: "sics"}
	u.saveBench(b)

	rows, err := u.station.AllOrders(u.ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	scan(u, rows[0].AmazonOrderID)
	require.Len(t, s.Purchases(), 1)
	assert.Equal(t, rows[0].AmazonOrderID, s.Purchases()[0].OrderID)
	assert.InDelta(t, 1234, s.Purchases()[0].Grams, 0.5)
	assert.GreaterOrEqual(t, looks.Load(), int32(3), "the moving readings were read, and passed over")
}

// The bench of issue "Bench hardware", end to end on the real station: in
// a store that checks items and ships by itself, a scanned order opens its
// item check; scanning its items (a wrong one first, refused) completes
// it; the scale settles on 1.234 kg; the label is bought with 1234 g and
// printed, with no key pressed but the scanner's.
func TestScanTheOrderScanItsItemsAndTheScaleShipsIt(t *testing.T) {
	u, w, s, dir := realUI(t)
	st := importedDemo(t, u)
	set := st.Settings
	set.Verify = station.VerifyShip
	require.NoError(t, u.station.UpdateStoreSettings(u.ctx, st.ID, set))
	u.Refresh()
	scale := &fakeScale{readings: []station.ScaleReading{
		{Weight: station.Weight{Value: 1.4, Unit: station.Kilogram}, Text: "1.4 kg (unstable: hold still)"},
		{Weight: station.Weight{Value: 1.234, Unit: station.Kilogram}, Stable: true, Text: "1.234 kg (stable)"},
	}}
	u.station.WithScales(func(station.ScaleConfig) (station.Scale, error) { return scale, nil }, nil)
	b := u.bench
	b.Scale = station.ScaleConfig{Port: "/dev/ttyUSB0", Protocol: "sics"}
	u.saveBench(b)

	// An order with two items in the box, and an item of another order.
	var order, other sim.OrderTruth
	for _, o := range s.Orders(sim.DemoSellerNA) {
		if o.Status != "UNSHIPPED" {
			continue
		}
		if len(o.Items) == 2 && order.OrderID == "" {
			order = o
		} else if other.OrderID == "" {
			other = o
		}
	}
	require.NotEmpty(t, order.OrderID, "an order with two items")
	scan(u, order.OrderID)
	d := topDialog(w)
	require.Len(t, d.keyed, 1, "the item check is open, waiting for the items")
	item := d.keyed[0]
	scanItem := func(code string) {
		w.Canvas().Focus(item)
		test.Type(item, code)
		item.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if other.OrderID != "" && !slices.Contains(order.Items, other.Items[0]) {
		scanItem(other.Items[0])
		assert.True(t, u.flashRect.Visible(), "a wrong item flashes")
		assert.Empty(t, s.Purchases())
	}
	scanItem(order.Items[0])
	assert.Empty(t, s.Purchases(), "one item of two: nothing bought")
	scanItem(order.Items[1])

	require.Len(t, s.Purchases(), 1, "the last item scanned, the scale settled: bought")
	p := s.Purchases()[0]
	assert.Equal(t, order.OrderID, p.OrderID)
	assert.InDelta(t, 1234, p.Grams, 0.5)
	assert.Contains(t, u.status.Text, "Label printed.")
	assert.Len(t, labelsIn(dir), 1)
}

// The weight field shows the SKUs' estimate selected: the weight the
// packer types replaces it, and the label is bought with that weight.
func TestATypedWeightReplacesTheEstimate(t *testing.T) {
	u, w, s, _ := realUI(t)
	importedDemo(t, u)
	rows, err := u.station.AllOrders(u.ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	var order station.OrderRow
	for _, r := range rows {
		if r.WeightKnown {
			order = r
			break
		}
	}
	require.NotEmpty(t, order.AmazonOrderID, "an order whose SKUs' weights are known")
	u.orders.actions.row = &order
	u.orders.actions.buyLabel(false)
	grams := topDialog(w).keyed[0]
	require.NotEmpty(t, grams.Text, "the estimate is shown")
	test.Type(grams, "2 kg")
	assert.Equal(t, "2 kg", grams.Text)
	grams.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.Len(t, s.Purchases(), 1)
	assert.InDelta(t, 2000, s.Purchases()[0].Grams, 0.5)
}
