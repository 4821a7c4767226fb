package store

import (
	"context"
	"database/sql"

	"github.com/packbench/packbench/station"
)

// ServiceMappings lists a store's rules, lowest priority number first.
func (db *DB) ServiceMappings(ctx context.Context, storeID int64) ([]station.ServiceMapping, error) {
	return scanAll[station.ServiceMapping](db.r.QueryContext(ctx, `SELECT id, store_id, priority, marketplace_id, service_level,
		coalesce(min_grams, 0), coalesce(max_grams, 0), sku, service_id, confirmation
		FROM service_mappings WHERE store_id = ? ORDER BY priority, id`, storeID))(func(rows *sql.Rows) (station.ServiceMapping, error) {
		var m station.ServiceMapping
		var conf string
		err := rows.Scan(&m.ID, &m.StoreID, &m.Priority, &m.MarketplaceID, &m.ServiceLevel, &m.MinGrams, &m.MaxGrams,
			&m.SKU, &m.ServiceID, &conf)
		m.Confirmation = station.Confirmation(conf)
		return m, err
	})
}

// SaveServiceMapping inserts a rule (or replaces the one with its id).
func (db *DB) SaveServiceMapping(ctx context.Context, m station.ServiceMapping) (station.ServiceMapping, error) {
	null := func(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: v > 0} }
	if m.ID != 0 {
		_, err := db.w.ExecContext(ctx, `UPDATE service_mappings SET priority = ?, marketplace_id = ?, service_level = ?,
			min_grams = ?, max_grams = ?, sku = ?, service_id = ?, confirmation = ? WHERE id = ? AND store_id = ?`,
			m.Priority, m.MarketplaceID, m.ServiceLevel, null(m.MinGrams), null(m.MaxGrams), m.SKU, m.ServiceID,
			string(m.Confirmation), m.ID, m.StoreID)
		return m, err
	}
	err := db.w.QueryRowContext(ctx, `INSERT INTO service_mappings (store_id, priority, marketplace_id, service_level,
		min_grams, max_grams, sku, carrier_id, service_id, confirmation) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?) RETURNING id`,
		m.StoreID, m.Priority, m.MarketplaceID, m.ServiceLevel, null(m.MinGrams), null(m.MaxGrams), m.SKU, m.ServiceID,
		string(m.Confirmation)).Scan(&m.ID)
	return m, err
}

// DeleteServiceMapping removes a rule of a store.
func (db *DB) DeleteServiceMapping(ctx context.Context, storeID, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM service_mappings WHERE id = ? AND store_id = ?`, id, storeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrNotFound
	}
	return nil
}
