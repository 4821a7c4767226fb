package printing

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"github.com/boombuler/barcode"
)

// Code 128 as a Zebra printer encodes ^BC data in its default mode (N):
// exactly the code values the data ask for, nothing optimised. The data
// start in subset B unless they open with >9 (A) or >; (C); >5, >6 and >7
// switch to C, B and A; in A and C every two digits make one code value.
// A label designed on a printer is as wide in the preview and the PDF as
// on the printer, because the same symbols are drawn.

// code128 values with a name in the symbology.
const (
	c128FNC3   = 96
	c128FNC2   = 97
	c128Shift  = 98
	c128CodeC  = 99
	c128CodeB  = 100 // FNC4 in subset B
	c128CodeA  = 101 // FNC4 in subset A
	c128FNC1   = 102
	c128StartA = 103
	c128StartB = 104
	c128StartC = 105
	c128Stop   = 106
)

// code128ModeN reads ZPL mode N data into code values (start character
// first, no check character) and the interpretation line's text.
func code128ModeN(data string) ([]int, string) {
	set := byte('B')
	vals := []int{c128StartB}
	var text strings.Builder
	switchTo := func(to byte, code int, fnc4 int) {
		if set == to {
			if fnc4 >= 0 {
				vals = append(vals, fnc4)
			}
			return
		}
		set = to
		vals = append(vals, code)
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '>' && i+1 < len(data) {
			i++
			switch data[i] {
			case '9', ':', ';':
				if i == 1 { // a start code counts only first
					set = map[byte]byte{'9': 'A', ':': 'B', ';': 'C'}[data[i]]
					vals[0] = map[byte]int{'A': c128StartA, 'B': c128StartB, 'C': c128StartC}[set]
				}
			case '5':
				switchTo('C', c128CodeC, -1)
			case '6':
				switchTo('B', c128CodeB, c128CodeB)
			case '7':
				switchTo('A', c128CodeA, c128CodeA)
			case '8':
				vals = append(vals, c128FNC1)
			case '2':
				vals = append(vals, c128FNC3)
			case '3':
				vals = append(vals, c128FNC2)
			case '4':
				vals = append(vals, c128Shift)
			case '<', '0', '=', '1':
				// ^, >, ~ and DEL, which the data cannot hold as themselves.
				ch := map[byte]byte{'<': '^', '0': '>', '=': '~', '1': 0x7f}[data[i]]
				if set == 'B' {
					vals = append(vals, int(ch)-' ')
					if ch != 0x7f {
						text.WriteByte(ch)
					}
				}
			}
			continue
		}
		if set == 'B' {
			if c >= ' ' && c <= 0x7f {
				vals = append(vals, int(c)-' ')
				text.WriteByte(c)
			}
			continue
		}
		// Subsets A and C take digits in pairs. A pair whose second
		// character is not a digit is dropped; a first that is not one
		// counts as 0, as the printer does.
		if i+1 >= len(data) {
			break
		}
		if !isDigit(data[i+1]) {
			i++
			continue
		}
		v := int(data[i+1] - '0')
		if isDigit(c) {
			v += int(c-'0') * 10
		}
		i++
		vals = append(vals, v)
		switch {
		case set == 'C':
			fmt.Fprintf(&text, "%02d", v)
		case v < 64:
			text.WriteByte(byte(v + ' '))
		}
	}
	return vals, text.String()
}

// code128Symbol draws code values (start character first) with their check
// character and the stop pattern, one pixel per module.
func code128Symbol(vals []int, content string) barcode.Barcode {
	sum := vals[0]
	for i, v := range vals[1:] {
		sum += (i + 1) * v
	}
	all := append(append([]int(nil), vals...), sum%103, c128Stop)
	var dark []bool
	for _, v := range all {
		for j, w := range code128Patterns[v] {
			for range int(w - '0') {
				dark = append(dark, j%2 == 0) // bars and spaces alternate, bar first
			}
		}
	}
	return &barRow{dark: dark, content: content}
}

// barRow is a 1D symbol one pixel high, dark where true.
type barRow struct {
	dark    []bool
	content string
}

func (b *barRow) ColorModel() color.Model { return color.GrayModel }
func (b *barRow) Bounds() image.Rectangle { return image.Rect(0, 0, len(b.dark), 1) }
func (b *barRow) At(x, y int) color.Color {
	if y == 0 && x >= 0 && x < len(b.dark) && b.dark[x] {
		return color.Black
	}
	return color.White
}
func (b *barRow) Metadata() barcode.Metadata {
	return barcode.Metadata{CodeKind: "Code 128", Dimensions: 1}
}
func (b *barRow) Content() string { return b.content }

// code128Patterns are the bar and space widths, in modules, of code values
// 0 to 106 (the last is the stop pattern), as ISO/IEC 15417 tabulates them.
var code128Patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}
