// Package xvfb starts a private X display (Xvfb) for running the real
// window without a screen: the shift test and the start-up bench.
package xvfb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Start runs Xvfb on the first free display from :90 with one 1024 × 600
// screen, its log in dir, and extra arguments (e.g. -fbdir); stop ends it.
func Start(ctx context.Context, dir string, extra ...string) (display string, stop func(), err error) {
	for n := 90; n < 140; n++ {
		claim, ok := claimDisplay(n)
		if !ok {
			continue
		}
		if inUse(n) {
			claim.Close()
			continue
		}
		display = ":" + strconv.Itoa(n)
		cmd := exec.Command("Xvfb", append([]string{display, "-screen", "0", "1024x600x24", "-nolisten", "tcp"}, extra...)...)
		logf, _ := os.Create(filepath.Join(dir, "xvfb.log"))
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			claim.Close()
			return "", nil, err
		}
		// Another process may have started an X server on the same display
		// a moment earlier: ours then exits, and the socket is theirs, to
		// vanish when they stop. Only our server, running, counts.
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		// SIGTERM lets Xvfb remove its lock and socket; a kill would leave
		// them behind for the next run to step over.
		stop = func() { stopXvfb(cmd, exited, 5*time.Second); logf.Close(); claim.Close() }
	wait:
		for range 50 {
			select {
			case <-exited:
				break wait // lost the display: try the next
			default:
			}
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				if lockHolder(n) == cmd.Process.Pid {
					return display, stop, nil
				}
				break wait // the display is another's: try the next
			}
			if ctx.Err() != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		stop()
	}
	return "", nil, errors.New("no X display could be started (Xvfb)")
}

// lockHolder is the process named in display n's lock (0: none).
func lockHolder(n int) int {
	b, err := os.ReadFile(fmt.Sprintf("/tmp/.X%d-lock", n))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// inUse says whether display n is taken: its lock names a live process.
// A lock left by an X server that died (killed, or a crash) is removed
// with its socket, as X servers themselves do.
func inUse(n int) bool {
	lock, socket := fmt.Sprintf("/tmp/.X%d-lock", n), fmt.Sprintf("/tmp/.X11-unix/X%d", n)
	b, err := os.ReadFile(lock)
	if err != nil {
		_, err := os.Stat(socket)
		return err == nil // a socket without a lock: someone else's, leave it
	}
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
		if p, err := os.FindProcess(pid); err == nil {
			if err := p.Signal(syscall.Signal(0)); err == nil || errors.Is(err, syscall.EPERM) {
				return true // alive (EPERM: alive, another user's)
			}
		}
	}
	_ = os.Remove(lock)
	_ = os.Remove(socket)
	return false
}

// Stop ends an app started on the display the orderly way, as closing its
// window does (SIGTERM), and kills it if it has not ended within grace.
func Stop(app *exec.Cmd, grace time.Duration) {
	done := make(chan struct{})
	go func() { _ = app.Wait(); close(done) }()
	stopXvfb(app, done, grace)
}

// stopXvfb sends SIGTERM and waits for done (the process's Wait returned),
// killing it after grace.
func stopXvfb(cmd *exec.Cmd, done <-chan struct{}, grace time.Duration) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}
