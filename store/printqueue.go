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
	err := db.w.QueryRowContext(ctx, `INSERT INTO print_queue (bench, order_id, printer_id, document, state, created_at) VALUES (?, ?, ?, ?, 'queued', ?) RETURNING id`,
		db.bench, orderID, printer, document, at.Unix()).Scan(&j.ID)
	return j, err
}

// StartPrint claims a queued job for sending, before its first byte
// leaves. Only a job still queued is claimed: of two drains of the queue
// (the scheduler and a new print, or two processes) exactly one sends it;
// the other gets station.ErrJobTaken.
func (db *DB) StartPrint(ctx context.Context, id int64, at time.Time) error {
	res, err := db.w.ExecContext(ctx, `UPDATE print_queue SET state = 'sending', sending_at = ?, attempts = attempts + 1
		WHERE id = ? AND state = 'queued'`, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return station.ErrJobTaken
	}
	return nil
}

// FinishPrint records a job's outcome: printed, still queued (printer
// offline: it is sent again) or failed for good.
func (db *DB) FinishPrint(ctx context.Context, id int64, state station.PrintJobState, reason string, at time.Time) error {
	_, err := db.w.ExecContext(context.WithoutCancel(ctx), `UPDATE print_queue SET state = ?, error = ?,
		printed_at = CASE WHEN ? = 'printed' THEN ? ELSE printed_at END WHERE id = ?`, string(state), reason, string(state), at.Unix(), id)
	return err
}

// StalePrints lists this bench's jobs that started sending before a time
// and never finished: the process sending them stopped.
func (db *DB) StalePrints(ctx context.Context, before time.Time) ([]station.PrintJob, error) {
	return db.printJobs(ctx, `bench = ? AND state = 'sending' AND sending_at < ?`, db.bench, before.UnixMilli())
}

// QueuedPrints lists this bench's jobs waiting for their printer, oldest
// first: each bench prints on its own printers only.
func (db *DB) QueuedPrints(ctx context.Context) ([]station.PrintJob, error) {
	return db.printJobs(ctx, `bench = ? AND state = 'queued'`, db.bench)
}

func (db *DB) printJobs(ctx context.Context, where string, args ...any) ([]station.PrintJob, error) {
	return scanAll[station.PrintJob](db.r.QueryContext(ctx, `SELECT id, order_id, coalesce(printer_id, 0), document, state, attempts, error, created_at
		FROM print_queue WHERE `+where+` ORDER BY id`, args...))(func(rows *sql.Rows) (station.PrintJob, error) {
		var j station.PrintJob
		var created int64
		err := rows.Scan(&j.ID, &j.OrderID, &j.PrinterID, &j.Document, &j.State, &j.Attempts, &j.Error, &created)
		j.CreatedAt = time.Unix(created, 0).UTC()
		return j, err
	})
}

// RecordPrintedFile remembers the file a folder printer wrote for a job.
func (db *DB) RecordPrintedFile(ctx context.Context, jobID int64, path string) error {
	_, err := db.w.ExecContext(context.WithoutCancel(ctx), `UPDATE print_queue SET file = ? WHERE id = ?`, path, jobID)
	return err
}

// PrintedFiles lists the files folder printers wrote for an order's jobs.
func (db *DB) PrintedFiles(ctx context.Context, orderID int64) ([]station.PrintedFile, error) {
	return scanAll[station.PrintedFile](db.r.QueryContext(ctx,
		`SELECT id, file FROM print_queue WHERE order_id = ? AND file <> '' ORDER BY id`, orderID))(func(rows *sql.Rows) (station.PrintedFile, error) {
		var f station.PrintedFile
		return f, rows.Scan(&f.JobID, &f.Path)
	})
}

// ForgetPrintedFile records that a job's file is gone.
func (db *DB) ForgetPrintedFile(ctx context.Context, jobID int64) error {
	_, err := db.w.ExecContext(ctx, `UPDATE print_queue SET file = '' WHERE id = ?`, jobID)
	return err
}
