package demo

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/station"
)

// slipMaker lays out a packing slip as a one-line ZPL label: enough to see
// which order's slip reached the printer.
type slipMaker struct{}

func (slipMaker) PackingSlip(s station.PackingSlip, pr station.Printer) (station.Label, error) {
	return station.Label{Format: pr.DocumentFormat(), Contents: []byte("^XA^FDslip " + s.AmazonOrderID + "^FS^XZ")}, nil
}
func (slipMaker) PickList(station.PickList, station.Printer) (station.Label, error) {
	return station.Label{}, errors.New("not here")
}
func (slipMaker) Preview(station.Label) ([]byte, error)         { return nil, errors.New("not here") }
func (slipMaker) TestLabel(f station.LabelFormat) station.Label { return station.Label{Format: f} }

func TestAPackingSlipWaitsForItsPrinterAcrossARestart(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.station.WithLabelPrinter(rawPrinter{}).WithDocuments(slipMaker{})
	addr := printertest.OfflineAddr(t) // the printer is off
	pr, err := w.station.SavePrinter(ctx, station.Printer{Name: "Zebra", Kind: station.PrinterRaw9100, Address: addr})
	require.NoError(t, err)
	require.NoError(t, w.station.SetLabelPrinter(ctx, pr.ID))

	err = w.station.PrintPackingSlip(ctx, rows[0].ID)
	require.ErrorIs(t, err, station.ErrQueued)

	// The app restarts: a new station over the same database.
	again := station.New(w.db, slog.New(slog.DiscardHandler)).WithAmazon(w.flow, w.secrets).WithShipper(w.flow).
		WithLabelPrinter(rawPrinter{}).WithDocuments(slipMaker{})
	_, received := printertest.ZebraAt(t, addr)
	n, err := again.RetryPrintQueue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, "^XA^FDslip "+rows[0].AmazonOrderID+"^FS^XZ", string(printertest.WaitJob(t, received)), "the slip, laid out for the printer")
	n, _ = again.RetryPrintQueue(ctx)
	assert.Zero(t, n, "printed once")
}

// recorder is a printer that notes the order documents arrive in.
type recorder struct {
	mu    sync.Mutex
	names []string
}

func (r *recorder) PrintLabel(ctx context.Context, p station.Printer, name string, l station.Label) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, strings.TrimPrefix(name, "label-"))
	return "", nil
}

func TestShipAllPrintsInTheChosenOrder(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	require.GreaterOrEqual(t, len(rows), 4)
	rec := &recorder{}
	w.station.WithLabelPrinter(rec)
	ids := []int64{rows[0].ID, rows[1].ID, rows[2].ID, rows[3].ID}
	var mu sync.Mutex
	var seen []station.ShipProgress
	progress := func(p station.ShipProgress) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, p)
	}
	res := w.station.ShipAll(ctx, ids, station.BuyChoice{}, station.ShipAllOptions{Print: true, Order: station.PrintReverse, Progress: progress})
	require.Equal(t, 4, res.Bought)
	assert.Equal(t, 4, res.Printed)
	assert.Equal(t, []string{rows[3].AmazonOrderID, rows[2].AmazonOrderID, rows[1].AmazonOrderID, rows[0].AmazonOrderID}, rec.names,
		"reverse: the first order ends on top of a face-up stack")
	require.Len(t, seen, 1+4+4, "a start, each purchase, each print")
	assert.Equal(t, station.ShipProgress{Stage: "buying", Total: 4}, station.ShipProgress{Stage: seen[0].Stage, Total: seen[0].Total})
	assert.Equal(t, 4, seen[4].Done)
	assert.Equal(t, "printing", seen[8].Stage)
	assert.Equal(t, 4, seen[8].Done)

	bySKU, err := w.station.ArrangeForPrint(ctx, ids, station.PrintBySKU)
	require.NoError(t, err)
	first := func(id int64) string {
		o, _ := w.station.Order(ctx, id)
		least := o.Items[0].SKU
		for _, it := range o.Items {
			least = min(least, it.SKU)
		}
		return least
	}
	for i := 1; i < len(bySKU); i++ {
		assert.LessOrEqual(t, first(bySKU[i-1]), first(bySKU[i]), "grouped by SKU")
	}
}

// A crash between "sending" and "printed" must not print the label again
// by itself: the job fails with a note, and printing again is the packer's call.
func TestAnInterruptedPrintIsNeverResentByItself(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	rec := &recorder{}
	w.station.WithLabelPrinter(rec)
	_, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	_, err = w.station.Buy(ctx, rows[1].ID, station.BuyChoice{})
	require.NoError(t, err)

	// Two jobs whose process died mid-send: one long ago, one a moment ago
	// (perhaps still being sent by another Packbench on this database).
	old, err := w.db.EnqueuePrint(ctx, rows[0].ID, 0, station.DocLabel, time.Now())
	require.NoError(t, err)
	require.NoError(t, w.db.StartPrint(ctx, old.ID, time.Now().Add(-3*time.Minute)))
	recent, err := w.db.EnqueuePrint(ctx, rows[1].ID, 0, station.DocLabel, time.Now())
	require.NoError(t, err)
	require.NoError(t, w.db.StartPrint(ctx, recent.ID, time.Now()))

	n, err := w.station.RetryPrintQueue(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, rec.names, "nothing is sent again by itself")
	stale, err := w.db.StalePrints(ctx, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, stale, 1, "the recent one is left to its sender")
	assert.Equal(t, recent.ID, stale[0].ID)

	history, err := w.station.History(ctx, rows[0].ID)
	require.NoError(t, err)
	var said string
	for _, h := range history {
		said += h.Action + ": " + h.Detail + "\n"
	}
	assert.Contains(t, said, "label print interrupted: interrupted while printing: it may have printed; if nothing came out, print it again")

	// Printing again is explicit, and works.
	require.NoError(t, w.station.PrintLabel(ctx, rows[0].ID))
	assert.Equal(t, []string{rows[0].AmazonOrderID}, rec.names)
}

// An order of one SKU weighed by the packer teaches the SKU's weight: the
// next order of it needs no scale, and leaves Needs attention.
func TestAWeighedSingleSKUOrderTeachesItsUnitWeight(t *testing.T) {
	w, _, rows := readyWorld(t)
	ctx := context.Background()
	var single, multi *station.Order
	for _, r := range rows {
		o, err := w.station.Order(ctx, r.ID)
		require.NoError(t, err)
		skus := map[string]bool{}
		for _, it := range o.Items {
			skus[it.SKU] = true
		}
		if _, complete := o.Weight(); complete {
			continue
		}
		if len(skus) == 1 && single == nil {
			single = &o
		} else if len(skus) > 1 && multi == nil {
			multi = &o
		}
	}
	require.NotNil(t, single, "the demo has a one-SKU order without a weight")
	box, err := w.station.SavePackagePreset(ctx, station.PackagePreset{Name: "Mailer",
		Dimensions: station.Dimensions{Length: 30, Width: 20, Height: 5, Unit: station.Centimeter}, Tare: station.Weight{Value: 100, Unit: station.Gram}})
	require.NoError(t, err)
	units := 0
	for _, it := range single.Items {
		units += it.ToShip()
	}
	_, err = w.station.Buy(ctx, single.ID, station.BuyChoice{Package: station.Package{PresetID: box.ID, Weight: station.Weight{Value: float64(100 + 250*units), Unit: station.Gram}}})
	require.NoError(t, err)
	again, err := w.station.Order(ctx, single.ID)
	require.NoError(t, err)
	assert.Equal(t, station.Weight{Value: 250, Unit: station.Gram}, again.Items[0].UnitWeight, "the box's empty weight is taken off, per unit")
	history, _ := w.station.History(ctx, single.ID)
	assert.Equal(t, "weight remembered", history[len(history)-1].Action)

	if multi != nil {
		_, err = w.station.Buy(ctx, multi.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 900, Unit: station.Gram}}})
		require.NoError(t, err)
		after, _ := w.station.Order(ctx, multi.ID)
		for i, it := range after.Items {
			if it.SKU != single.Items[0].SKU {
				assert.Equal(t, multi.Items[i].UnitWeight, it.UnitWeight, "a mixed box says nothing about one SKU")
			}
		}
	}
}

// refusing is a printer that takes the connection and refuses the label.
type refusing struct{}

func (refusing) PrintLabel(context.Context, station.Printer, string, station.Label) (string, error) {
	return "", errors.New("this printer takes ZPL, and a PDF cannot be turned into ZPL here")
}

// A label the printer refuses is not retried every minute: the job fails
// and the order shows in Needs attention until it prints.
func TestARefusedLabelFailsAndNeedsAttention(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.station.WithLabelPrinter(refusing{})
	_, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	err = w.station.PrintLabel(ctx, rows[0].ID)
	require.Error(t, err)
	assert.NotErrorIs(t, err, station.ErrQueued)
	assert.ErrorContains(t, err, "cannot be turned into ZPL")
	queued, err := w.db.QueuedPrints(ctx)
	require.NoError(t, err)
	assert.Empty(t, queued, "not sent again by itself")
	attention, err := w.station.AllOrders(ctx, station.OrderFilter{Attention: true, Status: station.StatusLabelBought})
	require.NoError(t, err)
	require.Len(t, attention, 1)
	assert.Equal(t, "print failed", attention[0].Attention)

	rec := &recorder{}
	w.station.WithLabelPrinter(rec)
	require.NoError(t, w.station.PrintLabel(ctx, rows[0].ID))
	attention, _ = w.station.AllOrders(ctx, station.OrderFilter{Attention: true, Status: station.StatusLabelBought})
	assert.Empty(t, attention, "printed since: no longer needs attention")
}
