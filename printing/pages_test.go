package printing_test

import (
	"bytes"
	"fmt"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/labelcorpus"
	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/printing"
)

func bigPickList() printing.PickList {
	p := printing.PickList{CreatedAt: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), Orders: 90}
	for i := range 45 {
		orders := []string{fmt.Sprintf("113-0000000-00000%02d", i)}
		if i == 7 { // one SKU in many orders: its row runs over a page
			orders = orders[:0]
			for j := range 200 {
				orders = append(orders, fmt.Sprintf("114-0000000-0000%03d", j))
			}
		}
		p.Lines = append(p.Lines, printing.PickLine{SKU: fmt.Sprintf("MUG-%02d", i),
			Title: "Zoë's enamel mug, 350 ml, Łódź edition, with a title long enough to wrap", Quantity: i%4 + 1, Orders: orders})
	}
	return p
}

// The pages Windows draws for an office printer are the PDF's pages: the
// same number, and each the same dots within one dot, so a pick list on
// a Windows office printer looks as it does everywhere else.
func TestPickListPagesAreThePDFsPages(t *testing.T) {
	list := bigPickList()
	pdf, err := printing.PickListPDF(list, printing.PaperLetter)
	require.NoError(t, err)
	data, err := printing.PickListPages(list, printing.PaperLetter)
	require.NoError(t, err)
	pages, err := printing.DecodePages(data, printing.PaperLetter)
	require.NoError(t, err)
	pdfPages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page "))
	require.Equal(t, pdfPages, len(pages))
	require.Greater(t, len(pages), 3)
	for _, i := range []int{0, 1, len(pages) - 1} {
		drawn, err := png.Decode(bytes.NewReader(printertest.RasterizePDF(t, pdf, printing.PageDPI, i+1)))
		require.NoError(t, err)
		assert.Equal(t, drawn.Bounds().Size(), pages[i].Bounds().Size(), "page %d: a Letter sheet at 300 dpi", i+1)
		f1 := labelcorpus.F1(labelcorpus.Gray(pages[i]), labelcorpus.Gray(drawn))
		t.Logf("page %d: F1 %.3f against the PDF", i+1, f1)
		assert.Greater(t, f1, 0.9, "page %d is the PDF's page", i+1)
	}
}

// Pages are drawn only on the paper they were laid out for; a cut or
// foreign document is refused, never printed in part.
func TestPagesAreRefusedOnOtherPaperOrCutShort(t *testing.T) {
	data, err := printing.PickListPages(bigPickList(), printing.PaperA4)
	require.NoError(t, err)
	_, err = printing.DecodePages(data, printing.PaperA4)
	require.NoError(t, err)
	_, err = printing.DecodePages(data, printing.PaperLetter)
	assert.ErrorContains(t, err, "page 1 is 2480 × 3508 dots, not a letter sheet at 300 dpi")
	_, err = printing.DecodePages(data[:len(data)-10], printing.PaperA4)
	assert.ErrorContains(t, err, "cut short")
	_, err = printing.DecodePages(nil, printing.PaperA4)
	assert.ErrorContains(t, err, "no pages")
	_, err = printing.Prepare(printing.Document{Name: "pick list", Format: printing.Pages, Data: data},
		printing.Target{Kind: printing.KindCUPS, Address: "Laser", Format: printing.TakesPDFA4})
	assert.ErrorContains(t, err, "only on a Windows office printer")
}
