package cli

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

// Slips and pick lists are laid out for the printer that prints them: a
// label printer's ZPL, a PDF of an office printer's paper, and for a
// Windows office printer the same pages as images, which Windows draws
// (it has no PDF renderer to hand a PDF to).
func TestDocumentsAreLaidOutForThePrinterThatPrintsThem(t *testing.T) {
	slip := station.PackingSlip{AmazonOrderID: "113-1234567-7654321", Lines: []station.PackingLine{{SKU: "MUG-RED", Title: "Red mug", Quantity: 2}}}
	list := station.PickList{CreatedAt: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), Orders: 1,
		Lines: []station.PickLine{{SKU: "MUG-RED", Title: "Red mug", Quantity: 2, Orders: []string{"113-1234567-7654321"}}}}
	var d documents

	windowsOffice := station.Printer{Name: "HP", Kind: station.PrinterWindows, Address: "HP LaserJet", Format: station.FormatPDFA4}
	for _, lay := range []func() (station.Label, error){
		func() (station.Label, error) { return d.PackingSlip(slip, windowsOffice) },
		func() (station.Label, error) { return d.PickList(list, windowsOffice) },
	} {
		l, err := lay()
		require.NoError(t, err)
		assert.Equal(t, station.FormatPages, l.Format)
		pages, err := printing.DecodePages(l.Contents, printing.PaperA4)
		require.NoError(t, err, "A4 sheets")
		assert.Len(t, pages, 1)
	}

	zebra := station.Printer{Name: "Zebra", Kind: station.PrinterWindows, Address: "ZDesigner", Format: station.FormatZPL300}
	l, err := d.PackingSlip(slip, zebra)
	require.NoError(t, err)
	assert.Equal(t, station.FormatZPL300, l.Format)
	assert.True(t, bytes.HasPrefix(l.Contents, []byte("^XA")))
	_, err = d.PickList(list, zebra)
	assert.ErrorContains(t, err, "document printer")

	laser := station.Printer{Name: "Laser", Kind: station.PrinterCUPS, Address: "Laser", Format: station.FormatPDFA4}
	l, err = d.PickList(list, laser)
	require.NoError(t, err)
	assert.Equal(t, station.FormatPDFA4, l.Format)
	assert.True(t, bytes.HasPrefix(l.Contents, []byte("%PDF")))
	l, err = d.PackingSlip(slip, station.Printer{Name: "Folder", Kind: station.PrinterFolder, Address: t.TempDir()})
	require.NoError(t, err)
	assert.Equal(t, station.FormatPDFLetter, l.Format, "a folder with no format collects Letter PDFs")
}
