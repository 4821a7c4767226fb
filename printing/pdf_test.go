package printing

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdfContent inflates every stream of a PDF and returns them joined: enough
// to read back where a page drew its image.
func pdfContent(t *testing.T, pdf []byte) string {
	t.Helper()
	var out bytes.Buffer
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // an image or an uncompressed stream
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
		out.WriteByte('\n')
	}
	return out.String()
}

// placement finds the image's drawn width, height and position in points.
func placement(t *testing.T, pdf []byte) (w, h, x, y float64, media string) {
	t.Helper()
	m := regexp.MustCompile(`q ([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm /I\w+ Do Q`).FindStringSubmatch(pdfContent(t, pdf))
	require.NotNil(t, m, "the page draws one image")
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	mb := regexp.MustCompile(`/MediaBox \[([^\]]*)\]`).FindSubmatch(pdf)
	require.NotNil(t, mb)
	return f(m[1]), f(m[2]), f(m[3]), f(m[4]), string(mb[1])
}

func TestLabelsArePlacedAtTrueSizeNeverScaledToFit(t *testing.T) {
	for _, tc := range []struct {
		paper Paper
		media string
		x, y  float64 // image's lower-left corner, points from the page's lower-left
	}{
		{Paper4x6, "0 0 288.00 432.00", 0, 0},
		{PaperLetter, "0 0 612.00 792.00", 36, 792 - 36 - 432},
		{PaperA4, "0 0 595.28 841.89", 36, 841.89 - 36 - 432},
	} {
		for _, dpi := range []int{203, 300} {
			pdf, err := ImageToPDF(testLabelPNG(t, dpi), tc.paper)
			require.NoError(t, err)
			w, h, x, y, media := placement(t, pdf)
			assert.Equal(t, tc.media, media, "%s page size", tc.paper)
			assert.InDelta(t, 288, w, 0.01, "%s at %d dpi: 4 inches wide", tc.paper, dpi)
			assert.InDelta(t, 432, h, 0.01, "%s at %d dpi: 6 inches high", tc.paper, dpi)
			assert.InDelta(t, tc.x, x, 0.01)
			assert.InDelta(t, tc.y, y, 0.01)
		}
	}
}

func TestZPLToPDFUsesThePrinterDots(t *testing.T) {
	pdf, err := ZPLToPDF(TestLabel(300), 300, PaperLetter)
	require.NoError(t, err)
	w, h, _, _, _ := placement(t, pdf)
	assert.InDelta(t, 288, w, 0.01)
	assert.InDelta(t, 432, h, 0.01)

	again, err := ZPLToPDF(TestLabel(300), 300, PaperLetter)
	require.NoError(t, err)
	assert.Equal(t, pdf, again, "the same label gives the same PDF")

	_, err = ImageToPDF([]byte("not an image"), PaperA4)
	assert.ErrorContains(t, err, "cannot be read")
	_, err = ImageToPDF(testLabelPNG(t, 203), "legal")
	assert.ErrorContains(t, err, "unknown paper")
}
