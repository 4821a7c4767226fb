package printing

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing/oned"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
)

func testSlip() Slip {
	return Slip{
		OrderID:      "113-1234567-7654321",
		Store:        "Acme EU",
		PurchasedAt:  time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		ServiceLevel: "Standard",
		ShipTo:       []string{"Zoë Ångström", "Łąkowa 5", "00-950 Warszawa", "PL"},
		Lines: []SlipLine{
			{SKU: "MUG-RED", Title: "Red mug ^XZ~JA 350 ml", Quantity: 2},
			{SKU: "TEA-01", Title: "Green tea, 50 bags", Quantity: 1},
		},
		GiftMessages: []string{"Happy birthday!"},
	}
}

// rasterize turns a PDF's first page into an image, as a printer would,
// so a test can scan what is printed.
func rasterize(t *testing.T, pdf []byte, dpi int) []byte {
	t.Helper()
	return printertest.RasterizePDF(t, pdf, dpi, 1)
}

func TestPackingSlipZPLScansToTheOrderAndCannotInjectCommands(t *testing.T) {
	for _, dpi := range []int{203, 300} {
		zpl := PackingSlipZPL(testSlip(), dpi)
		assert.Equal(t, 1, strings.Count(string(zpl), "^XZ"), "a title holding ^XZ stays text")
		_, removed := SanitizeZPL(zpl)
		assert.Empty(t, removed, "a title holding ~JA changes no printer setting")
		labels, err := RenderZPL(zpl, 0, 0)
		require.NoError(t, err)
		require.Len(t, labels, 1)
		assert.Equal(t, 4*dpi, labels[0].Rect.Dx())
		assert.Equal(t, "113-1234567-7654321", decode(t, labels[0], oned.NewCode128Reader()))
	}
}

func TestPackingSlipPDFScansToTheOrder(t *testing.T) {
	for _, paper := range []Paper{PaperLetter, PaperA4, Paper4x6} {
		pdf, err := PackingSlipPDF(testSlip(), paper)
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(rasterize(t, pdf, 200)))
		require.NoError(t, err)
		assert.Equal(t, "113-1234567-7654321", decode(t, img, oned.NewCode128Reader()), "%s slip", paper)
	}
}

func TestPickListRunsOverPages(t *testing.T) {
	var p PickList
	p.CreatedAt = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	p.Orders = 300
	for i := 0; i < 120; i++ {
		p.Lines = append(p.Lines, PickLine{SKU: fmt.Sprintf("SKU-%03d", i), Title: "A product with a long enough title to wrap onto a second line of the pick list", Quantity: i%3 + 1, Orders: []string{"113-0000000-0000001", "113-0000000-0000002"}})
	}
	pdf, err := PickListPDF(p, PaperLetter)
	require.NoError(t, err)
	pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page "))
	assert.Greater(t, pages, 3, "120 SKUs do not fit on one page")
	assert.Contains(t, pdfContent(t, pdf), "re S", "each row has a box to tick")
}
