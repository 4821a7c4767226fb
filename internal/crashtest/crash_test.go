package crashtest

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/packbench/packbench/integrations/amazon/sim"
)

// binary is the real packbench, built once for the whole matrix.
var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

func packbench(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal; the Windows build is tested elsewhere")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "packbench-crash-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "packbench")
		goTool, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("the go command is not on PATH: %w", err)
			return
		}
		cmd := exec.Command(goTool, "build", "-o", binary, ".")
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binary
}

// printer is a network label printer that counts each label it receives
// by the tracking number on it.
type printer struct {
	addr     string
	mu       sync.Mutex
	labels   map[string]int
	accepted chan struct{}
}

var trackingOnLabel = regexp.MustCompile(`\^FDTRACKING # ([^^]+)\^FS`)

func newPrinter(t *testing.T) *printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	p := &printer{addr: ln.Addr().String(), labels: map[string]int{}, accepted: make(chan struct{}, 64)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.accepted <- struct{}{}
			go func() {
				defer c.Close()
				b, _ := io.ReadAll(c)
				p.mu.Lock()
				defer p.mu.Unlock()
				for _, m := range trackingOnLabel.FindAllSubmatch(b, -1) {
					p.labels[string(m[1])]++
				}
			}()
		}
	}()
	return p
}

func (p *printer) copies() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.labels {
		out[k] = v
	}
	return out
}

// bench is one seller's data dir, the simulator and a label printer.
type bench struct {
	t       *testing.T
	bin     string
	dir     string
	sim     *sim.Sim
	simURL  string
	printer *printer
	orders  []string
}

func newBench(t *testing.T) *bench {
	t.Helper()
	s, err := sim.New(sim.Config{Seed: 9, Orders: 24, TimeScale: 100, ReportDelay: 3 * time.Second})
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	b := &bench{t: t, bin: packbench(t), dir: t.TempDir(), sim: s, simURL: srv.URL, printer: newPrinter(t)}
	b.ok("connect", "--demo")
	b.ok("printer", "add", "Zebra", "--raw9100", b.printer.addr, "--label-printer")
	return b
}

func (b *bench) command(args ...string) *exec.Cmd {
	cmd := exec.Command(b.bin, append(args, "--data-dir", b.dir, "--amazon-sim", b.simURL)...)
	cmd.Env = append(os.Environ(), "PACKBENCH_KEYCHAIN=file")
	return cmd
}

// ok runs a command to its end and requires success.
func (b *bench) ok(args ...string) string {
	b.t.Helper()
	var out, errb bytes.Buffer
	cmd := b.command(args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(b.t, cmd.Run(), "packbench %v: %s%s", args, out.String(), errb.String())
	return out.String()
}

// killWhen starts a command and kills it with SIGKILL once cond holds (or
// fails the test when the command ends first or cond never holds).
func (b *bench) killWhen(cond func() bool, args ...string) {
	b.t.Helper()
	cmd := b.command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(b.t, cmd.Start())
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case err := <-ended:
			b.t.Fatalf("packbench %v ended (%v) before the crash point: %s", args, err, out.String())
		case <-deadline:
			_ = cmd.Process.Kill()
			b.t.Fatalf("packbench %v never reached the crash point: %s", args, out.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
	require.NoError(b.t, cmd.Process.Kill())
	<-ended
}

func (b *bench) imported() {
	b.t.Helper()
	b.ok("import")
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(b.t, json.Unmarshal([]byte(b.ok("orders", "--json", "--status", "ready")), &rows))
	require.GreaterOrEqual(b.t, len(rows), 6)
	b.orders = nil
	for _, r := range rows {
		b.orders = append(b.orders, r.AmazonOrderID)
	}
	sort.Strings(b.orders)
}

// weighEverySKU teaches the weight of every SKU of the ready orders, so
// that a bulk ship rates them all.
func (b *bench) weighEverySKU() {
	b.t.Helper()
	var rows []struct {
		SKUs string `json:"skus"`
	}
	require.NoError(b.t, json.Unmarshal([]byte(b.ok("orders", "--json", "--status", "ready")), &rows))
	seen := map[string]bool{}
	for _, r := range rows {
		for _, sku := range strings.Split(r.SKUs, ", ") {
			if sku != "" && !seen[sku] {
				seen[sku] = true
				b.ok("weight", "--store", "1", "--sku", sku, "--grams", "400")
			}
		}
	}
}

func (b *bench) purchases(order string) (live, all int) {
	for _, p := range b.sim.Purchases() {
		if p.OrderID == order {
			all++
			if !p.Cancelled {
				live++
			}
		}
	}
	return live, all
}

func (b *bench) faulted(op string) int { return b.sim.Stats()[op].Faulted }

// restartAndCheck is the next start after a crash (a command that reaches
// Amazon settles what was left open), then the promises: for every order,
// the labels live at Amazon are exactly the labels live here; no purchase
// is left unsettled; no label reached the printer twice.
func (b *bench) restartAndCheck() {
	b.t.Helper()
	b.sim.ClearFaults()
	b.ok("stores")

	amazon := map[string][]string{}
	for _, p := range b.sim.Purchases() {
		if !p.Cancelled {
			amazon[p.OrderID] = append(amazon[p.OrderID], p.TrackingID)
		}
	}
	db, err := sql.Open("sqlite", filepath.Join(b.dir, "packbench.db")+"?_pragma=query_only(1)")
	require.NoError(b.t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT o.amazon_order_id, s.tracking_id FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.status = 'purchased'`)
	require.NoError(b.t, err)
	here := map[string][]string{}
	for rows.Next() {
		var order, tracking string
		require.NoError(b.t, rows.Scan(&order, &tracking))
		here[order] = append(here[order], tracking)
	}
	require.NoError(b.t, rows.Err())
	rows.Close()
	for _, m := range []map[string][]string{amazon, here} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	assert.Equal(b.t, amazon, here, "Amazon's live labels and Packbench's, order by order")
	for order, labels := range amazon {
		assert.Len(b.t, labels, 1, "order %s has one live label at Amazon", order)
	}
	var open int
	require.NoError(b.t, db.QueryRow(`SELECT count(*) FROM purchase_intents WHERE state IN ('pending', 'unknown')`).Scan(&open))
	assert.Zero(b.t, open, "no purchase is left unsettled")
	for tracking, n := range b.printer.copies() {
		assert.LessOrEqual(b.t, n, 1, "label %s printed %d times", tracking, n)
	}
}

func TestCrashMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	late := sim.Fault{Kind: sim.FaultAnswerLate, Latency: 20 * time.Second, Times: 1}
	cases := []struct {
		name string
		run  func(b *bench)
	}{
		{"buy: killed with the intent written, before Amazon saw it", func(b *bench) {
			order := b.orders[0]
			b.sim.SetFault("purchaseShipment", sim.Fault{Kind: sim.FaultLatency, Latency: 3 * time.Second, Times: 1})
			b.killWhen(func() bool { return b.faulted("purchaseShipment") > 0 }, "buy", order, "--weight", "600")
			b.restartAndCheck() // the restart's replay, under the same key, may buy it: one label either way
		}},
		{"buy: killed after Amazon sold the label, its answer late", func(b *bench) {
			order := b.orders[0]
			b.sim.SetFault("purchaseShipment", late)
			b.killWhen(func() bool { _, all := b.purchases(order); return all > 0 }, "buy", order, "--weight", "600", "--print-label")
			b.restartAndCheck()
			b.ok("print", order) // the label saved at the restart prints, once
		}},
		{"buy: killed after Amazon sold the label, its answer lost", func(b *bench) {
			order := b.orders[1]
			b.sim.SetFault("purchaseShipment", sim.Fault{Kind: sim.FaultAnswerLost})
			b.killWhen(func() bool { return b.faulted("purchaseShipment") > 1 }, "buy", order, "--weight", "600")
			b.restartAndCheck()
		}},
		{"buy and print: killed while the label goes to the printer", func(b *bench) {
			order := b.orders[2]
			start := len(b.printer.accepted)
			b.killWhen(func() bool { return len(b.printer.accepted) > start }, "buy", order, "--weight", "600", "--print-label")
			b.restartAndCheck()
			b.ok("buy", b.orders[3], "--weight", "600", "--print-label") // a later print does not send the first again
			b.restartAndCheck()
		}},
		{"void: killed after Amazon cancelled the label, its answer late", func(b *bench) {
			order := b.orders[0]
			b.ok("buy", order, "--weight", "600")
			b.sim.SetFault("cancelShipment", late)
			b.killWhen(func() bool { live, _ := b.purchases(order); return live == 0 }, "void", order)
			b.restartAndCheck()
			b.ok("buy", order, "--weight", "600")
			b.restartAndCheck()
		}},
		{"ship-bulk: killed mid-run with a purchase's answer late", func(b *bench) {
			b.weighEverySKU()
			b.sim.SetFault("purchaseShipment", late)
			b.killWhen(func() bool { return len(b.sim.Purchases()) >= 3 }, "ship-bulk", "--status", "ready", "--print-label")
			b.restartAndCheck()
			b.ok("ship-bulk", "--status", "ready", "--print-label")
			b.restartAndCheck()
		}},
		{"print: killed while a reprint goes to the printer", func(b *bench) {
			order := b.orders[4]
			b.ok("buy", order, "--weight", "600")
			start := len(b.printer.accepted)
			b.killWhen(func() bool { return len(b.printer.accepted) > start }, "print", order)
			b.restartAndCheck()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBench(t)
			b.imported()
			c.run(b)
		})
	}
	t.Run("import: killed while the report downloads, and while pages are written", func(t *testing.T) {
		b := newBench(t)
		b.sim.SetFault("getReportDocument", sim.Fault{Kind: sim.FaultLatency, Latency: 20 * time.Second, Times: 1})
		b.killWhen(func() bool { return b.faulted("getReportDocument") > 0 }, "import")
		b.imported()
		before := len(b.orders)
		_, err := b.sim.NewOrders(sim.DemoSellerNA, 5)
		require.NoError(t, err)
		b.sim.Clock().Advance(3 * time.Minute) // searchOrders sees changes older than two minutes
		b.sim.SetFault("searchOrders", sim.Fault{Kind: sim.FaultAnswerLate, Latency: 20 * time.Second, Times: 1})
		b.killWhen(func() bool { return b.faulted("searchOrders") > 0 }, "import")
		b.imported()
		assert.Equal(t, before+5, len(b.orders), "every order once: none lost, none twice")
		b.restartAndCheck()
	})
}
