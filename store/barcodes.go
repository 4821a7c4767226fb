package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SKUOfBarcode is the SKU a store's barcode is: a barcode known as a
// SKU's, or the SKU itself as one of the store's orders has it ("" when
// neither).
func (db *DB) SKUOfBarcode(ctx context.Context, storeID int64, code string) (string, error) {
	var sku string
	err := db.r.QueryRowContext(ctx, `SELECT sku FROM item_barcodes WHERE store_id = ? AND code = ?
		UNION ALL SELECT i.sku FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.sku = ? AND o.store_id = ?
		LIMIT 1`, storeID, code, code, storeID).Scan(&sku)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return sku, err
}

// SaveBarcode keeps a barcode as a SKU's. A packer's attachment replaces
// what the catalog said; the catalog never replaces a packer's.
func (db *DB) SaveBarcode(ctx context.Context, storeID int64, code, sku, source string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO item_barcodes (store_id, code, sku, source) VALUES (?, ?, ?, ?)
			ON CONFLICT (store_id, code) DO UPDATE SET sku = excluded.sku, source = excluded.source
			WHERE excluded.source = 'packer' OR item_barcodes.source = 'catalog'`, storeID, code, sku, source)
		return err
	})
}

// SKUHasBarcodes says whether any barcode of a store's SKU is known.
func (db *DB) SKUHasBarcodes(ctx context.Context, storeID int64, sku string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM item_barcodes WHERE store_id = ? AND sku = ?`, storeID, sku).Scan(&n)
	return n > 0, err
}

// MarkItemsChecked records that every item of an order was scanned.
func (db *DB) MarkItemsChecked(ctx context.Context, orderID int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO item_checks (order_id, checked_at) VALUES (?, ?)
			ON CONFLICT (order_id) DO UPDATE SET checked_at = excluded.checked_at`, orderID, at.Unix())
		return err
	})
}

// ItemsChecked says whether every item of an order was scanned.
func (db *DB) ItemsChecked(ctx context.Context, orderID int64) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM item_checks WHERE order_id = ?`, orderID).Scan(&n)
	return n > 0, err
}
