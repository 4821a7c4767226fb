package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/pgtest"
	"github.com/packbench/packbench/station"
)

// The store's tests run on SQLite, and on PostgreSQL with
// PACKBENCH_TEST_DATABASE=postgres (make test runs both): openTemp opens
// an empty database of that engine. Tests of what only one engine has (a
// SQLite file's pragmas, permissions and bytes on disk) say so with onlySQLite.
const testDatabaseEnv = "PACKBENCH_TEST_DATABASE"

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func onPostgres() bool { return os.Getenv(testDatabaseEnv) == "postgres" }

// testLocation is a new empty database: a file, or a PostgreSQL database.
func testLocation(t *testing.T) string {
	if onPostgres() {
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), FileName)
}

func onlySQLite(t *testing.T, what string) {
	t.Helper()
	if onPostgres() {
		t.Skipf("SQLite only (%s); this run is on PostgreSQL", what)
	}
}

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), testLocation(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func demoStore(t *testing.T, db *DB) station.Store {
	t.Helper()
	s, err := db.CreateStore(context.Background(), station.Store{
		Name: "Acme US", Region: station.RegionNA, SellingPartnerID: "A3SELLER", Auth: station.AuthDemo,
		MarketplaceIDs: []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"},
	})
	require.NoError(t, err)
	return s
}

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func order(id string, purchased time.Time, status station.AmazonStatus, items ...station.Item) station.Order {
	return station.Order{
		AmazonOrderID: id, MarketplaceID: "ATVPDKIKX0DER", PurchasedAt: purchased, LastUpdatedAt: purchased,
		AmazonStatus: status, ServiceLevel: "Standard", Total: station.Money{Minor: 2999, Currency: "USD"},
		ShipBy:    station.Window{Latest: purchased.Add(48 * time.Hour)},
		BuyerName: "Zoë Example", ShipTo: station.Address{Name: "Zoë Example", Line1: "1 Main St", City: "Seattle", CountryCode: "US"},
		Items: items,
	}
}

func item(id, sku string, qty int) station.Item {
	return station.Item{OrderItemID: id, SKU: sku, Title: "Widget " + sku, Quantity: qty,
		UnitPrice: station.Money{Minor: 1000, Currency: "USD"}}
}

func TestOpenMigratesOnceAndReopensWithoutMigrating(t *testing.T) {
	ctx := context.Background()
	path := testLocation(t)
	db, err := Open(ctx, path)
	require.NoError(t, err)
	assert.Equal(t, db.KnownMigrations(), db.Migrated)
	v, err := db.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, db.KnownMigrations(), v)
	require.NoError(t, db.Close())

	db, err = Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, 0, db.Migrated, "a second start must migrate nothing")
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	path := testLocation(t)
	db, err := Open(ctx, path)
	require.NoError(t, err)
	_, err = db.w.ExecContext(ctx, db.either("PRAGMA user_version = 99", "UPDATE packbench_schema SET version = 99"))
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = Open(ctx, path)
	require.ErrorContains(t, err, "update Packbench")
}

func TestPragmasAreInForce(t *testing.T) {
	onlySQLite(t, "SQLite's pragmas")
	db := openTemp(t)
	ctx := context.Background()
	var mode string
	require.NoError(t, db.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, db.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	assert.Equal(t, 1, fk)
	_, err := db.r.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', 'y')")
	assert.Error(t, err, "the reader pool must be read-only")
}

func TestUpsertIsIdempotent(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	page := []station.Order{
		order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG-RED", 2), item("2", "MUG-BLUE", 1)),
		order("111-0000002-0000002", t0.Add(time.Minute), station.AmazonUnshipped, item("3", "TEE-L", 1)),
	}
	res, err := db.UpsertOrders(ctx, s.ID, page)
	require.NoError(t, err)
	assert.Equal(t, station.UpsertResult{New: 2}, res)

	res, err = db.UpsertOrders(ctx, s.ID, page)
	require.NoError(t, err)
	assert.Equal(t, station.UpsertResult{Unchanged: 2}, res)

	all, err := db.ListOrders(ctx, station.OrderQuery{Limit: 10})
	require.NoError(t, err)
	require.Len(t, all.Rows, 2)
	var items int
	require.NoError(t, db.r.QueryRow("SELECT count(*) FROM order_items").Scan(&items))
	assert.Equal(t, 3, items)
	assert.Equal(t, 3, all.Rows[1].ItemCount)
	assert.Equal(t, "MUG-BLUE, MUG-RED", all.Rows[1].SKUs)
}

func TestUpsertAppliesNewerAndIgnoresOlderData(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)

	cancelled := o
	cancelled.AmazonStatus = station.AmazonCancelled
	cancelled.LastUpdatedAt = t0.Add(time.Hour)
	res, err := db.UpsertOrders(ctx, s.ID, []station.Order{cancelled})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Updated)

	// An overlapping import window re-sends the older state: it must not win.
	res, err = db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Unchanged)

	page, err := db.ListOrders(ctx, station.OrderQuery{Limit: 10})
	require.NoError(t, err)
	assert.Equal(t, station.StatusCancelled, page.Rows[0].Status)
	assert.Equal(t, station.AmazonCancelled, page.Rows[0].AmazonStatus)
}

func TestUpsertRollsBackTheWholePage(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	good := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	bad := order("111-0000002-0000002", t0, station.AmazonUnshipped, item("1", "MUG", -1)) // violates CHECK
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{good, bad})
	require.Error(t, err)
	page, err := db.ListOrders(ctx, station.OrderQuery{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, page.Rows, "a failed page must leave nothing half-saved")
}

func TestKeysetPaginationVisitsEveryOrderOnce(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	var batch []station.Order
	for i := range 250 {
		// Several orders share a purchase second to exercise the id tie-break.
		batch = append(batch, order(fmt.Sprintf("111-%07d-0000000", i), t0.Add(time.Duration(i/3)*time.Second),
			station.AmazonUnshipped, item("1", "SKU", 1)))
	}
	_, err := db.UpsertOrders(ctx, s.ID, batch)
	require.NoError(t, err)

	seen := map[string]bool{}
	q := station.OrderQuery{Limit: 40}
	var prev time.Time
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, err := db.ListOrders(ctx, q)
		require.NoError(t, err)
		for _, r := range page.Rows {
			assert.False(t, seen[r.AmazonOrderID], "order %s listed twice", r.AmazonOrderID)
			seen[r.AmazonOrderID] = true
			if !prev.IsZero() {
				assert.False(t, r.PurchasedAt.After(prev), "newest first")
			}
			prev = r.PurchasedAt
		}
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	assert.Len(t, seen, 250)
}

func TestFiltersSearchAndCounts(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{
		order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG_RED", 1)),
		order("111-0000002-0000002", t0, station.AmazonUnshipped, item("2", "MUGXRED", 1)),
		order("111-0000003-0000003", t0, station.AmazonCancelled, item("3", "TEE", 1)),
	})
	require.NoError(t, err)

	page, err := db.ListOrders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: "mug_red"}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1, "'_' is a literal, not a LIKE wildcard")
	assert.Equal(t, "111-0000001-0000001", page.Rows[0].AmazonOrderID)

	page, err = db.ListOrders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: "0000003"}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)

	page, err = db.ListOrders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Status: station.StatusCancelled}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)

	counts, err := db.CountOrders(ctx, station.OrderFilter{StoreID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, map[station.OrderStatus]int{station.StatusReady: 2, station.StatusCancelled: 1}, counts)
}

func TestGetOrderCarriesItemsPIIAndKnownWeights(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{
		order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 2), item("2", "TEE", 1)),
	})
	require.NoError(t, err)
	page, err := db.ListOrders(ctx, station.OrderQuery{Limit: 1})
	require.NoError(t, err)
	assert.False(t, page.Rows[0].WeightKnown)

	require.NoError(t, db.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "MUG", Weight: station.Weight{Value: 350, Unit: station.Gram}, Source: "packer"}))
	require.NoError(t, db.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "TEE", Weight: station.Weight{Value: 0.5, Unit: station.Pound}, Source: "packer"}))
	// A catalog value must not overwrite what the packer weighed.
	require.NoError(t, db.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "MUG", Weight: station.Weight{Value: 1, Unit: station.Kilogram}, Source: "catalog"}))

	page, err = db.ListOrders(ctx, station.OrderQuery{Limit: 1})
	require.NoError(t, err)
	assert.True(t, page.Rows[0].WeightKnown)

	o, err := db.GetOrder(ctx, page.Rows[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Zoë Example", o.BuyerName)
	assert.Equal(t, "Seattle", o.ShipTo.City)
	require.Len(t, o.Items, 2)
	w, complete := o.Weight()
	assert.True(t, complete)
	assert.InDelta(t, 2*350+226.796, w.Grams(), 0.01)

	_, err = db.GetOrder(ctx, 9999)
	assert.ErrorIs(t, err, station.ErrNotFound)
}

func TestRedactedPersonalDataIsNotRestoredByAReimport(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	_, err = db.w.Exec(`UPDATE order_pii SET buyer_name = NULL, ship_to = NULL, redacted_at = 1`)
	require.NoError(t, err)

	o.LastUpdatedAt = t0.Add(time.Hour)
	o.AmazonStatus = station.AmazonShipped
	_, err = db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	page, _ := db.ListOrders(ctx, station.OrderQuery{Limit: 1})
	got, err := db.GetOrder(ctx, page.Rows[0].ID)
	require.NoError(t, err)
	assert.Empty(t, got.BuyerName)
	assert.False(t, got.RedactedAt.IsZero())
}

func TestStoresRoundTripAndDuplicateSellerIsRefused(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	demoStore(t, db)
	stores, err := db.ListStores(ctx)
	require.NoError(t, err)
	require.Len(t, stores, 1)
	assert.ElementsMatch(t, []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"}, stores[0].MarketplaceIDs)
	assert.Equal(t, station.DefaultStoreSettings(), stores[0].Settings)
	assert.Equal(t, station.HealthGreen, stores[0].Health)

	_, err = db.CreateStore(ctx, station.Store{Name: "again", Region: station.RegionNA, SellingPartnerID: "A3SELLER", Auth: station.AuthBroker})
	assert.ErrorContains(t, err, "reauthorize")
}

func TestConcurrentWritersAndReadersDoNotFail(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				o := order(fmt.Sprintf("111-%07d-%07d", w, i), t0, station.AmazonUnshipped, item("1", "SKU", 1))
				if _, err := db.UpsertOrders(ctx, s.ID, []station.Order{o}); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for range 10 {
				if _, err := db.ListOrders(ctx, station.OrderQuery{Limit: 50}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	counts, err := db.CountOrders(ctx, station.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 40, counts[station.StatusReady])
}

func TestAuditHistory(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))})
	require.NoError(t, err)
	require.NoError(t, db.Audit(ctx, station.AuditEntry{StoreID: s.ID, OrderID: 1, Action: "imported", At: t0}))
	require.NoError(t, db.Audit(ctx, station.AuditEntry{StoreID: s.ID, OrderID: 1, Action: "weighed", At: t0.Add(time.Minute)}))
	h, err := db.History(ctx, 1)
	require.NoError(t, err)
	require.Len(t, h, 2)
	assert.Equal(t, "imported", h[0].Action)
	assert.Equal(t, "weighed", h[1].Action)
}

// The data dir and the database files are the owner's only, and an older
// data dir left open is closed at the next start.
func TestTheDataDirAndDatabaseArePrivate(t *testing.T) {
	onlySQLite(t, "the database file's permissions")
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps ACLs, not modes")
	}
	dir := filepath.Join(t.TempDir(), "Packbench")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, FileName)
	db, err := Open(context.Background(), path)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	// As an older Packbench left them, killed with its WAL still there.
	require.NoError(t, os.Chmod(path, 0o644))
	for _, p := range []string{path + "-wal", path + "-shm"} {
		require.NoError(t, os.WriteFile(p, nil, 0o644))
	}
	require.NoError(t, os.Chmod(dir, 0o755))

	db, err = Open(context.Background(), path)
	require.NoError(t, err)
	defer db.Close()
	demoStore(t, db) // a write: the WAL and shared-memory files are in use
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm(), "data dir")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		require.NoError(t, err, p)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), p)
	}
}
