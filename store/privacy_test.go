package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/station"
)

func sealer(t *testing.T) *keychain.Sealer {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s, err := keychain.NewSealer(key)
	require.NoError(t, err)
	return s
}

func fileHas(t *testing.T, db *DB, needle []byte) bool {
	t.Helper()
	if onPostgres() {
		// The server's files are its own: every row of every table is
		// looked through instead, as text and as bytea's hex.
		var tables []string
		rows, err := db.r.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
		require.NoError(t, err)
		for rows.Next() {
			var name string
			require.NoError(t, rows.Scan(&name))
			tables = append(tables, name)
		}
		require.NoError(t, rows.Err())
		for _, table := range tables {
			var n int
			require.NoError(t, db.r.QueryRow(`SELECT count(*) FROM `+table+` x WHERE position(? in x::text) > 0 OR position(? in x::text) > 0`,
				string(bytes.ToValidUTF8(needle, nil)), hex.EncodeToString(needle)).Scan(&n))
			if n > 0 {
				return true
			}
		}
		return false
	}
	for _, f := range []string{db.Path(), db.Path() + "-wal"} {
		raw, err := os.ReadFile(f)
		if err == nil && bytes.Contains(raw, needle) {
			return true
		}
	}
	return false
}

func TestBuyersDataIsEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.UseSealer(sealer(t))
	s := demoStore(t, db)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	o.BuyerName, o.ShipTo.Name, o.ShipTo.Line1 = "Zebulon Quixote", "Zebulon Quixote", "77 Sunflower Lane"
	o.Items[0].GiftMessage = "Happy birthday Xanthippe"
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	for _, secret := range []string{"Zebulon", "Sunflower", "Xanthippe"} {
		assert.False(t, fileHas(t, db, []byte(secret)), "%q found in the database or its WAL", secret)
	}
	page, _ := db.ListOrders(ctx, station.OrderQuery{Limit: 1})
	got, err := db.GetOrder(ctx, page.Rows[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Zebulon Quixote", got.BuyerName)
	assert.Equal(t, "77 Sunflower Lane", got.ShipTo.Line1)
	assert.Equal(t, "Happy birthday Xanthippe", got.Items[0].GiftMessage)

	// The key is lost: the bench goes on and says the data is unreadable.
	db.UseSealer(sealer(t))
	got, err = db.GetOrder(ctx, page.Rows[0].ID)
	require.NoError(t, err)
	assert.True(t, got.PIIUnreadable)
	assert.Empty(t, got.ShipTo.Line1)
	has, err := db.HasSealedData(ctx)
	require.NoError(t, err)
	assert.True(t, has)
}

func TestRedactionLeavesNoTraceInTheFiles(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.UseSealer(sealer(t))
	s := demoStore(t, db)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	id := int64(1)
	var sealed []byte
	require.NoError(t, db.r.QueryRow(`SELECT ship_to FROM order_pii WHERE order_id = ?`, id).Scan(&sealed))
	require.NotEmpty(t, sealed)
	in, err := db.CreateIntent(ctx, station.PurchaseIntent{OrderID: id, IdempotencyKey: "k", State: station.IntentPending,
		Rate: station.Rate{RequestToken: "t", RateID: "r", Total: station.Money{Minor: 500, Currency: "USD"}}}, "ref", station.FormatZPL203, "")
	require.NoError(t, err)
	_, err = db.SavePurchase(ctx, station.OpenIntent{PurchaseIntent: in, Format: station.FormatZPL203},
		station.Purchased{ShipmentID: "S1", TrackingID: "TRACK1", Label: []byte("^XA^FDZoe Label Address^FS^XZ")}, t0)
	require.NoError(t, err)
	assert.False(t, fileHas(t, db, []byte("Zoe Label Address")), "labels are sealed too")

	require.NoError(t, db.RedactOrder(ctx, id, t0.Add(40*24*time.Hour)))
	require.NoError(t, db.Compact(ctx))
	assert.False(t, fileHas(t, db, sealed[8:40]), "the sealed address left the database file and the WAL")
	got, err := db.GetOrder(ctx, id)
	require.NoError(t, err)
	assert.False(t, got.RedactedAt.IsZero())
	assert.Empty(t, got.ShipTo.Line1)
	_, err = db.Label(ctx, 1)
	assert.ErrorIs(t, err, station.ErrNotFound, "the label document is gone; tracking stays")
	sh, err := db.LiveShipment(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "TRACK1", sh.TrackingID)
}

func TestRedactionIsDueAfterDeliveryPlusRetention(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	s := demoStore(t, db)
	now := t0.Add(60 * 24 * time.Hour)
	old := order("111-0000001-0000001", t0, station.AmazonShipped, item("1", "MUG", 1))
	old.DeliverBy.Latest = now.Add(-31 * 24 * time.Hour)
	recent := order("111-0000002-0000002", t0, station.AmazonShipped, item("1", "MUG", 1))
	recent.DeliverBy.Latest = now.Add(-29 * 24 * time.Hour)
	open := order("111-0000003-0000003", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	open.DeliverBy.Latest = now.Add(-40 * 24 * time.Hour)
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{old, recent, open})
	require.NoError(t, err)
	due, err := db.RedactionDue(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, []int64{1}, due, "only the order delivered more than 30 days ago; an unshipped order keeps its address")

	require.NoError(t, db.SaveStoreSettings(ctx, s.ID, station.StoreSettings{ImportEveryMinutes: 15, ImportDays: 7, Identifier: station.BySKU, RetentionDays: 7}))
	due, err = db.RedactionDue(ctx, now)
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, due, "a shorter retention redacts sooner")
	require.NoError(t, db.RedactOrder(ctx, 1, now))
	due, _ = db.RedactionDue(ctx, now)
	assert.Equal(t, []int64{2}, due, "a redacted order is not due again")
}

func TestSearchByBuyerNameThroughTheBlindIndex(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.UseSealer(sealer(t))
	s := demoStore(t, db)
	a := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	a.BuyerName = "Zoë Ångström-Lindqvist"
	a.ShipTo.Name = a.BuyerName
	b := order("111-0000002-0000002", t0, station.AmazonUnshipped, item("1", "TEE", 1))
	b.BuyerName, b.ShipTo.Name = "Sam Lee", "Sam Lee" // the buyer's name and the ship-to name are both found
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{a, b})
	require.NoError(t, err)
	find := func(q string) []string {
		page, err := db.ListOrders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: q}, Limit: 10})
		require.NoError(t, err)
		var ids []string
		for _, r := range page.Rows {
			ids = append(ids, r.AmazonOrderID)
		}
		return ids
	}
	assert.Equal(t, []string{"111-0000001-0000001"}, find("zoë"))
	assert.Equal(t, []string{"111-0000001-0000001"}, find("Lindqvist zoë"), "words in any order")
	assert.Equal(t, []string{"111-0000002-0000002"}, find("SAM LEE"))
	assert.Equal(t, []string{"111-0000001-0000001"}, find("angstrom"), "without accents")
	assert.Equal(t, []string{"111-0000001-0000001"}, find("Ångs"), "by the start of a word")
	assert.Equal(t, []string{"111-0000001-0000001"}, find("lind zoe"), "every word by its start")
	assert.Empty(t, find("ngstr"), "the start of a word, not its middle")
	assert.False(t, fileHas(t, db, []byte("ngstr")), "no prefix in plain text")
	assert.Empty(t, find("Ångström Lee"), "every word must match the same buyer")
	assert.False(t, fileHas(t, db, []byte("Lindqvist")))

	require.NoError(t, db.RedactOrder(ctx, 1, t0))
	assert.Empty(t, find("zoë"), "a redacted buyer is not findable")
	a.LastUpdatedAt = t0.Add(time.Hour)
	_, err = db.UpsertOrders(ctx, s.ID, []station.Order{a})
	require.NoError(t, err)
	assert.Empty(t, find("zoë"), "a later import does not bring the index back")
}

// An index made by the whole-word scheme of older versions is rebuilt
// once from the sealed names: prefixes and accents then find them too.
func TestAnOlderNameIndexIsRebuiltFromTheSealedNames(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.UseSealer(sealer(t))
	s := demoStore(t, db)
	a := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 1))
	a.ShipTo.Name = "María García"
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{a})
	require.NoError(t, err)
	// As an older version left it: whole-word tokens only.
	_, err = db.w.ExecContext(ctx, `UPDATE orders SET buyer_index = 'old'`)
	require.NoError(t, err)
	_, err = db.w.ExecContext(ctx, `UPDATE order_search SET names = 'old'`)
	require.NoError(t, err)
	find := func(q string) int {
		page, err := db.ListOrders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: q}, Limit: 10})
		require.NoError(t, err)
		return len(page.Rows)
	}
	require.Zero(t, find("Gar"))
	n, err := db.RefreshNameIndex(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, find("Gar"), "\"Gar\" finds García")
	assert.Equal(t, 1, find("maria garcia"))
	n, err = db.RefreshNameIndex(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "once")
}
