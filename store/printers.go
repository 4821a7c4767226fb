package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/packbench/packbench/station"
)

// Printers lists the printers by name.
func (db *DB) Printers(ctx context.Context) ([]station.Printer, error) {
	return scanAll[station.Printer](db.r.QueryContext(ctx, `SELECT id, name, kind, address, format, keep_printer_commands
		FROM printers ORDER BY name`))(func(rows *sql.Rows) (station.Printer, error) {
		var p station.Printer
		var kind, format string
		err := rows.Scan(&p.ID, &p.Name, &kind, &p.Address, &format, &p.KeepPrinterCommands)
		p.Kind, p.Format = station.PrinterKind(kind), station.LabelFormat(format)
		return p, err
	})
}

// SavePrinter adds a printer, or replaces the one with the same name.
func (db *DB) SavePrinter(ctx context.Context, p station.Printer) (station.Printer, error) {
	err := db.w.QueryRowContext(ctx, `INSERT INTO printers (name, kind, address, format, keep_printer_commands) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, address = excluded.address, format = excluded.format,
		keep_printer_commands = excluded.keep_printer_commands RETURNING id`,
		p.Name, string(p.Kind), p.Address, string(p.Format), boolInt(p.KeepPrinterCommands)).Scan(&p.ID)
	return p, err
}

// DeletePrinter removes a printer.
func (db *DB) DeletePrinter(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM printers WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrNotFound
	}
	return nil
}

// Setting reads a station setting.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", station.ErrNotFound
	}
	return v, err
}

// SetSetting writes a station setting.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
