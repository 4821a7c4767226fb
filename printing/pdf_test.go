package printing

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"

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

// A ZPL label printed on a PDF printer carries the same barcodes: each
// scans, from the printed page, to exactly the field's data, GS1's FNC1
// and group separators included.
func TestZPLToPDFKeepsEveryBarcodesData(t *testing.T) {
	zpl := []byte("^XA^PW812^LL1218^BY2" +
		"^FO40,40^BCN,120,N,N,N,D^FD(01)09501101530003(10)AB12(21)XYZ^FS" +
		"^FO40,260^BY3^BCN,120,N,N^FD>:1Z999AA10123456784^FS" +
		"^FO40,480^BQN,2,6^FDMA,113-1234567-7654321^FS" +
		"^FO40,800^BY2^B2N,120,N,N^FD1234567890^FS^XZ")
	pdf, err := ZPLToPDF(zpl, 203, Paper4x6)
	require.NoError(t, err)
	// Rasterized at twice the printer's dots: a page resampled at exactly
	// its dots can split a 2-dot bar.
	img, err := png.Decode(bytes.NewReader(rasterize(t, pdf, 406)))
	require.NoError(t, err)
	gray := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			gray.Set(x, y, img.At(x, y))
		}
	}
	band := func(y0, y1 int) *image.Gray {
		return gray.SubImage(image.Rect(0, 2*y0, gray.Rect.Dx(), 2*y1)).(*image.Gray)
	}
	gs1 := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true, gozxing.DecodeHintType_TRY_HARDER: true}
	assert.Equal(t, "]C1010950110153000310AB12\x1d21XYZ", decodeWith(t, band(0, 220), oned.NewCode128Reader(), gs1))
	assert.Equal(t, "1Z999AA10123456784", decodeWith(t, band(220, 440), oned.NewCode128Reader(), gs1))
	assert.Equal(t, "113-1234567-7654321", decode(t, band(440, 780), qrcode.NewQRCodeReader()))
	assert.Equal(t, "1234567890", decode(t, band(780, 1000), oned.NewITFReader()))
}
