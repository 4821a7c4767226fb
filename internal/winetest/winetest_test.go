//go:build linux

// Package winetest runs Packbench's Windows tests (the TestWindows… tests
// of printing, keychain, scale and cli) under Wine, so that code only
// Windows compiles is built and run on every make test: the spooler hands
// a CUPS raw queue (which Wine maps to a Windows printer) a ZPL label byte
// for byte, the Credential Manager keeps a secret, USB scales are listed
// and read, the data dir moves to %LocalAppData%. See docs/platforms.md.
package winetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/labelcorpus"
	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/printing"
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
	// And an office printer: Wine's PostScript driver draws for it, and
	// the page reaches this listener as PostScript.
	office, pages := printertest.Zebra(t)
	printertest.AddRawQueue(t, server, "PackbenchOffice", "socket://"+office)
	// And another, for a pick list's pages.
	sheetPrinter, sheets := printertest.Zebra(t)
	printertest.AddRawQueue(t, server, "PackbenchSheets", "socket://"+sheetPrinter)
	sent := filepath.Join(work, "pages.bin")
	// And the document printer of a bench run by the CLI.
	documentPrinter, documents := printertest.Zebra(t)
	printertest.AddRawQueue(t, server, "PackbenchDocuments", "socket://"+documentPrinter)
	label := make([]byte, 4096)
	_, _ = rand.Read(label)
	label = append(append([]byte("^XA^FO50,50^A0N,40^FDWine ~ ^ \\ _5E^FS\n"), label...), []byte("\r\n^XZ")...)
	doc := filepath.Join(work, "label.zpl")
	require.NoError(t, os.WriteFile(doc, label, 0o644))

	for _, pkg := range []string{"printing", "integrations/keychain", "integrations/scale", "cli"} {
		t.Run(pkg, func(t *testing.T) {
			exe := filepath.Join(work, strings.ReplaceAll(pkg, "/", "-")+".test.exe")
			out, err := run(t, 5*time.Minute, root, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"},
				"go", "test", "-c", "-o", exe, "./"+pkg)
			require.NoError(t, err, "cross-compiling %s: %s", pkg, out)
			env := append(wineEnv, "CUPS_SERVER="+server,
				"PACKBENCH_WINE_PRINTER=PackbenchWine", "PACKBENCH_WINE_OFFICE_PRINTER=PackbenchOffice",
				"PACKBENCH_WINE_SHEET_PRINTER=PackbenchSheets", "PACKBENCH_WINE_DOCUMENT_PRINTER=PackbenchDocuments", "PACKBENCH_WINE_PAGES="+winePath(sent), "PACKBENCH_WINE_DOC="+winePath(doc))
			out, err = run(t, 5*time.Minute, filepath.Join(root, pkg), env, wine, exe, "-test.run", "^TestWindows", "-test.v", "-test.count=1")
			require.NoError(t, err, "the Windows tests of %s under Wine:\n%s", pkg, out)
			assert.Contains(t, out, "--- PASS: TestWindows", "%s ran its Windows tests:\n%s", pkg, out)
			assert.NotContains(t, out, "--- SKIP", "%s skipped a Windows test:\n%s", pkg, out)
			t.Log(out)
		})
	}
	assert.Equal(t, label, printertest.WaitJob(t, jobs), "the printer received the label byte for byte")
	checkTrueSize(t, work, printertest.WaitJob(t, pages))
	checkSheets(t, work, printertest.WaitJob(t, sheets), mustRead(t, sent))
	for _, what := range []string{"pick list", "packing slip"} {
		assert.Equal(t, 1, pageCount(t, work, printertest.WaitJob(t, documents)), "the %s printed by the CLI: one Letter page", what)
	}
}

// pageCount renders a PostScript job with ghostscript and counts its
// Letter pages.
func pageCount(t *testing.T, work string, job []byte) int {
	t.Helper()
	require.True(t, bytes.HasPrefix(job, []byte("%!PS")), "Wine's driver sends PostScript: %.40q", job)
	dir, err := os.MkdirTemp(work, "job-")
	require.NoError(t, err)
	ps := filepath.Join(dir, "job.ps")
	require.NoError(t, os.WriteFile(ps, job, 0o644))
	out, err := run(t, time.Minute, dir, nil, "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r20",
		"-sOutputFile="+filepath.Join(dir, "page-%d.png"), ps)
	require.NoError(t, err, "gs: %s", out)
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	for _, p := range pages {
		f, err := os.Open(p)
		require.NoError(t, err)
		cfg, err := png.DecodeConfig(f)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, [2]int{170, 220}, [2]int{cfg.Width, cfg.Height}, "a Letter page")
	}
	return len(pages)
}

// winePath is a Linux path as Windows programs under Wine name it.
func winePath(p string) string { return "Z:" + strings.ReplaceAll(p, "/", `\`) }

// checkSheets renders the pages the office printer received at 300 dpi
// and compares each with the page image sent: as many pages, and each
// drawn where it was laid out, dot for dot within one dot (pixel F1).
func checkSheets(t *testing.T, work string, job, sent []byte) {
	t.Helper()
	want, err := printing.DecodePages(sent, printing.PaperLetter)
	require.NoError(t, err)
	require.Greater(t, len(want), 1, "the pick list runs over pages")
	gs, err := exec.LookPath("gs")
	if err != nil {
		unavailable(t, "gs (ghostscript) is not installed to render the pages")
	}
	ps := filepath.Join(work, "sheets.ps")
	require.NoError(t, os.WriteFile(ps, job, 0o644))
	out, err := run(t, 2*time.Minute, work, nil, gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r300",
		"-sOutputFile="+filepath.Join(work, "sheet-%d.png"), ps)
	require.NoError(t, err, "gs: %s", out)
	got, _ := filepath.Glob(filepath.Join(work, "sheet-*.png"))
	require.Len(t, got, len(want), "the printer got every page, one sheet each")
	for i := range want {
		f, err := os.Open(filepath.Join(work, fmt.Sprintf("sheet-%d.png", i+1)))
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, want[i].Bounds().Size(), img.Bounds().Size(), "page %d: a Letter sheet at 300 dpi", i+1)
		f1 := labelcorpus.F1(labelcorpus.Gray(img), labelcorpus.Gray(want[i]))
		t.Logf("page %d: F1 %.3f against the page sent", i+1, f1)
		assert.Greater(t, f1, 0.95, "page %d is drawn as laid out, at true size", i+1)
	}
}

// checkTrueSize renders the page the office printer received at 203 dpi
// and finds the test label's frame (3.8 × 5.8 inches, 0.1 inch inside the
// 4 × 6 label, the label 0.5 inch from the sheet's corner): where it is
// and how big says the label was drawn at true size, not fitted.
func checkTrueSize(t *testing.T, work string, page []byte) {
	t.Helper()
	require.True(t, bytes.HasPrefix(page, []byte("%!PS")), "Wine's driver sends PostScript: %.40q", page)
	gs, err := exec.LookPath("gs")
	if err != nil {
		unavailable(t, "gs (ghostscript) is not installed to render the page")
	}
	ps, rendered := filepath.Join(work, "page.ps"), filepath.Join(work, "page.png")
	require.NoError(t, os.WriteFile(ps, page, 0o644))
	out, err := run(t, time.Minute, work, nil, gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r203",
		"-sOutputFile="+rendered, ps)
	require.NoError(t, err, "gs: %s", out)
	if keep := os.Getenv("PACKBENCH_WINE_KEEP_PAGE"); keep != "" {
		_ = os.WriteFile(keep, mustRead(t, rendered), 0o644) // to look at the page

	}
	f, err := os.Open(rendered)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	assert.InDelta(t, 8.5*203, b.Dx(), 3, "a Letter page")
	assert.InDelta(t, 11*203, b.Dy(), 3, "a Letter page")
	dark := func(x, y int) bool { r, _, _, _ := img.At(x, y).RGBA(); return r < 0x8000 }
	// The frame's left edge: the first dark column on the row through the
	// label's middle; its top: the first dark row down that column.
	mid := 710 // 3.5 inches down: the frame's sides, below the marks
	left := -1
	for x := 0; x < b.Dx() && left < 0; x++ {
		if dark(x, mid) {
			left = x
		}
	}
	require.GreaterOrEqual(t, left, 0, "the label is on the page")
	top := -1
	for y := 0; y < b.Dy() && top < 0; y++ {
		if dark(left+3, y) {
			top = y
		}
	}
	right := left
	for x := left + 30; x < b.Dx(); x++ {
		if dark(x, mid) {
			right = x
		}
		if x > left+900 {
			break
		}
	}
	t.Logf("frame: left %d, top %d, width %d dots at 203 dpi", left, top, right-left+1)
	assert.InDelta(t, 0.6*203, left, 4, "the frame 0.6 inch from the sheet's left edge")
	assert.InDelta(t, 0.6*203, top, 4, "and from its top")
	assert.InDelta(t, 3.8*203, right-left+1, 4, "the frame 3.8 inches wide: drawn at true size")
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}
