package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/pgtest"
	"github.com/packbench/packbench/station"
)

// A bench's SQLite data moves into a shared PostgreSQL queue whole: its
// sealed buyers' data and labels open there with the same key, ids go on
// after the copied ones, and its printers are its own there.
func TestABenchsDataMovesIntoASharedQueue(t *testing.T) {
	ctx := context.Background()
	key := sealer(t)
	local, err := Open(ctx, filepath.Join(t.TempDir(), FileName))
	require.NoError(t, err)
	defer local.Close()
	local.UseSealer(key)
	s := demoStore(t, local)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 2))
	o.Items[0].GiftMessage = "For Ana"
	_, err = local.UpsertOrders(ctx, s.ID, []station.Order{o, order("111-0000001-0000002", t0.Add(time.Hour), station.AmazonUnshipped, item("1", "CUP", 1))})
	require.NoError(t, err)
	require.NoError(t, local.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "MUG", Weight: station.Weight{Value: 300, Unit: station.Gram},
		Source: "packer", UpdatedAt: t0}))
	in, err := local.CreateIntent(ctx, station.PurchaseIntent{OrderID: 1, IdempotencyKey: "k1", State: station.IntentPending,
		Rate: station.Rate{RequestToken: "t", RateID: "r", Total: station.Money{Minor: 500, Currency: "USD"}}, CreatedAt: t0}, "ref", station.FormatZPL203, "")
	require.NoError(t, err)
	_, err = local.SavePurchase(ctx, station.OpenIntent{PurchaseIntent: in, Format: station.FormatZPL203},
		station.Purchased{ShipmentID: "S1", TrackingID: "TRACK1", Label: []byte("^XA^FDAna^FS^XZ")}, t0)
	require.NoError(t, err)
	p, err := local.SavePrinter(ctx, station.Printer{Name: "Zebra", Kind: station.PrinterRaw9100, Address: "10.0.0.9:9100", Format: station.FormatZPL203})
	require.NoError(t, err)
	require.NoError(t, local.SetSetting(ctx, "label_printer", "1"))

	shared, err := Open(ctx, pgtest.NewDatabase(t))
	require.NoError(t, err)
	defer shared.Close()
	report, err := CopyInto(ctx, local, shared, "Pack-1")
	require.NoError(t, err)
	assert.Equal(t, 2, report.Rows["orders"])
	assert.Equal(t, 1, report.Rows["labels"])

	shared.UseSealer(key)
	shared.SetBench("Pack-1")
	got, err := shared.GetOrder(ctx, 1)
	require.NoError(t, err)
	assert.False(t, got.PIIUnreadable, "sealed data opens with the same key")
	assert.Equal(t, "Zoë Example", got.BuyerName)
	assert.Equal(t, "For Ana", got.Items[0].GiftMessage)
	assert.Equal(t, 300.0, got.Items[0].UnitWeight.Value)
	label, err := shared.Label(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "^XA^FDAna^FS^XZ", string(label.Contents))
	sh, err := shared.LiveShipment(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "Pack-1", sh.Bench, "the copied labels were this bench's")

	printers, err := shared.Printers(ctx)
	require.NoError(t, err)
	require.Len(t, printers, 1)
	assert.Equal(t, p.Address, printers[0].Address)
	v, err := shared.Setting(ctx, "label_printer")
	require.NoError(t, err)
	assert.Equal(t, "1", v)
	shared.SetBench("Pack-2")
	printers, err = shared.Printers(ctx)
	require.NoError(t, err)
	assert.Empty(t, printers, "another bench has its own printers")

	counts, err := shared.CountOrders(ctx, station.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, map[station.OrderStatus]int{station.StatusReady: 1, station.StatusLabelBought: 1}, counts)
	found, err := shared.ListOrders(ctx, station.OrderQuery{Limit: 10, OrderFilter: station.OrderFilter{Search: "cup"}})
	require.NoError(t, err)
	require.Len(t, found.Rows, 1, "the search index came along")

	res, err := shared.UpsertOrders(ctx, s.ID, []station.Order{order("111-0000001-0000003", t0, station.AmazonUnshipped, item("1", "MUG", 1))})
	require.NoError(t, err)
	assert.Equal(t, 1, res.New, "new rows get ids after the copied ones")

	_, err = CopyInto(ctx, local, shared, "Pack-1")
	assert.ErrorContains(t, err, "copy only into an empty one")
}

// The benches at work are those seen lately: each takes its part of
// Amazon's limits by their number.
func TestTheBenchesAtWorkAreThoseSeenLately(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only (benches of a shared queue); this run is on SQLite")
	}
	ctx := context.Background()
	db := openTemp(t)
	now := t0
	db.SetClock(func() time.Time { return now })
	for i, name := range []string{"Pack-1", "Pack-2", "Pack-3"} {
		now = t0.Add(time.Duration(i) * 10 * time.Minute)
		db.SetBench(name)
		require.NoError(t, db.SeeBench(ctx))
	}
	n, err := db.ActiveBenches(ctx, now.Add(-15*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 2, n, "Pack-1, last seen 20 minutes ago, is not at work")
	n, err = db.ActiveBenches(ctx, now.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "this bench at least")
	benches, err := db.Benches(ctx)
	require.NoError(t, err)
	require.Len(t, benches, 3)
	assert.Equal(t, "Pack-1", benches[0].Name)
}

// A queue's URL is shown and logged without its password, wherever the
// URL carries it.
func TestAQueueURLIsShownWithoutItsPassword(t *testing.T) {
	for _, location := range []string{
		"postgres://packbench:s3cret@db.example:5432/packbench",
		"postgres://packbench@db.example:5432/packbench?password=s3cret&sslmode=require",
	} {
		shown := RedactURL(location)
		assert.NotContains(t, shown, "s3cret")
		assert.Contains(t, shown, "@db.example:5432/packbench", "the rest is kept")
	}
}
