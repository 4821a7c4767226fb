package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On Windows the data dir is %LocalAppData%\Packbench, and one left in
// %AppData% (Roaming) by an earlier version moves there with its database.
// Run under Wine in CI by internal/winetest.
func TestWindowsDataDirMovesFromRoamingToLocal(t *testing.T) {
	base := wineSafeTempDir(t)
	local, roaming := filepath.Join(base, "Local"), filepath.Join(base, "Roaming")
	require.NoError(t, os.MkdirAll(filepath.Join(roaming, "Packbench"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(roaming, "Packbench", "packbench.db"), []byte("orders"), 0o600))
	t.Setenv("PACKBENCH_DATA_DIR", "")
	t.Setenv("LOCALAPPDATA", local)
	t.Setenv("APPDATA", roaming)

	dir := DefaultDataDir()
	assert.Equal(t, filepath.Join(local, "Packbench"), dir)
	got, err := os.ReadFile(filepath.Join(dir, "packbench.db"))
	require.NoError(t, err)
	assert.Equal(t, "orders", string(got))
	assert.NoDirExists(t, filepath.Join(roaming, "Packbench"))
}

// wineSafeTempDir is t.TempDir for tests that also run under Wine 8,
// whose NtSetInformationFile lacks what Go's os.RemoveAll uses on Windows:
// the tree is removed file by file, and a failure to clean up is no
// failure of the test.
func wineSafeTempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "packbench-")
	require.NoError(t, err)
	t.Cleanup(func() {
		var paths []string
		_ = filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
			if err == nil {
				paths = append(paths, p)
			}
			return nil
		})
		for i := len(paths) - 1; i >= 0; i-- {
			_ = os.Remove(paths[i])
		}
	})
	return dir
}

// On Windows, printer discover lists Windows's printers, and a Windows
// printer added by name is checked: ready, or missing by name. Run under
// Wine in CI by internal/winetest, which gives Wine a printer.
func TestWindowsPrintersAreDiscoveredAddedAndChecked(t *testing.T) {
	name := os.Getenv("PACKBENCH_WINE_PRINTER")
	if name == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	cmd := wineCLI(t)
	out, code := cmd("printer", "discover")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, name)
	assert.Contains(t, out, "--windows PRINTER")
	out, code = cmd("printer", "add", "Bench Zebra", "--windows", name, "--format", "ZPL203")
	require.Equal(t, 0, code, out)
	out, code = cmd("printer", "status", "Bench Zebra")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "ready")
	out, code = cmd("printer", "add", "Misspelt", "--windows", "Zebra ZP 4500", "--format", "ZPL203")
	require.Equal(t, 0, code, out)
	out, code = cmd("printer", "status", "Misspelt")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, out, `no printer named "Zebra ZP 4500"`)
}

// A data dir named on the command line leaves the default one alone: the
// move from Roaming happens only when the default is used.
func TestWindowsAGivenDataDirMovesNothing(t *testing.T) {
	base := wineSafeTempDir(t)
	local, roaming := filepath.Join(base, "Local"), filepath.Join(base, "Roaming")
	require.NoError(t, os.MkdirAll(filepath.Join(roaming, "Packbench"), 0o700))
	t.Setenv("PACKBENCH_DATA_DIR", "")
	t.Setenv("LOCALAPPDATA", local)
	t.Setenv("APPDATA", roaming)
	var out strings.Builder
	require.Equal(t, 0, Main([]string{"--data-dir", filepath.Join(base, "Elsewhere"), "version"}, &out, &out, nil), out.String())
	assert.DirExists(t, filepath.Join(roaming, "Packbench"))
	assert.NoDirExists(t, filepath.Join(local, "Packbench"))
}

// On a Windows office printer set as the document printer, the pick list
// and a packing slip print through Windows (their pages drawn by GDI).
// Run under Wine in CI by internal/winetest, which checks the office
// printer received them.
func TestWindowsPickListAndSlipPrintOnAnOfficePrinter(t *testing.T) {
	name := os.Getenv("PACKBENCH_WINE_DOCUMENT_PRINTER")
	if name == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	cmd := wineCLI(t)
	for _, args := range [][]string{
		{"connect", "--demo"},
		{"import"},
		{"printer", "add", "Office", "--windows", name, "--format", "PDF_LETTER", "--document-printer"},
	} {
		out, code := cmd(args...)
		require.Equal(t, 0, code, "%v: %s", args, out)
	}
	out, code := cmd("orders", "--status", "ready")
	require.Equal(t, 0, code, out)
	orders := regexp.MustCompile(`\d{3}-\d{7}-\d{7}`).FindAllString(out, 3)
	require.Len(t, orders, 3, out)
	// Three orders: a pick list of one page (winetest counts the pages).
	out, code = cmd(append([]string{"pick-list"}, orders...)...)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Pick list printed: 3 orders")
	order := orders[0]
	out, code = cmd("print", order, "--slip-only")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Packing slip of "+order+" printed")
}

// wineCLI runs packbench commands on a fresh data dir (keys in a file),
// returning what they printed and their exit code.
func wineCLI(t *testing.T) func(args ...string) (string, int) {
	dir := wineSafeTempDir(t)
	t.Setenv("PACKBENCH_KEYCHAIN", "file")
	return func(args ...string) (string, int) {
		var out, errOut strings.Builder
		code := Main(append([]string{"--data-dir", dir}, args...), &out, &errOut, nil)
		return out.String() + errOut.String(), code
	}
}
