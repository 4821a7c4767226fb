package printing

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/aztec"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testLabelPNG(t testing.TB, dpi int) []byte {
	t.Helper()
	b, err := RenderZPLToPNG(TestLabel(dpi), 4*dpi, 6*dpi)
	require.NoError(t, err)
	return b
}

// carrierLabel is shaped like the labels carriers send through Amazon:
// boxes, text, a rotated line, and the tracking number as Code 128.
func carrierLabel(dpi int, tracking string) []byte {
	d := func(in float64) int { return int(in * float64(dpi)) }
	return fmt.Appendf(nil, "^XA^CI28^PW%d^LL%d^LH0,0"+
		"^FO%d,%d^GB%d,%d,%d^FS"+
		"^FO%d,%d^A0N,%d,%d^FDUSPS GROUND ADVANTAGE^FS"+
		"^FO%d,%d^A0N,%d,%d^FB%d,4,0,L^FDJane Buyer\\&1 Main St Apt 4\\&Springfield IL 62704^FS"+
		"^FO%d,%d^A0R,%d,%d^FDRotated^FS"+
		"^FO%d,%d^BY%d,3,%d^BCN,%d,Y,N,N^FD>:%s^FS^XZ",
		d(4), d(6),
		d(0.1), d(0.1), d(3.8), d(5.8), d(0.02),
		d(0.3), d(0.3), d(0.2), d(0.2),
		d(0.3), d(1), d(0.15), d(0.15), d(3),
		d(3.5), d(2), d(0.12), d(0.12),
		d(0.3), d(3.8), max(2, dpi/100), d(1), d(1), tracking)
}

func decode(t *testing.T, img image.Image, reader gozxing.Reader) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := reader.Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	require.NoError(t, err, "the rendered barcode must scan")
	return res.GetText()
}

func TestRenderedLabelScansBackToTheSameTrackingNumber(t *testing.T) {
	const tracking = "9400111899560000000042"
	for _, dpi := range []int{203, 300} {
		t.Run(fmt.Sprint(dpi), func(t *testing.T) {
			labels, err := RenderZPL(carrierLabel(dpi, tracking), 10, 10)
			require.NoError(t, err)
			require.Len(t, labels, 1)
			img := labels[0]
			assert.Equal(t, image.Rect(0, 0, 4*dpi, 6*dpi), img.Bounds(), "^PW and ^LL set the size, one pixel per dot")
			assert.Equal(t, tracking, decode(t, img, oned.NewCode128Reader()))
		})
	}
}

func TestRenderedQRCodeScans(t *testing.T) {
	labels, err := RenderZPL([]byte("^XA^PW400^LL400^FO50,50^BQN,2,6^FDQA,113-1234567-7654321^FS^XZ"), 0, 0)
	require.NoError(t, err)
	assert.Equal(t, "113-1234567-7654321", decode(t, labels[0], qrcode.NewQRCodeReader()))
}

func black(img *image.Gray, x, y int) bool { return img.GrayAt(x, y).Y < 128 }

func TestBoxesAreDrawnDotForDot(t *testing.T) {
	labels, err := RenderZPL([]byte("^XA^PW200^LL100^LH5,5^FO5,15^GB100,50,3^FS^XZ"), 0, 0)
	require.NoError(t, err)
	img := labels[0]
	// ^LH moves the origin: the box's top-left dot is at (10,20).
	assert.True(t, black(img, 10, 20))
	assert.False(t, black(img, 9, 20))
	assert.True(t, black(img, 12, 22), "inside the 3-dot border")
	assert.False(t, black(img, 13, 23), "the box is hollow")
	assert.True(t, black(img, 109, 69), "bottom-right dot")
	assert.False(t, black(img, 110, 70))
}

func TestReversedFieldPrintsWhiteOnBlack(t *testing.T) {
	zpl := "^XA^PW400^LL100^FO0,0^GB400,100,100^FS^FO20,20^A0N,60,60^FR^FDWHITE^FS^XZ"
	labels, err := RenderZPL([]byte(zpl), 0, 0)
	require.NoError(t, err)
	white := 0
	for _, p := range labels[0].Pix {
		if p > 128 {
			white++
		}
	}
	assert.Greater(t, white, 500, "the text shows as white dots on the black box")
	assert.True(t, black(labels[0], 5, 5), "the box around it stays black")
}

// A PNG label sent to a ZPL printer and the preview of that ZPL must agree
// dot for dot: both conversions, checked against each other.
func TestImageToZPLRendersBackToTheSameDots(t *testing.T) {
	src := testLabelPNG(t, 203)
	zpl, err := ImageToZPL(src)
	require.NoError(t, err)
	labels, err := RenderZPL(zpl, 0, 0)
	require.NoError(t, err)
	want, err := png.Decode(bytes.NewReader(src))
	require.NoError(t, err)
	got := labels[0]
	require.Equal(t, want.Bounds(), got.Bounds())
	diff := 0
	for y := 0; y < got.Rect.Dy(); y++ {
		for x := 0; x < got.Rect.Dx(); x++ {
			if isDark(want.At(x, y)) != black(got, x, y) {
				diff++
			}
		}
	}
	assert.Zero(t, diff, "dots that differ")
}

func TestZ64GraphicMatchesASCII(t *testing.T) {
	// 16×3 dots: a bar, a gap, a checker.
	rows := []byte{0xFF, 0xFF, 0x00, 0x00, 0xAA, 0x55}
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(rows)
	w.Close()
	ascii := "^XA^PW32^LL8^FO0,0^GFA,6,6,2,FFFF\n,\nAA55^FS^XZ"
	z64 := "^XA^PW32^LL8^FO0,0^GFA,6,6,2,:Z64:" + base64.StdEncoding.EncodeToString(z.Bytes()) + ":1234^FS^XZ"
	a, err := RenderZPL([]byte(ascii), 0, 0)
	require.NoError(t, err)
	b, err := RenderZPL([]byte(z64), 0, 0)
	require.NoError(t, err)
	assert.Equal(t, a[0].Pix, b[0].Pix)
	assert.True(t, black(a[0], 15, 0))
	assert.False(t, black(a[0], 0, 1))
	assert.True(t, black(a[0], 0, 2))
	assert.False(t, black(a[0], 1, 2))
}

func TestEveryLabelOfADocumentIsRendered(t *testing.T) {
	// A format of settings only (^XA^MCY^XZ) feeds no label: none is drawn.
	labels, err := RenderZPL([]byte("~JA^XA^FO0,0^GB10,10,10^FS^XZ^XA^MCY^XZ^XA^FO0,0^GB5,5,5^FS^XZ"), 20, 20)
	require.NoError(t, err)
	require.Len(t, labels, 2)
	assert.True(t, black(labels[1], 4, 4))
	assert.False(t, black(labels[1], 6, 6), "the second label drawn is the third format")
	_, err = RenderZPL([]byte("hello"), 20, 20)
	assert.ErrorContains(t, err, "^XA")
}

// The test label, rendered, is the golden: a change to the renderer or the
// label shows up as a changed picture (go test ./printing -update rewrites it).
func TestTestLabelRenderingGolden(t *testing.T) {
	for _, dpi := range []int{203, 300} {
		got := testLabelPNG(t, dpi)
		path := filepath.Join("testdata", fmt.Sprintf("test-label-%d.png", dpi))
		if *update {
			require.NoError(t, os.MkdirAll("testdata", 0o755))
			require.NoError(t, os.WriteFile(path, got, 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./printing -update to create the golden")
		wi, err := png.Decode(bytes.NewReader(want))
		require.NoError(t, err)
		gi, err := png.Decode(bytes.NewReader(got))
		require.NoError(t, err)
		require.Equal(t, wi.Bounds(), gi.Bounds())
		same := true
		for y := 0; y < wi.Bounds().Dy() && same; y++ {
			for x := 0; x < wi.Bounds().Dx(); x++ {
				if color.GrayModel.Convert(wi.At(x, y)) != color.GrayModel.Convert(gi.At(x, y)) {
					same = false
					t.Errorf("%d dpi: the rendering differs from %s first at (%d,%d)", dpi, path, x, y)
					break
				}
			}
		}
	}
}

// Whatever a label holds, the preview draws or refuses it: no panic, no
// gigabyte canvas (sizes are clamped to 13 inches at 300 dpi).
func FuzzRenderZPL(f *testing.F) {
	f.Add(TestLabel(203))
	f.Add(carrierLabel(300, "9400111899560000000042"))
	f.Add([]byte("^XA^PW99999999^LL99999999^FO0,0^GB99999999,99999999,99999999^FS^XZ"))
	f.Add([]byte("^XA^FO10,10^GFA,99999999,99999999,1,FF^FS^A0R,9999,9999^FDx^FS^BY999^BCN,99999^FD1^FS^XZ"))
	f.Add([]byte("^XA^FO1,1^BQN,2,99^FDQA,x^FS^FO1,1^B7N,999,5^FDx^FS^FO1,1^FB99999,9999,9999^FDa b c^FS^XZ"))
	f.Fuzz(func(t *testing.T, zpl []byte) {
		labels, err := RenderZPL(zpl, 812, 1218)
		if err != nil {
			return
		}
		for _, l := range labels {
			if l.Rect.Dx() > maxDots || l.Rect.Dy() > maxDots {
				t.Fatalf("a %v canvas", l.Rect)
			}
		}
	})
}

func decodeWith(t *testing.T, img image.Image, reader gozxing.Reader, hints map[gozxing.DecodeHintType]any) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := reader.Decode(bmp, hints)
	require.NoError(t, err, "the rendered barcode must scan")
	return res.GetText()
}

func renderOne(t *testing.T, zpl string) *image.Gray {
	t.Helper()
	labels, err := RenderZPL([]byte(zpl), 0, 0)
	require.NoError(t, err)
	require.Len(t, labels, 1)
	return labels[0]
}

// Some carriers' systems write coordinates and sizes with decimals; a
// printer rounds them, and so does the preview.
func TestDecimalCoordinatesAreRounded(t *testing.T) {
	img := renderOne(t, "^XA^PW300^LL200^FO18.64,81.5^GB100.4,50.6,50.6^FS^XZ")
	assert.True(t, black(img, 19, 82), "the box starts at the rounded origin")
	assert.True(t, black(img, 19+99, 82+50))
	assert.False(t, black(img, 18, 82))
	assert.False(t, black(img, 19+101, 82))
}

// ^A0R,,28 (height left out) and ^A0N,0,0 (both zero) still draw text.
func TestAFontWithoutAHeightStillDrawsText(t *testing.T) {
	for _, cmd := range []string{"^A0N,,40", "^A0N,40", "^A0N,0,0"} {
		img := renderOne(t, "^XA^PW400^LL100^CF0,30^FO10,10"+cmd+"^FDHELLO^FS^XZ")
		dark := 0
		for y := 0; y < 100; y++ {
			for x := 0; x < 400; x++ {
				if black(img, x, y) {
					dark++
				}
			}
		}
		assert.Greater(t, dark, 100, "%s draws its text", cmd)
	}
}

// EAN-13 (^BE) and Aztec (^BO, ^B0) are drawn, and scan to their data.
func TestEAN13AndAztecScan(t *testing.T) {
	img := renderOne(t, "^XA^PW500^LL300^BY2^FO40,40^BEN,120,Y,N^FD400638133393^FS^XZ")
	assert.Equal(t, "4006381333931", decode(t, img, oned.NewEAN13Reader()), "the check digit is the symbol's")
	// (gozxing's Aztec detector finds symbols from 8 dots a module.)
	for _, cmd := range []string{"^BON,8", "^B0N,8"} {
		img := renderOne(t, "^XA^PW400^LL400^FO60,60"+cmd+"^FD1Z999AA10123456784^FS^XZ")
		assert.Equal(t, "1Z999AA10123456784", decode(t, img, aztec.NewAztecReader()), cmd)
	}
}

// ^BC mode D is GS1-128: the symbol starts with FNC1 (a scanner reports
// "]C1"), and a variable-length field ends with FNC1 (GS) before the next
// application identifier; fixed-length ones do not.
func TestCode128ModeDIsGS1(t *testing.T) {
	img := renderOne(t, "^XA^PW800^LL300^BY2^FO20,20^BCN,120,Y,N,N,D^FD(01)09501101530003(10)AB12(21)XYZ^FS^XZ")
	got := decodeWith(t, img, oned.NewCode128Reader(), map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true, gozxing.DecodeHintType_TRY_HARDER: true})
	assert.Equal(t, "]C1010950110153000310AB12\x1d21XYZ", got)
}

// ^CC changes the command prefix for the rest of the label (here to +),
// and ITF data that starts with Code 128's ">;" still draws its digits.
func TestAChangedPrefixAndITFWithAStartCode(t *testing.T) {
	img := renderOne(t, "^XA^CC++PW500+LL300+FO40,40+BY2+BCN,100,N,N+FD12345678+FS+XZ")
	assert.Equal(t, "12345678", decode(t, img, oned.NewCode128Reader()))
	img = renderOne(t, "^XA^PW600^LL300^BY2^FO40,40^B2N,100,N,N^FD>;1234567890^FS^XZ")
	assert.Equal(t, "1234567890", decode(t, img, oned.NewITFReader()))
}

// ^FT is where a field's baseline starts, in the field's own frame: the
// text sits on it above (N), right of it reading down (R), below it upside
// down (I), left of it reading up (B). HELLO has no descenders, so its ink
// touches the baseline.
func TestTypesetOriginFollowsTheRotation(t *testing.T) {
	const ox, oy = 200, 200
	for _, o := range []string{"N", "R", "I", "B"} {
		img := renderOne(t, fmt.Sprintf("^XA^PW400^LL400^FT%d,%d^A0%s,40,40^FDHELLO^FS^XZ", ox, oy, o))
		minX, minY, maxX, maxY := 400, 400, -1, -1
		for y := 0; y < 400; y++ {
			for x := 0; x < 400; x++ {
				if black(img, x, y) {
					minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
				}
			}
		}
		require.GreaterOrEqual(t, maxX, 0, o)
		switch o {
		case "N":
			assert.InDelta(t, oy, maxY, 3, "N: the ink stands on the baseline")
			assert.InDelta(t, ox, minX, 4, "N: and starts at the origin")
		case "R":
			assert.InDelta(t, ox, minX, 3, "R: the baseline is the ink's left edge")
			assert.InDelta(t, oy, minY, 4, "R: reading down from the origin")
		case "I":
			assert.InDelta(t, oy, minY, 3, "I: the baseline is the ink's top edge")
			assert.InDelta(t, ox, maxX, 4, "I: reading left from the origin")
		case "B":
			assert.InDelta(t, ox, maxX, 3, "B: the baseline is the ink's right edge")
			assert.InDelta(t, oy, maxY, 4, "B: reading up from the origin")
		}
	}
}

// A graphic stored with ~DG (before the label, as carriers send logos) is
// drawn where ^XG recalls it, magnified.
func TestAStoredGraphicIsDrawnWhereRecalled(t *testing.T) {
	// 16 × 2 dots: the first row's left byte black, the second row white.
	img := renderOne(t, "~DGR:LOGO.GRF,4,2,FF000000\n^XA^PW200^LL100^FO10,20^XGR:LOGO.GRF,2,3^FS^XZ")
	assert.True(t, black(img, 10, 20))
	assert.True(t, black(img, 10+15, 20+2), "8 dots magnified twice across, 1 row three times down")
	assert.False(t, black(img, 10+16, 20))
	assert.False(t, black(img, 10, 20+3), "the second row is white")
	assert.False(t, black(img, 9, 20))
}

// A format stored with ^DF is drawn by every label that recalls it (^XF),
// its ^FN fields filled with that label's data.
func TestAStoredFormatIsFilledByTheLabelThatRecallsIt(t *testing.T) {
	labels, err := RenderZPL([]byte("^XA^DFR:SHIP.ZPL^FS^PW500^LL300^FO20,20^BY2^BCN,100,N,N^FN1^FS^FO20,200^GB40,40,40^FS^XZ"+
		"^XA^XFR:SHIP.ZPL^FS^FN1^FD1Z999AA10123456784^FS^XZ"+
		"^XA^XFR:SHIP.ZPL^FS^FN1^FD1Z999AA10000000001^FS^XZ"), 0, 0)
	require.NoError(t, err)
	require.Len(t, labels, 2, "the format itself draws no label")
	for i, want := range []string{"1Z999AA10123456784", "1Z999AA10000000001"} {
		assert.Equal(t, want, decode(t, labels[i], oned.NewCode128Reader()))
		assert.True(t, black(labels[i], 30, 210), "the format's own fields are drawn too")
		assert.False(t, black(labels[i], 5, 5), "the data field is not drawn at the origin")
	}
}

// ^FT with no position puts the field right after the previous text, on
// its baseline.
func TestTypesetWithoutAPositionFollowsThePreviousText(t *testing.T) {
	img := renderOne(t, "^XA^PW600^LL200^FT10,100^A0N,40,40^FDAB^FS^FT^A0N,40,40^FDCD^FS^XZ")
	lastDark := -1
	for x := 0; x < 600; x++ {
		for y := 50; y < 110; y++ {
			if black(img, x, y) {
				lastDark = x
			}
		}
	}
	assert.Greater(t, lastDark, 90, "CD is drawn after AB, not over it")
	assert.False(t, black(img, 5, 5), "nor at the origin")
}

// A ^GF graphic left without its ^FS is drawn, and the field after it too.
func TestAGraphicWithoutItsFieldSeparatorIsDrawnWithTheNextField(t *testing.T) {
	img := renderOne(t, "^XA^PW300^LL200^FO0,0^GFA,2,2,1,FFFF^FO100,100^GB20,20,20^FS^XZ")
	assert.True(t, black(img, 0, 0), "the graphic")
	assert.True(t, black(img, 110, 110), "the box after it")
}

// ^BC's modes: N reads invocation codes (in subset A two digits are one
// code value), A takes the data as it is, U is UCC case mode (FNC1, 19
// digits and their check digit).
func TestCode128ModesEncodeWhatZebraEncodes(t *testing.T) {
	gs1 := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true, gozxing.DecodeHintType_TRY_HARDER: true}
	for zpl, want := range map[string]string{
		"^BCN,100,N,N^FD>;382436>6CODE128>752375152":              "382436CODE128TEST",
		"^BCN,100,N,N,N,A^FD>;9632080400200044387502171053828143": ">;9632080400200044387502171053828143",
		"^BCN,100,N,N,N,U^FD9632080400200044387502171053828143":   "]C196320804002000443874",
		"^BCN,100,N,N,N,D^FD42000000>892612903":                   "]C142000000\x1d92612903",
	} {
		img := renderOne(t, "^XA^PW1000^LL300^BY2^FO20,20"+zpl+"^FS^XZ")
		assert.Equal(t, want, decodeWith(t, img, oned.NewCode128Reader(), gs1), zpl)
	}
}

// A QR field's first three characters are its error correction and input
// mode, whatever they are.
func TestQRDataSkipsItsThreeModeCharacters(t *testing.T) {
	for fd, want := range map[string]string{"QA,HELLO 1": "HELLO 1", "EXAMPLE CODE": "MPLE CODE", "QM,NA12345": "A12345"} {
		img := renderOne(t, "^XA^PW400^LL400^FO50,50^BQN,2,6^FD"+fd+"^FS^XZ")
		assert.Equal(t, want, decode(t, img, qrcode.NewQRCodeReader()), fd)
	}
}

// A QR code starts below its ^FO by ^BY's bar height (10 dots unless set),
// as printers draw it, and its error correction is the level the data
// asks for.
func TestAQRCodeSitsBelowItsOriginByTheBarHeight(t *testing.T) {
	top := func(img *image.Gray) int {
		for y := 0; y < img.Rect.Dy(); y++ {
			for x := 0; x < img.Rect.Dx(); x++ {
				if black(img, x, y) {
					return y
				}
			}
		}
		return -1
	}
	assert.Equal(t, 60, top(renderOne(t, "^XA^PW400^LL400^FO50,50^BQN,2,4^FDQA,HELLO^FS^XZ")))
	assert.Equal(t, 150, top(renderOne(t, "^XA^PW400^LL400^BY2,3,100^FO50,50^BQN,2,4^FDQA,HELLO^FS^XZ")))
	low := renderOne(t, "^XA^PW400^LL400^FO0,0^BQN,2,4^FDLA,HELLO WORLD 12345^FS^XZ")
	high := renderOne(t, "^XA^PW400^LL400^FO0,0^BQN,2,4^FDHA,HELLO WORLD 12345^FS^XZ")
	width := func(img *image.Gray) int {
		right := 0
		for y := 0; y < img.Rect.Dy(); y++ {
			for x := 0; x < img.Rect.Dx(); x++ {
				if black(img, x, y) {
					right = max(right, x)
				}
			}
		}
		return right
	}
	assert.Greater(t, width(high), width(low), "level H needs a larger symbol than L")
	assert.Equal(t, "HELLO WORLD 12345", decode(t, high, qrcode.NewQRCodeReader()))
}

// inkHeight is how many rows of an image hold black.
func inkHeight(img *image.Gray) int {
	top, bottom := -1, -1
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if black(img, x, y) {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
	}
	return bottom - top + 1
}

// Zebra's bitmap fonts A to H come in whole multiples of their cell (font
// D: 18 × 10 dots), the cell itself when no size is given.
func TestBitmapFontsAreSizedInWholeCells(t *testing.T) {
	one := inkHeight(renderOne(t, "^XA^PW400^LL200^FO10,10^ADN,0,0^FDHELLO^FS^XZ"))
	two := inkHeight(renderOne(t, "^XA^PW400^LL200^FO10,10^ADN,40,20^FDHELLO^FS^XZ"))
	assert.InDelta(t, 13, one, 4, "font D's capitals in its 18-dot cell")
	assert.InDelta(t, 2*one, two, 3, "40 dots asked: two cells of 18")
	cf := inkHeight(renderOne(t, "^XA^PW400^LL200^CFD^FO10,10^FDHELLO^FS^XZ"))
	assert.Equal(t, one, cf, "^CF takes a bitmap font's cell too")
}

// ^GS draws graphic symbols: A is ®, not the letter A.
func TestGraphicSymbolsAreSymbols(t *testing.T) {
	symbol := renderOne(t, "^XA^PW200^LL200^FO10,10^GSN,80,80^FDA^FS^XZ")
	letter := renderOne(t, "^XA^PW200^LL200^FO10,10^A0N,80,80^FDA^FS^XZ")
	assert.NotEqual(t, letter.Pix, symbol.Pix)
	assert.Positive(t, inkHeight(symbol))
}

// The label home set in a format of settings only stays for the next.
func TestTheLabelHomeStaysForTheNextFormat(t *testing.T) {
	img := renderOne(t, "^XA^LH0,20^XZ^XA^PW100^LL100^FO0,0^GB10,10,10^FS^XZ")
	assert.True(t, black(img, 5, 25))
	assert.False(t, black(img, 5, 5))
}

// barWidth is the extent of a rendered barcode's ink on its first inked row.
func barWidth(img *image.Gray) int {
	for y := 0; y < img.Rect.Dy(); y++ {
		left, right := -1, -1
		for x := 0; x < img.Rect.Dx(); x++ {
			if black(img, x, y) {
				if left < 0 {
					left = x
				}
				right = x
			}
		}
		if left >= 0 {
			return right - left + 1
		}
	}
	return 0
}

// In mode N a printer encodes exactly the subsets the data invoke: digits
// without >; stay in subset B, one symbol each, so the barcode is as wide
// as the printer's (a carrier's layout leaves room for that width).
func TestCode128ModeNEncodesTheSubsetsTheDataInvoke(t *testing.T) {
	const digits = "123456789012"
	b := renderOne(t, "^XA^PW1200^LL200^BY1^FO10,10^BCN,50,N,N^FD"+digits+"^FS^XZ")
	c := renderOne(t, "^XA^PW1200^LL200^BY1^FO10,10^BCN,50,N,N^FD>;"+digits+"^FS^XZ")
	// start, 12 symbols or 6 pairs, check: 11 modules each; stop: 13.
	assert.Equal(t, 11*(1+12+1)+13, barWidth(b), "subset B")
	assert.Equal(t, 11*(1+6+1)+13, barWidth(c), "subset C")
	for _, img := range []*image.Gray{b, c} {
		assert.Equal(t, digits, decodeWith(t, img, oned.NewCode128Reader(), nil))
	}
	// >5 switches to C mid-field, >6 back to B; >8 is FNC1.
	mixed := renderOne(t, "^XA^PW1200^LL200^BY2^FO10,10^BCN,50,N,N^FDAB>51234>6CD^FS^XZ")
	assert.Equal(t, "AB1234CD", decodeWith(t, mixed, oned.NewCode128Reader(), nil))
	gs1 := renderOne(t, "^XA^PW1200^LL200^BY2^FO10,10^BCN,50,N,N^FD>;>84201234567^FS^XZ")
	assert.Equal(t, "]C14201234567", decodeWith(t, gs1, oned.NewCode128Reader(),
		map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true}))
}

// ^BX's escape character gives FNC1: the Data Matrix reads back as GS1
// (FNC1 first, GS between element strings), and a requested size is kept.
func TestDataMatrixEscapesAndSize(t *testing.T) {
	img := renderOne(t, "^XA^PW400^LL400^FO20,20^BXN,5,200,,,,_^FD_10112345678901234_11012345^FS^XZ")
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	assert.Equal(t, "\x1d0112345678901234\x1d1012345", decodeWith(t, img, datamatrix.NewDataMatrixReader(), hints))
	sized := renderOne(t, "^XA^PW400^LL400^FO20,20^BXN,5,200,26,26^FDPX6719400000^FS^XZ")
	assert.Equal(t, 26*5, inkHeight(sized), "26 × 26 modules of 5 dots")
	assert.Equal(t, "PX6719400000", decodeWith(t, sized, datamatrix.NewDataMatrixReader(), hints))
}

// Under ^FT a QR code's bottom sits 7 modules above the position; manual
// byte input ("B" and a count) takes that many bytes.
func TestAQRCodeUnderFTAndItsByteCount(t *testing.T) {
	img := renderOne(t, "^XA^PW400^LL400^FT20,300^BQN,2,4^FDHM,B0005HELLOWORLD^FS^XZ")
	assert.Equal(t, "HELLO", decode(t, img, qrcode.NewQRCodeReader()))
	bottom := 0
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if black(img, x, y) {
				bottom = y
			}
		}
	}
	assert.Equal(t, 300-7*4-1, bottom)
}

// ^GB's corner rounding (0-8, eighths of half the shorter side): the
// corner dot is left out, the middle of each side is drawn.
func TestARoundedBoxLeavesItsCornersOut(t *testing.T) {
	square := renderOne(t, "^XA^PW400^LL300^FO50,50^GB300,200,10^FS^XZ")
	round := renderOne(t, "^XA^PW400^LL300^FO50,50^GB300,200,10,,5^FS^XZ")
	assert.True(t, black(square, 50, 50))
	assert.False(t, black(round, 50, 50), "radius 200/2 × 5/8 = 62 dots")
	assert.False(t, black(round, 55, 70))
	for _, p := range [][2]int{{200, 50}, {200, 249}, {50, 150}, {349, 150}} {
		assert.True(t, black(round, p[0], p[1]), "side at %v", p)
	}
	assert.False(t, black(round, 200, 150), "inside stays white")
}

// Code 39's wide elements are ^BY's ratio times the narrow (3.0 unless
// set): 10 characters of 6 narrow, 3 wide and a narrow gap.
func TestCode39WideBarsFollowTheRatio(t *testing.T) {
	three := renderOne(t, "^XA^PW1200^LL300^BY2^FO10,10^B3N,N,100,N,N^FD12345678^FS^XZ")
	two := renderOne(t, "^XA^PW1200^LL300^BY2,2.0^FO10,10^B3N,N,100,N,N^FD12345678^FS^XZ")
	assert.Equal(t, 10*(6+3*3+1)*2-2, barWidth(three))
	assert.Equal(t, 10*(6+3*2+1)*2-2, barWidth(two))
	assert.Equal(t, "12345678", decodeWith(t, three, oned.NewCode39Reader(), nil))
}

// maxiModules reads a MaxiCode's 33 × 30 modules from an image at the
// hexagons' centres, for a symbol whose field origin is x, y at 8 dots/mm.
func maxiModules(img *image.Gray, x, y int) []bool {
	var out []bool
	for row := range 33 {
		for col := range 30 {
			// The symbol's box starts a module (6 × 7 dots) before the
			// origin; a hexagon's centre is 0.88 + 0.38 mm and 0.76 +
			// 0.44 mm into its cell.
			cx := float64(x-6) + (float64(col)*0.88+0.44*float64(row&1)+0.88+0.38)*8
			cy := float64(y-7) + (float64(row)*0.76+0.76+0.44)*8
			if math.Hypot(cx-float64(x-6)-13.64*8, cy-float64(y-7)-13.43*8) < 4.3*8 {
				continue // the bullseye, which holds no modules
			}
			out = append(out, black(img, int(cx), int(cy)))
		}
	}
	return out
}

// A UPS label's MaxiCode has the modules of the reference renderer's,
// every one of the 990, and ZPL's primary message (class, country, postal
// code) goes where the symbol wants it.
func TestMaxiCodeMatchesTheReferenceModuleForModule(t *testing.T) {
	for name, origin := range map[string][2]int{"ups": {20, 431}, "ups_surepost": {20, 221}} {
		zpl, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".zpl"))
		require.NoError(t, err)
		f, err := os.Open(filepath.Join("testdata", "corpus", name+".png"))
		require.NoError(t, err)
		ref, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		refGray := image.NewGray(ref.Bounds())
		for y := 0; y < ref.Bounds().Dy(); y++ {
			for x := 0; x < ref.Bounds().Dx(); x++ {
				refGray.Set(x, y, ref.At(x, y))
			}
		}
		labels, err := RenderZPL(zpl, ref.Bounds().Dx(), ref.Bounds().Dy())
		require.NoError(t, err)
		want := maxiModules(refGray, origin[0], origin[1])
		assert.Equal(t, want, maxiModules(labels[0], origin[0], origin[1]), name)
		dark := 0
		for _, m := range want {
			if m {
				dark++
			}
		}
		assert.Greater(t, dark, 200, "%s: the sampling finds the symbol", name)
	}
	got, err := maxicodeData("4030405000  [)>\x1e01\x1d961Z08720000\x1dUPSN\x1e\x04")
	require.NoError(t, err)
	assert.Equal(t, "[)>\x1e01\x1d965000  \x1d040\x1d403\x1d1Z08720000\x1dUPSN\x1e\x04", got)
	_, err = maxicodeData("403040")
	assert.ErrorContains(t, err, "header")
}

// ^GS is a bitmap font of 24-dot cells: without a size it takes ^CF's as
// ^CF gave it, else one cell; a size is rounded to whole cells.
func TestGraphicSymbolsComeInWholeCells(t *testing.T) {
	plain := inkHeight(renderOne(t, "^XA^PW300^LL300^FO10,10^GS^FDB^FS^XZ"))
	cf := inkHeight(renderOne(t, "^XA^PW300^LL300^CFA,72^FO10,10^GS^FDB^FS^XZ"))
	asked := inkHeight(renderOne(t, "^XA^PW300^LL300^FO10,10^GSN,70,70^FDB^FS^XZ"))
	assert.InDelta(t, 18, plain, 3, "© in a 24-dot cell")
	assert.InDelta(t, 3*plain, cf, 4, "^CF's 72 dots: three cells")
	assert.Equal(t, cf, asked, "70 dots asked: three cells")
}

// ^FO's third parameter 1 right-justifies: the text ends at x.
func TestRightJustifiedTextEndsAtItsPosition(t *testing.T) {
	img := renderOne(t, "^XA^PW600^LL200^FO400,50,1^A0N,50,50^FDTESTOWA^FS^XZ")
	right, left := 0, img.Rect.Dx()
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if black(img, x, y) {
				right, left = max(right, x), min(left, x)
			}
		}
	}
	assert.InDelta(t, 400, right, 6)
	assert.Less(t, left, 300)
}

// The interpretation line is sized by the module (ten dots a module) and
// the bars stay at the field's origin when the line is above them.
func TestInterpretationLineFollowsTheModule(t *testing.T) {
	lineHeight := func(by string) int {
		img := renderOne(t, "^XA^PW1400^LL400^BY"+by+"^FO20,20^BCN,100,Y,N^FD>;12345678^FS^XZ")
		rows := 0
		for y := 121; y < img.Rect.Dy(); y++ {
			for x := 0; x < img.Rect.Dx(); x++ {
				if black(img, x, y) {
					rows++
					break
				}
			}
		}
		return rows
	}
	one, three := lineHeight("1"), lineHeight("3")
	assert.InDelta(t, 3*one, three, 4, "three times the module, three times the text")
	above := renderOne(t, "^XA^PW1400^LL400^BY2^FO20,100^BCN,100,Y,Y^FD>;12345678^FS^XZ")
	assert.True(t, black(above, 20, 100), "the bars start at the origin")
	assert.False(t, black(above, 20, 99))
	ink := false
	for x := 0; x < above.Rect.Dx(); x++ {
		ink = ink || black(above, x, 85)
	}
	assert.True(t, ink, "the line stands above the bars")
}

// Aztec is sized by ZPL's rule: more error correction, a larger symbol,
// each the size of the reference renderer's (aztec_ec's symbols: 23, 45,
// 70 and 95 %), the first of them module for module, and each scans to
// its data.
func TestAztecIsSizedAsZebraSizesIt(t *testing.T) {
	const data = "Part:123;Warehouse:BYZA;Position:12-12-1"
	want := map[int]int{23: 23, 45: 27, 70: 37, 95: 87} // modules a side
	prev := 0
	for _, ec := range []int{23, 45, 70, 95} {
		code, err := aztecSymbol([]byte(data), ec)
		require.NoError(t, err)
		side := code.Bounds().Dx()
		assert.Equal(t, want[ec], side, "%d%% error correction", ec)
		assert.Greater(t, side, prev)
		prev = side
		// gozxing's detector looks for the bullseye from the image's
		// centre: the symbol is centred on its canvas.
		canvas := side*8 + 120
		img := renderOne(t, fmt.Sprintf("^XA^PW%d^LL%d^FO60,60^BON,8,N,%d^FD%s^FS^XZ", canvas, canvas, ec, data))
		assert.Equal(t, data, decode(t, img, aztec.NewAztecReader()), "%d%%", ec)
	}
	compact, err := aztecSymbol([]byte(data), 103)
	require.NoError(t, err)
	assert.Equal(t, 23, compact.Bounds().Dx(), "103: a compact symbol of 3 layers")

	// The reference's first symbol (23 %, 5 dots a module at 231,70 on its
	// canvas), module for module.
	f, err := os.Open(filepath.Join("testdata", "corpus", "aztec_ec.png"))
	require.NoError(t, err)
	defer f.Close()
	ref, err := png.Decode(f)
	require.NoError(t, err)
	code, err := aztecSymbol([]byte(data), 23)
	require.NoError(t, err)
	for y := range 23 {
		for x := range 23 {
			r, _, _, _ := ref.At(231+x*5+2, 70+y*5+2).RGBA()
			assert.Equal(t, r < 0x8000, isDark(code.At(x, y)), "module %d,%d", x, y)
		}
	}
}

// Labels are drawn at once by several goroutines (a preview while a bulk
// ship converts labels to PDF): each comes out as when drawn alone. The
// fonts' faces are shared, and a face draws one glyph at a time.
func TestLabelsDrawnAtOnceComeOutAsAlone(t *testing.T) {
	zpl, err := os.ReadFile("testdata/corpus/dpdpl.zpl")
	require.NoError(t, err)
	alone, err := RenderZPLToPNG(zpl, 813, 1626)
	require.NoError(t, err)
	results := make(chan []byte, 6)
	for range cap(results) {
		go func() {
			b, err := RenderZPLToPNG(zpl, 813, 1626)
			assert.NoError(t, err)
			results <- b
		}()
	}
	for range cap(results) {
		assert.True(t, bytes.Equal(alone, <-results), "a label drawn beside others differs")
	}
}
