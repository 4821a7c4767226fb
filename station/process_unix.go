//go:build unix

package station

import (
	"errors"
	"syscall"
)

// processAlive says whether a process with this pid runs on this computer.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
