package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Several benches share one PostgreSQL database (docs/architecture.md,
// "Several benches"). The same Go code serves both engines: its SQL is
// written with SQLite's ? placeholders, which the connection below turns
// into PostgreSQL's $1, $2...; the few statements the engines spell
// differently say so where they are (db.pg).

// either is the SQLite or the PostgreSQL spelling of a piece of SQL.
func (db *DB) either(sqlite, postgres string) string {
	if db.pg {
		return postgres
	}
	return sqlite
}

// IsPostgres says whether a database location is a PostgreSQL URL rather
// than a SQLite file.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// RedactURL is a PostgreSQL URL without its password (in its user part or
// its query, where libpq also takes one), for logs and the window.
func RedactURL(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return "the database"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// pgAdvisoryMigrate is the advisory lock a bench holds while it migrates.
const pgAdvisoryMigrate = 0x7062_6d69_6772 // "pbmigr": one bench migrates at a time

func openPostgres(ctx context.Context, location string) (*DB, error) {
	cfg, err := pgx.ParseConfig(location)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	w := sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg)})
	// A bench's goroutines (list, import, print queue, tracking) share a few
	// connections; ten benches stay far below max_connections' 100.
	w.SetMaxOpenConns(8)
	w.SetMaxIdleConns(4)
	w.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{w: w, r: w, path: RedactURL(location), url: location, pg: true, now: func() time.Time { return time.Now().UTC() }}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.PingContext(pingCtx); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", db.path, plainNetError(err))
	}
	if db.Migrated, err = migratePostgres(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	db.checked, db.stopCheck = make(chan struct{}), func() {}
	close(db.checked)
	return db, nil
}

func pgMigrations() ([]migration, error) {
	return readMigrations(migrationsPG, "migrations_pg")
}

// migratePostgres brings the schema up to date. Benches starting together
// wait for each other on an advisory lock: one migrates, the others find
// the schema current.
func migratePostgres(ctx context.Context, w *sql.DB) (applied int, err error) {
	all, err := pgMigrations()
	if err != nil {
		return 0, err
	}
	conn, err := w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, pgAdvisoryMigrate); err != nil {
		return 0, fmt.Errorf("wait for another bench's migration: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, pgAdvisoryMigrate)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS packbench_schema (version BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	current, err := pgVersion(ctx, conn)
	if err != nil {
		return 0, err
	}
	if current > len(all) {
		return 0, fmt.Errorf("this database has schema version %d, newer than this Packbench knows (%d): update Packbench on this bench", current, len(all))
	}
	for _, m := range all[current:] {
		err := applyMigration(ctx, conn, m, pgMigrationSteps[m.version], func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM packbench_schema`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO packbench_schema (version) VALUES (?)`, m.version)
			return err
		})
		if err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func pgVersion(ctx context.Context, q queryRower) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM packbench_schema`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// pgMigrationSteps are what a PostgreSQL migration does beyond its SQL.
var pgMigrationSteps = map[int]func(context.Context, *sql.Tx) error{
	1: trigramIndexes,
}

// trigramIndexes lets the order search use indexes, where the server
// allows the pg_trgm extension (a contrib module: Debian's and most
// servers have it; creating it needs the database's owner). Without it the
// search scans order_search, which is fine for a few thousand orders.
func trigramIndexes(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT trgm`); err != nil {
		return err
	}
	for _, q := range []string{
		`CREATE EXTENSION IF NOT EXISTS pg_trgm`,
		`CREATE INDEX order_search_text ON order_search USING gin (text gin_trgm_ops)`,
		`CREATE INDEX order_search_names ON order_search USING gin (names gin_trgm_ops)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			_, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT trgm`)
			return rerr
		}
	}
	_, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT trgm`)
	return err
}

// plainNetError is the network's words for a connection that failed
// ("connection refused", "i/o timeout"), without pgx's retelling of every
// address it tried; other errors are as they are.
func plainNetError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return netError{said: op.Err.Error(), err: err}
	}
	return err
}

// netError says the short words and keeps the whole error underneath.
type netError struct {
	said string
	err  error
}

func (e netError) Error() string { return e.said }
func (e netError) Unwrap() error { return e.err }

// retryable says whether a transaction failed only because another bench's
// ran at the same time (a serialization failure or a deadlock): run again,
// it succeeds or meets the other's outcome.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// uniqueViolation says whether a statement broke a unique constraint.
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// rebindConnector hands database/sql connections that accept SQLite's
// placeholders.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

// rebindConn is pgx's connection with every statement's placeholders
// rewritten; everything else (transactions, resets, type checks) is pgx's.
type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebind(query))
}

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

var rebound sync.Map // query -> rewritten query: the same few hundred statements over and over

// rebind turns ? into $1, $2... in order, and ?N into $N, outside quoted
// strings, quoted names and comments.
func rebind(query string) string {
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) && query[j] != c {
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebound.Store(query, out)
	return out
}

// readMigrations reads one engine's numbered migration files.
func readMigrations(files fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", e.Name())
		}
		body, err := fs.ReadFile(files, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sortMigrations(out)
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (migrations are numbered 1, 2, 3 and so on)", m.name, i+1)
		}
	}
	return out, nil
}
