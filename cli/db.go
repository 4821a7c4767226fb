package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// joinCodeLife is how long a join code's wrapped key waits in the queue.
const joinCodeLife = 15 * time.Minute

// runDB is packbench db: where this bench's data is, and the shared order
// queue several benches use (docs/architecture.md, "Several benches").
func runDB(ctx context.Context, c *runCtx, args []string) error {
	if len(args) == 0 || c.help {
		fmt.Fprintln(c.stderr, dbUsage)
		if c.help {
			return nil
		}
		return errUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "status":
		return dbStatus(ctx, c)
	case "migrate":
		return dbMigrate(ctx, c)
	case "init":
		return dbInit(ctx, c, rest)
	case "copy":
		return dbCopy(ctx, c, rest)
	case "join-code":
		return dbJoinCode(ctx, c)
	case "join":
		return dbJoin(ctx, c, rest)
	case "leave":
		return dbLeave(c)
	}
	fmt.Fprintf(c.stderr, "packbench db: unknown %q\n%s\n", sub, dbUsage)
	return errUsage
}

const dbUsage = `packbench db status                 where this bench's data is; the queue's benches
packbench db init --database URL [--bench NAME]
                                    make an empty PostgreSQL database a shared order queue, this bench its first
packbench db copy --to URL [--bench NAME]
                                    move this bench's own data into an empty queue (sealed data stays sealed) and work there
packbench db join-code              on a bench of the queue: a one-time code for another bench to join (15 minutes)
packbench db join CODE --database URL [--bench NAME]
                                    join the queue with a code shown on one of its benches
packbench db migrate                bring the database's schema up to date now (Packbench does at every start)
packbench db leave                  work on this bench's own file again (the queue keeps its data)`

// dbStatus says where the data is and, on a queue, who works on it.
func dbStatus(ctx context.Context, c *runCtx) error {
	env, err := OpenEnv(ctx, c.dataDir, c.options(false))
	if err != nil {
		return err
	}
	defer env.Close()
	db := env.DB
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if !db.Shared() {
		fmt.Fprintf(c.stdout, "This bench works on its own file: %s\nSchema version %d of %d.\n", db.Path(), v, db.KnownMigrations())
		return nil
	}
	fmt.Fprintf(c.stdout, "Shared order queue: %s (PostgreSQL)\nThis bench: %s\nSchema version %d of %d.\n", db.Path(), env.Bench, v, db.KnownMigrations())
	benches, err := db.Benches(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Benches (%d):\n", len(benches))
	for _, b := range benches {
		fmt.Fprintf(c.stdout, "  %-16s joined %s, last seen %s\n", b.Name, b.JoinedAt.Local().Format("2006-01-02 15:04"), b.SeenAt.Local().Format("2006-01-02 15:04"))
	}
	return nil
}

// dbMigrate opens the database, which migrates it, and says what it did.
func dbMigrate(ctx context.Context, c *runCtx) error {
	env, err := OpenEnv(ctx, c.dataDir, c.options(false))
	if err != nil {
		return err
	}
	defer env.Close()
	v, err := env.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if env.DB.Migrated == 0 {
		fmt.Fprintf(c.stdout, "%s is up to date (schema version %d).\n", env.DB.Path(), v)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s: %d migration(s) applied, schema version %d.\n", env.DB.Path(), env.DB.Migrated, v)
	return nil
}

// queueFlags reads --database and --bench after a db subcommand.
func queueFlags(c *runCtx, name string, args []string, urlFlag string) (location, bench string, rest []string, err error) {
	fs := newFlagSet(c, "db "+name)
	loc := fs.String(urlFlag, c.database, "the shared order queue's postgres:// URL")
	b := fs.String("bench", c.bench, "this bench's name on the queue (default: the computer's name)")
	if err := fs.Parse(args); err != nil {
		return "", "", nil, errUsage
	}
	if !store.IsPostgres(*loc) {
		return "", "", nil, fmt.Errorf("give the queue's PostgreSQL URL: --%s postgres://USER:PASSWORD@HOST:5432/DATABASE", urlFlag)
	}
	if *b == "" {
		*b = defaultBenchName()
	}
	return *loc, *b, fs.Args(), checkBenchName(*b)
}

// queueFlagsOnly is queueFlags for a subcommand that takes nothing else.
func queueFlagsOnly(c *runCtx, name string, args []string, urlFlag string) (location, bench string, err error) {
	location, bench, rest, err := queueFlags(c, name, args, urlFlag)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("packbench db %s takes no %q: only --%s and --bench", name, rest[0], urlFlag)
	}
	return location, bench, err
}

// dbInit makes an empty PostgreSQL database a queue with this bench in it.
func dbInit(ctx context.Context, c *runCtx, args []string) error {
	location, bench, err := queueFlagsOnly(c, "init", args, "database")
	if err != nil {
		return err
	}
	c.database, c.bench = location, bench
	env, err := OpenEnv(ctx, c.dataDir, c.options(false))
	if err != nil {
		return err
	}
	defer env.Close()
	if err := saveQueue(c.dataDir, env.secrets, location, bench); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s is a shared order queue; this bench, %s, works on it from now on.\n"+
		"Connect the stores here (packbench connect), then on each other bench: packbench db join-code here, packbench db join CODE there.\n",
		env.DB.Path(), bench)
	return nil
}

// dbCopy moves this bench's own data into an empty queue and joins it.
func dbCopy(ctx context.Context, c *runCtx, args []string) error {
	location, bench, err := queueFlagsOnly(c, "copy", args, "to")
	if err != nil {
		return err
	}
	if _, joined, _ := loadQueue(c.dataDir); joined || c.database != "" {
		return errors.New("this bench already works on a shared queue: copy moves a bench's own file (packbench db leave first)")
	}
	local, err := OpenEnv(ctx, c.dataDir, Options{})
	if err != nil {
		return err
	}
	defer local.Close()
	if err := local.DB.Damage(); err != nil {
		return fmt.Errorf("not copied: %w", err)
	}
	shared, err := store.Open(ctx, location)
	if err != nil {
		return err
	}
	defer shared.Close()
	shared.SetBench(bench)
	id, err := keychain.DataKeyID(local.secrets)
	if err != nil {
		return fmt.Errorf("this bench's data key: %w", err)
	}
	if err := checkEnrolment(ctx, shared, id); err != nil {
		return fmt.Errorf("the queue already belongs to other benches (another data key): %w", err)
	}
	report, err := store.CopyInto(ctx, local.DB, shared, bench)
	if err != nil {
		return err
	}
	// The stores' tokens move too, sealed with the same key.
	sealer, err := keychain.OpenSealer(local.secrets, false)
	if err != nil {
		return err
	}
	shared.UseSealer(sealer)
	stores, err := local.DB.ListStores(ctx)
	if err != nil {
		return err
	}
	secrets := shared.SharedSecrets()
	for _, st := range stores {
		for _, name := range station.StoreSecretNames(st) {
			v, err := local.secrets.Get(name)
			if errors.Is(err, station.ErrSecretNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("read store %s's token: %w", st.Name, err)
			}
			if err := secrets.Set(name, v); err != nil {
				return err
			}
		}
	}
	if err := shared.SeeBench(ctx); err != nil {
		return err
	}
	if err := saveQueue(c.dataDir, local.secrets, location, bench); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Copied %d orders, %d labels and %d stores into %s; this bench, %s, works there from now on.\n"+
		"Its own file stays in %s, unused.\n", report.Rows["orders"], report.Rows["labels"], report.Rows["stores"],
		shared.Path(), bench, filepath.Join(c.dataDir, store.FileName))
	return nil
}

// dbJoinCode shows a one-time code for another bench to join with.
func dbJoinCode(ctx context.Context, c *runCtx) error {
	env, err := OpenEnv(ctx, c.dataDir, c.options(false))
	if err != nil {
		return err
	}
	defer env.Close()
	code, expires, err := MakeJoinCode(ctx, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Join code: %s\nOn the new bench: packbench db join %s --database %s --bench NAME\nIt works once, until %s.\n",
		code, code, passwordPlaceholder(env.DB.Path()), expires.Local().Format("15:04"))
	return nil
}

// passwordPlaceholder writes a redacted URL for a person to fill in.
func passwordPlaceholder(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.User == nil {
		return location
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "PASSWORD")
	}
	return u.String()
}

// MakeJoinCode wraps this bench's data key for a bench joining with the
// returned code before expires.
func MakeJoinCode(ctx context.Context, env *Env) (code string, expires time.Time, err error) {
	if !env.DB.Shared() {
		return "", time.Time{}, errors.New("this bench works on its own file: join codes are for a shared order queue (packbench db init or copy first)")
	}
	if code, err = keychain.NewJoinCode(); err != nil {
		return "", time.Time{}, err
	}
	salt, wrapped, err := keychain.WrapDataKey(env.secrets, code)
	if err != nil {
		return "", time.Time{}, err
	}
	expires = time.Now().Add(joinCodeLife)
	return code, expires, env.DB.SaveJoinCode(ctx, salt, wrapped, expires)
}

// dbJoin joins the queue with a code shown on one of its benches.
func dbJoin(ctx context.Context, c *runCtx, args []string) error {
	location, bench, rest, err := queueFlags(c, "join", args, "database")
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("give the join code shown on a bench of the queue: packbench db join XXXX-XXXX-XXXX --database URL")
	}
	if err := JoinQueue(ctx, c.dataDir, location, bench, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "This bench, %s, joined the shared order queue at %s.\n", bench, store.RedactURL(location))
	return nil
}

// JoinQueue enrolls this bench in a queue with a join code: the queue's
// data key, unwrapped with the code, goes to this bench's keychain (a key
// it had is kept aside as the previous one), the code's wrapped copy is
// deleted, and the bench works on the queue from its next start.
func JoinQueue(ctx context.Context, dataDir, location, bench, code string) error {
	if err := checkBenchName(bench); err != nil {
		return err
	}
	if err := keychain.CheckJoinCode(code); err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	secrets, _ := keychain.Open(dataDir, os.Getenv("PACKBENCH_KEYCHAIN"), os.Getenv("PACKBENCH_SECRETS_PASSPHRASE"))
	db, err := store.Open(ctx, location)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetBench(bench)
	queueID, err := db.DataKeyID(ctx)
	if err != nil {
		return err
	}
	if queueID == "" {
		return errors.New("no bench works on this queue yet: make it one with packbench db init (or copy) on the first bench")
	}
	codes, err := db.JoinCodes(ctx)
	if err != nil {
		return err
	}
	for _, jc := range codes {
		key, err := keychain.UnwrapDataKey(code, jc.Salt, jc.Wrapped)
		if errors.Is(err, keychain.ErrWrongJoinCode) {
			continue
		}
		if err != nil {
			return err // a code mistyped: said precisely
		}
		if keychain.KeyID(key) != queueID {
			continue
		}
		if old, err := secrets.Get(keychain.DataKeyName); err == nil {
			if err := secrets.Set(keychain.DataKeyName+".before-join", old); err != nil {
				return err
			}
		}
		if err := keychain.KeepDataKey(secrets, key, true); err != nil {
			return err
		}
		if err := db.UseJoinCode(ctx, jc.ID); err != nil {
			return err
		}
		if err := db.SeeBench(ctx); err != nil {
			return err
		}
		return saveQueue(dataDir, secrets, location, bench)
	}
	return keychain.ErrWrongJoinCode
}

// dbLeave makes this bench work on its own file again.
func dbLeave(c *runCtx) error {
	q, joined, err := loadQueue(c.dataDir)
	if err != nil {
		return err
	}
	if !joined {
		return errors.New("this bench works on its own file already")
	}
	if err := os.Remove(filepath.Join(c.dataDir, QueueFile)); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "This bench works on its own file again; the queue at %s keeps its data.\n", q.Database)
	return nil
}
