// Package shift runs a packer's shift on the real packbench binary: a demo
// data folder, the window under Xvfb at 1024 × 600, and nothing but
// keystrokes typed at a barcode scanner's speed (xdotool, 5 ms a key, then
// Enter), with Auto on. Each scan must put one label, of the scanned order,
// on a network label printer (a loopback port-9100 listener here) before
// the next box is scanned; orders whose weight is unknown get a weight
// typed as a packer would. The shift test and make bench both run it.
package shift

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/internal/xvfb"
)

// Config is one shift.
type Config struct {
	// Binary is the packbench executable to run.
	Binary string
	// Scans is how many ready orders are scanned in a row.
	Scans int
	// Log receives the shift's progress (nil: discarded).
	Log io.Writer
}

// Result is what the printer received and how long each box took.
type Result struct {
	Scans int
	// Labels counts the labels that reached the printer; WrongLabels those
	// for another order than the one just scanned; Distinct the orders the
	// labels were for.
	Labels, WrongLabels, Distinct int
	// PerOrder is each scan's time from Enter to the label's last byte at
	// the printer (for a weighed order: from the weight's Enter).
	PerOrder []time.Duration
	// WindowBefore and WindowAfter are the window's size ("1024x600").
	WindowBefore, WindowAfter string
}

// Mean is the average time from scan to label.
func (r Result) Mean() time.Duration {
	if len(r.PerOrder) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range r.PerOrder {
		sum += d
	}
	return sum / time.Duration(len(r.PerOrder))
}

// Tools are the programs a shift needs besides packbench.
var Tools = []string{"Xvfb", "xdotool"}

// Missing lists the tools this machine lacks.
func Missing() []string {
	var missing []string
	for _, t := range Tools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	return missing
}

// labelTimeout is the longest a label may take to reach the printer.
const labelTimeout = 30 * time.Second

// Run runs a shift.
func Run(ctx context.Context, c Config) (Result, error) {
	res := Result{Scans: c.Scans}
	logw := c.Log
	if logw == nil {
		logw = io.Discard
	}
	if m := Missing(); len(m) > 0 {
		return res, fmt.Errorf("the shift needs %s (apt-get install xvfb xdotool)", strings.Join(m, " and "))
	}
	dir, err := os.MkdirTemp("", "packbench-shift-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	data := filepath.Join(dir, "data")
	printer, err := listen()
	if err != nil {
		return res, err
	}
	defer printer.close()

	pb := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, c.Binary, append([]string{"--data-dir", data}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return out, fmt.Errorf("packbench %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out, nil
	}
	for _, args := range [][]string{{"connect", "--demo"}, {"import"},
		{"printer", "add", "Zebra", "--raw9100", printer.addr, "--label-printer"}, {"bench", "--auto", "true"}} {
		if _, err := pb(args...); err != nil {
			return res, err
		}
	}
	out, err := pb("orders", "--json", "--status", "ready")
	if err != nil {
		return res, err
	}
	var ready []struct {
		AmazonOrderID string `json:"amazonOrderId"`
		WeightKnown   bool   `json:"weightKnown"`
	}
	if err := json.Unmarshal(out, &ready); err != nil {
		return res, fmt.Errorf("packbench orders --json: %w", err)
	}
	if len(ready) < c.Scans {
		return res, fmt.Errorf("the demo store has %d ready orders, the shift scans %d", len(ready), c.Scans)
	}
	fmt.Fprintf(logw, "shift: %d ready orders, %d scanned\n", len(ready), c.Scans)

	// The window opens at 1024 × 600, the smallest bench screen.
	config := filepath.Join(dir, "config")
	prefs := filepath.Join(config, "fyne", "io.packbench.station")
	if err := os.MkdirAll(prefs, 0o700); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(prefs, "preferences.json"), []byte(`{"window.width":1024,"window.height":600}`), 0o600); err != nil {
		return res, err
	}
	display, stopX, err := xvfb.Start(ctx, dir)
	if err != nil {
		return res, err
	}
	defer stopX()
	env := append(os.Environ(), "DISPLAY="+display, "XDG_CONFIG_HOME="+config)
	app := exec.Command(c.Binary, "--data-dir", data)
	app.Env = env
	// The app's output goes to a file (read only when a scan fails), not a
	// buffer the exec package writes from another goroutine.
	appOutPath := filepath.Join(dir, "app-output.txt")
	appOut, err := os.Create(appOutPath)
	if err != nil {
		return res, err
	}
	defer appOut.Close()
	app.Stdout, app.Stderr = appOut, appOut
	if err := app.Start(); err != nil {
		return res, err
	}
	defer xvfb.Stop(app, 20*time.Second)
	xdo := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "xdotool", args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return string(out), fmt.Errorf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out)), nil
	}
	window, err := waitWindow(ctx, xdo)
	if err != nil {
		return res, fmt.Errorf("%w\napp output:\n%s", err, tail(appOutPath, 30))
	}
	// The window draws its first orders; then the scanning starts.
	time.Sleep(2 * time.Second)
	if res.WindowBefore, err = geometry(xdo, window); err != nil {
		return res, err
	}

	seen := map[string]bool{}
	for i, o := range ready[:c.Scans] {
		// Whether the weight is asked is read now: a weighed one-SKU order
		// teaches its SKU's weight, and later orders of it are not asked.
		if out, err := pb("orders", "--json", "--search", o.AmazonOrderID); err == nil {
			var now []struct {
				AmazonOrderID string `json:"amazonOrderId"`
				WeightKnown   bool   `json:"weightKnown"`
			}
			if json.Unmarshal(out, &now) == nil && len(now) == 1 {
				o.WeightKnown = now[0].WeightKnown
			}
		}
		if _, err := xdo("type", "--delay", "5", o.AmazonOrderID); err != nil {
			return res, err
		}
		if _, err := xdo("key", "Return"); err != nil {
			return res, err
		}
		start := time.Now()
		if !o.WeightKnown {
			// The packer puts the box on the scale and types its weight.
			time.Sleep(time.Second)
			// "1 lb 6 oz" (624 g) reads the same in metric and imperial stores.
			if _, err := xdo("type", "--delay", "40", "1 lb 6 oz"); err != nil {
				return res, err
			}
			if _, err := xdo("key", "Return"); err != nil {
				return res, err
			}
			start = time.Now()
		}
		job, at, err := printer.next(ctx, labelTimeout)
		if err != nil {
			return res, fmt.Errorf("scan %d (%s, weight known %v): %w\napp output:\n%s\napp log:\n%s", i+1, o.AmazonOrderID, o.WeightKnown, err,
				tail(appOutPath, 30), tail(filepath.Join(data, "packbench.log"), 30))
		}
		res.Labels++
		res.PerOrder = append(res.PerOrder, at.Sub(start))
		got := labelOrder(job)
		if got != o.AmazonOrderID {
			res.WrongLabels++
		}
		seen[got] = true
		fmt.Fprintf(logw, "shift: %2d %s -> label for %s in %v\n", i+1, o.AmazonOrderID, got, at.Sub(start).Round(time.Millisecond))
	}
	// A label printed twice, or late, would arrive now.
	if job, _, err := printer.next(ctx, 2*time.Second); err == nil {
		res.Labels++
		res.WrongLabels++
		fmt.Fprintf(logw, "shift: an extra label, for %s\n", labelOrder(job))
	}
	res.Distinct = len(seen)
	if res.WindowAfter, err = geometry(xdo, window); err != nil {
		return res, err
	}
	return res, nil
}

// tail is a file's last n lines (the app's log, when a scan failed).
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// orderOnLabel finds the order id printed on a simulator's label.
var orderOnLabel = regexp.MustCompile(`Order (\d{3}-\d{7}-\d{7})`)

func labelOrder(zpl []byte) string {
	if m := orderOnLabel.FindSubmatch(zpl); m != nil {
		return string(m[1])
	}
	return "(no order id on the label)"
}

func waitWindow(ctx context.Context, xdo func(...string) (string, error)) (string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if out, err := xdo("search", "--onlyvisible", "--name", "^Packbench$"); err == nil && out != "" {
			return strings.Fields(out)[0], nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return "", errors.New("the Packbench window did not open within 60 s")
}

var geometryLine = regexp.MustCompile(`Geometry: (\d+x\d+)`)

func geometry(xdo func(...string) (string, error), window string) (string, error) {
	out, err := xdo("getwindowgeometry", window)
	if err != nil {
		return "", err
	}
	m := geometryLine.FindStringSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("no geometry in %q", out)
	}
	return m[1], nil
}

// startX starts a private X server (a 1024 × 600 screen) on a free display.
// zebra is a network label printer: it takes one job per connection.
type zebra struct {
	l    net.Listener
	addr string
	jobs chan job
	wg   sync.WaitGroup
}

type job struct {
	data []byte
	at   time.Time
}

func listen() (*zebra, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	z := &zebra{l: l, addr: l.Addr().String(), jobs: make(chan job, 256)}
	z.wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			z.wg.Go(func() {
				defer c.Close()
				data, _ := io.ReadAll(c)
				if len(data) > 0 {
					z.jobs <- job{data: data, at: time.Now()}
				}
			})
		}
	})
	return z, nil
}

func (z *zebra) next(ctx context.Context, timeout time.Duration) ([]byte, time.Time, error) {
	select {
	case j := <-z.jobs:
		return j.data, j.at, nil
	case <-time.After(timeout):
		return nil, time.Time{}, fmt.Errorf("no label at the printer within %v", timeout)
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
}

func (z *zebra) close() {
	z.l.Close()
	z.wg.Wait()
}
