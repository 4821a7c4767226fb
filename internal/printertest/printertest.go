// Package printertest gives tests real printers to print to: a network
// label printer (a loopback listener that hands over each job's bytes) and
// a real CUPS server (a private cupsd on a loopback port whose raw queues
// send to such a listener), so a test compares the exact bytes a printer
// receives.
package printertest

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// cupsUnavailable skips where cupsd cannot run here, and fails in CI
// (PACKBENCH_REQUIRE_CUPS=1), which installs CUPS, so that a missing
// install is never mistaken for a pass.
func unavailable(t *testing.T, why string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(why, args...)
	if os.Getenv("PACKBENCH_REQUIRE_CUPS") != "" {
		t.Fatalf("CUPS is required here but %s", msg)
	}
	t.Skipf("no CUPS test server: %s (install the cups package to run this test)", msg)
}

func look(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	unavailable(t, "%s is not installed", name)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// StartCUPS runs a private cupsd on a loopback port with its own
// configuration, spool and logs, and returns its host:port.
func StartCUPS(t *testing.T) string {
	t.Helper()
	cupsd := look(t, "cupsd")
	if !fileExists("/usr/lib/cups/backend/socket") {
		unavailable(t, "the CUPS socket backend is missing")
	}
	// cupsd's helpers run as the lp user: the tree must be readable by it.
	root, err := os.MkdirTemp("", "packbench-cups-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, d := range []string{"", "spool", "cache", "state", "log"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
		require.NoError(t, os.Chmod(filepath.Join(root, d), 0o755))
	}
	addr := OfflineAddr(t)

	conf := "Listen " + addr + `
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`
	files := fmt.Sprintf(`ServerRoot %[1]s
RequestRoot %[1]s/spool
CacheDir %[1]s/cache
StateDir %[1]s/state
TempDir %[1]s/spool
AccessLog %[1]s/log/access_log
ErrorLog %[1]s/log/error_log
PageLog %[1]s/log/page_log
DataDir /usr/share/cups
ServerBin /usr/lib/cups
`, root)
	require.NoError(t, os.WriteFile(filepath.Join(root, "cupsd.conf"), []byte(conf), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "cups-files.conf"), []byte(files), 0o644))

	cmd := exec.Command(cupsd, "-f", "-c", filepath.Join(root, "cupsd.conf"), "-s", filepath.Join(root, "cups-files.conf"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(root, "log", "error_log"))
			unavailable(t, "cupsd exited (%v): %s %s", err, out.String(), log)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			unavailable(t, "cupsd did not listen on %s within 15 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// AddRawQueue makes a raw queue whose device is a socket (AppSocket, the
// way CUPS reaches a networked Zebra) at addr.
func AddRawQueue(t *testing.T, server, name, device string) {
	t.Helper()
	lpadmin := look(t, "lpadmin")
	cmd := exec.Command(lpadmin, "-h", server, "-p", name, "-E", "-v", device, "-m", "raw")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "lpadmin: %s", out)
}

// Zebra is a network label printer on a free loopback port.
func Zebra(t *testing.T) (addr string, jobs <-chan []byte) {
	t.Helper()
	return ZebraAt(t, "127.0.0.1:0")
}

// ZebraAt is a network label printer at addr (one coming back on, say, the
// address it had before it was switched off). Each connection is one job.
func ZebraAt(t *testing.T, addr string) (string, <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	ch := make(chan []byte, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			ch <- b
		}
	}()
	return ln.Addr().String(), ch
}

// OfflineAddr is a loopback address where no printer answers (yet).
func OfflineAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// WaitJob returns the next job the printer received.
func WaitJob(t *testing.T, jobs <-chan []byte) []byte {
	t.Helper()
	select {
	case b := <-jobs:
		return b
	case <-time.After(20 * time.Second):
		t.Fatal("no job reached the printer within 20 s")
		return nil
	}
}

// RasterizePDF draws one page of a PDF (1 is the first) with poppler's
// pdftoppm at dpi, as a printer would, and returns it as PNG, so a test
// can scan or measure what is printed. It skips where poppler-utils is
// missing, and fails in CI (PACKBENCH_REQUIRE_CUPS=1), which installs it.
func RasterizePDF(t *testing.T, pdf []byte, dpi, page int) []byte {
	t.Helper()
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("PACKBENCH_REQUIRE_CUPS") != "" {
			t.Fatal("pdftoppm is required here (package poppler-utils)")
		}
		t.Skip("pdftoppm not installed (package poppler-utils): cannot draw a PDF")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, pdf, 0o644))
	n := strconv.Itoa(page)
	out, err := exec.Command(tool, "-r", strconv.Itoa(dpi), "-gray", "-png", "-f", n, "-l", n, "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	b, err := os.ReadFile(filepath.Join(dir, "page.png"))
	require.NoError(t, err)
	return b
}
