package printing

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/code39"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/twooffive"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/packbench/packbench/assets/fonts"
)

// RenderZPL draws each label (^XA … ^XZ) of a ZPL document as a
// black-and-white image, one pixel per printer dot, for the on-screen
// preview and for printing a ZPL label on a PDF printer.
//
// It covers what shipping labels are made of: fields placed with ^FO/^FT
// and ^LH (decimals rounded, as printers do), text in scalable fonts (^A,
// ^CF, ^FB blocks, ^FH escapes, four orientations), boxes and circles
// (^GB, ^GC), graphics (^GF in ASCII hex with ZPL's compression, Z64 and
// B64; ~DG stored and ^XG recalled), formats (^DF stored, ^XF recalled
// with ^FN data), ^CC/^CT prefixes, reversed fields (^FR, ^LR) and the
// barcodes carriers use: Code 128 (^BC, mode D as GS1-128), Code 39 (^B3),
// interleaved 2 of 5 (^B2), EAN-13 (^BE), QR (^BQ), Data Matrix (^BX),
// PDF417 (^B7) and Aztec (^BO, ^B0). MaxiCode (^BD) and
// unknown symbologies are drawn as a marked box so the preview never hides
// that something is there. Text uses Go Bold instead of Zebra's fonts, so
// line widths differ slightly from the printout; barcodes and graphics are
// dot for dot.
//
// widthDots and heightDots are used where the label sets no ^PW or ^LL
// (812 × 1218 is a 4×6 label at 203 dpi).
func RenderZPL(zpl []byte, widthDots, heightDots int) ([]*image.Gray, error) {
	var labels []*image.Gray
	mem := &printerMemory{graphics: map[string]*bitmap{}, formats: map[string][]zplCommand{}}
	var label []zplCommand // the commands of the label being read
	inLabel := false
	for _, c := range zplCommands(zpl) {
		switch {
		case c.name == "DG": // ~DG stores a graphic, inside a label or out
			mem.storeGraphic(c)
		case c.name == "XA":
			inLabel, label = true, label[:0]
		case !inLabel:
			continue // commands outside a label (e.g. ~ settings) draw nothing
		case c.name == "XZ":
			inLabel = false
			if img := mem.render(label, widthDots, heightDots); img != nil {
				labels = append(labels, img)
			}
		default:
			label = append(label, c)
		}
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("no label in this ZPL: it needs ^XA … ^XZ")
	}
	return labels, nil
}

// printerMemory is what a printer keeps between labels: graphics stored
// with ~DG (drawn by ^XG) and formats stored with ^DF (recalled by ^XF).
type printerMemory struct {
	graphics     map[string]*bitmap
	formats      map[string][]zplCommand
	homeX, homeY int
}

// objectName is a stored object's name without its device ("R:") and
// extension, upper case: R:LOGO.GRF and LOGO are the same graphic.
func objectName(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 2 && s[1] == ':' {
		s = s[2:]
	}
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	return s
}

// storeGraphic is ~DGd:o.x,t,w,data: t bytes in all, w a row, ASCII hex
// with ^GF's compression.
func (m *printerMemory) storeGraphic(c zplCommand) {
	ps := splitParams(c.params)
	if len(ps) < 4 {
		return
	}
	bm, err := decodeGF(append([]string{"A", ps[1], ps[1], ps[2]}, ps[3:]...))
	if err == nil {
		m.graphics[objectName(ps[0])] = bm
	}
}

// render draws one label's commands. A label that begins ^DF is a format
// to store, drawn by nothing; one that recalls a format (^XF) is the
// format's commands with its ^FN fields filled from this label's.
func (m *printerMemory) render(label []zplCommand, w, h int) *image.Gray {
	for i, c := range label {
		if c.name == "DF" {
			m.formats[objectName(c.params)] = slices.Clone(label[i+1:])
			return nil
		}
	}
	r := newZPLRenderer(w, h)
	r.memory = m
	// The label home (^LH) stays set in the printer from one format to
	// the next: carriers often send it in a settings-only format first.
	r.homeX, r.homeY = m.homeX, m.homeY
	fields := false
	for _, c := range expandFormats(label, m.formats) {
		fields = fields || c.name == "FS"
		r.apply(c)
	}
	m.homeX, m.homeY = r.homeX, r.homeY
	if !fields {
		// Settings only (^XA^MCY^XZ, a printer's setup before the label):
		// a printer feeds no label for it, so none is drawn.
		return nil
	}
	return r.finish()
}

// expandFormats replaces each ^XF with the stored format's commands, its
// ^FN fields given the data this label gives the same numbers (^FNn^FD…);
// those data fields are not drawn themselves.
func expandFormats(label []zplCommand, formats map[string][]zplCommand) []zplCommand {
	recalls := false
	for _, c := range label {
		recalls = recalls || c.name == "XF"
	}
	if !recalls {
		return label
	}
	values := map[string]string{}
	var own []zplCommand
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c.name != "FN" {
			own = append(own, c)
			continue
		}
		n := strings.TrimSpace(c.params)
		for i+1 < len(label) && label[i+1].name != "FS" {
			i++
			if label[i].name == "FD" || label[i].name == "FV" {
				values[n] = label[i].params
			}
		}
		i++ // the ^FS
	}
	var out []zplCommand
	for _, c := range own {
		if c.name != "XF" {
			out = append(out, c)
			continue
		}
		for _, fc := range formats[objectName(strings.TrimSuffix(c.params, ","))] {
			if fc.name == "FN" {
				if v, ok := values[strings.TrimSpace(fc.params)]; ok {
					out = append(out, zplCommand{name: "FD", params: v})
				}
				continue
			}
			out = append(out, fc)
		}
	}
	return out
}

// RenderZPLToPNG renders the first label of a ZPL document as a PNG.
func RenderZPLToPNG(zpl []byte, widthDots, heightDots int) ([]byte, error) {
	labels, err := RenderZPL(zpl, widthDots, heightDots)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, labels[0]); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxDots bounds every size a label may ask for: 13 inches at 300 dpi. A
// malformed or hostile label must not make the preview allocate gigabytes.
const maxDots = 4000

func clampDots(n int) int { return max(0, min(n, maxDots)) }

// maxFontDots bounds a font's height: 2 inches at 300 dpi is already a
// headline; larger glyphs only cost the preview seconds.
const maxFontDots = 600

func clampFont(n int) int { return max(0, min(n, maxFontDots)) }

type zplCommand struct {
	name   string // two letters, upper case: "FO", "GB"; "A" for ^A with its font first in params
	params string
}

// zplCommands splits ZPL into commands. ^FD data runs to the next ^ so
// that commas and tildes in an address stay data. ^CC and ^CT (or ~CC,
// ~CT) change the two prefix characters for the rest of the label.
func zplCommands(zpl []byte) []zplCommand {
	s := string(zpl)
	var out []zplCommand
	caret, tilde := byte('^'), byte('~')
	for i := 0; i < len(s); {
		if s[i] != caret && s[i] != tilde {
			i++
			continue
		}
		i++
		if i+1 > len(s) {
			break
		}
		name := ""
		if up := strings.ToUpper(s[i:min(i+1, len(s))]); up == "A" && (i+1 >= len(s) || s[i+1] != caret) {
			next := byte(0)
			if i+1 < len(s) {
				next = s[i+1]
			}
			if next == '@' || (next >= '0' && next <= '9') || (next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z') {
				// ^A0N,40,40 — font select: keep the font letter with the params.
				name = "A"
				i++
				j := i
				for j < len(s) && s[j] != caret && s[j] != tilde {
					j++
				}
				out = append(out, zplCommand{name: name, params: s[i:j]})
				i = j
				continue
			}
		}
		if i+2 > len(s) {
			break
		}
		name = strings.ToUpper(s[i : i+2])
		i += 2
		if (name == "CC" || name == "CT") && i < len(s) {
			// The new prefix is the one character after the command.
			if name == "CC" {
				caret = s[i]
			} else {
				tilde = s[i]
			}
			i++
			continue
		}
		j := i
		if name == "FD" || name == "FV" {
			for j < len(s) && s[j] != caret {
				j++
			}
		} else {
			for j < len(s) && s[j] != caret && s[j] != tilde {
				j++
			}
		}
		out = append(out, zplCommand{name: name, params: s[i:j]})
		i = j
	}
	return out
}

type zplField struct {
	x, y    int
	typeset bool // ^FT: y is the baseline (text) or the bottom (others)
	// rightJustified: ^FO/^FT's third parameter 1, the text ends at the
	// position instead of starting there.
	rightJustified bool
	font           zplFont
	block          *zplBlock
	reverse        bool
	hexChar        byte
	data           string
	hasData        bool
	barcode        *zplBarcode
	graphic        func(r *zplRenderer, f *zplField)
	symbols        bool // ^GS: the data are graphic symbols
}

type zplFont struct {
	orientation byte
	height      int
	width       int
	face        zplFaceKind
}

// zplFaceKind is the typeface a ZPL font is drawn with: font 0 scales a
// condensed sans, the bitmap fonts A to H a monospaced one (B in bold).
type zplFaceKind uint8

const (
	faceScalable zplFaceKind = iota
	faceMono
	faceMonoBold
)

// faceKind is the typeface of a ^A or ^CF font letter.
func faceKind(name byte) zplFaceKind {
	switch name | 0x20 {
	case 'b':
		return faceMonoBold
	case 'a', 'c', 'd', 'e', 'f', 'g', 'h':
		return faceMono
	}
	return faceScalable
}

type zplBlock struct {
	width, lines, spacing int
	justify               byte
}

type zplBarcode struct {
	kind        string // "BC", "B3", ...
	orientation byte
	height      int
	text        bool // interpretation line
	textAbove   bool
	params      []string
}

type zplRenderer struct {
	img         *image.Gray
	homeX       int
	homeY       int
	width       int
	height      int
	defaultFont zplFont
	// cfHeight and cfWidth are ^CF's sizes as given (0: not given).
	cfHeight, cfWidth int
	orientation       byte // ^FW
	module            int  // ^BY
	ratio             float64
	barHeight         int
	reverseAll        bool
	field             zplField
	memory            *printerMemory
	// nextX, nextY: where a ^FT with no position puts its field (after
	// the last typeset text).
	nextX, nextY int
	hasNext      bool
}

func newZPLRenderer(w, h int) *zplRenderer {
	r := &zplRenderer{width: clampDots(w), height: clampDots(h), module: 2, ratio: 3, barHeight: 10, orientation: 'N',
		defaultFont: zplFont{orientation: 'N', height: 9, width: 5, face: faceMono}}
	r.resetField()
	return r
}

func (r *zplRenderer) resetField() {
	r.field = zplField{font: r.defaultFont, hexChar: 0}
	r.field.font.orientation = r.orientation
}

// canvas allocates the image on first use, once ^PW/^LL are known.
func (r *zplRenderer) canvas() *image.Gray {
	if r.img == nil {
		r.img = image.NewGray(image.Rect(0, 0, r.width, r.height))
		for i := range r.img.Pix {
			r.img.Pix[i] = 0xff
		}
	}
	return r.img
}

func (r *zplRenderer) finish() *image.Gray { return r.canvas() }

func splitParams(p string) []string {
	parts := strings.Split(p, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func param(ps []string, i int) string {
	if i < len(ps) {
		return ps[i]
	}
	return ""
}

// intParam reads a number of dots. Labels made by some carriers' systems
// write decimals ("^FO18.64,81.5", "^BCN,186.966"): a printer rounds them.
func intParam(ps []string, i, def int) int {
	v := param(ps, i)
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) < 1e6 {
		return int(math.Round(f))
	}
	return def
}

func orientationParam(ps []string, i int, def byte) byte {
	if v := strings.ToUpper(param(ps, i)); len(v) == 1 && strings.Contains("NRIB", v) {
		return v[0]
	}
	return def
}

// bitmapFont is the cell of Zebra's bitmap fonts A to H at 8 dots/mm
// (height, width); font 0 and downloaded fonts scale freely.
func bitmapFont(name byte) (h, w int, ok bool) {
	switch name | 0x20 { // either case
	case 'a':
		return 9, 5, true
	case 'b':
		return 11, 7, true
	case 'c', 'd':
		return 18, 10, true
	case 'e':
		return 28, 15, true
	case 'f':
		return 26, 13, true
	case 'g':
		return 60, 40, true
	case 'h':
		return 21, 13, true
	}
	return 0, 0, false
}

// bitmapSize is a bitmap font's size for a requested one: whole multiples
// of its cell (1 to 10 times); a side not asked for is magnified as the
// other, and the cell itself is used when neither is.
func bitmapSize(h, w, cellH, cellW int) (int, int) {
	times := func(asked, cell int) int { return min(max(1, (asked+cell/2)/cell), 10) }
	switch {
	case h <= 0 && w <= 0:
		return cellH, cellW
	case w <= 0:
		m := times(h, cellH)
		return m * cellH, m * cellW
	case h <= 0:
		m := times(w, cellW)
		return m * cellH, m * cellW
	}
	return times(h, cellH) * cellH, times(w, cellW) * cellW
}

func (r *zplRenderer) apply(c zplCommand) {
	ps := splitParams(c.params)
	switch c.name {
	case "PW":
		if r.img == nil {
			r.width = clampDots(intParam(ps, 0, r.width))
		}
	case "LL":
		if r.img == nil {
			r.height = clampDots(intParam(ps, 0, r.height))
		}
	case "LH":
		r.homeX, r.homeY = intParam(ps, 0, 0), intParam(ps, 1, 0)
	case "LR":
		r.reverseAll = strings.ToUpper(param(ps, 0)) == "Y"
	case "FW":
		r.orientation = orientationParam(ps, 0, r.orientation)
		r.field.font.orientation = r.orientation
	case "CF":
		r.cfHeight, r.cfWidth = clampFont(intParam(ps, 1, r.cfHeight)), clampFont(intParam(ps, 2, r.cfWidth))
		h := clampFont(intParam(ps, 1, r.defaultFont.height))
		w := clampFont(intParam(ps, 2, h))
		face := r.defaultFont.face
		if f := param(ps, 0); f != "" {
			face = faceKind(f[0])
			if bh, bw, ok := bitmapFont(f[0]); ok {
				h, w = bitmapSize(intParam(ps, 1, 0), intParam(ps, 2, 0), bh, bw)
			}
		}
		r.defaultFont = zplFont{orientation: r.orientation, height: h, width: w, face: face}
		r.field.font = r.defaultFont
	case "BY":
		r.module = min(max(1, intParam(ps, 0, r.module)), 10) // ZPL allows 1-10 dots
		if v, err := strconv.ParseFloat(param(ps, 1), 64); err == nil {
			r.ratio = v
		}
		r.barHeight = clampDots(intParam(ps, 2, r.barHeight))
	case "FO", "FT":
		if r.field.graphic != nil {
			// A graphic left without its ^FS (carriers' ^GFA often is):
			// the printer draws it and starts the next field here.
			r.drawField()
			r.resetField()
		}
		r.field.x, r.field.y = intParam(ps, 0, 0)+r.homeX, intParam(ps, 1, 0)+r.homeY
		r.field.typeset = c.name == "FT"
		r.field.rightJustified = param(ps, 2) == "1"
		if c.name == "FT" && strings.TrimSpace(c.params) == "" && r.hasNext {
			// ^FT with no position: right after the previous text field,
			// on its baseline.
			r.field.x, r.field.y = r.nextX, r.nextY
		}
	case "A":
		// params: font letter + orientation, then height, width: "0N,40,40".
		spec := param(ps, 0)
		o := r.orientation
		if len(spec) > 1 && strings.Contains("NRIB", strings.ToUpper(spec[1:2])) {
			o = strings.ToUpper(spec[1:2])[0]
		}
		// A height or width left out or 0 takes the other (a scalable font
		// keeps its proportions), or ^CF's when both are.
		h, w := clampFont(intParam(ps, 1, 0)), clampFont(intParam(ps, 2, 0))
		face := r.defaultFont.face
		if len(spec) > 0 {
			face = faceKind(spec[0])
			if bh, bw, ok := bitmapFont(spec[0]); ok {
				h, w = bitmapSize(h, w, bh, bw)
			}
		}
		switch {
		case h == 0 && w == 0:
			h, w = r.defaultFont.height, r.defaultFont.width
		case h == 0:
			h = w
		case w == 0:
			w = h
		}
		r.field.font = zplFont{orientation: o, height: h, width: w, face: face}
	case "GS":
		// The graphic symbol font: A to E are ®, ©, ™ and the UL and CSA
		// marks. A bitmap font of 24 × 24 cells: a size not given is
		// ^CF's, as ^CF gave it, and in whole cells.
		o := orientationParam(ps, 0, r.orientation)
		h, w := clampFont(intParam(ps, 1, r.cfHeight)), clampFont(intParam(ps, 2, r.cfWidth))
		h, w = bitmapSize(h, w, 24, 24)
		r.field.font = zplFont{orientation: o, height: h, width: w}
		r.field.symbols = true
	case "FB":
		r.field.block = &zplBlock{width: clampDots(intParam(ps, 0, 0)), lines: min(max(1, intParam(ps, 1, 1)), 100),
			spacing: clampDots(intParam(ps, 2, 0)), justify: 'L'}
		if j := strings.ToUpper(param(ps, 3)); j != "" {
			r.field.block.justify = j[0]
		}
	case "FR":
		r.field.reverse = true
	case "FH":
		r.field.hexChar = '_'
		if c.params != "" {
			r.field.hexChar = c.params[0]
		}
	case "FD", "FV":
		r.field.data, r.field.hasData = c.params, true
	case "GB":
		w, h, t := clampDots(intParam(ps, 0, 1)), clampDots(intParam(ps, 1, 1)), max(1, clampDots(intParam(ps, 2, 1)))
		white := strings.ToUpper(param(ps, 3)) == "W"
		// Corner rounding 0 to 8: eighths of half the shorter side.
		round := min(max(intParam(ps, 4, 0), 0), 8)
		r.field.graphic = func(r *zplRenderer, f *zplField) {
			w, h := max(w, t), max(h, t)
			r.drawBox(f, w, h, t, min(w, h)*round/16, white)
		}
	case "GC":
		d, t := clampDots(intParam(ps, 0, 3)), max(1, clampDots(intParam(ps, 1, 1)))
		r.field.graphic = func(r *zplRenderer, f *zplField) { r.drawCircle(f, d, t) }
	case "GF":
		bm, err := decodeGF(ps)
		if err == nil {
			r.field.graphic = func(r *zplRenderer, f *zplField) { r.place(f, bm, 'N') }
		}
	case "XG": // ^XGd:o.x,mx,my: a stored graphic, magnified
		if r.memory == nil {
			break
		}
		if bm := r.memory.graphics[objectName(param(ps, 0))]; bm != nil {
			// Magnified up to 10 times, never past the largest label.
			mx := min(max(1, intParam(ps, 1, 1)), 10, max(1, maxDots/max(1, bm.w)))
			my := min(max(1, intParam(ps, 2, 1)), 10, max(1, maxDots/max(1, bm.h)))
			bm = bm.scale(mx, my)
			r.field.graphic = func(r *zplRenderer, f *zplField) { r.place(f, bm, 'N') }
		}
	case "BC", "B3", "B2", "BQ", "BX", "B7", "BD", "BE", "BU", "B8", "B9", "BA", "BO", "B0", "BK", "BR":
		o := orientationParam(ps, 0, r.orientation)
		b := &zplBarcode{kind: c.name, orientation: o, height: r.barHeight, text: true, params: ps}
		switch c.name {
		case "BC":
			b.height = clampDots(intParam(ps, 1, r.barHeight))
			b.text = strings.ToUpper(param(ps, 2)) != "N"
			b.textAbove = strings.ToUpper(param(ps, 3)) == "Y"
		case "B3":
			b.height = clampDots(intParam(ps, 2, r.barHeight))
			b.text = strings.ToUpper(param(ps, 3)) != "N"
			b.textAbove = strings.ToUpper(param(ps, 4)) == "Y"
		case "B2", "BE":
			b.height = clampDots(intParam(ps, 1, r.barHeight))
			b.text = strings.ToUpper(param(ps, 2)) != "N"
			b.textAbove = strings.ToUpper(param(ps, 3)) == "Y"
		default:
			b.text = false
		}
		r.field.barcode = b
	case "FS":
		r.drawField()
		r.resetField()
	}
}

// bitmap is a field drawn on its own before it is rotated and placed.
type bitmap struct {
	w, h int
	pix  []bool
}

func newBitmap(w, h int) *bitmap { return &bitmap{w: w, h: h, pix: make([]bool, max(0, w*h))} }

func (b *bitmap) set(x, y int) {
	if x >= 0 && y >= 0 && x < b.w && y < b.h {
		b.pix[y*b.w+x] = true
	}
}

func (b *bitmap) fill(x0, y0, x1, y1 int) {
	for y := max(0, y0); y < min(b.h, y1); y++ {
		for x := max(0, x0); x < min(b.w, x1); x++ {
			b.pix[y*b.w+x] = true
		}
	}
}

// rotate turns a bitmap clockwise: R 90°, I 180°, B 270°.
// scale magnifies a bitmap mx times across and my times down.
func (b *bitmap) scale(mx, my int) *bitmap {
	if mx == 1 && my == 1 {
		return b
	}
	out := newBitmap(b.w*mx, b.h*my)
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; x++ {
			if b.pix[y*b.w+x] {
				out.fill(x*mx, y*my, (x+1)*mx, (y+1)*my)
			}
		}
	}
	return out
}

func (b *bitmap) rotate(o byte) *bitmap {
	switch o {
	case 'R':
		out := newBitmap(b.h, b.w)
		for y := 0; y < b.h; y++ {
			for x := 0; x < b.w; x++ {
				if b.pix[y*b.w+x] {
					out.set(b.h-1-y, x)
				}
			}
		}
		return out
	case 'I':
		out := newBitmap(b.w, b.h)
		for i, v := range b.pix {
			if v {
				out.pix[len(b.pix)-1-i] = true
			}
		}
		return out
	case 'B':
		out := newBitmap(b.h, b.w)
		for y := 0; y < b.h; y++ {
			for x := 0; x < b.w; x++ {
				if b.pix[y*b.w+x] {
					out.set(y, b.w-1-x)
				}
			}
		}
		return out
	}
	return b
}

// place rotates the field's bitmap and draws it at the field origin;
// reversed fields flip what is under them instead of blackening it.
func (r *zplRenderer) place(f *zplField, bm *bitmap, o byte) {
	r.placeWithBaseline(f, bm, o, bm.h)
}

// placeWithBaseline draws a field. ^FO is its top left corner whatever the
// rotation; ^FT is the left end of its baseline in its own frame, so that
// point moves with the rotation: below the text (N), left of it reading
// down (R), above it upside down (I), right of it reading up (B).
func (r *zplRenderer) placeWithBaseline(f *zplField, bm *bitmap, o byte, baseline int) {
	w0, h0 := bm.w, bm.h
	bm = bm.rotate(o)
	x, y := f.x, f.y
	if f.typeset {
		switch o {
		case 'R':
			x -= h0 - baseline
		case 'I':
			x, y = x-w0, y-(h0-baseline)
		case 'B':
			x, y = x-baseline, y-w0
		default:
			y -= baseline
		}
	}
	img := r.canvas()
	reverse := f.reverse || r.reverseAll
	for by := 0; by < bm.h; by++ {
		py := y + by
		if py < 0 || py >= img.Rect.Dy() {
			continue
		}
		for bx := 0; bx < bm.w; bx++ {
			px := x + bx
			if px < 0 || px >= img.Rect.Dx() || !bm.pix[by*bm.w+bx] {
				continue
			}
			i := py*img.Stride + px
			if reverse {
				img.Pix[i] ^= 0xff
			} else {
				img.Pix[i] = 0
			}
		}
	}
}

// insideRounded says whether the dot x, y is in the rectangle x0,y0-x1,y1
// with corners rounded to radius.
func insideRounded(x, y, x0, y0, x1, y1, radius int) bool {
	if x < x0 || y < y0 || x >= x1 || y >= y1 {
		return false
	}
	fx, fy := float64(x)+0.5, float64(y)+0.5
	cx := min(max(fx, float64(x0+radius)), float64(x1-radius))
	cy := min(max(fy, float64(y0+radius)), float64(y1-radius))
	dx, dy := fx-cx, fy-cy
	return dx*dx+dy*dy <= float64(radius*radius)
}

func (r *zplRenderer) drawBox(f *zplField, w, h, t, radius int, white bool) {
	bm := newBitmap(w, h)
	if radius > 0 {
		// A rounded box: the ring between the outer outline and the
		// outline t inside it, both with rounded corners.
		in := max(radius-t, 0)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if insideRounded(x, y, 0, 0, w, h, radius) && !insideRounded(x, y, t, t, w-t, h-t, in) {
					bm.set(x, y)
				}
			}
		}
	} else {
		bm.fill(0, 0, w, t)
		bm.fill(0, h-t, w, h)
		bm.fill(0, 0, t, h)
		bm.fill(w-t, 0, w, h)
	}
	if white && !f.reverse {
		// A white box erases: draw it reversed over black only where black is.
		img := r.canvas()
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if bm.pix[y*w+x] {
					if px, py := f.x+x, f.y+y; px >= 0 && py >= 0 && px < img.Rect.Dx() && py < img.Rect.Dy() {
						img.Pix[py*img.Stride+px] = 0xff
					}
				}
			}
		}
		return
	}
	r.place(f, bm, 'N')
}

func (r *zplRenderer) drawCircle(f *zplField, d, t int) {
	bm := newBitmap(d, d)
	c := float64(d-1) / 2
	outer, inner := float64(d)/2, float64(d)/2-float64(t)
	for y := 0; y < d; y++ {
		for x := 0; x < d; x++ {
			dx, dy := float64(x)-c, float64(y)-c
			if dd := dx*dx + dy*dy; dd <= outer*outer && (inner <= 0 || dd >= inner*inner) {
				bm.set(x, y)
			}
		}
	}
	r.place(f, bm, 'N')
}

func (r *zplRenderer) drawField() {
	f := &r.field
	switch {
	case f.graphic != nil:
		f.graphic(r, f)
	case f.barcode != nil && f.hasData:
		r.drawBarcode(f)
	case f.hasData && f.symbols:
		r.drawText(f, strings.NewReplacer("A", "®", "B", "©", "C", "™", "D", "UL", "E", "CSA").Replace(f.data))
	case f.hasData:
		r.drawText(f, unescapeFH(f.data, f.hexChar))
	}
}

// unescapeFH decodes ^FH escapes such as _5E (a caret) into bytes.
func unescapeFH(s string, ind byte) string {
	if ind == 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == ind && i+2 < len(s) {
			if v, err := hex.DecodeString(s[i+1 : i+3]); err == nil {
				b.WriteByte(v[0])
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Zebra's cell: a font h dots high has its baseline 3/4 of the way down
// the cell and its capitals fill the part above it (font 0's capitals are
// 3/4 of its height). The faces are sized to that: one em per cell,
// stretched so that a capital is 3/4 of the cell.
const (
	baselineNum, baselineDen = 3, 4
	// capStretch takes Heros Cn's capitals (0.718 em) to Zebra's 0.75.
	capStretch = 0.75 / 0.718
	// The fits: see glyphFit. Fitted on the corpus (mean F1 0.946), near
	// the two designs' ratios (0.96 to 1.03 for capitals, 1.10 for
	// figures and the space).
	capitalsFit, lowerFit, figuresFit, othersFit = 0.97, 1.04, 1.10, 1.11
)

var (
	fontOnce  sync.Once
	fontFaces [3]*opentype.Font // by zplFaceKind
	faceMu    sync.Mutex
	faces     = map[[2]int]*sharedFace{}
)

// sharedFace is a face several labels may draw with at once (a preview
// and a PDF conversion): a face keeps the glyph it last drew in a buffer
// of its own, so one goroutine at a time uses it.
type sharedFace struct {
	sync.Mutex
	font.Face
}

// zplFace is the face that draws font kind k in a cell height dots high.
func zplFace(k zplFaceKind, height int) *sharedFace {
	fontOnce.Do(func() {
		for kind, ttf := range [][]byte{fonts.HerosCondensedBold, fonts.DejaVuSansMono, fonts.DejaVuSansMonoBold} {
			f, err := opentype.Parse(ttf)
			if err != nil {
				panic("printing: an embedded font does not parse: " + err.Error())
			}
			fontFaces[kind] = f
		}
	})
	faceMu.Lock()
	defer faceMu.Unlock()
	key := [2]int{int(k), height}
	if f, ok := faces[key]; ok {
		return f
	}
	size := float64(height)
	if k == faceScalable {
		size *= capStretch
	}
	f, err := opentype.NewFace(fontFaces[k], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	faces[key] = &sharedFace{Face: f}
	return faces[key]
}

// xScale is how much a font's glyphs are widened from the face's: its
// width over its height for font 0; the bitmap fonts' cells leave a gap
// between characters, so a monospaced glyph (0.6 em) is stretched to 1.2
// times the cell's width.
func (fnt zplFont) xScale(h int) float64 {
	w := fnt.width
	if w <= 0 {
		w = h
	}
	if fnt.face != faceScalable {
		return 2 * float64(w) / float64(h)
	}
	return float64(w) / float64(h) / capStretch
}

// glyphFit sets Heros Cn (a Helvetica Narrow design) to font 0's widths
// (a Helvetica Condensed one): capitals a little narrower, lower case a
// little wider, figures, space and signs wider (figures: 0.500 em against
// 0.456).
func (fnt zplFont) glyphFit(r rune) float64 {
	switch {
	case fnt.face != faceScalable:
		return 1
	case r == '-':
		return hyphenStretch
	}
	if f, ok := glyphFits[r]; ok {
		return f
	}
	switch {
	case unicode.IsUpper(r):
		return capitalsFit
	case r >= '0' && r <= '9':
		return figuresFit
	case unicode.IsLower(r):
		return lowerFit
	}
	return othersFit
}

// Font 0's hyphen is a long dash set wide: its advance is 0.8 em, its
// stroke about half of that, centred (measured on the corpus's
// references: 41 dots and 26 of ink in a font 50 dots wide), where Heros
// Cn's is a short one (0.27 em).
const hyphenStretch, hyphenAdvanceFit = 2.0, 0.8 / 0.273

// glyphFits are the glyphs whose fit differs from their kind's: Heros Cn
// and font 0 are two designs, and some glyphs differ from their kind by
// more than the kind's fit (Heros Cn's M, D, H, 1 and i are narrower than
// font 0's, its G, I, U and Y wider). Each was fitted on the corpus from
// zebrash (the mean pixel F1 of every label and the worst carrier
// label's, one glyph at a time, two passes) and checked on labels the fit
// never saw: BinaryKits.Zpl's went from mean F1 0.956 to 0.964 (worst
// 0.926 to 0.951); zpl-toolchain's, added after the fit, are at 0.96-0.98.
var glyphFits = map[rune]float64{
	'A': 1.009, 'C': 1.009, 'D': 1.086, 'F': 1.009, 'G': 0.931, 'H': 1.048, 'I': 0.892, 'M': 1.086,
	'R': 1.048, 'U': 0.931, 'W': 1.009, 'Y': 0.892,
	'1': 1.144,
	'a': 1.082, 'i': 1.211, 'x': 0.957,
	'#': 1.243,
}

// advanceFit is how much a glyph's advance is widened besides scale: as
// its ink (glyphFit), but for font 0's hyphen.
func (fnt zplFont) advanceFit(r rune) float64 {
	if r == '-' && fnt.face == faceScalable {
		return hyphenAdvanceFit
	}
	return fnt.glyphFit(r)
}

// lineWidth is how many dots a line of text takes.
func lineWidth(face font.Face, fnt zplFont, scale float64, s string) int {
	w := 0.0
	for _, r := range s {
		if adv, ok := face.GlyphAdvance(r); ok {
			w += float64(adv) / 64 * scale * fnt.advanceFit(r)
		}
	}
	return int(math.Ceil(w))
}

// drawLine draws one line of text into bm with its baseline at y, each
// glyph widened by scale and its fit.
func drawLine(bm *bitmap, face font.Face, fnt zplFont, scale float64, s string, x0, y int) {
	x := float64(x0)
	for _, r := range s {
		dr, mask, mp, adv, ok := face.Glyph(fixed.P(0, 0), r)
		if !ok {
			continue
		}
		sc := scale * fnt.glyphFit(r)
		advance := float64(adv) / 64 * scale * fnt.advanceFit(r)
		shift := 0.0 // a glyph set wider than its ink is centred
		if w := float64(adv) / 64 * sc; advance > w {
			shift = (advance - w) / 2
		}
		alpha := func(gx, gy int) bool {
			_, _, _, a := mask.At(gx, gy).RGBA()
			return a >= 0x8000
		}
		if m, ok := mask.(*image.Alpha); ok { // what opentype faces give: read it directly
			alpha = func(gx, gy int) bool { return m.Pix[m.PixOffset(gx, gy)] >= 0x80 }
		}
		x0, x1 := int(math.Floor(float64(dr.Min.X)*sc)), int(math.Ceil(float64(dr.Max.X)*sc))
		for dy := dr.Min.Y; dy < dr.Max.Y; dy++ {
			for px := x0; px < x1; px++ {
				gx := int(math.Floor(float64(px)/sc + 0.5))
				if gx >= dr.Min.X && gx < dr.Max.X && alpha(mp.X+gx-dr.Min.X, mp.Y+dy-dr.Min.Y) {
					bm.set(int(x+shift)+px, y+dy)
				}
			}
		}
		x += advance
	}
}

// textBitmap draws lines of text in a cell height h, each line widened by
// the font's xScale and justified within blockWidth when it is set. It
// returns the bitmap and the first line's baseline in it.
func textBitmap(lines []string, fnt zplFont, block *zplBlock) (*bitmap, int) {
	h := max(fnt.height, 4)
	shared := zplFace(fnt.face, h)
	if shared == nil {
		return newBitmap(1, 1), 1
	}
	shared.Lock()
	defer shared.Unlock()
	face := shared.Face
	scale := fnt.xScale(h)
	ascent := h * baselineNum / baselineDen
	lineHeight := h
	spacing := 0
	if block != nil {
		spacing = block.spacing
	}
	widths := make([]int, len(lines))
	maxW := 1
	for i, l := range lines {
		widths[i] = lineWidth(face, fnt, scale, l)
		maxW = max(maxW, widths[i])
	}
	width := maxW
	if block != nil && block.width > 0 {
		width = block.width
	}
	total := len(lines)*lineHeight + max(0, len(lines)-1)*spacing
	bm := newBitmap(width, total)
	for i, l := range lines {
		x0 := 0
		if block != nil {
			switch block.justify {
			case 'C':
				x0 = (width - widths[i]) / 2
			case 'R':
				x0 = width - widths[i]
			}
		}
		drawLine(bm, face, fnt, scale, l, x0, i*(lineHeight+spacing)+ascent)
	}
	return bm, ascent
}

func (r *zplRenderer) drawText(f *zplField, text string) {
	if f.font.face == faceMonoBold {
		text = strings.ToUpper(text) // font B has capitals only
	}
	lines := []string{text}
	if f.block != nil {
		lines = wrapZPL(text, f.font, f.block)
	}
	bm, ascent := textBitmap(lines, f.font, f.block)
	if f.rightJustified {
		at := *f
		switch f.font.orientation {
		case 'R':
			at.y -= bm.w
		case 'I':
			at.x += bm.w
		case 'B':
			at.y += bm.w
		default:
			at.x -= bm.w
		}
		f = &at
	}
	r.placeWithBaseline(f, bm, f.font.orientation, ascent)
	if f.typeset && f.block == nil && f.font.orientation == 'N' {
		r.nextX, r.nextY, r.hasNext = f.x+bm.w, f.y, true
	}
}

// wrapZPL breaks a ^FB field at spaces (and \& line breaks) to fit its width.
func wrapZPL(text string, fnt zplFont, b *zplBlock) []string {
	h := max(fnt.height, 4)
	shared := zplFace(fnt.face, h)
	scale := fnt.xScale(h)
	fits := func(s string) bool {
		if b.width <= 0 || shared == nil {
			return true
		}
		shared.Lock()
		defer shared.Unlock()
		return lineWidth(shared.Face, fnt, scale, s) <= b.width
	}
	var lines []string
	for _, para := range strings.Split(text, `\&`) {
		line := ""
		for _, w := range strings.Fields(para) {
			cand := w
			if line != "" {
				cand = line + " " + w
			}
			if fits(cand) || line == "" {
				line = cand
				continue
			}
			lines = append(lines, line)
			line = w
		}
		lines = append(lines, line)
	}
	if len(lines) > b.lines {
		lines = lines[:b.lines]
	}
	return lines
}

// zplBarcodeData is what a field's symbol encodes. For Code 128 that
// depends on ^BC's mode: A (automatic) takes the data as they are, D is
// GS1-128, U is UCC case mode; N, the default, is read into code values
// by code128ModeN.
func zplBarcodeData(kind, mode, data string) string {
	if kind != "BC" {
		return data
	}
	switch mode {
	case "D":
		return gs1Data(data)
	case "U":
		return uccData(data)
	}
	return data
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// uccData is ^BC mode U: FNC1, the first 19 digits (zero padded), and
// their GS1 mod-10 check digit.
func uccData(data string) string {
	var digits []byte
	for i := 0; i < len(data) && len(digits) < 19; i++ {
		if isDigit(data[i]) {
			digits = append(digits, data[i])
		}
	}
	for len(digits) < 19 {
		digits = append([]byte{'0'}, digits...)
	}
	return string(code128.FNC1) + string(digits) + string(gs1CheckDigit(digits))
}

// gs1CheckDigit: weights 3 and 1 from the rightmost digit, to a multiple of ten.
func gs1CheckDigit(digits []byte) byte {
	sum := 0
	for i := range digits {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// gs1Data is ^BC mode D's data (UCC/EAN, GS1-128): the application
// identifiers' parentheses are for people; the symbol starts with FNC1, and
// an FNC1 ends each variable-length field before the next identifier.
func gs1Data(data string) string {
	var b strings.Builder
	b.WriteRune(code128.FNC1)
	lastAI, inAI := "", false
	var ai strings.Builder
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '(':
			if lastAI != "" && !fixedLengthAI(lastAI) {
				b.WriteRune(code128.FNC1)
			}
			inAI = true
			ai.Reset()
		case c == ')':
			inAI, lastAI = false, ai.String()
		case c == ' ':
		case c == '>' && i+1 < len(data):
			// An invocation code: ">8" ends a variable-length field
			// (FNC1) where the data has no parentheses to say so.
			if data[i+1] == '8' {
				b.WriteRune(code128.FNC1)
			}
			i++
		default:
			if inAI {
				ai.WriteByte(c)
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fixedLengthAI: the GS1 application identifiers whose data has a
// predefined length (their first two digits say so): no FNC1 after them.
func fixedLengthAI(ai string) bool {
	if len(ai) < 2 {
		return false
	}
	switch ai[:2] {
	case "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
		"31", "32", "33", "34", "35", "36", "41":
		return true
	}
	return false
}

func (r *zplRenderer) drawBarcode(f *zplField) {
	b := f.barcode
	raw := unescapeFH(f.data, f.hexChar)
	mode := strings.ToUpper(param(b.params, 5))
	data := zplBarcodeData(b.kind, mode, raw)
	readable := strings.ReplaceAll(data, string(code128.FNC1), "")
	var code barcode.Barcode
	var err error
	twoD := false
	module := r.module
	switch b.kind {
	case "BC":
		if mode != "A" && mode != "D" && mode != "U" {
			var vals []int
			vals, readable = code128ModeN(raw)
			code = code128Symbol(vals, readable)
			break
		}
		code, err = code128.Encode(data)
	case "BE":
		// EAN-13: twelve digits and the check digit the symbol computes.
		digits := strings.TrimSpace(data)
		if len(digits) > 12 {
			digits = digits[:12]
		}
		code, err = ean.Encode(fmt.Sprintf("%012s", digits))
	case "BO", "B0":
		// Aztec: ^BOo,m,e,ecic,... m is the magnification (module size).
		twoD = true
		module = min(max(1, intParam(b.params, 1, 2)), 10)
		code, err = aztecSymbol([]byte(data), intParam(b.params, 3, 0))
	case "B3":
		code, err = code39.Encode(strings.ToUpper(data), strings.ToUpper(param(b.params, 1)) == "Y", false)
	case "B2":
		// Some labels start ITF data with Code 128's ">;" (subset C): Zebra ignores it.
		code, err = twooffive.Encode(strings.TrimPrefix(data, ">;"), true)
	case "BQ":
		twoD = true
		module = min(max(1, intParam(b.params, 2, 2)), 10)
		// ^FD for QR starts with error correction and input mode: "QA,data";
		// the printer takes the first three characters for them whatever
		// they are. Manual input ("QM,") adds the character mode: N or A,
		// or B and a four-digit byte count.
		level := byte('M')
		if len(data) > 3 {
			// The first is the error correction level: H, Q, M or L.
			level = data[0]
			manual := data[1] == 'M'
			data = data[3:]
			switch {
			case manual && len(data) > 5 && data[0] == 'B':
				// B and the byte count: the count bounds the data.
				if n, err := strconv.Atoi(data[1:5]); err == nil && n < len(data)-5 {
					data = data[5 : 5+n]
				} else {
					data = data[5:]
				}
			case manual && len(data) > 1:
				data = data[1:]
			}
		}
		code, err = qrSymbol(data, level)
	case "BX":
		twoD = true
		module = min(max(1, intParam(b.params, 1, r.module)), 20)
		var esc byte
		if e := param(b.params, 6); e != "" {
			esc = e[0]
		}
		code, err = dataMatrixSymbol(data, intParam(b.params, 3, 0), intParam(b.params, 4, 0), esc)
	case "B7":
		twoD = true
		code, err = pdf417Symbol(data, intParam(b.params, 2, 0), intParam(b.params, 3, 0), intParam(b.params, 4, 0),
			strings.ToUpper(param(b.params, 5)) == "Y")
	case "BD":
		bm, err := maxicodeBitmap(intParam(b.params, 0, 2), data)
		if err != nil {
			r.drawPlaceholder(f, b, data)
			return
		}
		// The symbol's box has a margin of a module on the top and left,
		// which a printer does not draw before the field's origin.
		shifted := *f
		shifted.x -= int(math.Round(0.76 * maxiDotsPerMM))
		shifted.y -= int(math.Round(0.88 * maxiDotsPerMM))
		r.place(&shifted, bm, 'N')
		return
	default:
		err = fmt.Errorf("symbology %s is not drawn", b.kind)
	}
	if err != nil {
		r.drawPlaceholder(f, b, data)
		return
	}
	bounds := code.Bounds()
	var bm *bitmap
	if twoD {
		rowH := module
		if b.kind == "B7" {
			// ^B7's height is per row; without one, three modules.
			rowH = min(max(1, intParam(b.params, 1, module*3)), 100)
		}
		bm = newBitmap(bounds.Dx()*module, bounds.Dy()*rowH)
		for y := 0; y < bounds.Dy(); y++ {
			for x := 0; x < bounds.Dx(); x++ {
				if isDark(code.At(bounds.Min.X+x, bounds.Min.Y+y)) {
					bm.fill(x*module, y*rowH, (x+1)*module, (y+1)*rowH)
				}
			}
		}
		if b.kind == "BQ" {
			// A printer draws a QR code below its ^FO by ^BY's bar height
			// (10 dots unless set): Zebra's long-standing offset. Under ^FT
			// its bottom sits 7 modules above the position instead (as
			// Labelary-compatible renderers draw it).
			shifted := *f
			if f.typeset {
				shifted.y -= 7 * module
			} else {
				shifted.y += b.height
			}
			f = &shifted
		}
		r.place(f, bm, b.orientation)
		return
	}
	h := max(1, b.height)
	dots := barDots(code, module, 0)
	if b.kind == "B3" || b.kind == "B2" {
		// Code 39 and interleaved 2 of 5 have two widths, ^BY's ratio
		// (2.0 to 3.0) apart.
		dots = barDots(code, module, min(max(r.ratio, 2), 3))
	}
	// The interpretation line: a monospaced face ten dots a module high,
	// centred on the bars, its baseline one size below them (or half a
	// size above them). It may be wider than the bars and stand above the
	// field's origin; the bars stay where the field puts them.
	var line *bitmap
	lineTop := 0 // relative to the bars' top
	if b.text {
		size := max(module, 1) * 10
		var ascent int
		line, ascent = textBitmap([]string{readable}, zplFont{height: size, width: size / 2, face: faceMono}, nil)
		lineTop = h + size - ascent
		if b.textAbove {
			lineTop = -size/2 - ascent
		}
	}
	top, bottom, width := 0, h, len(dots)
	if line != nil {
		top, bottom, width = min(0, lineTop), max(h, lineTop+line.h), max(width, line.w)
	}
	barsX := (width - len(dots)) / 2
	bm = newBitmap(width, bottom-top)
	for x, dark := range dots {
		if dark {
			bm.fill(barsX+x, -top, barsX+x+1, -top+h)
		}
	}
	if line != nil {
		lx, ly := (width-line.w)/2, lineTop-top
		for y := 0; y < line.h; y++ {
			for x := 0; x < line.w; x++ {
				if line.pix[y*line.w+x] {
					bm.set(lx+x, ly+y)
				}
			}
		}
	}
	// Where the bars' corner lands once the bitmap is turned: the field's
	// origin is theirs, not the interpretation line's.
	x0, x1, y0, y1 := barsX, barsX+len(dots), -top, -top+h
	W, H := bm.w, bm.h
	at := *f
	switch {
	case f.typeset: // ^FT: the baseline is the bars' bottom
		if b.orientation == 'N' {
			at.x -= x0
		}
	case b.orientation == 'R':
		at.x, at.y = at.x-(H-y1), at.y-x0
	case b.orientation == 'I':
		at.x, at.y = at.x-(W-x1), at.y-(H-y1)
	case b.orientation == 'B':
		at.x, at.y = at.x-y0, at.y-(W-x1)
	default:
		at.x, at.y = at.x-x0, at.y-y0
	}
	r.placeWithBaseline(&at, bm, b.orientation, y1)
}

// barDots is a 1D symbol's row of dots, module dots per module. With a
// ratio, the symbol has two element widths: a run of one module is
// narrow, a longer one wide, drawn ratio times the narrow.
func barDots(code barcode.Barcode, module int, ratio float64) []bool {
	b := code.Bounds()
	var dots []bool
	for x := b.Min.X; x < b.Max.X; {
		dark := isDark(code.At(x, b.Min.Y))
		run := 1
		for x+run < b.Max.X && isDark(code.At(x+run, b.Min.Y)) == dark {
			run++
		}
		n := run * module
		if ratio > 0 {
			n = module
			if run > 1 {
				n = int(ratio*float64(module) + 0.5)
			}
		}
		for range n {
			dots = append(dots, dark)
		}
		x += run
	}
	return dots
}

// drawPlaceholder marks a barcode the preview cannot draw, with its kind.
func (r *zplRenderer) drawPlaceholder(f *zplField, b *zplBarcode, data string) {
	size := max(b.height, 100)
	bm := newBitmap(size, size)
	t := max(2, size/40)
	bm.fill(0, 0, size, t)
	bm.fill(0, size-t, size, size)
	bm.fill(0, 0, t, size)
	bm.fill(size-t, 0, size, size)
	for i := 0; i < size; i++ { // a cross: "something is here"
		bm.fill(i, i, i+t, i+1)
		bm.fill(size-1-i, i, size-1-i+t, i+1)
	}
	label, _ := textBitmap([]string{"^" + b.kind}, zplFont{height: size / 5, width: size / 5}, nil)
	for y := 0; y < label.h; y++ {
		for x := 0; x < label.w; x++ {
			if label.pix[y*label.w+x] {
				bm.set(2*t+x, 2*t+y)
			}
		}
	}
	_ = data
	r.place(f, bm, b.orientation)
}

func isDark(c color.Color) bool {
	g := color.GrayModel.Convert(c).(color.Gray)
	return g.Y < 128
}

// decodeGF reads ^GFa,b,c,d,data into a bitmap: ASCII hex with ZPL's
// compression, or :Z64:/:B64: base64 (zlib-compressed for Z64).
func decodeGF(ps []string) (*bitmap, error) {
	if len(ps) < 5 {
		return nil, fmt.Errorf("^GF needs five parameters")
	}
	kind := strings.ToUpper(ps[0])
	total, _ := strconv.Atoi(ps[2])
	perRow, _ := strconv.Atoi(ps[3])
	// A 4000-dot-square graphic is 2 MB of bits: anything beyond is not a label.
	if perRow <= 0 || total <= 0 || total > 2<<20 || perRow > maxDots/8+1 {
		return nil, fmt.Errorf("^GF sizes are out of range")
	}
	data := strings.Join(ps[4:], ",") // the data itself may hold commas
	data = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, data)
	var raw []byte
	switch {
	case strings.HasPrefix(data, ":Z64:") || strings.HasPrefix(data, ":B64:"):
		body := data[5:]
		if i := strings.IndexByte(body, ':'); i >= 0 {
			body = body[:i] // the CRC after it is not needed to draw
		}
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(data, ":Z64:") {
			zr, err := zlib.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			b, err = io.ReadAll(io.LimitReader(zr, int64(total)+1))
			if err != nil {
				return nil, err
			}
		}
		raw = b
	case kind == "A":
		raw = decodeGFASCII(data, perRow, total)
	default:
		raw = []byte(data) // B: binary
	}
	rows := total / perRow
	bm := newBitmap(perRow*8, rows)
	for y := 0; y < rows; y++ {
		for x := 0; x < perRow; x++ {
			i := y*perRow + x
			if i >= len(raw) {
				return bm, nil
			}
			for bit := 0; bit < 8; bit++ {
				if raw[i]&(0x80>>bit) != 0 {
					bm.pix[y*bm.w+x*8+bit] = true
				}
			}
		}
	}
	return bm, nil
}

// decodeGFASCII expands ZPL's ASCII compression: G–Y repeat the next hex
// digit 1–19 times, g–z 20–400 times (they add up), ',' fills the rest of
// the row with 0, '!' with 1, ':' repeats the row before.
func decodeGFASCII(data string, perRow, total int) []byte {
	rowDigits := perRow * 2
	var digits []byte
	row := make([]byte, 0, rowDigits)
	prev := make([]byte, rowDigits)
	for i := range prev {
		prev[i] = '0'
	}
	flush := func() {
		for len(row) < rowDigits {
			row = append(row, '0')
		}
		digits = append(digits, row...)
		copy(prev, row)
		row = row[:0]
	}
	count := 0
	for i := 0; i < len(data) && len(digits) < total*2; i++ {
		c := data[i]
		switch {
		case c >= 'G' && c <= 'Y':
			count += int(c-'G') + 1
		case c >= 'g' && c <= 'z':
			count += (int(c-'g') + 1) * 20
		case c == ',':
			flush()
			count = 0
		case c == '!':
			for len(row) < rowDigits {
				row = append(row, 'F')
			}
			flush()
			count = 0
		case c == ':':
			if len(row) == 0 {
				row = append(row, prev...)
			}
			flush()
			count = 0
		case (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'):
			n := max(1, count)
			count = 0
			for k := 0; k < n; k++ {
				row = append(row, c)
				if len(row) == rowDigits {
					flush()
				}
			}
		}
	}
	if len(row) > 0 {
		flush()
	}
	out := make([]byte, len(digits)/2)
	_, _ = hex.Decode(out, digits[:len(out)*2])
	return out
}
