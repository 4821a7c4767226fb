package xvfb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
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

// Several Xvfb started at once (test packages run in parallel) each get a
// display of their own: one that lost a display to another's server moves
// on, rather than returning a display that vanishes when the other stops.
func TestDisplaysStartedAtOnceAreEachTheirOwn(t *testing.T) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		if os.Getenv("PACKBENCH_REQUIRE_CUPS") != "" {
			t.Fatal("Xvfb is required here (package xvfb)")
		}
		t.Skip("Xvfb is not installed (package xvfb)")
	}
	var wg sync.WaitGroup
	displays := make([]string, 4)
	errs := make([]error, 4)
	for i := range displays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, stop, err := Start(context.Background(), t.TempDir())
			displays[i], errs[i] = d, err
			if err == nil {
				t.Cleanup(stop)
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, d := range displays {
		require.NoError(t, errs[i])
		assert.False(t, seen[d], "display %s given twice: %v", d, displays)
		seen[d] = true
	}
}

// A display claimed by one starter is not looked at by another until it
// is let go (the claim goes with its file, or with its process), so no
// starter takes back as stale the lock another's new server is writing.
func TestAClaimedDisplayIsLeftAlone(t *testing.T) {
	const n = 198 // beyond the displays Start tries
	first, ok := claimDisplay(n)
	require.True(t, ok)
	t.Cleanup(func() { os.Remove(fmt.Sprintf("/tmp/.packbench-xvfb-%d.claim", n)) })
	_, ok = claimDisplay(n)
	assert.False(t, ok, "claimed already")
	require.NoError(t, first.Close())
	again, ok := claimDisplay(n)
	require.True(t, ok, "free once let go")
	again.Close()
}
