// Package store keeps Packbench's data: in one SQLite file
// (modernc.org/sqlite, pure Go) for one bench, or in a PostgreSQL database
// (github.com/jackc/pgx) that several benches share (postgres.go). It
// implements the repository interfaces of package station.
//
// One writer connection (SetMaxOpenConns(1), BEGIN IMMEDIATE) serialises
// writes so that two goroutines never meet SQLITE_BUSY half-way through a
// transaction; a separate read-only pool serves the order list while an
// import writes, which WAL allows. The schema lives in migrations/*.sql,
// applied in order and counted in PRAGMA user_version.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

//go:embed migrations_pg/*.sql
var migrationsPG embed.FS

// FileName is the database's name inside the data dir.
const FileName = "packbench.db"

// DB is the open database: on SQLite a single writer and a reader pool,
// on PostgreSQL one pool for both.
type DB struct {
	w, r   *sql.DB
	path   string
	sealer Sealer
	// pg: the database is PostgreSQL, shared by benches; url reaches it.
	pg  bool
	url string
	// bench names this bench in a shared database (empty on SQLite): its
	// printers, settings and print queue are its own, and what it does
	// says it did it.
	bench string
	// Migrated is how many migrations this Open applied (0 on a current file).
	Migrated int
	// now stamps rows; the station sets its clock (SetClock).
	now func() time.Time
	// The integrity check runs in the background from Open (SQLite reads
	// every page: seconds at 100,000 orders): checked is closed when it
	// ends, with damage what it found; Close stops it.
	checked   chan struct{}
	stopCheck context.CancelFunc
	damageMu  sync.Mutex
	damage    []string
}

// Open opens (creating if needed) the database at path, a SQLite file or
// a postgres:// URL, and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("database path %q contains '?' or '#': choose a data dir without them", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if err := restrictPermissions(path); err != nil {
		return nil, err
	}
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(10000)")
	common.Add("_pragma", "foreign_keys(1)")

	wq := cloneValues(common)
	wq.Add("_pragma", "journal_mode(WAL)")
	// FULL: a bought label must survive a power cut, not only a crash.
	wq.Add("_pragma", "synchronous(FULL)")
	// Wiped personal data is overwritten, not just unlinked (docs/architecture.md, "Buyers' data").
	wq.Add("_pragma", "secure_delete(1)")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)

	db := &DB{w: w, path: path, now: func() time.Time { return time.Now().UTC() }}
	if db.Migrated, err = migrate(ctx, w); err != nil {
		if !isCorrupt(err) {
			w.Close()
			return nil, err
		}
		// Too damaged to read its schema: opened all the same, so that
		// packbench check and Damage can say what is wrong and where the
		// last good copy is; every other use fails and nothing is bought.
		db.damage = []string{err.Error()}
	}

	rq := cloneValues(common)
	rq.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	db.r = r
	if len(db.damage) > 0 {
		db.checked, db.stopCheck = make(chan struct{}), func() {}
		close(db.checked)
		return db, nil
	}
	db.startCheck()
	return db, nil
}

// isCorrupt says whether SQLite found the file damaged (SQLITE_CORRUPT) or
// not a database at all (SQLITE_NOTADB).
func isCorrupt(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff // the primary code under an extended one
		return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
	}
	return false
}

// restrictPermissions makes the data dir readable by its owner only (0700)
// and the database with its WAL and shared-memory files 0600, correcting
// what an older Packbench or a umask left open. The database file is made
// before SQLite opens it: SQLite gives its -wal and -shm files the
// database file's permissions. (Windows keeps its own ACLs: the data dir
// lies in the user's profile.)
func restrictPermissions(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make the data dir %s private: %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

// SetClock makes the store stamp rows with the station's clock.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Path is the database file (or the PostgreSQL URL without its password).
func (db *DB) Path() string { return db.path }

// Shared says whether benches share this database (PostgreSQL).
func (db *DB) Shared() bool { return db.pg }

// SetBench names this bench in a shared database.
func (db *DB) SetBench(name string) { db.bench = name }

// Bench is this bench's name (empty on SQLite).
func (db *DB) Bench() string { return db.bench }

// Close stops the integrity check and closes both pools.
func (db *DB) Close() error {
	db.stopCheck()
	<-db.checked
	return errors.Join(db.r.Close(), db.w.Close())
}

// SchemaVersion is the applied migration count (PRAGMA user_version).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if db.pg {
		return pgVersion(ctx, db.r)
	}
	var v int
	err := db.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	return readMigrations(migrationFiles, "migrations")
}

func sortMigrations(m []migration) {
	sort.Slice(m, func(i, j int) bool { return m[i].version < m[j].version })
}

// KnownMigrations is how many migrations this Packbench has for the
// database's engine: the schema version it brings a database to.
func (db *DB) KnownMigrations() int {
	var all []migration
	if db.pg {
		all, _ = pgMigrations()
	} else {
		all, _ = migrations()
	}
	return len(all)
}

// migrate applies each pending migration in its own transaction together
// with its user_version bump, so a crash leaves either the old or the new
// schema, never half of one.
func migrate(ctx context.Context, w *sql.DB) (applied int, err error) {
	return migrateUpTo(ctx, w, 0)
}

// migrateUpTo applies pending migrations up to version upTo (0: all); the
// upgrade tests stop at an older schema to fill it as an older Packbench did.
func migrateUpTo(ctx context.Context, w *sql.DB, upTo int) (applied int, err error) {
	all, err := migrations()
	if err != nil {
		return 0, err
	}
	if upTo > 0 && upTo < len(all) {
		all = all[:upTo]
	}
	var current int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if current > len(all) {
		if upTo > 0 {
			return 0, nil // at or past the version asked for
		}
		return 0, fmt.Errorf("this database has schema version %d, newer than this Packbench knows (%d): update Packbench", current, len(all))
	}
	for _, m := range all[current:] {
		err := applyMigration(ctx, w, m, migrationSteps[m.version], func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}

// applyMigration runs a migration's SQL, its Go step (nil: none) and the
// version's record in one transaction.
func applyMigration(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, m migration, step func(context.Context, *sql.Tx) error, record func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	err = func() error {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		if step != nil {
			if err := step(ctx, tx); err != nil {
				return err
			}
		}
		if err := record(tx); err != nil {
			return err
		}
		return tx.Commit()
	}()
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	return nil
}

// migrationSteps are what a migration does that SQL alone cannot, run
// after its SQL in its transaction.
var migrationSteps = map[int]func(context.Context, *sql.Tx) error{
	16: widenOrderStatuses,
}

// widenOrderStatuses lets orders be 'delivered'. SQLite cannot alter a
// CHECK constraint, and rebuilding orders (its triggers, indexes and
// search index) would take minutes on a large file; a CHECK that only
// allows one more value makes no row invalid, which is the case SQLite
// documents for editing the schema text in place (writable_schema, the
// schema version bumped so every connection reads it again).
func widenOrderStatuses(ctx context.Context, tx *sql.Tx) error {
	const from = "CHECK (status IN ('ready', 'label_bought', 'shipped', 'cancelled'))"
	const to = "CHECK (status IN ('ready', 'label_bought', 'shipped', 'delivered', 'cancelled'))"
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	for _, q := range []string{
		"PRAGMA writable_schema = ON",
		"UPDATE sqlite_schema SET sql = replace(sql, '" + strings.ReplaceAll(from, "'", "''") + "', '" + strings.ReplaceAll(to, "'", "''") + "') WHERE type = 'table' AND name = 'orders'",
		fmt.Sprintf("PRAGMA schema_version = %d", version+1),
		"PRAGMA writable_schema = OFF",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	var sqlText string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'orders'").Scan(&sqlText); err != nil {
		return err
	}
	if !strings.Contains(sqlText, to) {
		return errors.New("the orders table's status check was not where it was expected")
	}
	return nil
}

// writeTx runs fn in one write transaction. Never call the network inside fn.
//
// On SQLite one writer at a time (BEGIN IMMEDIATE) makes every transaction
// see the database as no one else changes it. On PostgreSQL benches write
// at once: the transaction sees one snapshot (REPEATABLE READ) and fails
// when another bench changed a row it changes too; it then runs again (fn
// must leave nothing behind but what it writes to the database). What must
// never happen twice is kept by the schema itself, whatever the isolation:
// one claim per order (claimTx), one purchase in flight per order and one
// row per Amazon shipment (unique indexes). SERIALIZABLE was tried: its
// predicate locks failed unrelated purchases (other orders, same index
// pages) so often under four benches that retries ran out.
func (db *DB) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if !db.pg {
		return runTx(ctx, db.w, nil, fn)
	}
	var err error
	for attempt := range 50 {
		err = runTx(ctx, db.w, &sql.TxOptions{Isolation: sql.LevelRepeatableRead}, fn)
		if !retryable(err) {
			return err
		}
		// A short random pause, so the two transactions do not meet again.
		pause := time.Duration(1+rand.IntN(1+min(attempt, 10)*5)) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
	return fmt.Errorf("the database stayed busy (other benches): %w", err)
}

func runTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
