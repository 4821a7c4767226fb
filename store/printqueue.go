package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/packbench/packbench/station"
)

// EnqueuePrint records a document (label or packing slip) to print before it is sent.
func (db *DB) EnqueuePrint(ctx context.Context, orderID, printerID int64, document string, at time.Time) (station.PrintJob, error) {
	j := station.PrintJob{OrderID: orderID, PrinterID: printerID, Document: document, State: station.JobQueued, CreatedAt: at}
	var printer sql.NullInt64
	if printerID != 0 {
		printer = sql.NullInt64{Int64: printerID, Valid: true}
	}
	err := db.w.QueryRowContext(ctx, `INSERT INTO print_queue (order_id, printer_id, document, state, created_at) VALUES (?, ?, ?, 'queued', ?) RETURNING id`,
		orderID, printer, document, at.Unix()).Scan(&j.ID)
	return j, err
}

// FinishPrint records a job's outcome: printed, still queued (printer
// offline: it is sent again) or failed for good.
func (db *DB) FinishPrint(ctx context.Context, id int64, state station.PrintJobState, reason string, at time.Time) error {
	_, err := db.w.ExecContext(context.WithoutCancel(ctx), `UPDATE print_queue SET state = ?, error = ?, attempts = attempts + 1,
		printed_at = CASE WHEN ? = 'printed' THEN ? ELSE printed_at END WHERE id = ?`, string(state), reason, string(state), at.Unix(), id)
	return err
}

// QueuedPrints lists jobs waiting for their printer, oldest first.
func (db *DB) QueuedPrints(ctx context.Context) ([]station.PrintJob, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, order_id, coalesce(printer_id, 0), document, attempts, error, created_at
		FROM print_queue WHERE state = 'queued' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []station.PrintJob
	for rows.Next() {
		j := station.PrintJob{State: station.JobQueued}
		var created int64
		if err := rows.Scan(&j.ID, &j.OrderID, &j.PrinterID, &j.Document, &j.Attempts, &j.Error, &created); err != nil {
			return nil, err
		}
		j.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, j)
	}
	return out, rows.Err()
}
