package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/packbench/packbench/internal/shift"
)

// shiftBench runs a packer's shift on the real binary (internal/shift):
// n scans in a row under Xvfb, keyboard only at a scanner's speed, Auto
// on, labels checked at a loopback 9100 printer. Its figure is the time
// from a scan's Enter to the label's last byte at the printer; the
// reference is a second, the time a packer takes to lift the next box.
func shiftBench(n int) ([]Figure, error) {
	name := fmt.Sprintf("shift: %d scans in a row", n)
	if m := shift.Missing(); len(m) > 0 {
		return []Figure{{Name: name, Unit: "s/order", Goal: "<= 1 s, 0 wrong labels",
			Note: fmt.Sprintf("not measured: this machine lacks %v (apt-get install xvfb xdotool)", m)}}, nil
	}
	dir, err := os.MkdirTemp("", "packbench-shift-bin-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "packbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := shift.Run(ctx, shift.Config{Binary: bin, Scans: n})
	if err != nil {
		return nil, fmt.Errorf("shift: %w", err)
	}
	var worst time.Duration
	for _, d := range res.PerOrder {
		worst = max(worst, d)
	}
	mean := res.Mean().Seconds()
	return []Figure{{
		Name: name, Value: round3(mean), Unit: "s/order", Reference: 1, RefName: "a packer lifting the next box (1 s)",
		Ratio: round2(mean), Goal: "<= 1 s, 0 wrong labels, window unchanged",
		Met: mean <= 1 && res.WrongLabels == 0 && res.Labels == n && res.WindowBefore == res.WindowAfter,
		Note: fmt.Sprintf("%d labels for %d distinct orders, %d wrong; worst %.3f s; window %s before, %s after; "+
			"the real window under Xvfb at 1024x600, xdotool typing 5 ms a key; weighed orders timed from the weight's Enter",
			res.Labels, res.Distinct, res.WrongLabels, worst.Seconds(), res.WindowBefore, res.WindowAfter),
	}}, nil
}
