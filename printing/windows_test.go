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

// A printer Windows does not have is offline, with its name; a PDF is
// refused before anything is spooled; an empty document too.
func TestWindowsRefusesWhatItCannotPrint(t *testing.T) {
	err := Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: ZPL, Data: []byte("^XA^XZ")})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrPrinterOffline), "%v", err)
	assert.Contains(t, err.Error(), "No Such Printer 4711")
	err = Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: PDF, Data: []byte("%PDF-1.4")})
	assert.ErrorContains(t, err, "takes ZPL")
	err = Windows{Name: "No Such Printer 4711"}.Print(context.Background(), Document{Name: "x", Format: ZPL})
	assert.ErrorContains(t, err, "empty")
}
