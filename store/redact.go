package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/packbench/packbench/station"
)

// RedactOrder wipes an order's buyer data, gift messages and label
// documents; what the seller keeps for the books (ids, SKUs, quantities,
// tracking, carrier, cost) stays. secure_delete overwrites the freed bytes.
func (db *DB) RedactOrder(ctx context.Context, orderID int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO order_pii (order_id, redacted_at) VALUES (?, ?)
			ON CONFLICT (order_id) DO UPDATE SET buyer_name = NULL, ship_to = NULL, redacted_at = excluded.redacted_at`,
			orderID, at.Unix()); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE orders SET buyer_index = '' WHERE id = ?`, orderID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE order_search SET names = '' WHERE rowid = ?`, orderID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE order_items SET gift_message = NULL WHERE order_id = ?`, orderID); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE labels SET contents = NULL, redacted_at = ?
			WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = ?)`, at.Unix(), orderID)
		return err
	})
}

// RedactionDue lists orders whose buyer data must go now: delivered longer
// ago than their store's retention (by the carrier's delivery date; by
// the latest promised one only when tracking never said, and not while a
// parcel under 60 days old is on its way, to the buyer or back: the seller
// may have to send it again), or cancelled as long ago.
func (db *DB) RedactionDue(ctx context.Context, now time.Time) ([]int64, error) {
	return scanAll[int64](db.r.QueryContext(ctx, `SELECT o.id FROM orders o
		JOIN stores s ON s.id = o.store_id
		LEFT JOIN order_pii p ON p.order_id = o.id
		WHERE (p.redacted_at IS NULL)
		  AND ((o.status IN ('label_bought', 'shipped', 'delivered') AND (
		        (o.delivered_at IS NOT NULL AND o.delivered_at + s.retention_days * 86400 <= ?1)
		     OR (o.delivered_at IS NULL AND coalesce(o.deliver_by_latest, o.purchased_at + 30 * 86400) + s.retention_days * 86400 <= ?1
		         AND (o.parcel NOT IN ('pre_transit', 'in_transit', 'out_for_delivery', 'exception', 'undeliverable', 'returned')
		              OR o.purchased_at + 60 * 86400 <= ?1))))
		    OR (o.status = 'cancelled' AND o.last_updated_at + s.retention_days * 86400 <= ?1))
		ORDER BY o.id`, now.Unix()))(func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
}

// Compact makes wiped data leave the files: the WAL is checkpointed and
// truncated, and the database rewritten without free pages.
//
// On PostgreSQL the tables holding buyers' data are vacuumed, which frees
// the dead rows' space for reuse; the server's files and WAL are its
// administrator's (the data was sealed all along: what stays is ciphertext
// whose key the benches hold).
func (db *DB) Compact(ctx context.Context) error {
	if db.pg {
		_, err := db.w.ExecContext(ctx, `VACUUM order_pii, order_items, labels, order_search, print_queue`)
		return err
	}
	if _, err := db.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

var _ station.Privacy = (*DB)(nil)
