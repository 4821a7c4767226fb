package sim

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// labelData is what a carrier label shows.
type labelData struct {
	Carrier, Service, Tracking, OrderID string
	ShipFrom, ShipTo                    []string
	WeightText                          string
}

// Label sizes: 4 × 6 inches, at the printer's dots per inch.
const labelWidthIn, labelLengthIn = 4.0, 6.0

// renderLabel makes a label in the requested format: ZPL at 203 or 300 dpi,
// PNG at the dpi, or a 4×6 inch PDF page carrying the PNG at true size.
func renderLabel(format string, dpi int, d labelData) ([]byte, error) {
	if dpi == 0 {
		dpi = 203
	}
	switch format {
	case "ZPL":
		return renderZPL(dpi, d), nil
	case "PNG":
		img, err := renderImage(dpi, d)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		err = png.Encode(&b, img)
		return b.Bytes(), err
	case "PDF":
		img, err := renderImage(dpi, d)
		if err != nil {
			return nil, err
		}
		return renderPDF(img)
	}
	return nil, fmt.Errorf("unsupported label format %q", format)
}

// zplText keeps field data from closing the field or starting a command.
func zplText(s string) string {
	return strings.NewReplacer("^", " ", "~", " ").Replace(s)
}

func renderZPL(dpi int, d labelData) []byte {
	dot := func(in float64) int { return int(in * float64(dpi)) }
	var b strings.Builder
	w, h := dot(labelWidthIn), dot(labelLengthIn)
	small, big := dot(0.12), dot(0.22)
	fmt.Fprintf(&b, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", w, h)
	fmt.Fprintf(&b, "^FO%d,%d^GB%d,%d,%d^FS\n", dot(0.1), dot(0.1), w-dot(0.2), h-dot(0.2), dot(0.02))
	y := dot(0.25)
	for _, line := range append([]string{"FROM:"}, d.ShipFrom...) {
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FD%s^FS\n", dot(0.25), y, small, small, zplText(line))
		y += small + dot(0.03)
	}
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FB%d,1,0,L^FD%s^FS\n", dot(2.3), dot(0.25), big, big, dot(1.5), zplText(d.Carrier))
	// ^FB wraps long service names inside the label instead of off its edge.
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FB%d,3,0,L^FD%s^FS\n", dot(2.3), dot(0.25)+big+dot(0.05), small, small, dot(1.5), zplText(d.Service))
	y = dot(1.6)
	fmt.Fprintf(&b, "^FO%d,%d^GB%d,0,%d^FS\n", dot(0.1), y-dot(0.1), w-dot(0.2), dot(0.02))
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FDSHIP TO:^FS\n", dot(0.35), y, small, small)
	y += small + dot(0.04)
	// One field block for the whole address, wrapped to the label's width.
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FB%d,7,%d,L^FD%s^FS\n", dot(0.35), y, big, big, dot(3.4), dot(0.03),
		zplText(strings.Join(d.ShipTo, `\&`)))
	y = dot(3.7)
	fmt.Fprintf(&b, "^FO%d,%d^GB%d,0,%d^FS\n", dot(0.1), y-dot(0.15), w-dot(0.2), dot(0.02))
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FDTRACKING # %s^FS\n", dot(0.35), y, small, small, zplText(d.Tracking))
	module := max(2, dpi/100)
	fmt.Fprintf(&b, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N^FD>:%s^FS\n", dot(0.35), y+dot(0.25), module, dot(1.0), dot(1.0), zplText(d.Tracking))
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FDOrder %s   %s^FS\n", dot(0.35), dot(5.4), small, small, zplText(d.OrderID), zplText(d.WeightText))
	b.WriteString("^XZ\n")
	return []byte(b.String())
}

var (
	fontsOnce           sync.Once
	regularTTF, boldTTF *opentype.Font
	fontErr             error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		regularTTF, fontErr = opentype.Parse(goregular.TTF)
		if fontErr == nil {
			boldTTF, fontErr = opentype.Parse(gobold.TTF)
		}
	})
	return fontErr
}

func face(f *opentype.Font, px float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
}

// renderImage draws the label as a 1-bit-looking grayscale image.
func renderImage(dpi int, d labelData) (*image.Gray, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	dot := func(in float64) int { return int(in * float64(dpi)) }
	img := image.NewGray(image.Rect(0, 0, dot(labelWidthIn), dot(labelLengthIn)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	black := image.NewUniform(color.Black)
	rect := func(x0, y0, x1, y1 int) { draw.Draw(img, image.Rect(x0, y0, x1, y1), black, image.Point{}, draw.Src) }
	t := dot(0.02)
	rect(dot(0.1), dot(0.1), dot(3.9), dot(0.1)+t)
	rect(dot(0.1), dot(5.9)-t, dot(3.9), dot(5.9))
	rect(dot(0.1), dot(0.1), dot(0.1)+t, dot(5.9))
	rect(dot(3.9)-t, dot(0.1), dot(3.9), dot(5.9))
	rect(dot(0.1), dot(1.5), dot(3.9), dot(1.5)+t)
	rect(dot(0.1), dot(3.55), dot(3.9), dot(3.55)+t)

	small, err := face(regularTTF, float64(dot(0.12)))
	if err != nil {
		return nil, err
	}
	big, err := face(boldTTF, float64(dot(0.2)))
	if err != nil {
		return nil, err
	}
	text := func(f font.Face, x, y int, s string) {
		dr := &font.Drawer{Dst: img, Src: black, Face: f, Dot: fixed.P(x, y)}
		dr.DrawString(s)
	}
	y := dot(0.4)
	for _, line := range append([]string{"FROM:"}, d.ShipFrom...) {
		text(small, dot(0.25), y, line)
		y += dot(0.16)
	}
	text(big, dot(2.3), dot(0.45), d.Carrier)
	y = dot(0.7)
	for _, line := range wrap(small, d.Service, dot(1.5)) {
		text(small, dot(2.3), y, line)
		y += dot(0.16)
	}
	y = dot(1.75)
	text(small, dot(0.35), y, "SHIP TO:")
	// The whole address must show, city and postcode above all: shrink the
	// type until every wrapped line fits in the block.
	var lines []string
	var lineH int
	var addrFace font.Face
	for _, size := range []float64{0.2, 0.16, 0.13, 0.11, 0.09} {
		if addrFace, err = face(boldTTF, float64(dot(size))); err != nil {
			return nil, err
		}
		lines, lineH = nil, int(float64(dot(size))*1.3)
		for _, addr := range d.ShipTo {
			lines = append(lines, wrap(addrFace, addr, dot(3.4))...)
		}
		if len(lines)*lineH <= dot(1.55) {
			break
		}
	}
	y += dot(0.08)
	for _, line := range lines {
		y += lineH
		text(addrFace, dot(0.35), y, line)
	}
	text(small, dot(0.35), dot(3.8), "TRACKING # "+d.Tracking)
	code, err := code128.Encode(d.Tracking)
	if err != nil {
		return nil, fmt.Errorf("tracking barcode: %w", err)
	}
	// Whole dots per module: a barcode scaled by a fraction of a dot would not scan.
	module := max(1, dot(3.3)/code.Bounds().Dx())
	scaled, err := barcode.Scale(code, code.Bounds().Dx()*module, dot(1.0))
	if err != nil {
		return nil, err
	}
	draw.Draw(img, scaled.Bounds().Add(image.Pt(dot(0.35), dot(3.95))), scaled, image.Point{}, draw.Src)
	text(small, dot(0.35), dot(5.6), "Order "+d.OrderID+"   "+d.WeightText)
	return img, nil
}

// renderPDF places the label image on a 4×6 inch page at true size.
func renderPDF(img image.Image) ([]byte, error) {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "in", Size: fpdf.SizeType{Wd: labelWidthIn, Ht: labelLengthIn}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	pdf.RegisterImageOptionsReader("label", fpdf.ImageOptions{ImageType: "PNG"}, &b)
	pdf.ImageOptions("label", 0, 0, labelWidthIn, labelLengthIn, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// wrap breaks s into lines no wider than width pixels, at spaces where it can.
func wrap(f font.Face, s string, width int) []string {
	limit := fixed.I(width)
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if font.MeasureString(f, candidate) <= limit {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A single word wider than the line is cut by runes.
		line = ""
		for _, r := range word {
			if font.MeasureString(f, line+string(r)) > limit && line != "" {
				lines = append(lines, line)
				line = ""
			}
			line += string(r)
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
