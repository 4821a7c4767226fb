package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/packbench/packbench/station"
)

// Printers lists this bench's printers by name.
func (db *DB) Printers(ctx context.Context) ([]station.Printer, error) {
	return scanAll[station.Printer](db.r.QueryContext(ctx, `SELECT id, name, kind, address, format, keep_printer_commands
		FROM printers WHERE bench = ? ORDER BY name`, db.bench))(func(rows *sql.Rows) (station.Printer, error) {
		var p station.Printer
		var kind, format string
		err := rows.Scan(&p.ID, &p.Name, &kind, &p.Address, &format, &p.KeepPrinterCommands)
		p.Kind, p.Format = station.PrinterKind(kind), station.LabelFormat(format)
		return p, err
	})
}

// SavePrinter adds a printer to this bench, or replaces its printer of the same name.
func (db *DB) SavePrinter(ctx context.Context, p station.Printer) (station.Printer, error) {
	err := db.w.QueryRowContext(ctx, `INSERT INTO printers (bench, name, kind, address, format, keep_printer_commands) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (bench, name) DO UPDATE SET kind = excluded.kind, address = excluded.address, format = excluded.format,
		keep_printer_commands = excluded.keep_printer_commands RETURNING id`,
		db.bench, p.Name, string(p.Kind), p.Address, string(p.Format), p.KeepPrinterCommands).Scan(&p.ID)
	return p, err
}

// DeletePrinter removes one of this bench's printers.
func (db *DB) DeletePrinter(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM printers WHERE id = ? AND bench = ?`, id, db.bench)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrNotFound
	}
	return nil
}

// Setting reads one of this bench's settings (its printer choices).
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE bench = ? AND key = ?`, db.bench, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", station.ErrNotFound
	}
	return v, err
}

// SetSetting writes one of this bench's settings.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO settings (bench, key, value) VALUES (?, ?, ?)
		ON CONFLICT (bench, key) DO UPDATE SET value = excluded.value`, db.bench, key, value)
	return err
}
