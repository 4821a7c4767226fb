package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/internal/printertest"
)

// TestHeadlessConnectImportBuyVoid drives the whole bench from the command
// line against an external simulator (--amazon-sim), whose state outlives
// each command as Amazon's would.
func TestHeadlessConnectImportBuyVoid(t *testing.T) {
	s, dir, pb := simCLI(t, 5, 40)

	code, out, stderr := pb("connect", "--demo")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Connected Demo Home & Kitchen (NA")

	code, out, stderr = pb("import")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `Demo Home & Kitchen: \d+ new`, out)

	code, out, _ = pb("orders", "--json", "--status", "ready")
	require.Equal(t, 0, code)
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.NotEmpty(t, rows)
	order := rows[0].AmazonOrderID

	code, _, stderr = pb("rates", order)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no known weight", "no weight, no rates: the packer is told what to do")

	code, out, stderr = pb("rates", order, "--weight", "900")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "* default: cheapest rate with Amazon's claims protection")

	code, out, stderr = pb("boxes", "--add", "Shoe box", "--dims", "33,20,12", "--unit", "cm", "--tare", "150")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Shoe box  33 × 20 × 12 centimeter")
	code, out, stderr = pb("rates", order, "--weight", "900", "--box", "shoe box")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Package: 900 g, 33 × 20 × 12 centimeter", "the box's size; a typed weight is the scale's, box included")
	code, _, stderr = pb("rates", order, "--weight", "900", "--box", "crate")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no box named "crate"`)

	labels := filepath.Join(dir, "printed")
	code, out, stderr = pb("buy", order, "--weight", "900", "--print", labels)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "tracking ")
	files, _ := os.ReadDir(labels)
	require.Len(t, files, 1)
	zpl, _ := os.ReadFile(filepath.Join(labels, files[0].Name()))
	assert.True(t, strings.HasPrefix(string(zpl), "^XA"))

	code, _, stderr = pb("buy", order, "--weight", "900")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "already has a label")
	assert.Len(t, s.Purchases(), 1, "never a second label for an order")

	// A network label printer on this machine: the reprint arrives there, byte for byte ZPL.
	zebraAddr, got := printertest.Zebra(t)
	code, out, stderr = pb("printers", "--add", "Zebra", "--raw9100", zebraAddr)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "*  Zebra  raw9100")
	code, _, stderr = pb("printers", "--test", "zebra")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, string(<-got), "Packbench test label")
	code, _, stderr = pb("reprint", order)
	require.Equal(t, 0, code, stderr)
	label := <-got
	assert.True(t, strings.HasPrefix(string(label), "^XA"))
	assert.Equal(t, zpl, label, "the stored label, unchanged (it carries no printer-state commands)")

	code, out, stderr = pb("void", order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "back in Ready to ship")
	assert.True(t, s.Purchases()[0].Cancelled)

	// A 300 dpi label printer: the next label is bought at its dpi, unasked.
	sharp := filepath.Join(dir, "zebra300")
	code, _, stderr = pb("printers", "--add", "Zebra 300", "--folder", sharp, "--format", "ZPL300")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = pb("buy", order, "--weight", "900", "--print-label")
	require.Equal(t, 0, code, stderr)
	files, _ = os.ReadDir(sharp)
	require.Len(t, files, 1)
	zpl300, _ := os.ReadFile(filepath.Join(sharp, files[0].Name()))
	assert.Contains(t, string(zpl300), "^PW1200", "a 4 inch label at 300 dpi")

	code, out, _ = pb("stores", "--json")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"lastImportAt"`)
	assert.Contains(t, out, `"health": "green"`)
}

func TestEraseAndALostDataKey(t *testing.T) {
	_, dir, pb := simCLI(t, 6, 20)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	_, out, _ := pb("orders", "--json")
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.GreaterOrEqual(t, len(rows), 2)

	code, out, stderr := pb("order", rows[0].AmazonOrderID)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Ship to: ")
	assert.NotContains(t, out, "redacted")

	code, _, stderr = pb("erase", rows[0].AmazonOrderID)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "--yes")
	code, _, stderr = pb("erase", rows[0].AmazonOrderID, "--yes")
	require.Equal(t, 0, code, stderr)
	_, out, _ = pb("order", rows[0].AmazonOrderID)
	assert.Contains(t, out, "Ship to: redacted")
	assert.Contains(t, out, "buyer data erased on request")

	// The data key disappears from the keychain: nothing crashes, the order says why.
	secrets := keychainFile(dir)
	require.NoError(t, secrets.Delete("packbench/data-key"))
	code, out, stderr = pb("order", rows[1].AmazonOrderID)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "unreadable")
	assert.Contains(t, out, "import --again")

	code, _, stderr = pb("import", "--again")
	require.Equal(t, 0, code, stderr)
	_, out, _ = pb("order", rows[1].AmazonOrderID)
	assert.NotContains(t, out, "unreadable", "the buyer's data is back from Amazon")
	_, out, _ = pb("order", rows[0].AmazonOrderID)
	assert.Contains(t, out, "Ship to: redacted", "an erased buyer stays erased")
}

func first(code int, _, _ string) int { return code }

// simCLI runs commands against a data dir and an external simulator whose
// state outlives each command, as Amazon's does.
func simCLI(t *testing.T, seed uint64, orders int) (*sim.Sim, string, func(args ...string) (int, string, string)) {
	s, dir, _, pb := simCLIURL(t, seed, orders)
	return s, dir, pb
}

// simCLIURL is simCLI that also gives the simulator's URL, for a test that
// opens the environment itself.
func simCLIURL(t *testing.T, seed uint64, orders int) (*sim.Sim, string, string, func(args ...string) (int, string, string)) {
	t.Helper()
	t.Setenv("PACKBENCH_KEYCHAIN", "file")
	s, err := sim.New(sim.Config{Seed: seed, Orders: orders, TimeScale: 100, ReportDelay: 3 * time.Second})
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	return s, dir, srv.URL, func(args ...string) (int, string, string) {
		return run(t, nil, append(args, "--data-dir", dir, "--amazon-sim", srv.URL)...)
	}
}
