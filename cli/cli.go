// Package cli is Packbench's composition root: it parses the command line,
// opens the data dir (log file, SQLite database), builds the station and
// then either runs a headless subcommand or hands the station to the GUI.
// Keeping this apart from main lets every subcommand run in tests without a
// window or GL.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/demo"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/integrations/scale"
	"github.com/packbench/packbench/logging"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// CrashReportFile is where a crash's report goes (Go's panic and every
// goroutine's stack), for a seller to send with a support request.
const CrashReportFile = "crash-report.txt"

// keepCrashReports sends the report of a crash to CrashReportFile. It holds
// code locations and stacks, not the log's data: no buyer's data is logged
// there.
func keepCrashReports(dataDir string, log *slog.Logger) {
	f, err := os.OpenFile(filepath.Join(dataDir, CrashReportFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		log.Warn("no crash report file", "err", err)
		return
	}
	defer f.Close() // SetCrashOutput keeps its own copy of the descriptor
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		log.Warn("no crash report file", "err", err)
	}
}

// DemoStateFile is where the built-in Amazon simulator keeps its world.
const DemoStateFile = "demo-amazon.json"

// Version is set at build time with -ldflags "-X .../cli.Version=1.2.3".
var Version = "0.1.0-dev"

// Env is an opened data dir and the station over it.
type Env struct {
	DataDir string
	Station *station.Station
	Log     *slog.Logger
	DB      *store.DB
	// Demo is the in-process Amazon simulator and broker (nil until Amazon is wired).
	Demo *demo.Env
	// Warnings are problems the person should hear about at start (a lost data key).
	Warnings []string
	// Bench names this bench on a shared order queue ("" on its own file).
	Bench string
	// secrets is this bench's keychain (its data key, the queue's
	// password); storeSecrets keep the stores' tokens: the keychain too,
	// or on a shared queue its sealed table, for every bench to use.
	secrets      station.Secrets
	storeSecrets station.Secrets
	closers      []io.Closer
	// StartErr is why the window's environment could not be opened (its
	// shared queue away); the window waits and opens it with Retry.
	StartErr error
	opts     Options
	// flow is the Amazon side, when wired: its limits are shared by the
	// queue's benches at work (shareLimits).
	flow *amazon.Flow
}

// Retry opens the environment that failed to open (StartErr).
func (e *Env) Retry(ctx context.Context) (*Env, error) {
	return OpenEnv(ctx, e.DataDir, e.opts)
}

// Options say how the app reaches Amazon.
type Options struct {
	// AmazonSim points every Amazon call of demo stores (and sign-in) at an
	// external simulator, or anything that speaks SP-API, instead of the
	// built-in one (--amazon-sim, PACKBENCH_AMAZON_SIM).
	AmazonSim string
	// Amazon wires the Amazon side (keychain, sign-in, simulator); commands
	// that only read the database leave it off and start faster.
	Amazon bool
	// Database is a shared order queue's postgres:// URL (--database,
	// PACKBENCH_DATABASE); Bench this bench's name on it (--bench,
	// PACKBENCH_BENCH). Empty: the queue this bench joined, if any, else
	// its own SQLite file.
	Database, Bench string
}

// Close closes the database and the log.
func (e *Env) Close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i].Close())
	}
	return errors.Join(errs...)
}

// GUI runs the desktop app over an opened environment until its window closes.
type GUI func(ctx context.Context, env *Env) error

// OpenEnv opens the log and the database in dataDir.
func OpenEnv(ctx context.Context, dataDir string, opts ...Options) (*Env, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	log, logFile, err := logging.Open(dataDir, slog.LevelInfo)
	if err != nil {
		return nil, err
	}
	env := &Env{DataDir: dataDir, Log: log, closers: []io.Closer{logFile}}
	keepCrashReports(dataDir, log)
	secrets, kind := keychain.Open(dataDir, os.Getenv("PACKBENCH_KEYCHAIN"), os.Getenv("PACKBENCH_SECRETS_PASSPHRASE"))
	log.Info("secrets store", "kind", kind)
	env.secrets, env.storeSecrets = secrets, secrets
	choice, err := chooseDatabase(dataDir, o, secrets)
	if err != nil {
		env.Close()
		return nil, err
	}
	location := filepath.Join(dataDir, store.FileName)
	if choice.location != "" {
		location = choice.location
		log.Info("shared order queue", "database", store.RedactURL(location), "bench", choice.bench)
	}
	db, err := store.Open(ctx, location)
	if err != nil {
		env.Close()
		if choice.location != "" {
			return nil, fmt.Errorf("open the shared order queue: %w", err)
		}
		return nil, fmt.Errorf("open the database in %s: %w", dataDir, err)
	}
	env.closers = append(env.closers, db)
	env.DB = db
	env.Bench = choice.bench
	db.SetBench(choice.bench)
	if db.Migrated > 0 {
		log.Info("database migrated", "applied", db.Migrated)
	}
	env.Station = station.New(db, log).WithBenchName(choice.bench).
		WithLabelPrinter(labelPrinter{defaultDir: filepath.Join(env.DataDir, "labels"), log: log}).
		WithDocuments(documents{}).
		WithBench(benchFile{path: filepath.Join(dataDir, BenchFile)}).
		WithScales(scale.Open, scale.Ports)
	if err := sealPersonalData(env); err != nil {
		env.Close()
		return nil, err
	}
	if o.Amazon {
		if err := wireAmazon(env, o); err != nil {
			env.Close()
			return nil, err
		}
	}
	return env, nil
}

// wireAmazon connects the station to Amazon: the keychain, the sign-in flow,
// and the simulator for demo stores (built in, or external with --amazon-sim).
// A real public app is used when PACKBENCH_APP_ID and PACKBENCH_BROKER_URL name one.
// sealPersonalData opens the keychain and the data key that encrypts
// buyers' data and labels in the database. A lost key is said plainly: the
// bench keeps working with a new key, and orders whose data is unreadable
// get it back when imported again.
func sealPersonalData(env *Env) error {
	if env.DB.Shared() {
		return sealSharedData(env)
	}
	secrets := env.secrets
	sealer, err := keychain.OpenSealer(secrets, false)
	if errors.Is(err, keychain.ErrDataKeyLost) {
		if sealed, _ := env.DB.HasSealedData(context.Background()); sealed {
			env.Warnings = append(env.Warnings, keychain.ErrDataKeyLost.Error())
			env.Log.Warn("data key missing: buyers' data stored earlier is unreadable; a new key is made")
		}
		sealer, err = keychain.OpenSealer(secrets, true)
	}
	if err != nil {
		return fmt.Errorf("open the key that encrypts buyers' data: %w", err)
	}
	env.DB.UseSealer(sealer)
	// An index made by an older version finds names by whole words only:
	// it is rebuilt once, from the sealed names.
	if n, err := env.DB.RefreshNameIndex(context.Background()); err != nil {
		env.Log.Warn("buyer-name index not rebuilt; searching by name finds whole words until it is", "err", err)
	} else if n > 0 {
		env.Log.Info("buyer-name index rebuilt", "orders", n)
	}
	return nil
}

// sealSharedData opens the data key on a shared queue: the queue's, which
// this bench holds once it joined; the first bench on an empty queue
// brings its own (made now if it has none). Stores' tokens are read from
// the queue, sealed with that key.
func sealSharedData(env *Env) error {
	ctx := context.Background()
	queueID, err := env.DB.DataKeyID(ctx)
	if err != nil {
		return fmt.Errorf("read the shared queue's data key id: %w", err)
	}
	sealer, err := keychain.OpenSealer(env.secrets, queueID == "")
	if errors.Is(err, keychain.ErrDataKeyLost) {
		return fmt.Errorf("%w: %s", ErrNotEnrolled, enrollmentHelp)
	}
	if err != nil {
		return fmt.Errorf("open the key that encrypts buyers' data: %w", err)
	}
	id, err := keychain.DataKeyID(env.secrets)
	if err != nil {
		return err
	}
	if err := checkEnrolment(ctx, env.DB, id); err != nil {
		return err
	}
	env.DB.UseSealer(sealer)
	env.storeSecrets = env.DB.SharedSecrets()
	env.Station.WithLabelCache(labelCache{dir: filepath.Join(env.DataDir, LabelCacheDir), sealer: sealer})
	if err := env.DB.SeeBench(ctx); err != nil {
		env.Log.Warn("bench not recorded as seen", "err", err)
	}
	return nil
}

func wireAmazon(env *Env, o Options) error {
	secrets := env.storeSecrets
	// The built-in simulator makes its reports in 6 s, not Amazon's minutes: a newcomer should not wait.
	// The built-in simulator keeps its world in the data dir: the demo
	// remembers its labels, sign-ins and orders between starts, as Amazon does.
	d, err := demo.Start(sim.Config{Seed: 1, Orders: 60, Logger: env.Log, ReportDelay: 6 * time.Second,
		StatePath: filepath.Join(env.DataDir, DemoStateFile)}, o.AmazonSim, env.Log)
	if err != nil {
		return fmt.Errorf("start the built-in Amazon simulator: %w", err)
	}
	env.Demo = d
	env.closers = append(env.closers, d)
	flow := &amazon.Flow{Endpoints: amazon.Production().FromEnv(os.Getenv), Log: env.Log,
		UserAgent: fmt.Sprintf("Packbench/%s (Language=Go/%s; Platform=%s)", Version, runtime.Version(), runtime.GOOS)}
	if o.AmazonSim != "" {
		flow.Endpoints = amazon.Simulator(o.AmazonSim)
	}
	d.Wire(flow)
	if id, broker := os.Getenv("PACKBENCH_APP_ID"), os.Getenv("PACKBENCH_BROKER_URL"); id != "" && broker != "" {
		flow.ApplicationID, flow.Broker, flow.SignInDemo = id, amazon.BrokerClient{BaseURL: broker}, false
		flow.Draft = os.Getenv("PACKBENCH_APP_DRAFT") == "1"
	}
	env.Station.WithAmazon(flow, secrets).WithOrderSource(flow).WithShipper(flow)
	env.flow = flow
	env.shareLimits(context.Background())
	return nil
}

type command struct {
	name, usage string
	run         func(ctx context.Context, c *runCtx, args []string) error
	needsEnv    bool
	needsAmazon bool
}

type runCtx struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	dataDir        string
	amazonSim      string
	database       string
	bench          string
	env            *Env
	// help: the command was given -h, so its flag set lists its flags.
	help bool
}

func commands() []command {
	return []command{
		{name: "version", usage: "print the version", run: runVersion},
		{name: "orders", usage: "list orders [--json] [--status ready|label_bought|shipped|delivered|cancelled] [--search TEXT] [--attention] [--prime] [--overdue]\n" +
			"           [--sort purchased|ship_by|order_id|market|status|items|products] [--reverse]", run: runOrders, needsEnv: true},
		{name: "order", usage: "show one order: ORDER (ship-to, items, weight, history)", run: runOrder, needsEnv: true},
		{name: "erase", usage: "erase a buyer's data now (GDPR request): ORDER --yes", run: runErase, needsEnv: true},
		{name: "redact", usage: "redact buyers' data past retention after delivery now (the app does it every hour)", run: runRedact, needsEnv: true},
		{name: "stores", usage: "list connected stores and their health [--json] [--check]", run: runStores, needsEnv: true, needsAmazon: true},
		{name: "connect", usage: "connect a store: --demo [--region NA|EU|FE] | --sign-in --marketplace ID | --paste --marketplace ID |\n" +
			"           --own-app --region R --seller-id ID --client-id ID (secret and refresh token from\n" +
			"           PACKBENCH_CLIENT_SECRET and PACKBENCH_REFRESH_TOKEN)", run: runConnect, needsEnv: true, needsAmazon: true},
		{name: "import", usage: "import unshipped orders now [--store ID] [--again: start over, after a lost data key]", run: runImport, needsEnv: true, needsAmazon: true},
		{name: "rates", usage: "rates for an order: ORDER [--weight GRAMS] [--dims L,W,H]", run: runRates, needsEnv: true, needsAmazon: true},
		{name: "buy", usage: "buy a label: ORDER [--service ID] [--format ZPL203|ZPL300|PDF|PNG] [--confirmation none|signature|adult_signature]\n" +
			"           [--weight GRAMS] [--dims L,W,H] [--box NAME] [--print FOLDER | --print-label]", run: runBuy, needsEnv: true, needsAmazon: true},
		{name: "void", usage: "void an order's label: ORDER (the order goes back to Ready to ship)", run: runVoid, needsEnv: true, needsAmazon: true},
		{name: "track", usage: "where an order's parcel is: ORDER (asks the carrier through Amazon now)", run: runTrack, needsEnv: true, needsAmazon: true},
		{name: "report", usage: "what shipping cost, by day, carrier and service: [--from 2026-11-01] [--to 2026-11-30] [--csv]\n" +
			"           (default: today; voided labels show as refund due)", run: runReport, needsEnv: true},
		{name: "close-day", usage: "end of day: collection forms for carriers that take one (USPS, Canada Post, Royal Mail...), printed:\n" +
			"           [--carrier C] [--print FOLDER] | --list (what waits for a form) | --history (the last 7 days' forms)", run: runCloseDay, needsEnv: true, needsAmazon: true},
		{name: "reprint", usage: "print an order's label again: ORDER [--print FOLDER] (default: the label printer)", run: runReprint, needsEnv: true, needsAmazon: true},
		{name: "printers", usage: "list printers [--json] (* marks the label and document printers)", run: runPrinters, needsEnv: true},
		{name: "printer", usage: "printer add NAME --raw9100 HOST[:PORT] | --cups QUEUE[@SERVER] | --windows NAME | --folder DIR\n" +
			"           [--format ZPL203|ZPL300|PDF|PDF_LETTER|PDF_A4|PNG] [--label-printer] [--document-printer] [--keep-printer-commands]\n" +
			"           printer discover [--server HOST:PORT]   (CUPS queues)\n" +
			"           printer status NAME | printer default NAME | printer document NAME|--label-printer | printer delete NAME", run: runPrinter, needsEnv: true},
		{name: "test-print", usage: "print a test label showing dpi and alignment: NAME", run: runTestPrint, needsEnv: true},
		{name: "print", usage: "print an order's label: ORDER [--printer NAME] [--slip | --slip-only] (through the print queue)", run: runPrint, needsEnv: true, needsAmazon: true},
		{name: "pick-list", usage: "print a pick list (SKUs summed) on the document printer: ORDER... | --status ready", run: runPickList, needsEnv: true, needsAmazon: true},
		{name: "weight", usage: "remember a SKU's unit weight (orders of it are then rated without asking): --store ID --sku SKU --grams G", run: runWeight, needsEnv: true},
		{name: "boxes", usage: "package presets: [--add NAME --dims L,W,H [--unit in|cm] [--tare GRAMS]] [--delete ID]", run: runBoxes, needsEnv: true},
		{name: "mark-shipped", usage: "confirm on Amazon an order shipped without Buy Shipping: ORDER --carrier C --tracking T [--method M]", run: runMarkShipped, needsEnv: true, needsAmazon: true},
		{name: "ship-bulk", usage: "buy labels for every order Ready to ship: --status ready [--service ID]\n" +
			"           [--print FOLDER | --print-label [--print-order list|sku|reverse]]", run: runShipBulk, needsEnv: true, needsAmazon: true},
		{name: "ship-from", usage: "set a store's ship-from address: --store ID --name N --street S --city C --state ST --postal-code P --country CC [--phone]", run: runShipFrom, needsEnv: true, needsAmazon: true},
		{name: "mappings", usage: "service mappings: --store ID [--add --service ID [--marketplace ID] [--service-level L] [--sku S]\n" +
			"           [--min-grams G] [--max-grams G] [--confirmation C] [--priority N]] [--delete RULE]", run: runMappings, needsEnv: true},
		{name: "settings", usage: "show or change a store's settings: --store ID [--import-every MIN] [--import-days N]\n" +
			"           [--import-weights true|false] [--identifier sku|asin] [--retention-days N] [--units metric|imperial]", run: runSettings, needsEnv: true},
		{name: "bench", usage: "show or change this bench's own settings: [--auto true|false] [--after-action keep|next]\n" +
			"           [--slip-with-label true|false]", run: runBench, needsEnv: true},
		{name: "verify", usage: "check an order's items by scanning them: ORDER --scan CODE [--scan CODE…] [--attach CODE=SKU]\n" +
			"           (says what is still missing; a store checks items with packbench settings --verify verify|ship)", run: runVerify, needsEnv: true, needsAmazon: true},
		{name: "scale", usage: "read a bench scale: --serial PORT [--protocol sics|nci|cas] [--baud 9600] | --hid [--device /dev/hidrawN]\n" +
			"           [--once: one stable weight, then exit] (USB HID scales: Linux and Windows so far)", run: runScale},
		{name: "scan", usage: "find a scanned order in any tab and store and say where it is: CODE\n" +
			"           [--buy: when it is ready, buy its default rate and print as Auto does]", run: runScan, needsEnv: true, needsAmazon: true},
		{name: "disconnect", usage: "disconnect a store: --store ID --yes (its orders stay)", run: runDisconnect, needsEnv: true, needsAmazon: true},
		{name: "db", usage: "where this bench's data is, and the order queue benches share: status | init --database URL | copy --to URL |\n" +
			"           join-code | join CODE --database URL | migrate | leave   [--bench NAME]", run: runDB},
		{name: "check", usage: "check the database page by page (SQLite's integrity check) and list its daily backups", run: runCheck, needsEnv: true},
		{name: "help", usage: "show this help", run: nil},
	}
}

// Main runs Packbench with args (without the program name) and returns the
// exit code: 0 ok, 1 failure, 2 bad usage, 130 stopped by Ctrl+C.
func Main(args []string, stdout, stderr io.Writer, gui GUI) int {
	// Ctrl+C (or a service stop) cancels ctx: work stops at its next step,
	// purchases in flight finish and are saved, the database closes last.
	// A second Ctrl+C quits at once; anything left open is settled at the
	// next start.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	global := flag.NewFlagSet("packbench", flag.ContinueOnError)
	global.SetOutput(stderr)
	// The default is worked out only when no folder is given: on Windows
	// working it out may move an old data dir (see DefaultDataDir).
	dataDir := global.String("data-dir", "", "folder for the database and the log (default: $PACKBENCH_DATA_DIR, else ~/.config/Packbench, %LocalAppData%\\Packbench on Windows)")
	amazonSim := global.String("amazon-sim", os.Getenv("PACKBENCH_AMAZON_SIM"), "URL of an external Amazon simulator (or anything that speaks SP-API) for demo stores and sign-in")
	database := global.String("database", os.Getenv("PACKBENCH_DATABASE"), "a shared order queue's postgres:// URL, for several benches (default: the queue this bench joined, else its own file)")
	bench := global.String("bench", os.Getenv("PACKBENCH_BENCH"), "this bench's name on a shared order queue (default: the name it joined with, else the computer's)")
	global.Usage = func() { usage(stderr, global) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := global.Args()
	c := &runCtx{stdout: stdout, stderr: stderr, stdin: os.Stdin, dataDir: *dataDir, amazonSim: *amazonSim, database: *database, bench: *bench}

	if len(rest) == 0 {
		if c.dataDir == "" {
			c.dataDir = DefaultDataDir()
		}
		if gui == nil {
			fmt.Fprintln(stderr, "this build has no desktop window: run a subcommand, see packbench help")
			return 2
		}
		env, err := OpenEnv(ctx, c.dataDir, c.options(true))
		if err != nil && onSharedQueue(c) && !errors.Is(err, ErrNotEnrolled) {
			// The queue's server is away: the window says so and waits
			// for it, rather than a bench that does not start.
			env, err = &Env{DataDir: c.dataDir, StartErr: err, opts: c.options(true)}, nil
		}
		if err != nil {
			fmt.Fprintln(stderr, "packbench:", err)
			return 1
		}
		defer env.Close()
		if err := gui(ctx, env); err != nil {
			env.Log.Error("desktop app stopped", "err", err)
			fmt.Fprintln(stderr, "packbench:", err)
			return 1
		}
		return 0
	}

	for _, cmd := range commands() {
		if cmd.name != rest[0] {
			continue
		}
		if cmd.run == nil {
			usage(stdout, global)
			return 0
		}
		// Flags may also follow the command: packbench orders --json --data-dir X.
		fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.StringVar(&c.dataDir, "data-dir", c.dataDir, "folder for the database and the log")
		fs.StringVar(&c.amazonSim, "amazon-sim", c.amazonSim, "external Amazon simulator URL")
		fs.StringVar(&c.database, "database", c.database, "a shared order queue's postgres:// URL")
		fs.StringVar(&c.bench, "bench", c.bench, "this bench's name on a shared order queue")
		cmdArgs, err := splitGlobalFlags(fs, rest[1:])
		if err != nil {
			fmt.Fprintln(stderr, "packbench:", err)
			return 2
		}
		for _, a := range cmdArgs {
			c.help = c.help || a == "-h" || a == "-help" || a == "--help" || a == "--h"
		}
		if c.dataDir == "" {
			c.dataDir = DefaultDataDir()
		}
		if cmd.needsEnv {
			env, err := OpenEnv(ctx, c.dataDir, c.options(cmd.needsAmazon))
			if err != nil && cmd.name == "reprint" {
				// A shared queue that cannot be reached: the label comes
				// from this bench's cache, if it printed it lately.
				if cerr := reprintFromCache(ctx, c, cmdArgs); cerr == nil {
					return 0
				} else if !errors.Is(cerr, errNoCache) {
					err = fmt.Errorf("%w; and not from this bench's label cache: %w", err, cerr)
				}
			}
			if err != nil {
				fmt.Fprintln(stderr, "packbench:", err)
				return 1
			}
			defer env.Close()
			c.env = env
			if !readsOnly[cmd.name] {
				if err := env.DB.Damage(); err != nil { // waits for the check begun at open
					env.Log.Error("database damaged", "err", err)
					fmt.Fprintln(stderr, "packbench "+cmd.name+": refused:", err)
					return 1
				}
			}
			if cmd.needsAmazon {
				settleUnfinishedPurchases(ctx, c)
			}
		}
		if err := cmd.run(ctx, c, cmdArgs); err != nil {
			if errors.Is(err, errUsage) {
				return 2
			}
			if errors.Is(err, errInterrupted) {
				return 130 // as a shell reports a command stopped by Ctrl+C
			}
			fmt.Fprintln(stderr, "packbench "+cmd.name+":", err)
			if c.env != nil {
				c.env.Log.Error("command failed", "command", cmd.name, "err", err)
			}
			return 1
		}
		if c.env != nil && cmd.needsAmazon {
			// Headless benches (cron, scripts) get their daily copy too.
			if _, err := c.env.DB.BackupDaily(ctx, time.Now()); err != nil {
				c.env.Log.Warn("daily backup failed", "err", err)
			}
		}
		return 0
	}
	fmt.Fprintf(stderr, "packbench: unknown command %q\n", rest[0])
	usage(stderr, global)
	return 2
}

var errUsage = errors.New("usage")

// errInterrupted: the command was stopped (Ctrl+C) after saying what it did.
var errInterrupted = errors.New("stopped")

// readsOnly are the commands that run on a damaged database: they show
// what is there and change nothing.
var readsOnly = map[string]bool{"check": true, "orders": true, "order": true, "printers": true, "version": true}

// settleUnfinishedPurchases asks Amazon about purchases a killed Packbench
// left open before a command touches any order: a label sold but not saved
// is saved now, and said. A failure here is only reported: the order's own
// command settles it again first, or refuses with the reason.
func settleUnfinishedPurchases(ctx context.Context, c *runCtx) {
	n, err := c.env.Station.Reconcile(ctx)
	if n > 0 {
		fmt.Fprintf(c.stderr, "packbench: %d label(s) bought before an interruption were found at Amazon and saved.\n", n)
	}
	if err != nil {
		c.env.Log.Warn("settling unfinished purchases", "err", err)
	}
}

// globalFlags may follow a command as well as precede it.
var globalFlags = map[string]bool{"data-dir": true, "amazon-sim": true, "database": true, "bench": true}

// options are OpenEnv's for this command line.
func (c *runCtx) options(amazon bool) Options {
	return Options{AmazonSim: c.amazonSim, Amazon: amazon, Database: c.database, Bench: c.bench}
}

// splitGlobalFlags pulls the global flags (--data-dir, --database...) out of a subcommand's
// arguments and returns the rest for the subcommand's own flag set.
func splitGlobalFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !globalFlags[name] {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, err
		}
	}
	return rest, nil
}

func usage(w io.Writer, global *flag.FlagSet) {
	fmt.Fprintln(w, "Packbench: a shipping station for Amazon sellers.")
	fmt.Fprintln(w, "\nUsage: packbench [--data-dir DIR]             start the desktop app")
	fmt.Fprintln(w, "       packbench [--data-dir DIR] COMMAND ...  run headless")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nGlobal flags:")
	global.SetOutput(w)
	global.PrintDefaults()
}

func runVersion(_ context.Context, c *runCtx, _ []string) error {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = ", commit " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(c.stdout, "packbench %s (%s %s/%s%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH, rev)
	return nil
}

func runCheck(ctx context.Context, c *runCtx, _ []string) error {
	problems, err := c.env.DB.Check(ctx)
	if err != nil {
		return err
	}
	backups := c.env.DB.Backups()
	if len(problems) > 0 {
		fmt.Fprintf(c.stdout, "The database %s is damaged:\n", c.env.DB.Path())
		for _, p := range problems {
			fmt.Fprintln(c.stdout, "  "+p)
		}
	} else {
		fmt.Fprintf(c.stdout, "The database %s checks out.\n", c.env.DB.Path())
	}
	if len(backups) == 0 {
		fmt.Fprintln(c.stdout, "No daily backup yet: one is made each day Packbench runs.")
	} else {
		fmt.Fprintln(c.stdout, "Daily backups, newest first:")
		for _, b := range backups {
			fmt.Fprintln(c.stdout, "  "+b)
		}
	}
	if len(problems) > 0 {
		return errors.New("damaged: close Packbench, move packbench.db aside and copy the newest backup in its place as packbench.db")
	}
	return nil
}
