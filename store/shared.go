package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/packbench/packbench/station"
)

// What benches sharing one PostgreSQL database need beyond the
// repository: a lock per store for its imports, word of each other's
// changes, and who is enrolled (docs/architecture.md, "Several benches").

// lockSpace names the advisory lock's kind (import, tracking): the first of
// the two keys PostgreSQL takes, the store's id the second.
func lockSpace(what string) int32 {
	h := fnv.New32a()
	h.Write([]byte("packbench/" + what))
	return int32(h.Sum32())
}

// TryLockStore takes a store's lock for what ("import", "tracking") for
// as long as this bench holds it, on a connection of its own: PostgreSQL
// releases it when that connection ends, so a bench that dies never keeps
// it. On SQLite, one bench, there is no one to lock out.
func (db *DB) TryLockStore(ctx context.Context, storeID int64, what string) (unlock func(), ok bool, err error) {
	if !db.pg {
		return func() {}, true, nil
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	space := lockSpace(what)
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?, ?)`, space, int32(storeID)).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?, ?)`, space, int32(storeID)); err != nil {
			// The connection is dropped rather than returned with the lock held.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}

// WatchChanges calls changed after another bench (or this one) commits a
// change to orders, labels, purchases or stores, at most every 100 ms, and
// reachable with false while the server cannot be reached (true again once
// it can). It listens until ctx ends, connecting again every 2 s after a
// failure. On SQLite it returns at once: nothing else writes.
func (db *DB) WatchChanges(ctx context.Context, changed func(), reachable func(bool)) {
	if !db.pg {
		return
	}
	up := true
	for ctx.Err() == nil {
		db.listen(ctx, changed, func() {
			if !up {
				up = true
				reachable(true)
				changed() // what was missed while away
			}
		})
		if ctx.Err() != nil {
			return
		}
		if up {
			up = false
			reachable(false)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func (db *DB) listen(ctx context.Context, changed, connected func()) error {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.Connect(cctx, db.url)
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		// Bounded: saying goodbye to a server that is gone must not hang.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN packbench_changes`); err != nil {
		return err
	}
	connected()
	for {
		// A notice, or a ping every 5 s: a server gone quiet (a pulled
		// cable) is noticed as gone within seconds, not at TCP's timeout.
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			// Coalesce a burst (a bulk ship commits hundreds): wait a
			// moment, drain what came meanwhile, refresh once.
			time.Sleep(100 * time.Millisecond)
			for {
				dctx, cancel := context.WithTimeout(ctx, time.Millisecond)
				_, err := conn.WaitForNotification(dctx)
				cancel()
				if err != nil {
					break
				}
			}
			if conn.IsClosed() {
				return errors.New("connection closed")
			}
			changed()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// Ping says whether the database answers now.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot reach %s: %w", db.path, err)
	}
	return nil
}

// Bench is a bench enrolled in a shared queue.
type Bench struct {
	Name             string
	JoinedAt, SeenAt time.Time
}

// SeeBench records that this bench is at work now (enrolling it the first
// time).
func (db *DB) SeeBench(ctx context.Context) error {
	if !db.pg || db.bench == "" {
		return nil
	}
	now := db.now().Unix()
	_, err := db.w.ExecContext(ctx, `INSERT INTO benches (name, joined_at, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at`, db.bench, now, now)
	return err
}

// ActiveBenches counts the benches seen at work since a time (1 at least:
// this one).
func (db *DB) ActiveBenches(ctx context.Context, since time.Time) (int, error) {
	if !db.pg {
		return 1, nil
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM benches WHERE seen_at >= ?`, since.Unix()).Scan(&n)
	return max(1, n), err
}

// Benches lists the benches enrolled in a shared queue.
func (db *DB) Benches(ctx context.Context) ([]Bench, error) {
	if !db.pg {
		return nil, nil
	}
	return scanAll[Bench](db.r.QueryContext(ctx, `SELECT name, joined_at, seen_at FROM benches ORDER BY name`))(func(rows *sql.Rows) (Bench, error) {
		var b Bench
		var joined, seen int64
		err := rows.Scan(&b.Name, &joined, &seen)
		b.JoinedAt, b.SeenAt = time.Unix(joined, 0).UTC(), time.Unix(seen, 0).UTC()
		return b, err
	})
}

// dataKeyIDSetting is the queue's data key's KeyID (keychain.KeyID).
const dataKeyIDSetting = "data_key_id"

// ClaimDataKeyID returns the shared queue's data key id, making id the
// queue's when it has none yet (the first bench enrolls its key). Two
// benches doing it at once agree: the first write wins and both read it.
func (db *DB) ClaimDataKeyID(ctx context.Context, id string) (string, error) {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO settings (bench, key, value) VALUES ('', ?, ?) ON CONFLICT (bench, key) DO NOTHING`,
		dataKeyIDSetting, id); err != nil {
		return "", err
	}
	return db.DataKeyID(ctx)
}

// DataKeyID is the shared queue's data key id ("" before a bench enrolled).
func (db *DB) DataKeyID(ctx context.Context) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE bench = '' AND key = ?`, dataKeyIDSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// JoinCode is a wrapped data key waiting for a bench to join with its code.
type JoinCode struct {
	ID            int64
	Salt, Wrapped []byte
	CreatedBy     string
	ExpiresAt     time.Time
}

// SaveJoinCode keeps a wrapped data key until expires.
func (db *DB) SaveJoinCode(ctx context.Context, salt, wrapped []byte, expires time.Time) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO join_codes (salt, wrapped, created_by, expires_at) VALUES (?, ?, ?, ?)`,
		salt, wrapped, db.bench, expires.Unix())
	return err
}

// JoinCodes lists the wrapped keys not yet expired, after deleting those
// that have.
func (db *DB) JoinCodes(ctx context.Context) ([]JoinCode, error) {
	if !db.pg {
		return nil, errors.New("join codes are for a shared order queue (PostgreSQL)")
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM join_codes WHERE expires_at <= ?`, db.now().Unix()); err != nil {
		return nil, err
	}
	return scanAll[JoinCode](db.r.QueryContext(ctx, `SELECT id, salt, wrapped, created_by, expires_at FROM join_codes ORDER BY id DESC`))(
		func(rows *sql.Rows) (JoinCode, error) {
			var c JoinCode
			var exp int64
			err := rows.Scan(&c.ID, &c.Salt, &c.Wrapped, &c.CreatedBy, &exp)
			c.ExpiresAt = time.Unix(exp, 0).UTC()
			return c, err
		})
}

// UseJoinCode deletes a wrapped key once a bench has joined with it: a
// code works once.
func (db *DB) UseJoinCode(ctx context.Context, id int64) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM join_codes WHERE id = ?`, id)
	return err
}

// SharedSecrets keeps stores' tokens in the shared database, sealed with
// the data key, so that every enrolled bench reaches Amazon for a store
// connected on any of them. It needs the sealer (UseSealer) first.
func (db *DB) SharedSecrets() *SharedSecrets { return &SharedSecrets{db: db} }

// SharedSecrets is station.Secrets over the shared_secrets table.
type SharedSecrets struct{ db *DB }

func secretAAD(name string) string { return "shared_secrets/" + name }

// Get reads and opens a secret.
func (s *SharedSecrets) Get(name string) (string, error) {
	if s.db.sealer == nil {
		return "", errors.New("no data key: the secret cannot be opened")
	}
	var sealed []byte
	err := s.db.r.QueryRowContext(context.Background(), `SELECT value FROM shared_secrets WHERE name = ?`, name).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", station.ErrSecretNotFound
	}
	if err != nil {
		return "", err
	}
	plain, err := s.db.sealer.Open(sealed, secretAAD(name))
	if err != nil {
		return "", fmt.Errorf("the shared secret %s cannot be opened with this bench's data key: %w", name, err)
	}
	return string(plain), nil
}

// Set seals and writes a secret.
func (s *SharedSecrets) Set(name, value string) error {
	if s.db.sealer == nil {
		return errors.New("no data key: the secret cannot be sealed")
	}
	sealed, err := s.db.sealer.Seal([]byte(value), secretAAD(name))
	if err != nil {
		return err
	}
	_, err = s.db.w.ExecContext(context.Background(), `INSERT INTO shared_secrets (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, sealed)
	return err
}

// Delete removes a secret.
func (s *SharedSecrets) Delete(name string) error {
	res, err := s.db.w.ExecContext(context.Background(), `DELETE FROM shared_secrets WHERE name = ?`, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return station.ErrSecretNotFound
	}
	return nil
}
