//go:build windows

package printing

import (
	"context"
	"errors"
	"os"
	"testing"

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
	_, err = Deliver(context.Background(), Document{Name: "pick list", Format: PDF, Data: []byte("%PDF-1.4")},
		Target{Kind: KindWindows, Address: name, Format: TakesPDFLetter})
	assert.ErrorContains(t, err, "folder printer")
}
