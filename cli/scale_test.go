//go:build !windows

package cli

import (
	"context"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/scale"
	"github.com/packbench/packbench/station"
)

// Headless: packbench scale --once waits for the stable weight of a
// serial scale (here cmd/scale-sim's simulation on a pty) and prints it.
func TestHeadlessScaleReadsOneStableWeight(t *testing.T) {
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	defer tty.Close()
	start := time.Now()
	sim := scale.Sim{Protocol: scale.CAS, Every: 20 * time.Millisecond, Now: func() scale.Reading {
		if time.Since(start) < 300*time.Millisecond {
			return scale.Reading{Weight: station.Weight{Value: 1180, Unit: station.Gram}, State: scale.Motion}
		}
		return scale.Reading{Weight: station.Weight{Value: 1234, Unit: station.Gram}, State: scale.Stable}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = sim.Serve(ctx, ptmx) }()

	code, out, stderr := run(t, nil, "scale", "--serial", tty.Name(), "--protocol", "cas", "--once")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "unstable: hold still")
	assert.Contains(t, out, "(stable): 1234 g")

	code, _, stderr = run(t, nil, "scale", "--serial", tty.Name(), "--protocol", "scale-o-matic")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "unknown scale protocol")
	code, _, stderr = run(t, nil, "scale", "--hid", "--device", "/dev/no-hidraw")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "/dev/no-hidraw")
}

// Headless item check: packbench verify counts each scan on the order's
// lines, says what is wrong or still missing; in a store that checks
// items, buy waits for it.
func TestHeadlessVerify(t *testing.T) {
	s, _, pb := simCLI(t, 5, 20)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	code, out, stderr := pb("settings", "--store", "1", "--verify", "verify")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "every item scanned before the label")
	ready := map[string]bool{}
	for _, r := range readyOrders(t, pb) {
		ready[r.AmazonOrderID] = true
	}
	var order sim.OrderTruth
	for _, o := range s.Orders(sim.DemoSellerNA) {
		if ready[o.OrderID] && len(o.Items) >= 2 {
			order = o
			break
		}
	}
	require.NotEmpty(t, order.OrderID)
	code, _, stderr = pb("buy", order.OrderID, "--weight", "700")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "scan every item of "+order.OrderID+" first")

	code, out, _ = pb("verify", order.OrderID, "--scan", order.Items[0], "--scan", "NOT-A-THING")
	assert.Equal(t, 1, code, "a scan did not count")
	assert.Contains(t, out, "NOT-A-THING: NOT-A-THING is no product Packbench knows")
	assert.Contains(t, out, "Still to scan: ")

	code, _, stderr = pb("verify", order.OrderID, "--attach", "4006381333931=MUG-TYPO")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no order of this store has SKU "MUG-TYPO"`, "a typo teaches nothing")

	args := []string{"verify", order.OrderID}
	for _, code := range order.Items {
		args = append(args, "--scan", code)
	}
	code, out, stderr = pb(args...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Every item of "+order.OrderID+" is scanned.")
	code, _, stderr = pb("buy", order.OrderID, "--weight", "700")
	require.Equal(t, 0, code, "checked: bought: %s", stderr)
}
