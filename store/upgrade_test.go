package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// A database made by the Packbench of migration 8 (the first release) opens in this
// one: its print jobs survive the rebuild of the print queue, as labels.
func TestAnOlderDatabaseUpgradesWithItsPrintJobs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	n, err := migrateUpTo(ctx, old, 8)
	require.NoError(t, err)
	require.Equal(t, 8, n)
	for _, q := range []string{
		`INSERT INTO stores (id, name, region, auth_kind, created_at) VALUES (1, 'Acme', 'NA', 'demo', 1)`,
		`INSERT INTO orders (id, store_id, amazon_order_id, marketplace_id, purchased_at, last_updated_at, amazon_status, status, imported_at, updated_at)
			VALUES (7, 1, '111-0000007-0000000', 'ATVPDKIKX0DER', 1, 1, 'UNSHIPPED', 'label_bought', 1, 1)`,
		`INSERT INTO print_queue (order_id, printer_id, state, attempts, error, created_at) VALUES (7, NULL, 'printed', 1, '', 1)`,
		`INSERT INTO print_queue (order_id, printer_id, state, attempts, error, created_at) VALUES (7, NULL, 'queued', 2, 'offline', 2)`,
	} {
		_, err := old.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, old.Close())

	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	all, err := migrations()
	require.NoError(t, err)
	assert.Equal(t, len(all)-8, db.Migrated, "0009 onwards")
	queued, err := db.QueuedPrints(ctx)
	require.NoError(t, err)
	require.Len(t, queued, 1, "the job still waiting for its printer still waits")
	assert.Equal(t, station.PrintJob{ID: 2, OrderID: 7, Document: station.DocLabel, State: station.JobQueued, Attempts: 2, Error: "offline",
		CreatedAt: queued[0].CreatedAt}, queued[0])
	j, err := db.EnqueuePrint(ctx, 7, 0, station.DocPackingSlip, t0)
	require.NoError(t, err)
	assert.Equal(t, int64(3), j.ID, "ids go on after the old ones")
}

// Intents an older Packbench wrote with a format the labels table refuses
// (a printer's sheet format, junk) could never be saved after Amazon sold
// the label: the upgrade repairs them so their replay settles, and two open
// purchases of one order are both kept open (replayed, never dropped).
func TestAnUpgradeRepairsIntentsStuckOnAFormat(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	_, err = migrateUpTo(ctx, old, 11)
	require.NoError(t, err)
	for _, q := range []string{
		`INSERT INTO stores (id, name, region, auth_kind, created_at) VALUES (1, 'Acme', 'NA', 'demo', 1)`,
		`INSERT INTO orders (id, store_id, amazon_order_id, marketplace_id, purchased_at, last_updated_at, amazon_status, status, imported_at, updated_at)
			VALUES (7, 1, '111-0000007-0000000', 'ATVPDKIKX0DER', 1, 1, 'UNSHIPPED', 'ready', 1, 1)`,
		`INSERT INTO orders (id, store_id, amazon_order_id, marketplace_id, purchased_at, last_updated_at, amazon_status, status, imported_at, updated_at)
			VALUES (8, 1, '111-0000008-0000000', 'ATVPDKIKX0DER', 1, 1, 'UNSHIPPED', 'ready', 1, 1)`,
	} {
		_, err := old.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	for i, f := range []struct {
		order  int
		format string
	}{{7, "PDF_LETTER"}, {8, "JUNK"}, {8, "ZPL300"}} {
		_, err := old.ExecContext(ctx, `INSERT INTO purchase_intents (order_id, idempotency_key, request_token, rate_id, carrier_id,
			service_id, cost_minor, currency, state, created_at, updated_at, label_format) VALUES (?, ?, 't', 'r', 'c', 's', 100, 'USD', 'pending', 1, 1, ?)`,
			f.order, fmt.Sprint("key", i), f.format)
		require.NoError(t, err)
	}
	require.NoError(t, old.Close())

	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	open, err := db.OpenIntents(ctx, 0)
	require.NoError(t, err)
	require.Len(t, open, 3, "every open purchase stays open, to be settled with Amazon")
	got := map[string]station.LabelFormat{}
	for _, in := range open {
		got[in.IdempotencyKey] = in.Format
	}
	assert.Equal(t, map[string]station.LabelFormat{"key0": station.FormatPNG, "key1": station.FormatZPL203, "key2": station.FormatZPL300}, got)

	// From now on the database itself refuses such an intent.
	_, err = db.CreateIntent(ctx, station.PurchaseIntent{OrderID: 7, IdempotencyKey: "new", State: station.IntentPending,
		CreatedAt: t0, UpdatedAt: t0}, "p", "PDF_LETTER", "")
	assert.ErrorContains(t, err, "label format")
}
