package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/packbench/packbench/station"
)

// ClaimOrder takes an order for a process, or returns the claim that holds
// it. Reading and taking happen in one transaction (BEGIN IMMEDIATE on
// SQLite, the order's row locked on PostgreSQL: claimTx), so two processes
// on one database, or two benches on one server, never both take the same
// order.
func (db *DB) ClaimOrder(ctx context.Context, c station.Claim, stale func(station.Claim) bool) (station.Claim, bool, error) {
	var holder station.Claim
	taken := false
	err := db.claimTx(ctx, c.OrderID, c.SkipLocked, func(tx *sql.Tx) error {
		holder, taken = station.Claim{}, false
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT order_id, host, pid, what, claimed_at, bench FROM order_claims WHERE order_id = ?`, c.OrderID).
			Scan(&holder.OrderID, &holder.Host, &holder.PID, &holder.What, &at, &holder.Bench)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO order_claims (order_id, host, pid, what, claimed_at, bench) VALUES (?, ?, ?, ?, ?, ?)`,
				c.OrderID, c.Host, c.PID, c.What, c.At.UnixMilli(), c.Bench)
			taken = err == nil
			return err
		case err != nil:
			return err
		}
		holder.At = time.UnixMilli(at).UTC()
		if !stale(holder) {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE order_claims SET host = ?, pid = ?, what = ?, claimed_at = ?, bench = ? WHERE order_id = ?`,
			c.Host, c.PID, c.What, c.At.UnixMilli(), c.Bench, c.OrderID)
		taken = err == nil
		return err
	})
	if taken {
		return c, true, nil
	}
	return holder, false, err
}

// ReleaseOrder gives an order back; only its holder can.
func (db *DB) ReleaseOrder(ctx context.Context, orderID int64, host string, pid int) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM order_claims WHERE order_id = ? AND host = ? AND pid = ?`, orderID, host, pid)
	return err
}

// claimTx runs a claim's transaction. On PostgreSQL benches claiming one
// order queue behind a lock on its row (FOR UPDATE, READ COMMITTED): the
// second reads the first's claim once it commits and is told who has it,
// instead of failing a serializable transaction and running again. With
// skipLocked (a bulk ship) an order whose row another bench has locked is
// skipped at once: fn is not run and nothing is taken.
func (db *DB) claimTx(ctx context.Context, orderID int64, skipLocked bool, fn func(tx *sql.Tx) error) error {
	if !db.pg {
		return db.writeTx(ctx, fn)
	}
	lock := `SELECT id FROM orders WHERE id = ? FOR UPDATE`
	if skipLocked {
		lock += ` SKIP LOCKED`
	}
	return runTx(ctx, db.w, nil, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, lock, orderID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) && skipLocked {
			return nil // locked by another bench's claim: left to it
		}
		if errors.Is(err, sql.ErrNoRows) {
			return station.ErrNotFound
		}
		if err != nil {
			return err
		}
		return fn(tx)
	})
}
