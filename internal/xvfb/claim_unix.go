//go:build unix

package xvfb

import (
	"fmt"
	"os"
	"syscall"
)

// claimDisplay takes display n for this process among those starting
// Xvfb here (test packages run at once): a lock file held with flock,
// which the system lets go when the process ends, however it ends. Only
// the claimant looks at n's X lock, so no other removes it as stale while
// a new server is writing it (a removed socket leaves that server
// unreachable).
func claimDisplay(n int) (*os.File, bool) {
	f, err := os.OpenFile(fmt.Sprintf("/tmp/.packbench-xvfb-%d.claim", n), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return f, true
}
