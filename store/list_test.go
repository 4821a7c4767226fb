package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// pageAll lists every row of a query, page by page.
func pageAll(t *testing.T, db *DB, q station.OrderQuery) []station.OrderRow {
	t.Helper()
	var all []station.OrderRow
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100)
		page, err := db.ListOrders(context.Background(), q)
		require.NoError(t, err)
		all = append(all, page.Rows...)
		if page.Next == nil {
			return all
		}
		q.After = page.Next
	}
}

func TestEverySortPagesThroughEveryOrderOnceInOrder(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	var batch []station.Order
	for i := range 120 {
		o := order(fmt.Sprintf("111-%07d-0000000", (i*53)%120), t0.Add(time.Duration(i/3)*time.Minute), station.AmazonUnshipped,
			item("1", fmt.Sprintf("SKU-%d", i%9), 1+i%4))
		// Ship-by dates shuffled against purchase dates, shared in threes, some missing.
		o.ShipBy.Latest = t0.Add(time.Duration((i*37)%40) * time.Hour)
		if i%10 == 0 {
			o.ShipBy.Latest = time.Time{}
		}
		o.Prime = i%4 == 0
		if i%5 == 0 {
			o.MarketplaceID = "A2EUQ1WTGCTBG2"
		}
		batch = append(batch, o)
	}
	_, err := db.UpsertOrders(ctx, s.ID, batch)
	require.NoError(t, err)

	for _, key := range station.SortKeys() {
		for _, reverse := range []bool{false, true} {
			sort := station.OrderSort{Key: key, Reverse: reverse}
			rows := pageAll(t, db, station.OrderQuery{Sort: sort, Limit: 7, OrderFilter: station.OrderFilter{Status: station.StatusReady}})
			require.Len(t, rows, 120, "sort %+v", sort)
			ids := map[int64]bool{}
			for _, r := range rows {
				assert.False(t, ids[r.ID], "listed twice")
				ids[r.ID] = true
			}
			cmp := func(a, b station.OrderRow) int {
				var c int
				switch key {
				case station.SortPurchased:
					c = -a.PurchasedAt.Compare(b.PurchasedAt)
				case station.SortShipBy:
					ka, kb := a.ShipByLatest, b.ShipByLatest
					switch {
					case ka.IsZero() && kb.IsZero():
					case ka.IsZero():
						c = 1
					case kb.IsZero():
						c = -1
					default:
						c = ka.Compare(kb)
					}
				case station.SortOrderID:
					c = strings.Compare(a.AmazonOrderID, b.AmazonOrderID)
				case station.SortMarket:
					c = strings.Compare(a.MarketplaceID, b.MarketplaceID)
				case station.SortItems:
					c = b.ItemCount - a.ItemCount
				case station.SortProducts:
					c = strings.Compare(a.SKUs, b.SKUs)
				}
				if reverse {
					c = -c
				}
				return c
			}
			assert.True(t, slices.IsSortedFunc(rows, cmp), "sort %+v", sort)
		}
	}
	shipBy := pageAll(t, db, station.OrderQuery{Sort: station.ShipBySoonest, Limit: 7})
	assert.True(t, shipBy[len(shipBy)-1].ShipByLatest.IsZero(), "orders without a ship-by date come last")

	prime := pageAll(t, db, station.OrderQuery{Limit: 50, OrderFilter: station.OrderFilter{PrimeOnly: true, Marketplace: "ATVPDKIKX0DER"}})
	for _, r := range prime {
		assert.True(t, r.Prime)
		assert.Equal(t, "ATVPDKIKX0DER", r.MarketplaceID)
	}
	assert.Len(t, prime, 24, "every 4th is Prime, every 20th of those is in Canada")

	overdue := pageAll(t, db, station.OrderQuery{Limit: 50, OrderFilter: station.OrderFilter{ShipByBefore: t0.Add(10 * time.Hour)}})
	for _, r := range overdue {
		assert.True(t, !r.ShipByLatest.IsZero() && r.ShipByLatest.Before(t0.Add(10*time.Hour)))
	}
	assert.NotEmpty(t, overdue)

	_, err = db.ListOrders(ctx, station.OrderQuery{Sort: station.OrderSort{Key: "random"}, Limit: 5})
	assert.ErrorContains(t, err, "unknown sort")
}

func TestNeedsAttentionSaysWhy(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{
		order("111-0000001-0000000", t0, station.AmazonUnshipped, item("1", "WEIGHED", 1)),
		order("111-0000002-0000000", t0.Add(time.Minute), station.AmazonUnshipped, item("1", "UNWEIGHED", 1)),
		order("111-0000003-0000000", t0.Add(2*time.Minute), station.AmazonUnshipped, item("1", "WEIGHED", 1)),
		order("111-0000004-0000000", t0.Add(3*time.Minute), station.AmazonUnshipped, item("1", "WEIGHED", 1)),
		order("111-0000005-0000000", t0.Add(4*time.Minute), station.AmazonUnshipped, item("1", "WEIGHED", 1)),
	})
	require.NoError(t, err)
	require.NoError(t, db.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "WEIGHED", Weight: station.Weight{Value: 200, Unit: station.Gram}, Source: "packer", UpdatedAt: t0}))
	rows := pageAll(t, db, station.OrderQuery{Limit: 10, Sort: station.OldestFirst})
	id := func(n int) int64 { return rows[n-1].ID }

	// 3: a purchase Amazon refused.
	in, err := db.CreateIntent(ctx, station.PurchaseIntent{OrderID: id(3), IdempotencyKey: "k3", State: station.IntentPending, Rate: station.Rate{RateID: "r", CarrierID: "USPS", ServiceID: "s",
		Total: station.Money{Minor: 500, Currency: "USD"}}, CreatedAt: t0}, "p", station.FormatZPL203, "s")
	require.NoError(t, err)
	require.NoError(t, db.SetIntentState(ctx, in.ID, station.IntentFailed, "refused"))
	// 4: a label, then the buyer cancelled.
	require.NoError(t, db.SetOrderStatus(ctx, id(4), station.StatusLabelBought))
	cancelled := order("111-0000004-0000000", t0.Add(3*time.Minute), station.AmazonCancelled, item("1", "WEIGHED", 1))
	cancelled.LastUpdatedAt = t0.Add(time.Hour)
	_, err = db.UpsertOrders(ctx, s.ID, []station.Order{cancelled})
	require.NoError(t, err)
	// 5: a print failed, then printed fine: no longer needs attention; 1: failed only.
	j, err := db.EnqueuePrint(ctx, id(5), 0, station.DocLabel, t0)
	require.NoError(t, err)
	require.NoError(t, db.FinishPrint(ctx, j.ID, station.JobFailed, "jammed", t0))
	j, err = db.EnqueuePrint(ctx, id(5), 0, station.DocLabel, t0)
	require.NoError(t, err)
	require.NoError(t, db.FinishPrint(ctx, j.ID, station.JobPrinted, "", t0))
	j, err = db.EnqueuePrint(ctx, id(1), 0, station.DocPackingSlip, t0)
	require.NoError(t, err)
	require.NoError(t, db.FinishPrint(ctx, j.ID, station.JobFailed, "offline for good", t0))

	got := map[string]string{}
	for _, r := range pageAll(t, db, station.OrderQuery{Limit: 10, OrderFilter: station.OrderFilter{Attention: true}}) {
		got[r.AmazonOrderID] = r.Attention
	}
	assert.Equal(t, map[string]string{
		"111-0000001-0000000": "print failed",
		"111-0000002-0000000": "no weight",
		"111-0000003-0000000": "purchase failed",
		"111-0000004-0000000": "cancelled: void the label",
	}, got)
	counts, err := db.CountOrders(ctx, station.OrderFilter{Attention: true})
	require.NoError(t, err)
	assert.Equal(t, 3, counts[station.StatusReady])
	assert.Equal(t, 1, counts[station.StatusLabelBought])

	known := pageAll(t, db, station.OrderQuery{Limit: 10, OrderFilter: station.OrderFilter{Weight: station.WeightsMissing}})
	require.Len(t, known, 1)
	assert.Equal(t, "111-0000002-0000000", known[0].AmazonOrderID)
}

// The list shows what a packer asks for: the ship-to name (opened for the
// page only), the weight once every item's is known, the tracking of the
// live label, and the order's total.
func TestAListPageCarriesShipToWeightTrackingAndTotal(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.UseSealer(sealer(t))
	s := demoStore(t, db)
	o := order("111-0000001-0000001", t0, station.AmazonUnshipped, item("1", "MUG", 2))
	o.Items[0].UnitPrice = station.Money{Minor: 1250, Currency: "USD"}
	_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
	require.NoError(t, err)
	row := func() station.OrderRow {
		page, err := db.ListOrders(ctx, station.OrderQuery{Sort: station.NewestFirst, Limit: 10, ShipToNames: true})
		require.NoError(t, err)
		require.Len(t, page.Rows, 1)
		return page.Rows[0]
	}
	r := row()
	assert.Equal(t, "Zoë Example", r.ShipToName)
	plain, err := db.ListOrders(ctx, station.OrderQuery{Sort: station.NewestFirst, Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, plain.Rows[0].ShipToName, "not opened unless the list shows it")
	assert.Equal(t, station.Money{Minor: 2500, Currency: "USD"}, r.Total)
	assert.False(t, r.Weight.Known(), "no weight until every item has one")
	require.NoError(t, db.SaveSKUProfile(ctx, station.SKUProfile{StoreID: s.ID, SKU: "MUG", Weight: station.Weight{Value: 8, Unit: station.Ounce},
		Source: "packer", UpdatedAt: t0}))
	assert.InDelta(t, 453.6, row().Weight.Grams(), 0.1, "two mugs of 8 oz")
	require.NoError(t, db.RedactOrder(ctx, r.ID, t0))
	assert.Empty(t, row().ShipToName, "redacted: nothing to show")
}

// listCachesDisagree lists the orders whose kept weight_known and attention
// differ from what order_attention works out, and the tab counts that
// differ from counting the orders.
func listCachesDisagree(t *testing.T, db *DB) []string {
	t.Helper()
	var bad []string
	rows, err := db.r.Query(`SELECT o.amazon_order_id, o.weight_known, o.attention, a.weight_known, a.attention
		FROM orders o JOIN order_attention a ON a.order_id = o.id
		WHERE o.weight_known IS DISTINCT FROM a.weight_known OR o.attention IS DISTINCT FROM a.attention`)
	require.NoError(t, err)
	for rows.Next() {
		var id, kept, want string
		var keptW, wantW bool
		require.NoError(t, rows.Scan(&id, &keptW, &kept, &wantW, &want))
		bad = append(bad, fmt.Sprintf("%s: kept %v %q, is %v %q", id, keptW, kept, wantW, want))
	}
	require.NoError(t, rows.Close())
	if db.pg {
		return bad // PostgreSQL keeps no counts: the tabs count orders
	}
	rows, err = db.r.Query(`SELECT coalesce(c.store_id, o.store_id), coalesce(c.status, o.status), coalesce(c.attention, o.attention), c.n, o.n FROM
		(SELECT store_id, marketplace_id, status, attention, n FROM order_counts WHERE n <> 0) c
		FULL JOIN (SELECT store_id, marketplace_id, status, attention <> '' AS attention, count(*) AS n FROM orders GROUP BY 1, 2, 3, 4) o
		USING (store_id, marketplace_id, status, attention) WHERE c.n IS DISTINCT FROM o.n`)
	require.NoError(t, err)
	for rows.Next() {
		var store int64
		var status string
		var attention bool
		var kept, counted sql.NullInt64
		require.NoError(t, rows.Scan(&store, &status, &attention, &kept, &counted))
		bad = append(bad, fmt.Sprintf("store %d %s attention %v: kept %v, counted %v", store, status, attention, kept, counted))
	}
	require.NoError(t, rows.Close())
	return bad
}

// The list reads an order's attention and the tabs' counts from what
// triggers keep; whatever happens to orders, items, weights, prints and
// purchases, they stay what working them out from scratch gives.
func TestTheKeptAttentionAndCountsFollowEveryChange(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s := demoStore(t, db)
	rng := rand.New(rand.NewPCG(7, 8))
	skus := []string{"A", "B", "C", "D"}
	var ids []string
	for step := range 400 {
		switch op := rng.IntN(8); {
		case op < 3 || len(ids) == 0: // import a new order, or an update of one
			id := fmt.Sprintf("111-%07d-0000000", rng.IntN(40))
			statuses := []station.AmazonStatus{station.AmazonUnshipped, station.AmazonUnshipped, station.AmazonShipped, station.AmazonCancelled}
			o := order(id, t0.Add(time.Duration(step)*time.Minute), statuses[rng.IntN(len(statuses))],
				item("1", skus[rng.IntN(len(skus))], 1+rng.IntN(2)))
			if rng.IntN(2) == 0 {
				o.Items = append(o.Items, item("2", skus[rng.IntN(len(skus))], 1))
			}
			if rng.IntN(4) == 0 {
				o.MarketplaceID = "A2EUQ1WTGCTBG2"
			}
			o.LastUpdatedAt = t0.Add(time.Duration(step) * time.Hour)
			_, err := db.UpsertOrders(ctx, s.ID, []station.Order{o})
			require.NoError(t, err)
			ids = append(ids, id)
		case op == 3: // a SKU's box size from the catalog (no weight yet), or its weight
			p := station.SKUProfile{StoreID: s.ID, SKU: skus[rng.IntN(len(skus))], Source: "catalog", UpdatedAt: t0,
				Dimensions: station.Dimensions{Length: 5, Width: 4, Height: 3, Unit: station.Inch}}
			if rng.IntN(3) == 0 {
				p.Weight, p.Source = station.Weight{Value: float64(100 + step), Unit: station.Gram}, "packer"
			}
			require.NoError(t, db.SaveSKUProfile(ctx, p))
		default:
			var row struct{ ID int64 }
			require.NoError(t, db.r.QueryRow("SELECT id FROM orders WHERE amazon_order_id = ?", ids[rng.IntN(len(ids))]).Scan(&row.ID))
			switch op {
			case 4:
				require.NoError(t, db.SetOrderStatus(ctx, row.ID, []station.OrderStatus{station.StatusReady, station.StatusLabelBought, station.StatusShipped}[rng.IntN(3)]))
			case 5:
				in, err := db.CreateIntent(ctx, station.PurchaseIntent{OrderID: row.ID, IdempotencyKey: fmt.Sprint("k", step), State: station.IntentPending,
					Rate: station.Rate{RateID: "r", CarrierID: "USPS", ServiceID: "s", Total: station.Money{Minor: 500, Currency: "USD"}}, CreatedAt: t0}, "p", station.FormatZPL203, "s")
				if err == nil { // one pending intent per order
					require.NoError(t, db.SetIntentState(ctx, in.ID, station.IntentFailed, "refused"))
				}
			default:
				j, err := db.EnqueuePrint(ctx, row.ID, 0, station.DocLabel, t0)
				require.NoError(t, err)
				require.NoError(t, db.FinishPrint(ctx, j.ID, []station.PrintJobState{station.JobFailed, station.JobPrinted}[rng.IntN(2)], "", t0))
			}
		}
		if step%50 == 49 {
			require.Empty(t, listCachesDisagree(t, db), "after step %d", step)
		}
	}
	counts, err := db.CountOrders(ctx, station.OrderFilter{Attention: true})
	require.NoError(t, err)
	assert.NotEmpty(t, counts, "some orders need attention")
}
