package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// A database made by the Packbench of migration 8 (session 1) opens in this
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
	assert.Equal(t, 3, db.Migrated, "0009 to 0011")
	queued, err := db.QueuedPrints(ctx)
	require.NoError(t, err)
	require.Len(t, queued, 1, "the job still waiting for its printer still waits")
	assert.Equal(t, station.PrintJob{ID: 2, OrderID: 7, Document: station.DocLabel, State: station.JobQueued, Attempts: 2, Error: "offline",
		CreatedAt: queued[0].CreatedAt}, queued[0])
	j, err := db.EnqueuePrint(ctx, 7, 0, station.DocPackingSlip, t0)
	require.NoError(t, err)
	assert.Equal(t, int64(3), j.ID, "ids go on after the old ones")
}
