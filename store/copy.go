package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// copyTables are the tables a bench's data moves in, parents before
// children. Left out: order_counts (its triggers rebuild it as orders
// arrive), order_claims (work in progress belongs to the process that
// stops), SQLite's print_jobs (replaced by print_queue in its 0008) and
// the FTS5 shadow tables (order_search is read through its own table).
var copyTables = []string{
	"stores", "marketplaces", "orders", "order_pii", "order_items", "sku_profiles", "package_presets",
	"ship_from_addresses", "service_mappings", "purchase_intents", "collection_forms", "shipments", "labels",
	"printers", "print_queue", "import_runs", "import_checkpoints", "audit_log", "settings", "order_search",
	"catalog_images", "tracking_events", "item_barcodes", "item_checks",
}

// benchTables have a bench column that says whose rows they are: copied
// rows become the copying bench's.
var benchTables = map[string]bool{"printers": true, "print_queue": true, "purchase_intents": true,
	"shipments": true, "import_runs": true, "audit_log": true}

// CopyReport says how many rows of each table moved.
type CopyReport struct {
	Tables []string
	Rows   map[string]int
}

// CopyInto moves everything of a one-bench SQLite database into an empty
// PostgreSQL one, in one transaction: ids stay as they are, so sealed
// values (bound to their row's id) open there with the same data key;
// nothing is decrypted on the way. The bench's own rows (printers, print
// queue, its printer choices) become bench's.
func CopyInto(ctx context.Context, from, to *DB, bench string) (CopyReport, error) {
	report := CopyReport{Rows: map[string]int{}}
	if from.pg || !to.pg {
		return report, errors.New("copy goes from a bench's SQLite file to a PostgreSQL database")
	}
	if bench == "" {
		return report, errors.New("copy needs the bench's name: its printers and print queue become that bench's")
	}
	var n int
	if err := to.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM stores) + (SELECT count(*) FROM orders)`).Scan(&n); err != nil {
		return report, err
	}
	if n > 0 {
		return report, errors.New("the PostgreSQL database already has stores or orders: copy only into an empty one (packbench db init makes one), or join it instead")
	}
	tx, err := to.w.BeginTx(ctx, nil)
	if err != nil {
		return report, err
	}
	defer tx.Rollback()
	for _, table := range copyTables {
		count, err := copyTable(ctx, from, tx, table, bench)
		if err != nil {
			return report, fmt.Errorf("copy %s: %w", table, err)
		}
		report.Tables = append(report.Tables, table)
		report.Rows[table] = count
	}
	// Identity columns continue after the copied ids.
	identities, err := scanAll[string](tx.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`))(func(rows *sql.Rows) (string, error) {
		var t string
		return t, rows.Scan(&t)
	})
	if err != nil {
		return report, err
	}
	for _, t := range identities {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), coalesce((SELECT max(id) FROM `+t+`), 0) + 1, false)`); err != nil {
			return report, fmt.Errorf("continue %s's ids: %w", t, err)
		}
	}
	return report, tx.Commit()
}

// pgColumn is a column of the PostgreSQL table and its type.
type pgColumn struct{ name, kind string }

func copyTable(ctx context.Context, from *DB, tx *sql.Tx, table, bench string) (int, error) {
	cols, err := scanAll[pgColumn](tx.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table))(func(rows *sql.Rows) (pgColumn, error) {
		var c pgColumn
		return c, rows.Scan(&c.name, &c.kind)
	})
	if err != nil {
		return 0, err
	}
	if len(cols) == 0 {
		return 0, fmt.Errorf("no table %s in PostgreSQL", table)
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	src, err := from.r.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(names, ", ")+`) VALUES (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+`)`)
	if err != nil {
		return 0, err
	}
	defer insert.Close()
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	n := 0
	for src.Next() {
		if err := src.Scan(ptrs...); err != nil {
			return n, err
		}
		args := make([]any, len(cols))
		for i, c := range cols {
			args[i] = convertForPG(values[i], c.kind)
			if c.name == "bench" && benchTables[table] {
				args[i] = bench
			}
			// The bench's printer choices are its own; the queue's
			// settings (the name index's scheme) stay everyone's.
			if table == "settings" && c.name == "bench" && !sharedSetting[fmt.Sprint(values[slices.Index(names, "key")])] {
				args[i] = bench
			}
		}
		if _, err := insert.ExecContext(ctx, args...); err != nil {
			return n, err
		}
		n++
	}
	return n, src.Err()
}

// sharedSetting are the settings of the whole queue, not of one bench.
var sharedSetting = map[string]bool{"name_index": true, dataKeyIDSetting: true}

// convertForPG turns what SQLite's driver read into what the PostgreSQL
// column takes: SQLite's 0/1 flags become booleans, text and blobs are
// given as the column's kind wants them.
func convertForPG(v any, kind string) any {
	switch kind {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0
		case bool:
			return x
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	case "double precision":
		if i, ok := v.(int64); ok {
			return float64(i)
		}
	}
	return v
}
