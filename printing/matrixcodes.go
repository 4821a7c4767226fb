package printing

import (
	"fmt"
	"image"
	"image/color"
	"strconv"

	"github.com/boombuler/barcode"
	"github.com/makiuchi-d/gozxing"
	dmencoder "github.com/makiuchi-d/gozxing/datamatrix/encoder"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
	qrencoder "github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// QR and Data Matrix symbols are made with gozxing's encoders, ports of
// ZXing's, as Zebra-compatible renderers make them: the same data in the
// same size gives the same modules, mask and padding included. Data
// Matrix data with FNC1 (GS1) is encoded here, in ASCII encodation, since
// ZXing's high-level encoder has no way to say FNC1.

// moduleGrid is a 2D symbol, one pixel per module, dark where true. It is
// a barcode.Barcode so that the renderer draws it like the others.
type moduleGrid struct {
	w, h    int
	dark    []bool
	kind    string
	content string
}

func newModuleGrid(w, h int, kind, content string) *moduleGrid {
	return &moduleGrid{w: w, h: h, dark: make([]bool, w*h), kind: kind, content: content}
}

func (g *moduleGrid) set(x, y int, dark bool) { g.dark[y*g.w+x] = dark }

func (g *moduleGrid) ColorModel() color.Model { return color.GrayModel }
func (g *moduleGrid) Bounds() image.Rectangle { return image.Rect(0, 0, g.w, g.h) }
func (g *moduleGrid) At(x, y int) color.Color {
	if x >= 0 && y >= 0 && x < g.w && y < g.h && g.dark[y*g.w+x] {
		return color.Black
	}
	return color.White
}
func (g *moduleGrid) Metadata() barcode.Metadata {
	return barcode.Metadata{CodeKind: g.kind, Dimensions: 2}
}
func (g *moduleGrid) Content() string { return g.content }

// qrSymbol encodes data at error correction level H, Q, M or L.
func qrSymbol(data string, level byte) (*moduleGrid, error) {
	ec := map[byte]qrdecoder.ErrorCorrectionLevel{'H': qrdecoder.ErrorCorrectionLevel_H,
		'Q': qrdecoder.ErrorCorrectionLevel_Q, 'L': qrdecoder.ErrorCorrectionLevel_L}[level]
	if level != 'H' && level != 'Q' && level != 'L' {
		ec = qrdecoder.ErrorCorrectionLevel_M
	}
	code, err := qrencoder.Encoder_encode(data, ec, nil)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	m := code.GetMatrix()
	g := newModuleGrid(m.GetWidth(), m.GetHeight(), "QR Code", data)
	for y := range g.h {
		for x := range g.w {
			g.set(x, y, m.Get(x, y) == 1)
		}
	}
	return g, nil
}

// dmFNC1 stands for FNC1 among Data Matrix data bytes (0 to 255).
const dmFNC1 = -1

// dataMatrixData reads ^BX's escape sequences: esc 1 is FNC1, esc d and
// three digits a byte by its decimal value, esc esc the escape itself.
func dataMatrixData(data string, esc byte) (chars []int, fnc1 bool) {
	out := make([]int, 0, len(data))
	if esc == 0 {
		for i := 0; i < len(data); i++ {
			out = append(out, int(data[i]))
		}
		return out, false
	}
	for i := 0; i < len(data); i++ {
		if data[i] != esc || i+1 >= len(data) {
			out = append(out, int(data[i]))
			continue
		}
		switch c := data[i+1]; {
		case c == '1':
			out, fnc1 = append(out, dmFNC1), true
			i++
		case (c == 'd' || c == 'D') && i+4 < len(data):
			if v, err := strconv.Atoi(data[i+2 : i+5]); err == nil && v < 256 {
				out = append(out, v)
				i += 4
				continue
			}
			out = append(out, int(data[i]))
		case c == esc:
			out = append(out, int(esc))
			i++
		default:
			out = append(out, int(data[i]))
		}
	}
	return out, fnc1
}

// dataMatrixSymbol encodes data as an ECC 200 Data Matrix, of cols × rows
// modules when both are given (0: the smallest square that holds it).
func dataMatrixSymbol(data string, cols, rows int, esc byte) (*moduleGrid, error) {
	chars, fnc1 := dataMatrixData(data, esc)
	var minSize, maxSize *gozxing.Dimension
	if cols > 0 && rows > 0 {
		d, err := gozxing.NewDimension(cols, rows)
		if err == nil {
			minSize, maxSize = d, d
		}
	}
	shape := dmencoder.SymbolShapeHint_FORCE_SQUARE
	if cols > 0 && rows > 0 && cols != rows {
		shape = dmencoder.SymbolShapeHint_FORCE_RECTANGLE
	}
	var words []byte
	var err error
	if fnc1 {
		words = dataMatrixASCII(chars)
	} else {
		text := make([]byte, len(chars))
		for i, c := range chars {
			text[i] = byte(c)
		}
		if words, err = dmencoder.EncodeHighLevel(string(text), shape, minSize, maxSize); err != nil {
			return nil, fmt.Errorf("data matrix: %w", err)
		}
	}
	info, err := dmencoder.SymbolInfo_Lookup(len(words), shape, minSize, maxSize, true)
	if err != nil && minSize != nil {
		// The size asked for cannot hold the data: the printer grows it.
		info, err = dmencoder.SymbolInfo_Lookup(len(words), shape, nil, nil, true)
	}
	if err != nil {
		return nil, fmt.Errorf("data matrix: %w", err)
	}
	if fnc1 {
		words = dataMatrixPad(words, info.GetDataCapacity())
	}
	words, err = dmencoder.ErrorCorrection_EncodeECC200(words, info)
	if err != nil {
		return nil, fmt.Errorf("data matrix: %w", err)
	}
	placed := dmencoder.NewDefaultPlacement(words, info.GetSymbolDataWidth(), info.GetSymbolDataHeight())
	placed.Place()
	return dataMatrixFrame(placed, info, data), nil
}

// dataMatrixASCII is ASCII encodation: digit pairs in one codeword, FNC1
// as 232, bytes above 127 behind an upper shift.
func dataMatrixASCII(chars []int) []byte {
	digit := func(c int) bool { return c >= '0' && c <= '9' }
	var out []byte
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		switch {
		case c == dmFNC1:
			out = append(out, 232)
		case digit(c) && i+1 < len(chars) && digit(chars[i+1]):
			out = append(out, byte(130+(c-'0')*10+chars[i+1]-'0'))
			i++
		case c >= 128:
			out = append(out, 235, byte(c-127))
		default:
			out = append(out, byte(c+1))
		}
	}
	return out
}

// dataMatrixPad fills a symbol's unused data codewords: 129 first, then
// 129 plus the 253-state pseudo-random number of each position.
func dataMatrixPad(words []byte, capacity int) []byte {
	if len(words) < capacity {
		words = append(words, 129)
	}
	for i := len(words); i < capacity; i++ {
		v := 129 + (149*(i+1))%253 + 1 // position i+1, counted from 1
		if v > 254 {
			v -= 254
		}
		words = append(words, byte(v))
	}
	return words
}

// dataMatrixFrame puts the placed data regions into their finder pattern:
// each region has a solid left and bottom edge and a clock track (dark,
// light, …) along its top and right.
func dataMatrixFrame(p *dmencoder.DefaultPlacement, info *dmencoder.SymbolInfo, content string) *moduleGrid {
	g := newModuleGrid(info.GetSymbolWidth(), info.GetSymbolHeight(), "DataMatrix", content)
	rw, rh := info.GetMatrixWidth(), info.GetMatrixHeight()
	y := 0
	for dy := range info.GetSymbolDataHeight() {
		if dy%rh == 0 {
			for x := range g.w {
				g.set(x, y, x%2 == 0)
			}
			y++
		}
		x := 0
		for dx := range info.GetSymbolDataWidth() {
			if dx%rw == 0 {
				g.set(x, y, true)
				x++
			}
			g.set(x, y, p.GetBit(dx, dy))
			x++
			if dx%rw == rw-1 {
				g.set(x, y, dy%2 == 0)
				x++
			}
		}
		y++
		if dy%rh == rh-1 {
			for x := range g.w {
				g.set(x, y, true)
			}
			y++
		}
	}
	return g
}
