package printing

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrepareConvertsOnlyWhatThePrinterCannotTake(t *testing.T) {
	zpl := []byte("^XA^PW812^LL1218^MMT~SD25^FO10,10^GB100,100,4^FS^XZ")
	png := testLabelPNG(t, 203)
	pdf4x6, err := ImageToPDF(png, Paper4x6)
	require.NoError(t, err)

	for _, tc := range []struct {
		name      string
		doc       Document
		target    Target
		format    Format
		paper     Paper
		converted string
		err       string
	}{
		{"ZPL to a Zebra: as it is, settings stripped", Document{Format: ZPL, Data: zpl}, Target{Kind: "raw9100", Format: "ZPL203"}, ZPL, "", "", ""},
		{"PNG to a Zebra: ^GF", Document{Format: PNG, Data: png}, Target{Kind: "raw9100", Format: "ZPL203"}, ZPL, "", "PNG -> ZPL", ""},
		{"PDF to a Zebra: refused, reprint fetches ZPL", Document{Format: PDF, Data: pdf4x6}, Target{Kind: "cups", Format: "ZPL300"}, "", "", "", "cannot be turned into ZPL"},
		{"4x6 PDF to a 4x6 PDF printer: as it is", Document{Format: PDF, Data: pdf4x6}, Target{Kind: "cups", Format: "PDF"}, PDF, "", "", ""},
		{"ZPL to a Letter printer: rendered at true size", Document{Format: ZPL, Data: zpl}, Target{Kind: "cups", Format: "PDF_LETTER"}, PDF, PaperLetter, "ZPL -> PDF", ""},
		{"PNG to an A4 printer", Document{Format: PNG, Data: png}, Target{Kind: "cups", Format: "PDF_A4"}, PDF, PaperA4, "PNG -> PDF", ""},
		{"4x6 PDF to a Letter printer: refused, reprint fetches PNG", Document{Format: PDF, Data: pdf4x6}, Target{Kind: "cups", Format: "PDF_LETTER"}, "", "", "", "as PNG"},
		{"Letter slip to a Letter printer: as it is", Document{Format: PDF, Paper: PaperLetter, Data: pdf4x6}, Target{Kind: "cups", Format: "PDF_LETTER"}, PDF, PaperLetter, "", ""},
		{"PNG to a folder: as it is", Document{Format: PNG, Data: png}, Target{Kind: "folder"}, PNG, "", "", ""},
		{"PNG to CUPS with no format", Document{Format: PNG, Data: png}, Target{Kind: "cups"}, "", "", "", "does not take PNG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Prepare(tc.doc, tc.target)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.format, got.Format)
			assert.Equal(t, tc.paper, got.Paper)
			assert.Equal(t, tc.converted, got.Converted)
			if got.Format == ZPL {
				assert.NotContains(t, string(got.Data), "^MMT")
				assert.NotContains(t, string(got.Data), "~SD")
			}
			if tc.converted == "" {
				assert.Equal(t, tc.doc.Format, got.Format)
			}
		})
	}

	kept, err := Prepare(Document{Format: ZPL, Data: zpl}, Target{Kind: "raw9100", Format: "ZPL203", KeepPrinterCommands: true})
	require.NoError(t, err)
	assert.Equal(t, zpl, kept.Data, "a printer set to keep carrier settings gets them")
}

func TestDeliverWritesThePreparedDocument(t *testing.T) {
	dir := t.TempDir()
	doc, err := NewDocument("label-1", "ZPL203", TestLabel(203))
	require.NoError(t, err)
	_, err = Deliver(context.Background(), doc, Target{Kind: "folder", Address: dir, Format: "PDF_LETTER"})
	require.NoError(t, err)
	files, _ := filepath.Glob(filepath.Join(dir, "*label-1.pdf"))
	require.Len(t, files, 1)
	b, _ := os.ReadFile(files[0])
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF")))

	doc, err = NewDocument("x", "ZPL203", TestLabel(203))
	require.NoError(t, err)
	_, err = Deliver(context.Background(), doc, Target{Kind: "windows", Address: "Zebra", Format: "ZPL203"})
	assert.Error(t, err, "no spooler off Windows; on Windows the spooler says")
}

// A kind or format the printing package does not know is an error, never
// taken for ZPL.
func TestUnknownKindsAndFormatsAreRefused(t *testing.T) {
	_, err := NewDocument("label-1", "JUNK", []byte("x"))
	assert.ErrorContains(t, err, `unknown label format "JUNK"`)
	_, err = FormatOf("")
	assert.Error(t, err)
	_, err = ParseKind("usb")
	assert.ErrorContains(t, err, `unknown printer kind "usb"`)
	_, err = ParseTakes("EPL")
	assert.ErrorContains(t, err, `unknown printer format "EPL"`)
	for _, k := range []string{"raw9100", "cups", "windows", "folder"} {
		got, err := ParseKind(k)
		assert.NoError(t, err)
		assert.Equal(t, Kind(k), got)
	}
	_, err = Target{Kind: "usb"}.Printer()
	assert.Error(t, err)
}
