package xvfb

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A display whose lock names a dead process is free again (its lock and
// socket removed); one whose lock names a live process is taken. Locks
// left by killed X servers once used up every display a run could take.
func TestAStaleDisplayLockIsTakenBack(t *testing.T) {
	const n = 199 // beyond the displays Start tries
	lock := fmt.Sprintf("/tmp/.X%d-lock", n)
	if _, err := os.Stat(lock); err == nil {
		t.Skipf("%s exists here already", lock)
	}
	t.Cleanup(func() { os.Remove(lock) })
	require.NoError(t, os.WriteFile(lock, []byte(fmt.Sprintf("%10d\n", os.Getpid())), 0o444))
	assert.True(t, inUse(n), "a live process's display")
	require.NoError(t, os.Remove(lock))
	require.NoError(t, os.WriteFile(lock, []byte("2147483646\n"), 0o444)) // beyond any pid_max
	assert.False(t, inUse(n))
	assert.NoFileExists(t, lock, "the stale lock is removed")
}
