package sim

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/boombuler/barcode/code128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font"
)

var sampleLabel = labelData{Carrier: "USPS", Service: "USPS Ground Advantage", Tracking: "9400111899560000000042",
	OrderID: "113-1234567-7654321", ShipFrom: []string{"Demo Warehouse", "1 Dock Rd", "Seattle WA 98109"},
	ShipTo: []string{"Zoë Ångström", "1 Main St ^FD evil", "Brooklyn NY 11201", "US"}, WeightText: "0.90 kg"}

func TestZPLLabelsAtBothResolutions(t *testing.T) {
	for _, dpi := range []int{203, 300} {
		raw, err := renderLabel("ZPL", dpi, sampleLabel)
		require.NoError(t, err)
		zpl := string(raw)
		assert.True(t, strings.HasPrefix(zpl, "^XA"), dpi)
		assert.True(t, strings.HasSuffix(strings.TrimSpace(zpl), "^XZ"), dpi)
		assert.Contains(t, zpl, fmt.Sprintf("^PW%d", 4*dpi))
		assert.Contains(t, zpl, fmt.Sprintf("^LL%d", 6*dpi))
		assert.Contains(t, zpl, "^CI28", "UTF-8 so buyers' names print right")
		assert.Contains(t, zpl, "Zoë Ångström")
		assert.Regexp(t, regexp.MustCompile(`\^BC[^\^]*\^FD>:`+sampleLabel.Tracking+`\^FS`), zpl)
		assert.Equal(t, 1, strings.Count(zpl, "^XA"), "an address cannot smuggle in commands")
		assert.NotContains(t, zpl, "^FD evil")
	}
}

// TestPNGLabelCarriesTheExactBarcode samples a row through the barcode and
// compares it, module by module, with the Code 128 encoding of the tracking
// number: a label scaled by a fraction of a dot would fail this.
func TestPNGLabelCarriesTheExactBarcode(t *testing.T) {
	for _, dpi := range []int{203, 300} {
		raw, err := renderLabel("PNG", dpi, sampleLabel)
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(raw))
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, 4*dpi, 6*dpi), img.Bounds())

		code, err := code128.Encode(sampleLabel.Tracking)
		require.NoError(t, err)
		modules := code.Bounds().Dx()
		module := int(3.3*float64(dpi)) / modules
		x0, y := int(0.35*float64(dpi)), int(4.4*float64(dpi))
		for i := 0; i < modules; i++ {
			want := dark(code.At(i, 0))
			for px := 0; px < module; px++ {
				if got := dark(img.At(x0+i*module+px, y)); got != want {
					t.Fatalf("dpi %d: module %d pixel %d is dark=%v, want %v", dpi, i, px, got, want)
				}
			}
		}
		assert.False(t, dark(img.At(x0+modules*module, y)), "quiet zone after the barcode")
	}
}

func measure(f font.Face, s string) int { return font.MeasureString(f, s).Ceil() }

func dark(c interface{ RGBA() (r, g, b, a uint32) }) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}

func TestPDFLabelIsOneTrueSizePage(t *testing.T) {
	raw, err := renderLabel("PDF", 203, sampleLabel)
	require.NoError(t, err)
	pdf := string(raw)
	assert.True(t, strings.HasPrefix(pdf, "%PDF-1."))
	assert.True(t, strings.HasSuffix(strings.TrimSpace(pdf), "%%EOF"))
	assert.Equal(t, 1, strings.Count(pdf, "/Type /Page\n")+strings.Count(pdf, "/Type /Page "), "one page")
	// 4 × 6 inches is 288 × 432 points: never letter, never scaled.
	assert.Regexp(t, `/MediaBox \[0 0 288(\.0+)? 432(\.0+)?\]`, pdf)
	assert.Contains(t, pdf, "/Subtype /Image")
	_, err = renderLabel("GIF", 203, sampleLabel)
	assert.Error(t, err)
}

func TestLongAddressesWrapInsideTheLabel(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	f, err := face(boldTTF, 40)
	require.NoError(t, err)
	lines := wrap(f, "Long Crescent Road, Industrial Estate Unit 14B, Building C, Floor 3, Suite 301", 600)
	assert.Greater(t, len(lines), 1)
	for _, l := range lines {
		assert.LessOrEqual(t, measure(f, l), 600)
	}
	assert.Equal(t, "Long Crescent Road, Industrial Estate Unit 14B, Building C, Floor 3, Suite 301", strings.Join(lines, " "))
	raw, err := renderLabel("ZPL", 203, sampleLabel)
	require.NoError(t, err)
	assert.Contains(t, string(raw), "^FB", "ZPL field blocks wrap long lines")
}
