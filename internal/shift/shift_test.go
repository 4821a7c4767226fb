package shift

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// build makes the real packbench, as a packer runs it.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "packbench")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// A shift: 30 boxes scanned in a row on the real window, keyboard only,
// Auto on. Every scan prints one label, for the order scanned, before the
// next; no label goes twice; the window keeps its size throughout.
func TestThirtyScansInARowPrintThirtyLabelsForTheirOwnOrders(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the shift runs the window under Xvfb, on Linux")
	}
	if testing.Short() {
		t.Skip("a shift takes about a minute")
	}
	if m := Missing(); len(m) > 0 {
		t.Fatalf("the shift test needs %s: sudo apt-get install xvfb xdotool (make test installs them)", strings.Join(m, " and "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var log strings.Builder
	res, err := Run(ctx, Config{Binary: build(t), Scans: 30, Log: &log})
	t.Log(log.String())
	require.NoError(t, err)
	assert.Equal(t, 30, res.Labels, "one label a scan")
	assert.Equal(t, 0, res.WrongLabels, "no label for another order, none twice")
	assert.Equal(t, 30, res.Distinct, "thirty orders")
	assert.Equal(t, "1024x600", res.WindowBefore)
	assert.Equal(t, res.WindowBefore, res.WindowAfter, "the window held still")
	if os.Getenv("PACKBENCH_SHIFT_VERBOSE") != "" {
		t.Logf("mean scan to label: %v", res.Mean())
	}
}
