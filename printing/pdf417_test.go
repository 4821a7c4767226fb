package printing

import (
	"fmt"
	"image"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdf417Read reads a symbol back from its modules: the codewords of every
// row (row indicators left out) in order, and the rows and data columns.
func pdf417Read(t *testing.T, g *moduleGrid) (words []int, rows, cols int) {
	t.Helper()
	var value [3]map[uint32]int
	for cl := range 3 {
		value[cl] = map[uint32]int{}
		for v, p := range pdf417Patterns[cl] {
			value[cl][p] = v
		}
	}
	read := func(x, y int) uint32 {
		var p uint32
		for i := range 17 {
			p <<= 1
			if g.dark[y*g.w+x+i] {
				p |= 1
			}
		}
		return p
	}
	cols = (g.w-1)/17 - 4
	for y := range g.h {
		require.Equal(t, uint32(pdfStart), read(0, y), "row %d starts with the start pattern", y)
		for c := range cols + 2 {
			v, ok := value[y%3][read(17*(c+1), y)]
			require.True(t, ok, "row %d, column %d: a codeword of cluster %d", y, c, 3*(y%3))
			if c > 0 && c <= cols {
				words = append(words, v)
			}
		}
	}
	return words, g.h, cols
}

// pdf417Decode undoes the compactions: text (four sub-modes, shifts),
// numeric and byte.
func pdf417Decode(t *testing.T, words []int) string {
	t.Helper()
	var out strings.Builder
	const alpha, lower, mixed, punct = 0, 1, 2, 3
	mode := pdfLatchText
	sub, shifted := alpha, -1
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch w {
		case pdfLatchText:
			mode, sub, shifted = w, alpha, -1
			continue
		case pdfLatchNumeric, pdfLatchByte, pdfLatchByte6:
			mode, shifted = w, -1
			continue
		case pdfShiftByte:
			// A shifted byte also ends a pending punctuation shift, which
			// is how an odd text run is padded before it (as ZXing reads).
			i++
			out.WriteByte(byte(words[i]))
			shifted = -1
			continue
		}
		switch mode {
		case pdfLatchText:
			for _, v := range []int{w / 30, w % 30} {
				cur := sub
				if shifted >= 0 {
					cur, shifted = shifted, -1
				}
				switch {
				case cur == punct && v == 29:
					sub = alpha
				case cur == punct:
					out.WriteByte(pdfPunct[v])
				case v == 26:
					out.WriteByte(' ')
				case cur == alpha && v < 26:
					out.WriteByte(byte('A' + v))
				case cur == lower && v < 26:
					out.WriteByte(byte('a' + v))
				case cur == mixed && v < 25:
					out.WriteByte(pdfMixed[v])
				case cur == alpha && v == 27, cur == mixed && v == 27:
					sub = lower
				case cur == lower && v == 27:
					shifted = alpha
				case (cur == alpha || cur == lower) && v == 28:
					sub = mixed
				case cur == mixed && v == 28:
					sub = alpha
				case cur == mixed && v == 25:
					sub = punct
				case v == 29:
					shifted = punct
				}
			}
		case pdfLatchNumeric:
			j := i
			for j < len(words) && words[j] < 900 && j-i < 15 {
				j++
			}
			n := new(big.Int)
			for _, d := range words[i:j] {
				n.Mul(n, big.NewInt(900)).Add(n, big.NewInt(int64(d)))
			}
			out.WriteString(n.String()[1:])
			i = j - 1
		default: // bytes
			j := i
			for j < len(words) && words[j] < 900 {
				j++
			}
			run := words[i:j]
			for len(run) >= 5 && (mode == pdfLatchByte6 || len(run) > 5) {
				var v uint64
				for _, d := range run[:5] {
					v = v*900 + uint64(d)
				}
				for k := 5; k >= 0; k-- {
					out.WriteByte(byte(v >> (8 * k)))
				}
				run = run[5:]
			}
			for _, d := range run {
				out.WriteByte(byte(d))
			}
			i = j - 1
		}
	}
	return out.String()
}

// Every symbol decodes, from its modules, to its data: the Reed-Solomon
// codewords check, and the columns are those asked for.
func TestPDF417DecodesBackToItsData(t *testing.T) {
	fedex := "[)>\x1e01\x1d0211111\x1d840\x1d804\x1d271053820000\x1dFDEG\x1d200044387\x1d047\x1d\x1d1/1\x1d0.23LB\x1dN\x1d5000 S 160th St\x1dDes Moines\x1dWA\x1dTest Receiver\x1e06\x1d10ZGH007\x1d12Z13602284998\x1d20Z\x1c\x1d31Z9632080400200044387500271053820000\x1d9K23414445\x1d\x1e\x04"
	for i, data := range []string{
		fedex,
		"HELLO",
		"1234567890123456789012345678901234567890123456789012345678901234567890",
		"Mixed Case, punctuation; <a@b.c> [x] {y} 'q' \"z\" ~!",
		"ab\x80\xff\x00cdEFGH12",
		"\x01\x02\x03\x04\x05\x06",
		"A1", "tracking 1Z999AA10123456784 weight 12.5 LB #3/4",
	} {
		for _, cols := range []int{0, 3, 14} {
			for _, level := range []int{0, 2, 5} {
				g, err := pdf417Symbol(data, level, cols, 0, false)
				require.NoError(t, err)
				words, rows, gotCols := pdf417Read(t, g)
				if cols > 0 {
					assert.Equal(t, cols, gotCols)
				}
				assert.GreaterOrEqual(t, rows, 3)
				k := 1 << (level + 1)
				body := words[:len(words)-k]
				require.Equal(t, pdf417ECC(body, k), words[len(words)-k:], "case %d: error correction", i)
				require.Equal(t, len(body), body[0], "length descriptor")
				end := len(body)
				for end > 1 && body[end-1] == pdfPad {
					end--
				}
				assert.Equal(t, data, pdf417Decode(t, body[1:end]), fmt.Sprintf("case %d, %d columns, level %d", i, cols, level))
			}
		}
	}
	_, err := pdf417Symbol(strings.Repeat("\xfe", 1200), 5, 2, 0, false)
	assert.ErrorContains(t, err, "do not fit")
}

// The FedEx label's PDF417 (^B7N,10,5,14: 14 columns, level 5) is the
// reference renderer's, module for module.
func TestPDF417OfAFedExLabelMatchesTheReference(t *testing.T) {
	zpl, err := os.ReadFile(filepath.Join("testdata", "corpus", "fedex.zpl"))
	require.NoError(t, err)
	f, err := os.Open(filepath.Join("testdata", "corpus", "fedex.png"))
	require.NoError(t, err)
	defer f.Close()
	refImg, _, err := image.Decode(f)
	require.NoError(t, err)
	ref := image.NewGray(refImg.Bounds())
	for y := 0; y < ref.Rect.Dy(); y++ {
		for x := 0; x < ref.Rect.Dx(); x++ {
			ref.Set(x, y, refImg.At(x, y))
		}
	}
	labels, err := RenderZPL(zpl, ref.Rect.Dx(), ref.Rect.Dy())
	require.NoError(t, err)
	// ^BY2, ^B7N,10: modules 2 dots wide, rows 10 dots high; (14 + 4)
	// × 17 + 1 modules a row. The symbol is found by its start pattern
	// (eight modules of bar, then a space) near ^FO21,412 in each image.
	sample := func(img *image.Gray) (mods []bool) {
		x0, y0 := -1, -1
		for y := 400; y < 500 && x0 < 0; y++ {
			for x := 0; x < 80; x++ {
				run := 0
				for run < 16 && black(img, x+run, y) {
					run++
				}
				if run == 16 && !black(img, x-1, y) && !black(img, x+16, y) {
					x0, y0 = x, y
					break
				}
			}
		}
		if x0 < 0 {
			return nil
		}
		for row := 0; ; row++ {
			y := y0 + row*10 + 5
			if y >= img.Rect.Dy() || !black(img, x0, y) {
				return mods
			}
			for m := range 18*17 + 1 {
				mods = append(mods, black(img, x0+2*m+1, y))
			}
		}
	}
	want := sample(ref)
	require.Greater(t, len(want), 3*(18*17+1), "rows found in the reference")
	assert.Equal(t, want, sample(labels[0]))
}

// A big symbol at level 8 (512 error correction codewords) is drawn: the
// 928-codeword limit is on data, not on the whole symbol.
func TestPDF417AtLevel8HoldsItsData(t *testing.T) {
	data := strings.Repeat("PACKBENCH 0123 ", 70) // about 530 data codewords: 1,043 with the ECC
	g, err := pdf417Symbol(data, 8, 20, 0, false)
	require.NoError(t, err)
	words, _, _ := pdf417Read(t, g)
	body := words[:len(words)-512]
	require.Equal(t, pdf417ECC(body, 512), words[len(words)-512:])
	end := len(body)
	for end > 1 && body[end-1] == pdfPad {
		end--
	}
	assert.Equal(t, data, pdf417Decode(t, body[1:end]))
}
