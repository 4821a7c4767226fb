// Package multibench runs benches as separate processes on one shared
// order queue, as a warehouse does: each process opens its own data dir
// (its keychain, its folder printer) on the same PostgreSQL database and
// the same Amazon, scans orders and buys and prints their labels, then
// bulk ships what is left together with the others. The test of several
// benches and make bench both start their processes with it.
//
// A child process is the calling binary itself, started again with the
// bench's configuration in its environment: the binary's main (or
// TestMain) calls RunChildIfAsked first.
package multibench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/cli"
	"github.com/packbench/packbench/station"
)

// childEnv carries a child's Config, as JSON.
const childEnv = "PACKBENCH_MULTIBENCH_CHILD"

// Config is one bench process's work.
type Config struct {
	DataDir   string
	Database  string
	Bench     string
	AmazonSim string
	// Codes are the order ids this bench scans, in its own order; every
	// bench gets the same ones, as packers pick from one pile.
	Codes []string
	// Grams is every parcel's weight (what the scale would say).
	Grams float64
	// Bulk are order ids this bench bulk ships after scanning, together
	// with the other benches (those still ready).
	Bulk []string
	// Start is when the benches begin scanning, all at once.
	Start time.Time
}

// Summary is what a bench process did.
type Summary struct {
	Bench string
	// Scans: orders scanned; Bought: labels this bench bought and printed
	// from a scan; Elsewhere: scans of orders another bench had or bought.
	Scans, Bought, Elsewhere int
	// BulkBought and BulkElsewhere are the bulk ship's.
	BulkBought, BulkElsewhere int
	// Failures are scans or bulk orders that failed for another reason.
	Failures []string
	// ScanTimes are each scan's time, from scan to label printed (or to
	// the answer that another bench has it), in milliseconds; BuyTimes
	// those of the scans that bought and printed a label.
	ScanTimes, BuyTimes []float64
}

// RunChildIfAsked runs this process as a bench when it was started as one
// (Start), writes its Summary to stdout and exits.
func RunChildIfAsked() {
	raw := os.Getenv(childEnv)
	if raw == "" {
		return
	}
	var c Config
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		fmt.Fprintln(os.Stderr, "multibench:", err)
		os.Exit(2)
	}
	s, err := Run(context.Background(), c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "multibench:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(s)
	os.Exit(0)
}

// Start runs configs as bench processes of this binary (args are what it
// needs to reach RunChildIfAsked, e.g. -test.run=^$) and returns their
// summaries once all ended.
func Start(ctx context.Context, args []string, configs []Config) ([]Summary, error) {
	out := make([]Summary, len(configs))
	errs := make([]error, len(configs))
	var wg sync.WaitGroup
	for i, c := range configs {
		raw, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		cmd := exec.CommandContext(ctx, os.Args[0], args...)
		cmd.Env = append(os.Environ(), childEnv+"="+string(raw), "PACKBENCH_KEYCHAIN=file")
		wg.Go(func() {
			stdout, err := cmd.Output()
			if err != nil {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					err = fmt.Errorf("%w: %s", err, ee.Stderr)
				}
				errs[i] = fmt.Errorf("bench %s: %w", c.Bench, err)
				return
			}
			errs[i] = json.Unmarshal(stdout, &out[i])
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Run is one bench: it opens the shared queue, sets up its own folder
// printer, scans its codes (buying and printing each ready one), then
// bulk ships what is still ready.
func Run(ctx context.Context, c Config) (Summary, error) {
	sum := Summary{Bench: c.Bench}
	env, err := cli.OpenEnv(ctx, c.DataDir, cli.Options{AmazonSim: c.AmazonSim, Amazon: true, Database: c.Database, Bench: c.Bench})
	if err != nil {
		return sum, err
	}
	defer env.Close()
	st := env.Station
	p, err := st.SavePrinter(ctx, station.Printer{Name: "Labels", Kind: station.PrinterFolder,
		Address: filepath.Join(c.DataDir, "printed"), Format: station.FormatZPL203})
	if err != nil {
		return sum, err
	}
	if err := st.SetLabelPrinter(ctx, p.ID); err != nil {
		return sum, err
	}
	choice := station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: c.Grams, Unit: station.Gram}}}
	codes := slices.Clone(c.Codes)
	// Each bench its own order, the same at every run (seeded by its name).
	h := fnv.New64a()
	h.Write([]byte(c.Bench))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0))
	rng.Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
	time.Sleep(time.Until(c.Start))
	for _, code := range codes {
		began := time.Now()
		res, err := st.Scan(ctx, code)
		if err != nil {
			sum.Failures = append(sum.Failures, code+": "+err.Error())
			continue
		}
		sum.Scans++
		if res.Order == nil || res.Order.Status != station.StatusReady {
			// Bought already (by another bench, the scan says which).
			sum.Elsewhere++
			sum.ScanTimes = append(sum.ScanTimes, ms(time.Since(began)))
			continue
		}
		_, err = st.ShipOrder(ctx, res.Order.ID, choice, false)
		took := ms(time.Since(began))
		sum.ScanTimes = append(sum.ScanTimes, took)
		switch {
		case err == nil:
			sum.Bought++
			sum.BuyTimes = append(sum.BuyTimes, took)
		case errors.Is(err, station.ErrOtherBench):
			sum.Elsewhere++
		default:
			sum.Failures = append(sum.Failures, code+": "+err.Error())
		}
	}
	if len(c.Bulk) == 0 {
		return sum, nil
	}
	rows, err := st.AllOrders(ctx, station.OrderFilter{Status: station.StatusReady})
	if err != nil {
		return sum, err
	}
	var ids []int64
	for _, r := range rows {
		if slices.Contains(c.Bulk, r.AmazonOrderID) {
			ids = append(ids, r.ID)
		}
	}
	res := st.ShipAll(ctx, ids, choice, station.ShipAllOptions{Print: true})
	sum.BulkBought, sum.BulkElsewhere = res.Bought, res.Elsewhere()
	for _, r := range res.Results {
		if r.Err != nil && !errors.Is(r.Err, station.ErrOtherBench) {
			sum.Failures = append(sum.Failures, fmt.Sprintf("bulk %d: %v", r.OrderID, r.Err))
		}
	}
	if res.PrintFailed > 0 {
		sum.Failures = append(sum.Failures, fmt.Sprintf("bulk: %d labels did not print: %v", res.PrintFailed, res.PrintErrored))
	}
	return sum, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Percentile is the p-th percentile (0-100) of values, nearest rank.
func Percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.Sort(v)
	i := int(float64(len(v))*p/100+0.5) - 1
	return v[max(0, min(i, len(v)-1))]
}

// Queue is a prepared shared queue: benches enrolled, orders imported.
type Queue struct {
	Location  string
	AmazonSim string
	// Dirs are the benches' data dirs, Benches their names.
	Dirs, Benches []string
	// Ready are the Amazon order ids ready to ship after the import.
	Ready []string
}

// Prepare makes an empty PostgreSQL database a queue of n benches under
// root: the first initialises it, connects the simulator's demo store and
// imports its orders; the others join with a code each, as packers do.
func Prepare(location, amazonSim, root string, n int) (Queue, error) {
	q := Queue{Location: location, AmazonSim: amazonSim}
	for i := 1; i <= n; i++ {
		q.Dirs = append(q.Dirs, filepath.Join(root, fmt.Sprint("bench", i)))
		q.Benches = append(q.Benches, fmt.Sprint("Pack-", i))
	}
	pb := func(args ...string) (string, error) {
		var out, errb strings.Builder
		if code := cli.Main(args, &out, &errb, nil); code != 0 {
			return "", fmt.Errorf("packbench %s: %s", strings.Join(args, " "), errb.String())
		}
		return out.String(), nil
	}
	steps := [][]string{
		{"db", "init", "--database", location, "--bench", q.Benches[0], "--data-dir", q.Dirs[0], "--amazon-sim", amazonSim},
		{"connect", "--demo", "--data-dir", q.Dirs[0], "--amazon-sim", amazonSim},
		{"import", "--data-dir", q.Dirs[0], "--amazon-sim", amazonSim},
	}
	for _, s := range steps {
		if _, err := pb(s...); err != nil {
			return q, err
		}
	}
	for i := 1; i < n; i++ {
		out, err := pb("db", "join-code", "--data-dir", q.Dirs[0])
		if err != nil {
			return q, err
		}
		m := regexp.MustCompile(`Join code: (\S+)`).FindStringSubmatch(out)
		if m == nil {
			return q, fmt.Errorf("no join code in %q", out)
		}
		if _, err := pb("db", "join", m[1], "--database", location, "--bench", q.Benches[i], "--data-dir", q.Dirs[i]); err != nil {
			return q, err
		}
	}
	out, err := pb("orders", "--json", "--status", "ready", "--data-dir", q.Dirs[0])
	if err != nil {
		return q, err
	}
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		return q, err
	}
	for _, r := range rows {
		q.Ready = append(q.Ready, r.AmazonOrderID)
	}
	return q, nil
}

// Configs are the benches' work: every bench scans scan, then all bulk
// ship bulk, starting together at start.
func (q Queue) Configs(scan, bulk []string, start time.Time) []Config {
	var out []Config
	for i := range q.Dirs {
		out = append(out, Config{DataDir: q.Dirs[i], Database: q.Location, Bench: q.Benches[i], AmazonSim: q.AmazonSim,
			Codes: scan, Bulk: bulk, Grams: 900, Start: start})
	}
	return out
}
