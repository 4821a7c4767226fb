package printing

import (
	"fmt"
	"math"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/aztec"
)

// Aztec (^BO/^B0) sized as a Zebra sizes it. ZXing's rule (boombuler's
// encoder) adds the error correction percentage to the data; ZPL reserves
// that percentage of the candidate symbol's whole capacity, plus three
// words, and takes the smallest symbol whose remaining words hold the
// data. So each candidate is encoded with its layers forced (the rest of
// the symbol is error correction, as the printer fills it) and the data's
// word count is read back from the symbol's mode message.

// aztecWordSize is the codeword size in bits by layer count.
var aztecWordSize = []int{4, 6, 6, 8, 8, 8, 8, 8, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
	12, 12, 12, 12, 12, 12, 12, 12, 12, 12}

// aztecSymbol encodes data for ^BO's fourth parameter: 1-99 the error
// correction percentage (0: ZPL's 23), 101-104 compact and 201-232 full
// symbols of that many layers.
func aztecSymbol(data []byte, size int) (barcode.Barcode, error) {
	switch {
	case size >= 101 && size <= 104:
		code, err := aztec.Encode(data, 0, -(size - 100))
		if err != nil {
			return nil, err
		}
		return aztecOrientationFixed(code, true), nil
	case size >= 201 && size <= 232:
		code, err := aztec.Encode(data, 0, size-200)
		if err != nil {
			return nil, err
		}
		return aztecOrientationFixed(code, false), nil
	case size <= 0 || size > 99:
		size = 23
	}
	for i := 0; i <= 32; i++ {
		compact, layers := i <= 3, i // compact 1-4, then full 4-32, as ZXing tries them
		if compact {
			layers = i + 1
		}
		forced := layers
		if compact {
			forced = -layers
		}
		code, err := aztec.Encode(data, 0, forced)
		if err != nil {
			continue // the data alone do not fit
		}
		bits := (88 + 16*layers) * layers
		if !compact {
			bits = (112 + 16*layers) * layers
		}
		total := bits / aztecWordSize[layers]
		reserved := int(math.Ceil(float64(total)*float64(size)/100)) + 3
		if aztecDataWords(code, compact) <= total-reserved {
			return aztecOrientationFixed(code, compact), nil
		}
	}
	return nil, fmt.Errorf("aztec: %d bytes do not fit a symbol with %d%% error correction", len(data), size)
}

// aztecDataWords reads the data word count from a symbol's mode message:
// a compact symbol's first 8 bits (2 of layers, 6 of words, less one)
// run along the top of the core and on down its right side, a full
// symbol's 16 bits (5 and 11) likewise, skipping the reference grid.
func aztecDataWords(code barcode.Barcode, compact bool) int {
	size := code.Bounds().Dx()
	center := size / 2
	dark := func(x, y int) int {
		if isDark(code.At(x, y)) {
			return 1
		}
		return 0
	}
	var bits []int
	if compact {
		for i := range 7 {
			bits = append(bits, dark(center-3+i, center-5))
		}
		bits = append(bits, dark(center+5, center-3))
		return value(bits[2:8]) + 1
	}
	for i := range 10 {
		bits = append(bits, dark(center-5+i+i/5, center-7))
	}
	for i := range 6 {
		bits = append(bits, dark(center+7, center-5+i+i/5))
	}
	return value(bits[5:16]) + 1
}

func value(bits []int) int {
	v := 0
	for _, b := range bits {
		v = v<<1 | b
	}
	return v
}

// aztecOrientationFixed moves one of the bullseye's orientation marks to
// where the symbology puts it: boombuler's encoder sets the lower right
// corner's mark one module off (as the Zebra-compatible renderer fixed in
// its copy), and readers that check the marks then cannot orient the
// symbol.
func aztecOrientationFixed(code barcode.Barcode, compact bool) barcode.Barcode {
	n := code.Bounds().Dx()
	g := newModuleGrid(n, n, "Aztec", code.Content())
	for y := range n {
		for x := range n {
			g.set(x, y, isDark(code.At(x, y)))
		}
	}
	center, r := n/2, 7
	if compact {
		r = 5
	}
	g.set(center+r, center+r-1, false)
	g.set(center+r, center-r-1, true)
	return g
}
