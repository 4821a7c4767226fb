//go:build !windows

package cli

import (
	"context"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	code, _, stderr = run(t, nil, "scale", "--hid")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not read yet")
}
