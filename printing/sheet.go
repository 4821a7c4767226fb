package printing

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode/code128"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// A sheet is a document laid out once, as pages of text, boxes and lines
// in inches, and drawn by either of two backends: fpdf for a PDF, and an
// image at a printer's resolution for a Windows office printer (GDI draws
// images; Packbench ships no PDF rasteriser to turn its own PDF into one).
// Both draw the same positions in the same fonts (Go's, embedded), so the
// page Windows prints is the page the PDF shows.
type sheet struct {
	paper Paper
	w, h  float64 // inches
	pages [][]sheetOp
}

type opKind int

const (
	opText opKind = iota // text at x, its baseline at y
	opBox                // a rectangle's outline
	opLine               // a line from x,y to x+w,y+h
	opFill               // a filled rectangle (a barcode's bar)
)

type sheetOp struct {
	kind       opKind
	x, y, w, h float64 // inches from the page's top-left corner
	size       float64 // text: points
	bold       bool
	text       string
}

// sheetLineWidth is the width of boxes and rules: fpdf's default, 0.2 mm.
const sheetLineWidth = 0.2 / 25.4

func newSheet(paper Paper) (*sheet, error) {
	w, h, err := paper.size()
	if err != nil {
		return nil, err
	}
	return &sheet{paper: paper, w: w, h: h}, nil
}

func (s *sheet) addPage() { s.pages = append(s.pages, nil) }

func (s *sheet) add(op sheetOp) {
	if len(s.pages) == 0 {
		s.addPage()
	}
	s.pages[len(s.pages)-1] = append(s.pages[len(s.pages)-1], op)
}

func (s *sheet) text(x, baseline, size float64, bold bool, text string) {
	s.add(sheetOp{kind: opText, x: x, y: baseline, size: size, bold: bold, text: text})
}

// cellText writes text in a cell of height h whose top is at top, the way
// fpdf's CellFormat sets it: 1 mm in from the left, centred on the line.
func (s *sheet) cellText(x, top, h, size float64, bold bool, text string) {
	s.text(x+cellMargin, top+h/2+0.3*size/72, size, bold, text)
}

// cellMargin is fpdf's cell margin, 1 mm.
const cellMargin = 1 / 25.4

func (s *sheet) box(x, y, w, h float64)  { s.add(sheetOp{kind: opBox, x: x, y: y, w: w, h: h}) }
func (s *sheet) line(x, y, w, h float64) { s.add(sheetOp{kind: opLine, x: x, y: y, w: w, h: h}) }
func (s *sheet) fill(x, y, w, h float64) { s.add(sheetOp{kind: opFill, x: x, y: y, w: w, h: h}) }

// barcode sets text as Code 128 bars, module width mod inches, and
// returns its width.
func (s *sheet) barcode(text string, x, y, mod, height float64) (float64, error) {
	code, err := code128.Encode(text)
	if err != nil {
		return 0, err
	}
	b := code.Bounds()
	for i := 0; i < b.Dx(); {
		if !isDark(code.At(b.Min.X+i, b.Min.Y)) {
			i++
			continue
		}
		j := i
		for j < b.Dx() && isDark(code.At(b.Min.X+j, b.Min.Y)) {
			j++
		}
		s.fill(x+float64(i)*mod, y, float64(j-i)*mod, height)
		i = j
	}
	return float64(b.Dx()) * mod, nil
}

// The Go fonts, parsed once, and their faces by size and weight.
var sheetFonts struct {
	once          sync.Once
	regular, bold *opentype.Font
	err           error
	mu            sync.Mutex
	faces         map[faceKey]font.Face
}

type faceKey struct {
	size, dpi float64
	bold      bool
}

func sheetFace(size, dpi float64, bold bool) (font.Face, error) {
	f := &sheetFonts
	f.once.Do(func() {
		if f.regular, f.err = opentype.Parse(goregular.TTF); f.err == nil {
			f.bold, f.err = opentype.Parse(gobold.TTF)
		}
		f.faces = map[faceKey]font.Face{}
	})
	if f.err != nil {
		return nil, f.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := faceKey{size, dpi, bold}
	if face, ok := f.faces[k]; ok {
		return face, nil
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	face, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: dpi, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	f.faces[k] = face
	return face, nil
}

// textWidth is how wide text is set at size points, in inches.
func textWidth(text string, size float64, bold bool) float64 {
	face, err := sheetFace(size, 72, bold)
	if err != nil {
		return 0
	}
	return float64(font.MeasureString(face, text)) / 64 / 72
}

// wrapText breaks text into lines no wider than width inches: at spaces,
// and inside a word only when the word alone is wider than the line.
func wrapText(text string, width, size float64, bold bool) []string {
	inner := width - 2*cellMargin
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if textWidth(try, size, bold) <= inner {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			line = word
			for textWidth(line, size, bold) > inner && len([]rune(line)) > 1 {
				r := []rune(line)
				n := len(r) - 1
				for n > 1 && textWidth(string(r[:n]), size, bold) > inner {
					n--
				}
				lines = append(lines, string(r[:n]))
				line = string(r[n:])
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// pdf draws the sheet as a PDF.
func (s *sheet) pdf() ([]byte, error) {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "in", Size: fpdf.SizeType{Wd: s.w, Ht: s.h}})
	pdf.SetCreationDate(pdfEpoch)
	pdf.SetModificationDate(pdfEpoch)
	pdf.SetCreator("Packbench", true)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	// Go's fonts are embedded so names like "Zoë Ångström" and "Łódź"
	// print as written (the PDF core fonts stop at Latin-1).
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetLineWidth(sheetLineWidth)
	for _, page := range s.pages {
		pdf.AddPage()
		for _, op := range page {
			switch op.kind {
			case opText:
				style := ""
				if op.bold {
					style = "B"
				}
				pdf.SetFont("go", style, op.size)
				pdf.Text(op.x, op.y, op.text)
			case opBox:
				pdf.Rect(op.x, op.y, op.w, op.h, "D")
			case opLine:
				pdf.Line(op.x, op.y, op.x+op.w, op.y+op.h)
			case opFill:
				pdf.SetFillColor(0, 0, 0)
				pdf.Rect(op.x, op.y, op.w, op.h, "F")
			}
		}
	}
	return pdfBytes(pdf)
}

// images draws each page as a grey image of the whole sheet at dpi.
func (s *sheet) images(dpi float64) ([]*image.Gray, error) {
	px := func(in float64) int { return int(math.Round(in * dpi)) }
	stroke := max(1, px(sheetLineWidth))
	var out []*image.Gray
	for _, page := range s.pages {
		img := image.NewGray(image.Rect(0, 0, px(s.w), px(s.h)))
		draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
		fill := func(x0, y0, x1, y1 int) {
			draw.Draw(img, image.Rect(x0, y0, x1, y1), image.Black, image.Point{}, draw.Src)
		}
		for _, op := range page {
			switch op.kind {
			case opText:
				face, err := sheetFace(op.size, dpi, op.bold)
				if err != nil {
					return nil, err
				}
				d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face,
					Dot: fixed.Point26_6{X: fixed.Int26_6(op.x * dpi * 64), Y: fixed.Int26_6(op.y * dpi * 64)}}
				d.DrawString(op.text)
			case opBox:
				x0, y0, x1, y1 := px(op.x), px(op.y), px(op.x+op.w), px(op.y+op.h)
				fill(x0, y0, x1+stroke, y0+stroke)
				fill(x0, y1, x1+stroke, y1+stroke)
				fill(x0, y0, x0+stroke, y1+stroke)
				fill(x1, y0, x1+stroke, y1+stroke)
			case opLine:
				if op.w != 0 && op.h != 0 {
					return nil, fmt.Errorf("only straight rules are drawn")
				}
				x0, y0 := px(op.x), px(op.y)
				fill(x0, y0, max(x0, px(op.x+op.w))+stroke, max(y0, px(op.y+op.h))+stroke)
			case opFill:
				fill(px(op.x), px(op.y), px(op.x+op.w), px(op.y+op.h))
			}
		}
		out = append(out, img)
	}
	return out, nil
}
