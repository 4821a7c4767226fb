package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/packbench/packbench/station"
)

var _ station.Repository = (*DB)(nil)

// UpsertOrders saves one import page in one transaction. Re-saving the same
// data changes nothing (Unchanged); data older than what is stored is
// ignored, so an overlapping import window never rolls an order back.
func (db *DB) UpsertOrders(ctx context.Context, storeID int64, orders []station.Order) (station.UpsertResult, error) {
	var res station.UpsertResult
	now := db.now()
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res = station.UpsertResult{}
		u, err := newUpserter(ctx, tx)
		if err != nil {
			return err
		}
		u.db = db
		defer u.close()
		for _, o := range orders {
			outcome, err := u.upsert(ctx, storeID, o, now)
			if err != nil {
				return fmt.Errorf("order %s: %w", o.AmazonOrderID, err)
			}
			switch outcome {
			case outcomeNew:
				res.New++
			case outcomeUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		return nil
	})
	return res, err
}

type outcome int

const (
	outcomeUnchanged outcome = iota
	outcomeNew
	outcomeUpdated
)

// upserter holds one transaction's prepared statements: an import page
// prepares each once instead of once per order.
type upserter struct {
	find, insert, update, deleteItems, insertItem, pii, unindex, index *sql.Stmt
	db                                                                 *DB
}

func newUpserter(ctx context.Context, tx *sql.Tx) (*upserter, error) {
	u := &upserter{}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&u.find, `SELECT id, status, amazon_status, last_updated_at FROM orders WHERE store_id = ? AND amazon_order_id = ?`},
		{&u.update, `UPDATE orders SET marketplace_id = ?, purchased_at = ?, last_updated_at = ?,
			amazon_status = ?, status = ?, service_level = ?, ship_by_earliest = ?, ship_by_latest = ?,
			deliver_by_earliest = ?, deliver_by_latest = ?, prime = ?, business = ?, total_minor = ?, currency = ?,
			item_count = ?, sku_summary = ?, asin_summary = ?, search_text = ?, updated_at = ?,
			buyer_index = CASE WHEN ? = '' OR EXISTS (SELECT 1 FROM order_pii p WHERE p.order_id = orders.id
				AND p.redacted_at IS NOT NULL) THEN buyer_index ELSE ? END WHERE id = ?`},
		{&u.insert, `INSERT INTO orders (marketplace_id, purchased_at, last_updated_at,
			amazon_status, status, service_level, ship_by_earliest, ship_by_latest, deliver_by_earliest,
			deliver_by_latest, prime, business, total_minor, currency, item_count, sku_summary, asin_summary,
			search_text, updated_at, store_id, amazon_order_id, imported_at, buyer_index)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&u.deleteItems, `DELETE FROM order_items WHERE order_id = ?`},
		{&u.unindex, `DELETE FROM order_search WHERE rowid = ?`},
		{&u.index, `INSERT INTO order_search (rowid, text, names) SELECT id, search_text, buyer_index FROM orders WHERE id = ?`},
		{&u.insertItem, `INSERT INTO order_items (order_id, order_item_id, sku, asin, title,
			quantity, quantity_shipped, unit_price_minor, currency, gift_message, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// The buyer's data is kept unless it was redacted: an order that comes
		// back in a later import must not bring wiped data back.
		{&u.pii, `INSERT INTO order_pii (order_id, buyer_name, ship_to) VALUES (?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET buyer_name = excluded.buyer_name, ship_to = excluded.ship_to
			WHERE order_pii.redacted_at IS NULL`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			u.close()
			return nil, err
		}
		*p.stmt = stmt
	}
	return u, nil
}

func (u *upserter) close() {
	for _, s := range []*sql.Stmt{u.find, u.insert, u.update, u.deleteItems, u.insertItem, u.pii, u.unindex, u.index} {
		if s != nil {
			s.Close()
		}
	}
}

func (u *upserter) upsert(ctx context.Context, storeID int64, o station.Order, now time.Time) (outcome, error) {
	var (
		id          int64
		status      string
		amazon      string
		lastUpdated int64
	)
	err := u.find.QueryRowContext(ctx, storeID, o.AmazonOrderID).Scan(&id, &status, &amazon, &lastUpdated)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if known && (o.LastUpdatedAt.Unix() < lastUpdated ||
		(o.LastUpdatedAt.Unix() == lastUpdated && amazon == string(o.AmazonStatus))) {
		return outcomeUnchanged, nil
	}
	next := station.NextStatus(station.OrderStatus(status), known, o.AmazonStatus)

	itemCount, skus, asins, search := summarise(o)
	args := []any{
		o.MarketplaceID, o.PurchasedAt.Unix(), o.LastUpdatedAt.Unix(), string(o.AmazonStatus), string(next),
		o.ServiceLevel, unix(o.ShipBy.Earliest), unix(o.ShipBy.Latest), unix(o.DeliverBy.Earliest), unix(o.DeliverBy.Latest),
		o.Prime, o.Business, o.Total.Minor, o.Total.Currency, itemCount, skus, asins, search, now.Unix(),
	}
	index := u.db.blindIndex(o.BuyerName, o.ShipTo.Name)
	if known {
		if _, err := u.update.ExecContext(ctx, append(args, index, index, id)...); err != nil {
			return 0, err
		}
		if _, err := u.deleteItems.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	} else if err := u.insert.QueryRowContext(ctx, append(args, storeID, o.AmazonOrderID, now.Unix(), index)...).Scan(&id); err != nil {
		return 0, err
	}
	if known {
		if _, err := u.unindex.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	if _, err := u.index.ExecContext(ctx, id); err != nil {
		return 0, err
	}
	for _, it := range o.Items {
		var gift any
		if it.GiftMessage != "" {
			sealed, err := u.db.seal([]byte(it.GiftMessage), giftAAD(id, it.OrderItemID))
			if err != nil {
				return 0, err
			}
			gift = sealed
		}
		if _, err := u.insertItem.ExecContext(ctx, id, it.OrderItemID, it.SKU, it.ASIN, it.Title, it.Quantity, it.Shipped,
			it.UnitPrice.Minor, it.UnitPrice.Currency, gift, it.Cancelled); err != nil {
			return 0, fmt.Errorf("item %s: %w", it.OrderItemID, err)
		}
	}
	shipTo, err := json.Marshal(o.ShipTo)
	if err != nil {
		return 0, err
	}
	raw, err := json.Marshal(buyerData{Name: o.BuyerName, To: shipTo})
	if err != nil {
		return 0, err
	}
	sealed, err := u.db.seal(raw, piiAAD(id))
	if err != nil {
		return 0, err
	}
	// buyer_name stays empty: the name is sealed with the address.
	if _, err := u.pii.ExecContext(ctx, id, nil, sealed); err != nil {
		return 0, err
	}
	if known {
		return outcomeUpdated, nil
	}
	return outcomeNew, nil
}

// summarise derives the list columns so a page never touches order_items.
func summarise(o station.Order) (count int, skus, asins, search string) {
	parts := []string{o.AmazonOrderID}
	var skuList, asinList []string
	for _, it := range o.Items {
		count += it.Quantity
		skuList = append(skuList, it.SKU)
		asinList = append(asinList, it.ASIN)
		parts = append(parts, it.SKU, it.ASIN, it.Title)
	}
	return count, distinct(skuList), distinct(asinList), strings.ToLower(strings.Join(parts, "\x1f"))
}

func distinct(values []string) string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// Whether an order's weight is known (every unit still to ship has one)
// and why it needs the packer are columns kept by triggers from one view,
// order_attention (migration 0014): the list reads them, never works them out.

// shipByKey sorts orders without a ship-by date after every dated one.
const shipByKey = `coalesce(o.ship_by_latest, 9223372036854775807)`

// sortDef is a sort key's SQL and its natural direction.
type sortDef struct {
	expr string
	desc bool
}

// sortDefs: every key pages by an index (migration 0014) in a status tab,
// in All and in Needs attention; the expressions are the indexes' own.
var sortDefs = map[station.SortKey]sortDef{
	station.SortPurchased: {"o.purchased_at", true},
	station.SortShipBy:    {shipByKey, false},
	station.SortOrderID:   {"o.amazon_order_id", false},
	station.SortMarket:    {"o.marketplace_id", false},
	station.SortStatus:    {"(CASE o.status WHEN 'ready' THEN 0 WHEN 'label_bought' THEN 1 WHEN 'shipped' THEN 2 ELSE 3 END)", false},
	station.SortItems:     {"o.item_count", true},
	station.SortProducts:  {"o.sku_summary", false},
}

const rowColumns = `o.id, o.store_id, o.amazon_order_id, o.marketplace_id, o.purchased_at, o.ship_by_latest,
	o.status, o.amazon_status, o.service_level, o.prime, o.item_count, o.sku_summary, o.asin_summary, o.weight_known, o.attention, o.parcel`

func (db *DB) filterClause(f station.OrderFilter) (string, []any) {
	var where []string
	var args []any
	if f.StoreID != 0 {
		where = append(where, "o.store_id = ?")
		args = append(args, f.StoreID)
	}
	if f.Status != "" {
		where = append(where, "o.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Marketplace != "" {
		where = append(where, "o.marketplace_id = ?")
		args = append(args, f.Marketplace)
	}
	if !f.ShipByBefore.IsZero() {
		where = append(where, "o.ship_by_latest < ?")
		args = append(args, f.ShipByBefore.Unix())
	}
	if f.PrimeOnly {
		where = append(where, "o.prime")
	}
	switch f.Weight {
	case station.WeightsKnown:
		where = append(where, "o.weight_known")
	case station.WeightsMissing:
		where = append(where, "NOT o.weight_known")
	}
	if f.Attention {
		// Written as the partial indexes' WHERE is, so they serve it.
		where = append(where, "o.attention <> ''")
	}
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		// Order id, SKU, ASIN or title by substring; a buyer's name by whole
		// words, through the keyed blind index (the name itself is sealed).
		if utf8.RuneCountInString(s) >= 3 && db.pg {
			// PostgreSQL has no FTS5: the same index table, searched with
			// LIKE (trigram indexes serve it where pg_trgm is installed).
			cond, condArgs := db.searchLike(s)
			where = append(where, `o.id IN (SELECT rowid FROM order_search WHERE `+cond+` ORDER BY rowid DESC LIMIT `+
				strconv.Itoa(searchCap)+`)`)
			args = append(args, condArgs...)
		} else if match := db.searchMatch(s); utf8.RuneCountInString(s) >= 3 && match != "" {
			// The newest matches only: a few keystrokes can match a third of
			// the orders, and the packer refines rather than pages that far.
			where = append(where, `o.id IN (SELECT rowid FROM order_search WHERE order_search MATCH ? ORDER BY rowid DESC LIMIT `+
				strconv.Itoa(searchCap)+`)`)
			args = append(args, match)
		} else {
			// Under three characters the trigram index cannot help: scan.
			where = append(where, `o.search_text LIKE ? ESCAPE '\'`)
			args = append(args, "%"+escapeLike(s)+"%")
		}
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// searchCap bounds how many matches a search considers, newest first.
const searchCap = 500

// searchMatch is the FTS5 query: the text as a phrase in the text column,
// or every word's blind token in the names column.
func (db *DB) searchMatch(s string) string {
	q := `text : "` + strings.ReplaceAll(s, `"`, `""`) + `"`
	if tokens := db.searchTokens(s); len(tokens) > 0 {
		var all []string
		for _, tok := range tokens {
			all = append(all, `"`+tok+`"`)
		}
		q = "(" + q + `) OR (names : (` + strings.Join(all, " AND ") + "))"
	}
	return q
}

// searchLike is searchMatch for PostgreSQL: the text as a substring of
// the text column, or every word's blind token in the names column.
func (db *DB) searchLike(s string) (string, []any) {
	cond := `text LIKE ? ESCAPE '\'`
	args := []any{"%" + escapeLike(s) + "%"}
	if tokens := db.searchTokens(s); len(tokens) > 0 {
		var all []string
		for _, tok := range tokens {
			all = append(all, `names LIKE ? ESCAPE '\'`)
			args = append(args, "%"+escapeLike(tok)+"%")
		}
		cond = "(" + cond + " OR (" + strings.Join(all, " AND ") + "))"
	}
	return cond, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListOrders returns a page, newest purchase first, by keyset pagination.
func (db *DB) ListOrders(ctx context.Context, q station.OrderQuery) (station.OrderPage, error) {
	where, args := db.filterClause(q.OrderFilter)
	def, ok := sortDefs[q.Sort.Key]
	if !ok {
		return station.OrderPage{}, fmt.Errorf("unknown sort %q", q.Sort.Key)
	}
	if q.Sort.Key == station.SortStatus && q.Status != "" {
		// Every row of a status tab has the same status: newest first.
		def = sortDefs[station.SortPurchased]
	}
	desc := def.desc != q.Sort.Reverse
	cmp, dir := ">", "ASC"
	if desc {
		cmp, dir = "<", "DESC"
	}
	if q.After != nil {
		cond := "(" + def.expr + " " + cmp + " ? OR (" + def.expr + " = ? AND o.id " + cmp + " ?))"
		if where == "" {
			where = " WHERE " + cond
		} else {
			where += " AND " + cond
		}
		args = append(args, q.After.Key, q.After.Key, q.After.ID)
	}
	args = append(args, q.Limit+1)
	rows, err := db.r.QueryContext(ctx, "SELECT "+rowColumns+", "+def.expr+" FROM orders o"+where+
		" ORDER BY "+def.expr+" "+dir+", o.id "+dir+" LIMIT ?", args...)
	if err != nil {
		return station.OrderPage{}, err
	}
	defer rows.Close()
	page := station.OrderPage{Rows: make([]station.OrderRow, 0, q.Limit)}
	var keys []any
	for rows.Next() {
		var (
			r               station.OrderRow
			purchased       int64
			shipBy          sql.NullInt64
			status, amazon  string
			parcel          string
			prime, weighted bool
			key             any
		)
		if err := rows.Scan(&r.ID, &r.StoreID, &r.AmazonOrderID, &r.MarketplaceID, &purchased, &shipBy,
			&status, &amazon, &r.ServiceLevel, &prime, &r.ItemCount, &r.SKUs, &r.ASINs, &weighted, &r.Attention, &parcel, &key); err != nil {
			return station.OrderPage{}, err
		}
		r.PurchasedAt = time.Unix(purchased, 0).UTC()
		r.ShipByLatest = fromUnix(shipBy)
		r.Status, r.AmazonStatus, r.Parcel = station.OrderStatus(status), station.AmazonStatus(amazon), station.Parcel(parcel)
		r.Prime, r.WeightKnown = prime, weighted
		page.Rows = append(page.Rows, r)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return station.OrderPage{}, err
	}
	if len(page.Rows) > q.Limit {
		page.Rows = page.Rows[:q.Limit]
		last := page.Rows[len(page.Rows)-1]
		page.Next = &station.Cursor{Key: keys[q.Limit-1], ID: last.ID}
	}
	return page, db.pageDetails(ctx, page.Rows, q.ShipToNames)
}

// pageDetails fills the columns a packer may show (weight, tracking,
// total, and the ship-to name when names is set) for one page's rows only:
// a few indexed look-ups and up to a page of decryptions, never a scan of
// the whole list.
func (db *DB) pageDetails(ctx context.Context, rows []station.OrderRow, names bool) error {
	if len(rows) == 0 {
		return nil
	}
	at := make(map[int64]*station.OrderRow, len(rows))
	ids := make([]any, len(rows))
	for i := range rows {
		at[rows[i].ID] = &rows[i]
		ids[i] = rows[i].ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	each := func(query string, scan func(r *sql.Rows) error) error {
		res, err := db.r.QueryContext(ctx, query, ids...)
		if err != nil {
			return err
		}
		defer res.Close()
		for res.Next() {
			if err := scan(res); err != nil {
				return err
			}
		}
		return res.Err()
	}
	err := each(`SELECT i.order_id, coalesce(sum(i.unit_price_minor * i.quantity), 0), coalesce(max(i.currency), ''),
		sum(CASE WHEN p.weight_value > 0 THEN i.quantity * p.weight_value * (CASE p.weight_unit WHEN 'KILOGRAM' THEN 1000
			WHEN 'OUNCE' THEN 28.349523125 WHEN 'POUND' THEN 453.59237 ELSE 1 END) END),
		count(*) = count(CASE WHEN p.weight_value > 0 THEN 1 END)
		FROM order_items i JOIN orders o ON o.id = i.order_id
		LEFT JOIN sku_profiles p ON p.store_id = o.store_id AND p.sku = i.sku
		WHERE i.order_id IN `+in+` AND NOT i.cancelled GROUP BY i.order_id`, func(r *sql.Rows) error {
		var id, minor int64
		var currency string
		var grams sql.NullFloat64
		var complete bool
		if err := r.Scan(&id, &minor, &currency, &grams, &complete); err != nil {
			return err
		}
		o := at[id]
		o.Total = station.Money{Minor: minor, Currency: currency}
		if complete && grams.Valid {
			o.Weight = station.Weight{Value: math.Round(grams.Float64*10) / 10, Unit: station.Gram}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT order_id, tracking_id FROM shipments WHERE status = 'purchased' AND order_id IN `+in, func(r *sql.Rows) error {
		var id int64
		var tracking string
		if err := r.Scan(&id, &tracking); err != nil {
			return err
		}
		at[id].Tracking = tracking
		return nil
	})
	if err != nil || !names {
		return err
	}
	return each(`SELECT order_id, ship_to FROM order_pii WHERE redacted_at IS NULL AND ship_to IS NOT NULL AND order_id IN `+in,
		func(r *sql.Rows) error {
			var id int64
			var sealed []byte
			if err := r.Scan(&id, &sealed); err != nil {
				return err
			}
			raw, err := db.open(sealed, piiAAD(id))
			if err != nil {
				return nil // unreadable (a lost key): the column stays empty, the detail says why
			}
			var bd buyerData
			var to struct {
				Name string `json:"name"`
			}
			if json.Unmarshal(raw, &bd) == nil && json.Unmarshal(bd.To, &to) == nil {
				at[id].ShipToName = to.Name
			}
			return nil
		})
}

// CountOrders counts orders per status for the status tabs: from
// order_counts, which triggers keep, unless the filter narrows by more than
// store, marketplace, status and attention.
func (db *DB) CountOrders(ctx context.Context, f station.OrderFilter) (map[station.OrderStatus]int, error) {
	query := "SELECT o.status, count(*) FROM orders o%s GROUP BY o.status"
	where, args := db.filterClause(f)
	if !db.pg && f.Search == "" && f.ShipByBefore.IsZero() && !f.PrimeOnly && f.Weight == station.AnyWeight {
		query = "SELECT o.status, sum(o.n) FROM order_counts o%s GROUP BY o.status HAVING sum(o.n) > 0"
		// The same columns there, but attention is a flag (1: needs the packer).
		where = strings.Replace(where, "o.attention <> ''", "o.attention", 1)
	}
	rows, err := db.r.QueryContext(ctx, fmt.Sprintf(query, where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[station.OrderStatus]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[station.OrderStatus(s)] = n
	}
	return counts, rows.Err()
}

// GetOrder loads an order with its items, their known weights and the
// buyer's data (empty once redacted).
func (db *DB) GetOrder(ctx context.Context, id int64) (station.Order, error) {
	var (
		o                            station.Order
		purchased, updated           int64
		sbE, sbL, dbE, dbL, redacted sql.NullInt64
		status, amazon               string
		buyer                        sql.NullString
		shipTo                       []byte
	)
	err := db.r.QueryRowContext(ctx, `SELECT o.id, o.store_id, o.amazon_order_id, o.marketplace_id, o.purchased_at,
		o.last_updated_at, o.amazon_status, o.status, o.service_level, o.ship_by_earliest, o.ship_by_latest,
		o.deliver_by_earliest, o.deliver_by_latest, o.prime, o.business, o.total_minor, o.currency,
		p.buyer_name, p.ship_to, p.redacted_at
		FROM orders o LEFT JOIN order_pii p ON p.order_id = o.id WHERE o.id = ?`, id).Scan(
		&o.ID, &o.StoreID, &o.AmazonOrderID, &o.MarketplaceID, &purchased, &updated, &amazon, &status,
		&o.ServiceLevel, &sbE, &sbL, &dbE, &dbL, &o.Prime, &o.Business, &o.Total.Minor, &o.Total.Currency,
		&buyer, &shipTo, &redacted)
	if errors.Is(err, sql.ErrNoRows) {
		return station.Order{}, station.ErrNotFound
	}
	if err != nil {
		return station.Order{}, err
	}
	o.PurchasedAt, o.LastUpdatedAt = time.Unix(purchased, 0).UTC(), time.Unix(updated, 0).UTC()
	o.AmazonStatus, o.Status = station.AmazonStatus(amazon), station.OrderStatus(status)
	o.ShipBy = station.Window{Earliest: fromUnix(sbE), Latest: fromUnix(sbL)}
	o.DeliverBy = station.Window{Earliest: fromUnix(dbE), Latest: fromUnix(dbL)}
	o.BuyerName, o.RedactedAt = buyer.String, fromUnix(redacted)
	if len(shipTo) > 0 {
		// A lost key must not stop the bench: the order shows without its
		// buyer's data, and says why.
		if plain, err := db.open(shipTo, piiAAD(o.ID)); err != nil {
			o.PIIUnreadable = true
		} else {
			var bd buyerData
			if json.Unmarshal(plain, &bd) == nil && len(bd.To) > 0 {
				o.BuyerName = bd.Name
				_ = json.Unmarshal(bd.To, &o.ShipTo)
			} else if err := json.Unmarshal(plain, &o.ShipTo); err != nil {
				o.PIIUnreadable = true
			}
		}
	}

	rows, err := db.r.QueryContext(ctx, `SELECT i.order_item_id, i.sku, i.asin, i.title, i.quantity, i.quantity_shipped,
		i.unit_price_minor, i.currency, i.gift_message, i.cancelled, p.weight_value, p.weight_unit
		FROM order_items i LEFT JOIN sku_profiles p ON p.store_id = ? AND p.sku = i.sku
		WHERE i.order_id = ? ORDER BY i.order_item_id`, o.StoreID, o.ID)
	if err != nil {
		return station.Order{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			it   station.Item
			gift []byte
			wv   sql.NullFloat64
			wu   sql.NullString
		)
		if err := rows.Scan(&it.OrderItemID, &it.SKU, &it.ASIN, &it.Title, &it.Quantity, &it.Shipped, &it.UnitPrice.Minor,
			&it.UnitPrice.Currency, &gift, &it.Cancelled, &wv, &wu); err != nil {
			return station.Order{}, err
		}
		if plain, err := db.open(gift, giftAAD(o.ID, it.OrderItemID)); err == nil {
			it.GiftMessage = string(plain)
		} else {
			o.PIIUnreadable = true
		}
		if wv.Valid {
			it.UnitWeight = station.Weight{Value: wv.Float64, Unit: station.WeightUnit(wu.String)}
		}
		o.Items = append(o.Items, it)
	}
	return o, rows.Err()
}
