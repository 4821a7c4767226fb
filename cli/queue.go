package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/packbench/packbench/internal/atomicfile"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// A bench works on its own SQLite file, or on a shared order queue: a
// PostgreSQL database that several benches use at once (docs/architecture.md,
// "Several benches"). Which one is chosen, in this order: --database (or
// PACKBENCH_DATABASE) with --bench (or PACKBENCH_BENCH); else the queue
// this bench joined (QueueFile, written by packbench db init|copy|join and
// by the window's "Join a shared order queue"); else the SQLite file.

// QueueFile names the shared queue this bench joined, in its data dir: the
// database URL without its password (kept in the keychain) and the bench's
// name.
const QueueFile = "shared-queue.json"

// queuePasswordSecret is the keychain entry of the queue's password.
const queuePasswordSecret = "packbench/database-password"

// queueConfig is QueueFile's contents.
type queueConfig struct {
	Database string `json:"database"`
	Bench    string `json:"bench"`
}

func loadQueue(dataDir string) (queueConfig, bool, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, QueueFile))
	if errors.Is(err, fs.ErrNotExist) {
		return queueConfig{}, false, nil
	}
	if err != nil {
		return queueConfig{}, false, err
	}
	var q queueConfig
	if err := json.Unmarshal(data, &q); err != nil {
		return queueConfig{}, false, fmt.Errorf("%s: %w", QueueFile, err)
	}
	return q, true, nil
}

// saveQueue makes this bench work on the shared queue from now on: the URL
// goes to QueueFile without its password, which goes to the keychain.
func saveQueue(dataDir string, secrets station.Secrets, location, bench string) error {
	u, err := url.Parse(location)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	pw, ok := u.User.Password()
	if q := u.Query(); q.Has("password") {
		// libpq's other place for it: moved into the keychain too.
		pw, ok = q.Get("password"), true
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	if ok {
		if err := secrets.Set(queuePasswordSecret, pw); err != nil {
			return fmt.Errorf("keep the database password in the keychain: %w", err)
		}
		u.User = url.User(u.User.Username())
	}
	data, err := json.MarshalIndent(queueConfig{Database: u.String(), Bench: bench}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dataDir, QueueFile), append(data, '\n'), 0o600)
}

// withPassword puts the keychain's password back into a joined queue's URL.
func withPassword(location string, secrets station.Secrets) string {
	u, err := url.Parse(location)
	if err != nil || u.User == nil {
		return location
	}
	if _, has := u.User.Password(); has {
		return location
	}
	pw, err := secrets.Get(queuePasswordSecret)
	if err != nil || pw == "" {
		return location
	}
	u.User = url.UserPassword(u.User.Username(), pw)
	return u.String()
}

// checkBenchName refuses names a packer would not recognise in a message
// ("bench Pack-2 is buying this order").
func checkBenchName(name string) error {
	if name == "" {
		return errors.New("a bench needs a name on a shared queue (--bench Pack-1)")
	}
	if len([]rune(name)) > 32 {
		return fmt.Errorf("bench name %q is longer than 32 characters", name)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -_.", r) {
			return fmt.Errorf("bench name %q: use letters, digits, spaces, '-', '_' or '.'", name)
		}
	}
	return nil
}

// defaultBenchName is the computer's name: benches are usually computers.
func defaultBenchName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "Bench"
	}
	host, _, _ = strings.Cut(host, ".")
	return host
}

// databaseChoice is where this bench's data is, as chosen by flags,
// environment and the queue it joined.
type databaseChoice struct {
	location string // a postgres:// URL, or "" for the data dir's SQLite file
	bench    string
}

func chooseDatabase(dataDir string, o Options, secrets station.Secrets) (databaseChoice, error) {
	if o.Database != "" && !store.IsPostgres(o.Database) {
		return databaseChoice{}, fmt.Errorf("--database takes a postgres:// URL (a shared order queue); without it the bench uses its own file in %s", dataDir)
	}
	c := databaseChoice{location: o.Database, bench: o.Bench}
	q, joined, err := loadQueue(dataDir)
	if err != nil {
		return c, err
	}
	if c.location == "" && joined {
		c.location = withPassword(q.Database, secrets)
	}
	if c.bench == "" && joined {
		c.bench = q.Bench
	}
	if c.location == "" {
		return databaseChoice{}, nil
	}
	if c.bench == "" {
		c.bench = defaultBenchName()
	}
	return c, checkBenchName(c.bench)
}

// ErrNotEnrolled: this bench has no data key of the shared queue yet.
var ErrNotEnrolled = errors.New("this bench has not joined the shared order queue yet")

// enrollmentHelp says how a bench joins.
const enrollmentHelp = "on a bench that works on it, show a join code (packbench db join-code, or in the window This bench… > Show a join code), " +
	"then here: packbench db join CODE"

// checkEnrolment makes sure this bench seals with the queue's data key: a
// bench with another key would write buyers' data the others cannot read.
// The first bench on an empty queue enrolls its key.
func checkEnrolment(ctx context.Context, db *store.DB, keyID string) error {
	queueID, err := db.ClaimDataKeyID(ctx, keyID)
	if err != nil {
		return fmt.Errorf("read the shared queue's data key id: %w", err)
	}
	if queueID != keyID {
		return fmt.Errorf("%w: its data key is not the queue's; %s", ErrNotEnrolled, enrollmentHelp)
	}
	return nil
}

// Queue is the window's handle on the shared order queue (ui.Queue).
func (e *Env) Queue() QueueControl { return QueueControl{env: e} }

// QueueControl shows and joins a shared order queue for the window.
type QueueControl struct{ env *Env }

// Bench is this bench's name on its queue ("" on its own file).
func (q QueueControl) Bench() string { return q.env.Bench }

// Location is the queue's database without its password ("" on its own file).
func (q QueueControl) Location() string {
	if !q.env.DB.Shared() {
		return ""
	}
	return q.env.DB.Path()
}

// Join enrolls this bench in a queue (JoinQueue); it works there from its
// next start.
func (q QueueControl) Join(ctx context.Context, location, bench, code string) error {
	if !store.IsPostgres(location) {
		return errors.New("the queue's address is a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE")
	}
	return JoinQueue(ctx, q.env.DataDir, location, bench, code)
}

// JoinCode makes a one-time code for another bench (MakeJoinCode).
func (q QueueControl) JoinCode(ctx context.Context) (string, time.Time, error) {
	return MakeJoinCode(ctx, q.env)
}

// benchActive is how long a bench counts as at work after it was last seen
// (a window says so every seenEvery; a command when it starts).
const (
	benchActive = 10 * time.Minute
	seenEvery   = time.Minute
)

// shareLimits gives this bench its part of Amazon's limits: the benches at
// work on the queue call Amazon for the same sellers, and Amazon counts
// their calls together.
func (e *Env) shareLimits(ctx context.Context) {
	if e.flow == nil || !e.DB.Shared() {
		return
	}
	n, err := e.DB.ActiveBenches(ctx, time.Now().Add(-benchActive))
	if err != nil {
		e.Log.Warn("benches at work not counted; Amazon's limits are kept as they were", "err", err)
		return
	}
	e.flow.SetBenches(n)
}

// KeepSeen tells the queue this bench is at work every minute and follows
// how many benches share Amazon's limits, until ctx ends (the window runs
// it; on a bench's own file it returns at once).
func (e *Env) KeepSeen(ctx context.Context) {
	if !e.DB.Shared() {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(seenEvery):
		}
		if err := e.DB.SeeBench(ctx); err != nil {
			continue // the queue is away: said by the window's listener
		}
		e.shareLimits(ctx)
	}
}
