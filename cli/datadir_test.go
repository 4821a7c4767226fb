package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An existing data dir moves to the new place whole, once; a new place
// already in use wins; with neither, the new place is used.
func TestTheDataDirMovesOnce(t *testing.T) {
	base := t.TempDir()
	oldDir, newDir := filepath.Join(base, "Roaming", "Packbench"), filepath.Join(base, "Local", "Packbench")
	require.NoError(t, os.MkdirAll(oldDir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(oldDir, "packbench.db"), []byte("orders"), 0o600))

	dir, err := moveDataDir(oldDir, newDir)
	require.NoError(t, err)
	assert.Equal(t, newDir, dir)
	got, err := os.ReadFile(filepath.Join(newDir, "packbench.db"))
	require.NoError(t, err)
	assert.Equal(t, "orders", string(got))
	assert.NoDirExists(t, oldDir)

	// A stray old folder later never replaces the one in use.
	require.NoError(t, os.MkdirAll(oldDir, 0o700))
	dir, err = moveDataDir(oldDir, newDir)
	require.NoError(t, err)
	assert.Equal(t, newDir, dir)
	assert.DirExists(t, oldDir)

	fresh := filepath.Join(base, "Fresh", "Packbench")
	dir, err = moveDataDir(filepath.Join(base, "None", "Packbench"), fresh)
	require.NoError(t, err)
	assert.Equal(t, fresh, dir)
}

// A move that cannot happen leaves the old dir in use, untouched.
func TestAFailedMoveKeepsTheOldDataDir(t *testing.T) {
	base := t.TempDir()
	oldDir := filepath.Join(base, "Roaming", "Packbench")
	require.NoError(t, os.MkdirAll(oldDir, 0o700))
	blocker := filepath.Join(base, "Local")
	require.NoError(t, os.WriteFile(blocker, []byte("a file, not a folder"), 0o600))
	dir, err := moveDataDir(oldDir, filepath.Join(blocker, "Packbench"))
	assert.Error(t, err)
	assert.Equal(t, oldDir, dir)
	assert.DirExists(t, oldDir)
}
