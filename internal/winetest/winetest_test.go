//go:build linux

// Package winetest runs Packbench's Windows tests (the TestWindows… tests
// of printing, keychain and cli) under Wine, so that code only Windows
// compiles is built and run on every make test: the spooler hands a CUPS
// raw queue (which Wine maps to a Windows printer) a ZPL label byte for
// byte, the Credential Manager keeps a secret, the data dir moves to
// %LocalAppData%. See docs/platforms.md.
package winetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
)

// unavailable skips where Wine or the mingw-w64 compiler is missing, and
// fails in CI (PACKBENCH_REQUIRE_WINE=1), which installs both.
func unavailable(t *testing.T, why string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(why, args...)
	if os.Getenv("PACKBENCH_REQUIRE_WINE") != "" {
		t.Fatalf("Wine is required here but %s", msg)
	}
	t.Skipf("Windows tests not run: %s (install wine64 and gcc-mingw-w64-x86-64 to run them)", msg)
}

func wine(t *testing.T) string {
	for _, p := range []string{"wine64", "/usr/lib/wine/wine64", "wine"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	unavailable(t, "wine64 is not installed")
	return ""
}

// run runs a command with env added, in dir, within limit.
func run(t *testing.T, limit time.Duration, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func TestWindowsTestsPassUnderWine(t *testing.T) {
	wine := wine(t)
	gcc, err := exec.LookPath("x86_64-w64-mingw32-gcc")
	if err != nil {
		unavailable(t, "x86_64-w64-mingw32-gcc is not installed")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	work := t.TempDir()

	// A fresh Wine prefix, with the ProcessPrng that Go's runtime needs
	// and Wine 8 lacks.
	prefix := filepath.Join(work, "prefix")
	wineEnv := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY="}
	if out, err := run(t, 3*time.Minute, work, wineEnv, wine, "wineboot", "-i"); err != nil {
		unavailable(t, "wineboot failed: %v %s", err, out)
	}
	system32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	shim := filepath.Join(root, "packaging", "windows", "wine")
	out, err := run(t, time.Minute, work, nil, gcc, "-shared", "-O2", "-o", filepath.Join(system32, "bcryptprimitives.dll"),
		filepath.Join(shim, "processprng.c"), filepath.Join(shim, "processprng.def"), "-ladvapi32")
	require.NoError(t, err, "the ProcessPrng shim: %s", out)

	// A network label printer behind a CUPS raw queue, which Wine's
	// winspool shows to Windows programs as a printer of the same name.
	server := printertest.StartCUPS(t)
	zebra, jobs := printertest.Zebra(t)
	printertest.AddRawQueue(t, server, "PackbenchWine", "socket://"+zebra)
	label := make([]byte, 4096)
	_, _ = rand.Read(label)
	label = append(append([]byte("^XA^FO50,50^A0N,40^FDWine ~ ^ \\ _5E^FS\n"), label...), []byte("\r\n^XZ")...)
	doc := filepath.Join(work, "label.zpl")
	require.NoError(t, os.WriteFile(doc, label, 0o644))

	for _, pkg := range []string{"printing", "integrations/keychain", "cli"} {
		t.Run(pkg, func(t *testing.T) {
			exe := filepath.Join(work, strings.ReplaceAll(pkg, "/", "-")+".test.exe")
			out, err := run(t, 5*time.Minute, root, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"},
				"go", "test", "-c", "-o", exe, "./"+pkg)
			require.NoError(t, err, "cross-compiling %s: %s", pkg, out)
			env := append(wineEnv, "CUPS_SERVER="+server,
				"PACKBENCH_WINE_PRINTER=PackbenchWine", "PACKBENCH_WINE_DOC=Z:"+strings.ReplaceAll(doc, "/", `\`))
			out, err = run(t, 5*time.Minute, filepath.Join(root, pkg), env, wine, exe, "-test.run", "^TestWindows", "-test.v", "-test.count=1")
			require.NoError(t, err, "the Windows tests of %s under Wine:\n%s", pkg, out)
			assert.Contains(t, out, "--- PASS: TestWindows", "%s ran its Windows tests:\n%s", pkg, out)
			assert.NotContains(t, out, "--- SKIP", "%s skipped a Windows test:\n%s", pkg, out)
			t.Log(out)
		})
	}
	assert.Equal(t, label, printertest.WaitJob(t, jobs), "the printer received the label byte for byte")
}
