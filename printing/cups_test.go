package printing

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cupsUnavailable skips where cupsd cannot run here, and fails in CI
// (PACKBENCH_REQUIRE_CUPS=1), which installs CUPS, so that a missing
// install is never mistaken for a pass.
func cupsUnavailable(t *testing.T, why string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(why, args...)
	if os.Getenv("PACKBENCH_REQUIRE_CUPS") != "" {
		t.Fatalf("CUPS is required here but %s", msg)
	}
	t.Skipf("no CUPS test server: %s (install the cups package to run this test)", msg)
}

func lookCUPS(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	cupsUnavailable(t, "%s is not installed", name)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// startCUPS runs a private cupsd on a loopback port with its own
// configuration, spool and logs, and returns its host:port.
func startCUPS(t *testing.T) string {
	t.Helper()
	cupsd := lookCUPS(t, "cupsd")
	if !fileExists("/usr/lib/cups/backend/socket") {
		cupsUnavailable(t, "the CUPS socket backend is missing")
	}
	// cupsd's helpers run as the lp user: the tree must be readable by it.
	root, err := os.MkdirTemp("", "packbench-cups-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, d := range []string{"", "spool", "cache", "state", "log"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
		require.NoError(t, os.Chmod(filepath.Join(root, d), 0o755))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()

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
			cupsUnavailable(t, "cupsd exited (%v): %s %s", err, out.String(), log)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			cupsUnavailable(t, "cupsd did not listen on %s within 15 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// addRawQueue makes a raw queue whose device is a socket (AppSocket, the
// way CUPS reaches a networked Zebra) at addr.
func addRawQueue(t *testing.T, server, name, device string) {
	t.Helper()
	lpadmin := lookCUPS(t, "lpadmin")
	cmd := exec.Command(lpadmin, "-h", server, "-p", name, "-E", "-v", device, "-m", "raw")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "lpadmin: %s", out)
}

// zebraListener is a printer on loopback that hands over each connection's bytes.
func zebraListener(t *testing.T) (addr string, jobs <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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

func waitJob(t *testing.T, jobs <-chan []byte) []byte {
	t.Helper()
	select {
	case b := <-jobs:
		return b
	case <-time.After(20 * time.Second):
		t.Fatal("CUPS did not deliver the job to the printer within 20 s")
		return nil
	}
}

func TestCUPSPrintsZPLRawAndPDFUnscaledThroughARealServer(t *testing.T) {
	server := startCUPS(t)
	zebra, jobs := zebraListener(t)
	addRawQueue(t, server, "Zebra_Bench_1", "socket://"+zebra)
	ctx := context.Background()
	p := CUPS{Server: server, Queue: "Zebra_Bench_1"}

	queues, err := p.Queues(ctx)
	require.NoError(t, err)
	require.Len(t, queues, 1)
	assert.Equal(t, "Zebra_Bench_1", queues[0].Name)
	assert.Equal(t, "socket://"+zebra, queues[0].Device)
	assert.True(t, queues[0].Accepts)
	assert.Equal(t, "idle", queues[0].State)

	zpl := []byte("^XA^CI28^PW812^FO50,50^A0N,40,40^FDZoë Ångström^FS^BY3^BCN,200,Y,N,N^FD9400111899560000000042^FS^XZ\n")
	require.NoError(t, p.Print(ctx, Document{Name: "label-113-1", Format: ZPL, Data: zpl}))
	assert.Equal(t, zpl, waitJob(t, jobs), "CUPS passes the ZPL to the printer byte for byte, never as text")

	pdf, err := ImageToPDF(testLabelPNG(t, 203), Paper4x6)
	require.NoError(t, err)
	require.NoError(t, p.Print(ctx, Document{Name: "label-113-2", Format: PDF, Data: pdf}))
	assert.Equal(t, pdf, waitJob(t, jobs), "a raw queue passes the PDF untouched")
}

func TestCUPSSaysWhatIsWrong(t *testing.T) {
	server := startCUPS(t)
	ctx := context.Background()
	doc := Document{Name: "l", Format: ZPL, Data: []byte("^XA^XZ")}

	err := CUPS{Server: server, Queue: "No_Such_Queue"}.Print(ctx, doc)
	assert.ErrorContains(t, err, `no queue "No_Such_Queue"`)
	assert.NotErrorIs(t, err, ErrPrinterOffline, "a wrong name is not an offline printer: retrying will not help")

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := ln.Addr().String()
	ln.Close()
	err = CUPS{Server: down, Queue: "Zebra", Timeout: 2 * time.Second}.Print(ctx, doc)
	assert.ErrorIs(t, err, ErrPrinterOffline, "a CUPS server that is down keeps the job queued")

	err = CUPS{Server: server, Queue: "Zebra"}.Print(ctx, Document{Format: PNG, Data: []byte{1}})
	assert.ErrorContains(t, err, "set the printer's format")
}
