package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/packbench/packbench/station"
)

// CreateStore saves a newly connected store and its marketplaces.
func (db *DB) CreateStore(ctx context.Context, s station.Store) (station.Store, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	if s.Health == "" {
		s.Health = station.HealthGreen
	}
	if s.Settings == (station.StoreSettings{}) {
		s.Settings = station.DefaultStoreSettings()
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO stores (name, region, selling_partner_id, auth_kind, health,
			health_reason, client_id, authorized_at, import_every_minutes, import_days, import_weights,
			product_identifier, retention_days, created_at, units)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.Name, string(s.Region), s.SellingPartnerID, string(s.Auth), string(s.Health), s.HealthReason, s.ClientID,
			unix(s.AuthorizedAt), s.Settings.ImportEveryMinutes, s.Settings.ImportDays, s.Settings.ImportWeights,
			string(s.Settings.Identifier), s.Settings.RetentionDays, s.CreatedAt.Unix(), string(s.Settings.Units)).Scan(&s.ID)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") || uniqueViolation(err) {
				return fmt.Errorf("seller %s is already connected in region %s: reauthorize it instead", s.SellingPartnerID, s.Region)
			}
			return err
		}
		return setMarketplaces(ctx, tx, s.ID, s.MarketplaceIDs)
	})
	if err != nil {
		return station.Store{}, err
	}
	return s, nil
}

// setMarketplaces enables exactly these marketplaces; ones the seller no
// longer sells in stay listed but disabled, so their orders keep a home.
func setMarketplaces(ctx context.Context, tx *sql.Tx, storeID int64, ids []string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE marketplaces SET enabled = FALSE WHERE store_id = ?`, storeID); err != nil {
		return err
	}
	for _, mp := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO marketplaces (store_id, marketplace_id, enabled) VALUES (?, ?, TRUE)
			ON CONFLICT (store_id, marketplace_id) DO UPDATE SET enabled = TRUE`, storeID, mp); err != nil {
			return err
		}
	}
	return nil
}

const storeColumnsFormat = `id, name, region, selling_partner_id, auth_kind, health, health_reason, client_id,
	import_every_minutes, import_days, import_weights, product_identifier, retention_days,
	last_import_at, last_import_error, created_at, authorized_at, disconnected_at, units, verify,
	(SELECT %s FROM (SELECT marketplace_id FROM marketplaces m
		WHERE m.store_id = s.id AND m.enabled ORDER BY marketplace_id) AS enabled)`

// storeColumns are a store's columns, its enabled marketplaces joined by commas.
func (db *DB) storeColumns() string {
	return fmt.Sprintf(storeColumnsFormat, db.either(`group_concat(marketplace_id, ',')`, `string_agg(marketplace_id, ',')`))
}

type scanner interface{ Scan(dest ...any) error }

func scanStore(row scanner) (station.Store, error) {
	var (
		s                           station.Store
		region, auth, health, ident string
		units, verify               string
		lastImport, authorized, dis sql.NullInt64
		created                     int64
		mps                         sql.NullString
	)
	if err := row.Scan(&s.ID, &s.Name, &region, &s.SellingPartnerID, &auth, &health, &s.HealthReason, &s.ClientID,
		&s.Settings.ImportEveryMinutes, &s.Settings.ImportDays, &s.Settings.ImportWeights, &ident,
		&s.Settings.RetentionDays, &lastImport, &s.LastImportError, &created, &authorized, &dis, &units, &verify, &mps); err != nil {
		return station.Store{}, err
	}
	s.Region, s.Auth, s.Health = station.Region(region), station.AuthKind(auth), station.Health(health)
	s.Settings.Identifier = station.ProductIdentifier(ident)
	s.Settings.Units, s.Settings.Verify = station.Units(units), station.VerifyMode(verify)
	s.LastImportAt, s.CreatedAt = fromUnix(lastImport), time.Unix(created, 0).UTC()
	s.AuthorizedAt, s.DisconnectedAt = fromUnix(authorized), fromUnix(dis)
	if mps.String != "" {
		s.MarketplaceIDs = strings.Split(mps.String, ",")
	}
	return s, nil
}

// ListStores returns every store with its enabled marketplaces.
func (db *DB) ListStores(ctx context.Context) ([]station.Store, error) {
	stores, err := scanAll[station.Store](db.r.QueryContext(ctx, `SELECT `+db.storeColumns()+` FROM stores s ORDER BY name, id`))(
		func(rows *sql.Rows) (station.Store, error) { return scanStore(rows) })
	if err == nil && stores == nil {
		stores = []station.Store{} // JSON lists say [] for none
	}
	return stores, err
}

// GetStore loads one store.
func (db *DB) GetStore(ctx context.Context, id int64) (station.Store, error) {
	s, err := scanStore(db.r.QueryRowContext(ctx, `SELECT `+db.storeColumns()+` FROM stores s WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return station.Store{}, station.ErrNotFound
	}
	return s, err
}

// FindStore finds a store by seller and region.
func (db *DB) FindStore(ctx context.Context, sellingPartnerID string, region station.Region) (station.Store, error) {
	s, err := scanStore(db.r.QueryRowContext(ctx, `SELECT `+db.storeColumns()+` FROM stores s
		WHERE selling_partner_id = ? AND region = ?`, sellingPartnerID, string(region)))
	if errors.Is(err, sql.ErrNoRows) {
		return station.Store{}, station.ErrNotFound
	}
	return s, err
}

// Reauthorize records a fresh authorization and turns the store green;
// its settings, mappings and orders are untouched.
func (db *DB) Reauthorize(ctx context.Context, id int64, auth station.AuthKind, clientID string, marketplaceIDs []string, at time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stores SET auth_kind = ?, client_id = ?, authorized_at = ?, health = 'green',
			health_reason = '', disconnected_at = NULL WHERE id = ?`, string(auth), clientID, at.Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return station.ErrNotFound
		}
		return setMarketplaces(ctx, tx, id, marketplaceIDs)
	})
}

// SetStoreHealth records a store's traffic light and why.
func (db *DB) SetStoreHealth(ctx context.Context, id int64, h station.Health, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE stores SET health = ?, health_reason = ? WHERE id = ?`, string(h), reason, id)
	return err
}

// Disconnect marks a store disconnected; its orders stay.
func (db *DB) Disconnect(ctx context.Context, id int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE stores SET disconnected_at = ?, health = 'red',
		health_reason = 'Disconnected: connect it again to import and buy labels' WHERE id = ?`, at.Unix(), id)
	return err
}

// SaveSKUProfile remembers a SKU's weight and dimensions. A packer's entry
// always wins; a catalog value never overwrites a packer's.
func (db *DB) SaveSKUProfile(ctx context.Context, p station.SKUProfile) error {
	if p.SKU == "" {
		return errors.New("a SKU is needed to remember its weight")
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = db.now()
	}
	var wv, l, w, h sql.NullFloat64
	var wu, lu sql.NullString
	if p.Weight.Known() {
		wv, wu = sql.NullFloat64{Float64: p.Weight.Value, Valid: true}, sql.NullString{String: string(p.Weight.Unit), Valid: true}
	}
	if p.Dimensions.Known() {
		d := p.Dimensions
		l, w, h = sql.NullFloat64{Float64: d.Length, Valid: true}, sql.NullFloat64{Float64: d.Width, Valid: true}, sql.NullFloat64{Float64: d.Height, Valid: true}
		lu = sql.NullString{String: string(d.Unit), Valid: true}
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO sku_profiles (store_id, sku, weight_value, weight_unit, length,
		width, height, length_unit, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (store_id, sku) DO UPDATE SET
			weight_value = coalesce(excluded.weight_value, sku_profiles.weight_value),
			weight_unit = CASE WHEN excluded.weight_value IS NULL THEN sku_profiles.weight_unit ELSE excluded.weight_unit END,
			length = coalesce(excluded.length, sku_profiles.length), width = coalesce(excluded.width, sku_profiles.width),
			height = coalesce(excluded.height, sku_profiles.height),
			length_unit = CASE WHEN excluded.length IS NULL THEN sku_profiles.length_unit ELSE excluded.length_unit END,
			source = excluded.source, updated_at = excluded.updated_at
		WHERE excluded.source = 'packer' OR sku_profiles.source = 'catalog'`,
		p.StoreID, p.SKU, wv, wu, l, w, h, lu, p.Source, p.UpdatedAt.Unix())
	return err
}

// Audit appends a history line.
func (db *DB) Audit(ctx context.Context, e station.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	var storeID, orderID sql.NullInt64
	if e.StoreID != 0 {
		storeID = sql.NullInt64{Int64: e.StoreID, Valid: true}
	}
	if e.OrderID != 0 {
		orderID = sql.NullInt64{Int64: e.OrderID, Valid: true}
	}
	if e.Bench == "" {
		e.Bench = db.bench
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO audit_log (at, store_id, order_id, action, detail, bench) VALUES (?, ?, ?, ?, ?, ?)`,
		e.At.Unix(), storeID, orderID, e.Action, e.Detail, e.Bench)
	return err
}

// History returns an order's audit lines, oldest first.
func (db *DB) History(ctx context.Context, orderID int64) ([]station.AuditEntry, error) {
	return scanAll[station.AuditEntry](db.r.QueryContext(ctx, `SELECT id, at, coalesce(store_id, 0), order_id, action, detail, bench
		FROM audit_log WHERE order_id = ? ORDER BY at, id`, orderID))(func(rows *sql.Rows) (station.AuditEntry, error) {
		var e station.AuditEntry
		var at int64
		err := rows.Scan(&e.ID, &at, &e.StoreID, &e.OrderID, &e.Action, &e.Detail, &e.Bench)
		e.At = time.Unix(at, 0).UTC()
		return e, err
	})
}

// SaveStoreSettings writes a store's settings.
func (db *DB) SaveStoreSettings(ctx context.Context, id int64, s station.StoreSettings) error {
	res, err := db.w.ExecContext(ctx, `UPDATE stores SET import_every_minutes = ?, import_days = ?, import_weights = ?,
		product_identifier = ?, retention_days = ?, units = ?, verify = ? WHERE id = ?`, s.ImportEveryMinutes, s.ImportDays, s.ImportWeights,
		string(s.Identifier), s.RetentionDays, string(s.Units), string(s.Verify), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrNotFound
	}
	return nil
}

// SKUsWithoutWeight lists SKUs of a store's orders that have an ASIN and no weight yet.
func (db *DB) SKUsWithoutWeight(ctx context.Context, storeID int64, limit int) ([]station.CatalogLookup, error) {
	return scanAll[station.CatalogLookup](db.r.QueryContext(ctx, `SELECT i.sku, max(i.asin), max(o.marketplace_id)
		FROM order_items i JOIN orders o ON o.id = i.order_id
		LEFT JOIN sku_profiles p ON p.store_id = o.store_id AND p.sku = i.sku
		WHERE o.store_id = ? AND i.sku != '' AND (p.sku IS NULL OR p.weight_value IS NULL)
		GROUP BY i.sku ORDER BY i.sku LIMIT ?`, storeID, limit))(func(rows *sql.Rows) (station.CatalogLookup, error) {
		var c station.CatalogLookup
		return c, rows.Scan(&c.SKU, &c.ASIN, &c.MarketplaceID)
	})
}
