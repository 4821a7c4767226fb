//go:build windows

package printing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The spooler hands a Windows printer the ZPL byte for byte (RAW). Run
// under Wine in CI by internal/winetest, which maps a CUPS raw queue to a
// Windows printer (PACKBENCH_WINE_PRINTER) and checks, on the network
// printer behind it, that the document (PACKBENCH_WINE_DOC) came whole.
func TestWindowsSpoolerSendsZPLByteForByte(t *testing.T) {
	name, docPath := os.Getenv("PACKBENCH_WINE_PRINTER"), os.Getenv("PACKBENCH_WINE_DOC")
	if name == "" || docPath == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	data, err := os.ReadFile(docPath)
	require.NoError(t, err)
	require.NoError(t, Windows{Name: name}.Print(context.Background(), Document{Name: "winetest", Format: ZPL, Data: data}))
}

// A printer Windows does not have is named as missing (not offline: the
// job would wait for it forever); a PDF is refused before anything is
// spooled; an empty document too.
func TestWindowsRefusesWhatItCannotPrint(t *testing.T) {
	err := Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: ZPL, Data: []byte("^XA^XZ")})
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrPrinterOffline), "a misspelt name waits for nothing: %v", err)
	assert.Contains(t, err.Error(), `no printer named "No Such Printer 4711"`)
	err = Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: PDF, Data: []byte("%PDF-1.4")})
	assert.ErrorContains(t, err, "takes ZPL")
	err = Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: ZPL})
	assert.ErrorContains(t, err, "empty")
}

// Windows lists its printers, the one CUPS gave Wine among them, and
// checks one by name: ready, or no such printer (not "offline").
func TestWindowsPrintersAreListedAndChecked(t *testing.T) {
	name := os.Getenv("PACKBENCH_WINE_PRINTER")
	if name == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	printers, err := WindowsPrinters(context.Background())
	require.NoError(t, err)
	var names []string
	for _, p := range printers {
		names = append(names, p.Name)
	}
	assert.Contains(t, names, name)
	ready, detail, err := Windows{Name: name}.Check(context.Background())
	require.NoError(t, err)
	assert.True(t, ready, detail)
	_, _, err = Windows{Name: "No Such Printer 4711"}.Check(context.Background())
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrPrinterOffline), "a missing printer is not an offline one: %v", err)
	assert.Contains(t, err.Error(), `no printer named "No Such Printer 4711"`)
}

// A ZPL label for an office printer (Letter) is drawn by Windows at true
// size. Run under Wine in CI by internal/winetest, which renders what the
// printer received and measures the label on the page.
func TestWindowsOfficePrinterGetsTheLabelDrawnAtTrueSize(t *testing.T) {
	name := os.Getenv("PACKBENCH_WINE_OFFICE_PRINTER")
	if name == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	p, err := Deliver(context.Background(), Document{Name: "test label", Format: ZPL, Data: TestLabel(203)},
		Target{Kind: KindWindows, Address: name, Format: TakesPDFLetter})
	require.NoError(t, err)
	assert.Equal(t, "zpl -> PNG (Windows draws it)", p.Converted)
	_, err = Deliver(context.Background(), Document{Name: "a PDF", Format: PDF, Data: []byte("%PDF-1.4")},
		Target{Kind: KindWindows, Address: name, Format: TakesPDFLetter})
	assert.ErrorContains(t, err, "not a pdf", "Windows has no PDF renderer to hand a PDF to")
}

// A pick list for an office printer is drawn by Windows page by page, each
// page the whole sheet at true size. Run under Wine in CI by
// internal/winetest, which compares the pages the printer received with
// the pages sent (PACKBENCH_WINE_PAGES, where this test leaves them).
func TestWindowsOfficePrinterGetsThePickListPageByPage(t *testing.T) {
	name, keep := os.Getenv("PACKBENCH_WINE_SHEET_PRINTER"), os.Getenv("PACKBENCH_WINE_PAGES")
	if name == "" || keep == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	list := PickList{CreatedAt: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), Orders: 60}
	for i := range 60 {
		list.Lines = append(list.Lines, PickLine{SKU: fmt.Sprintf("MUG-%02d", i), Title: "Zoë's enamel mug, 350 ml, with a title long enough to wrap",
			Quantity: i%4 + 1, Orders: []string{fmt.Sprintf("113-0000000-00000%02d", i)}})
	}
	pages, err := PickListPages(list, PaperLetter)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keep, pages, 0o644))
	_, err = Deliver(context.Background(), Document{Name: "pick list", Format: Pages, Data: pages},
		Target{Kind: KindWindows, Address: name, Format: TakesPDFLetter})
	require.NoError(t, err)
	_, err = Deliver(context.Background(), Document{Name: "pick list", Format: Pages, Data: pages},
		Target{Kind: KindWindows, Address: name, Format: TakesPDFA4})
	assert.ErrorContains(t, err, "not a a4 sheet", "Letter pages are not drawn shrunk or cut on A4")
}

// A job the Windows spooler refuses is reported as not printed: here a
// printer whose port is a file in a folder that does not exist, so the
// spooler cannot take the job when it ends.
func TestWindowsARefusedJobIsReportedAsRefused(t *testing.T) {
	name := os.Getenv("PACKBENCH_WINE_PRINTER")
	if name == "" {
		t.Skip("run by internal/winetest, which sets up the printer")
	}
	printers, err := WindowsPrinters(context.Background())
	require.NoError(t, err)
	driver := ""
	for _, p := range printers {
		if p.Name == name {
			driver = p.Driver
		}
	}
	require.NotEmpty(t, driver, "the printer's driver")
	refusing := addPrinter(t, "Packbench Refusing", driver, `C:\no such folder\label.prn`)
	err = Windows{Name: refusing}.Print(context.Background(), Document{Name: "refused", Format: ZPL, Data: []byte("^XA^FDrefused^FS^XZ")})
	require.Error(t, err, "a refused job is not reported as printed")
	assert.Contains(t, err.Error(), `printer "Packbench Refusing": ending the job failed, the job was cancelled`)
}

// addPrinter adds a Windows printer on a port (AddPrinterW, level 2), and
// deletes it when the test ends.
func addPrinter(t *testing.T, name, driver, port string) string {
	t.Helper()
	u := func(s string) *uint16 { p, err := syscall.UTF16PtrFromString(s); require.NoError(t, err); return p }
	info := printerInfo2{printerName: u(name), portName: u(port), driverName: u(driver), printProcessor: u("WinPrint"), datatype: u("RAW")}
	h, _, e := winspool.NewProc("AddPrinterW").Call(0, 2, uintptr(unsafe.Pointer(&info)))
	require.NotZero(t, h, "AddPrinter: %v", e)
	t.Cleanup(func() {
		winspool.NewProc("DeletePrinter").Call(h)
		procClosePrinter.Call(h)
	})
	return name
}
