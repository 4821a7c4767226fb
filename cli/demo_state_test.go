package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The built-in simulator keeps its world in the data dir: each command is
// a new process's worth of start-up, and a label bought in one run is
// voided in the next, as it would be at Amazon.
func TestTheBuiltInDemoRemembersBetweenStarts(t *testing.T) {
	t.Setenv("PACKBENCH_KEYCHAIN", "file")
	t.Setenv("PACKBENCH_AMAZON_SIM", "")
	dir := t.TempDir()
	pb := func(args ...string) (int, string, string) { return run(t, nil, append(args, "--data-dir", dir)...) }

	order := connectedDemo(t, pb)

	code, out, stderr := pb("buy", order, "--weight", "700")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Bought")
	fi, err := os.Stat(filepath.Join(dir, DemoStateFile))
	require.NoError(t, err, "the simulator's world is in the data dir")
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	code, out, stderr = pb("reprint", order, "--print", filepath.Join(dir, "again"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Label written to")
	code, out, stderr = pb("void", order)
	require.Equal(t, 0, code, "a label bought in the last run is voided in this one: %s", stderr)
	assert.Contains(t, out, "Voided")

	code, out, stderr = pb("stores", "--check")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "green")
	code, _, stderr = pb("import")
	require.Equal(t, 0, code, "the next import is incremental, against the same world: %s", stderr)
}
