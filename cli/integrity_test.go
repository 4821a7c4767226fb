package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/store"
)

// A database whose pages were overwritten is found out at open: nothing is
// bought, and the seller is told where the last good copy (a daily backup,
// itself a database that opens and checks out) is.
func TestADamagedDatabaseIsFoundAtOpenAndBuysNothing(t *testing.T) {
	s, dir, pb := simCLI(t, 5, 30)
	order := connectedDemo(t, pb)
	code, out, stderr := pb("check")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "checks out")
	backups, _ := filepath.Glob(filepath.Join(dir, store.BackupDir, "packbench-*.db"))
	require.Len(t, backups, 1, "the day's backup was made")
	fi, err := os.Stat(backups[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Overwrite pages in the middle of the file, as a failing disk would.
	path := filepath.Join(dir, store.FileName)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Greater(t, len(raw), 12*4096)
	for i := 4 * 4096; i < len(raw)-4096; i += 3 * 4096 {
		copy(raw[i+100:i+3000], make([]byte, 2900))
	}
	require.NoError(t, os.WriteFile(path, raw, 0o600))

	code, out, _ = pb("check")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "is damaged")
	assert.Contains(t, out, backups[0])

	code, _, stderr = pb("buy", order, "--weight", "500")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "refused: the database is damaged")
	assert.Contains(t, stderr, "the last good copy is "+backups[0])
	for _, p := range s.Purchases() {
		assert.NotEqual(t, order, p.OrderID, "nothing was bought")
	}

	// The backup is a good copy: it opens and checks out.
	good, err := store.Open(t.Context(), backups[0])
	require.NoError(t, err)
	defer good.Close()
	assert.NoError(t, good.Damage())
	problems, err := good.Check(t.Context())
	require.NoError(t, err)
	assert.Empty(t, problems)
}
