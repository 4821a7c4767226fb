package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/packbench/packbench/station"
)

// KnownOrders reports which Amazon order ids a store already has.
func (db *DB) KnownOrders(ctx context.Context, storeID int64, ids []string) (map[string]bool, error) {
	known := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{storeID}
		for _, id := range chunk {
			args = append(args, id)
		}
		found, err := scanAll[string](db.r.QueryContext(ctx, `SELECT amazon_order_id FROM orders WHERE store_id = ? AND amazon_order_id IN (?`+
			strings.Repeat(",?", len(chunk)-1)+`)`, args...))(func(rows *sql.Rows) (string, error) {
			var id string
			return id, rows.Scan(&id)
		})
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			known[id] = true
		}
	}
	return known, nil
}

// StartImportRun records that an import began.
func (db *DB) StartImportRun(ctx context.Context, storeID int64, at time.Time) (station.ImportRun, error) {
	run := station.ImportRun{StoreID: storeID, StartedAt: at}
	err := db.w.QueryRowContext(ctx, `INSERT INTO import_runs (store_id, started_at, bench) VALUES (?, ?, ?) RETURNING id`,
		storeID, at.Unix(), db.bench).Scan(&run.ID)
	return run, err
}

// FinishImportRun records how an import ended and, on success, the store's
// last successful import time; on failure the store keeps its last success.
func (db *DB) FinishImportRun(ctx context.Context, run station.ImportRun) error {
	return db.writeTx(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE import_runs SET finished_at = ?, new_count = ?, updated = ?, error = ? WHERE id = ?`,
			run.FinishedAt.Unix(), run.New, run.Updated, run.Error, run.ID); err != nil {
			return err
		}
		if run.Error == "" {
			_, err := tx.Exec(`UPDATE stores SET last_import_at = ?, last_import_error = '' WHERE id = ?`, run.FinishedAt.Unix(), run.StoreID)
			return err
		}
		_, err := tx.Exec(`UPDATE stores SET last_import_error = ? WHERE id = ?`, run.Error, run.StoreID)
		return err
	})
}

// ImportRuns lists a store's latest runs, newest first.
func (db *DB) ImportRuns(ctx context.Context, storeID int64, limit int) ([]station.ImportRun, error) {
	if limit <= 0 {
		limit = 20
	}
	return scanAll[station.ImportRun](db.r.QueryContext(ctx, `SELECT id, store_id, started_at, finished_at, new_count, updated, error
		FROM import_runs WHERE store_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`, storeID, limit))(func(rows *sql.Rows) (station.ImportRun, error) {
		var r station.ImportRun
		var started int64
		var finished sql.NullInt64
		err := rows.Scan(&r.ID, &r.StoreID, &started, &finished, &r.New, &r.Updated, &r.Error)
		r.StartedAt, r.FinishedAt = time.Unix(started, 0).UTC(), fromUnix(finished)
		return r, err
	})
}

// Checkpoint returns where a store's import of source resumes.
func (db *DB) Checkpoint(ctx context.Context, storeID int64, source string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM import_checkpoints WHERE store_id = ? AND source = ?`, storeID, source).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", station.ErrNotFound
	}
	return v, err
}

// SaveCheckpoint moves a checkpoint (after the page it covers is saved).
func (db *DB) SaveCheckpoint(ctx context.Context, storeID int64, source, value string) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO import_checkpoints (store_id, source, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (store_id, source) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		storeID, source, value, db.now().Unix())
	return err
}

// ResetImport makes the next import of a store start over from the report
// and rewrite its buyers' data: after a lost data key, the way back.
// Redacted orders stay redacted.
func (db *DB) ResetImport(ctx context.Context, storeID int64) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM order_pii WHERE redacted_at IS NULL AND order_id IN (SELECT id FROM orders WHERE store_id = ?)`, storeID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE orders SET last_updated_at = 0 WHERE store_id = ?`, storeID); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM import_checkpoints WHERE store_id = ?`, storeID)
		return err
	})
}
