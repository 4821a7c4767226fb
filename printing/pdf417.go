package printing

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

// PDF417 as ^B7 asks for it: the data columns and rows given (a carrier
// sizes the symbol to its box), error correction at security level 0 to
// 8, and optionally truncated. The encoding is ISO/IEC 15438's: text,
// numeric and byte compaction chosen by runs, Reed-Solomon over GF(929),
// row indicators, clusters 0, 3, 6 in turn.

const (
	pdfLatchText    = 900
	pdfLatchByte    = 901 // byte compaction, a count not a multiple of 6
	pdfLatchNumeric = 902
	pdfShiftByte    = 913
	pdfLatchByte6   = 924 // byte compaction, a multiple of 6 bytes
	pdfPad          = 900
	pdfStart        = 0x1fea8 // 17 modules
	pdfStop         = 0x3fa29 // 18 modules
	pdfMaxCodewords = 928
)

// pdf417Symbol encodes data in columns data columns (1 to 30) and rows
// rows (3 to 90); either left 0 is worked out, neither gives a symbol
// about twice as wide in codewords as tall.
func pdf417Symbol(data string, level, columns, rows int, truncated bool) (*moduleGrid, error) {
	level = min(max(level, 0), 8)
	words := pdf417HighLevel([]byte(data))
	ecc := 1 << (level + 1)
	n := 1 + len(words) + ecc
	c, r := min(columns, 30), min(rows, 90)
	switch {
	case c > 0 && r > 0 && c*r < n:
		r = 0 // the rows asked for cannot hold it: the printer adds rows
		fallthrough
	case c > 0 && r <= 0:
		r = (n + c - 1) / c
	case c <= 0 && r > 0:
		c = min(max((n+r-1)/r, 1), 30)
	default:
		c = min(max(int(math.Ceil(math.Sqrt(float64(2*n)))), 1), 30)
		r = (n + c - 1) / c
	}
	r = max(r, 3)
	// A symbol holds at most 928 data codewords (the length descriptor
	// among them) besides its error correction, in at most 90 rows.
	if r > 90 || c*r < n || c*r-ecc > pdfMaxCodewords {
		return nil, fmt.Errorf("PDF417: %d codewords do not fit %d columns of at most 90 rows", n, c)
	}
	// Length descriptor, data, padding, then the error correction.
	all := make([]int, 0, c*r)
	all = append(all, c*r-ecc)
	all = append(all, words...)
	for len(all) < c*r-ecc {
		all = append(all, pdfPad)
	}
	all = append(all, pdf417ECC(all, ecc)...)

	width := 17 + 17 + 17*c + 17 + 18
	if truncated {
		width = 17 + 17 + 17*c + 1 // no right indicator; the stop is a bar
	}
	g := newModuleGrid(width, r, "PDF417", data)
	for y := range r {
		cluster := y % 3
		base := 30 * (y / 3)
		left := base + [3]int{(r - 1) / 3, level*3 + (r-1)%3, c - 1}[cluster]
		right := base + [3]int{c - 1, (r - 1) / 3, level*3 + (r-1)%3}[cluster]
		x := 0
		put := func(bits uint32, n int) {
			for i := n - 1; i >= 0; i-- {
				g.set(x, y, bits>>i&1 == 1)
				x++
			}
		}
		put(pdfStart, 17)
		put(pdf417Patterns[cluster][left], 17)
		for _, w := range all[y*c : (y+1)*c] {
			put(pdf417Patterns[cluster][w], 17)
		}
		if truncated {
			put(1, 1)
			continue
		}
		put(pdf417Patterns[cluster][right], 17)
		put(pdfStop, 18)
	}
	return g, nil
}

// pdf417ECC is the Reed-Solomon error correction of words: k codewords,
// the remainder of words·x^k divided by the generator ∏(x − 3^i),
// i = 1…k, negated, over GF(929).
func pdf417ECC(words []int, k int) []int {
	gen := []int{1} // coefficients, gen[j] of x^j
	root := 1
	for range k {
		root = root * 3 % 929
		next := make([]int, len(gen)+1)
		for j, a := range gen {
			next[j+1] = (next[j+1] + a) % 929
			next[j] = (next[j] + 929 - a*root%929) % 929
		}
		gen = next
	}
	rem := make([]int, k)
	for _, w := range words {
		t := (w + rem[k-1]) % 929
		for j := k - 1; j > 0; j-- {
			rem[j] = (rem[j-1] + 929 - t*gen[j]%929) % 929
		}
		rem[0] = (929 - t*gen[0]%929) % 929
	}
	out := make([]int, k)
	for j := range k {
		if v := rem[k-1-j]; v != 0 {
			out[j] = 929 - v
		}
	}
	return out
}

// Text compaction's four sub-modes: the characters of each, by value.
// Values 26 to 29 of the mixed and punctuation tables are the space,
// latches and shifts (see pdfText).
const (
	pdfMixed = "0123456789&\r\t,:#-.$/+%*=^"
	pdfPunct = ";<>@[\\]_`~!\r\t,:\n-.$/\"|*()?{}'"
)

type pdfSubMode int

const (
	pdfAlpha pdfSubMode = iota
	pdfLower
	pdfMixedMode
	pdfPunctMode
)

func pdfTextable(b byte) bool {
	return b == ' ' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' ||
		strings.IndexByte(pdfMixed, b) >= 0 || strings.IndexByte(pdfPunct, b) >= 0
}

// pdf417HighLevel turns data into codewords: 13 digits or more in numeric
// compaction, 5 text characters or more in text compaction, the rest in
// byte compaction (a single byte in text is shifted, not latched).
func pdf417HighLevel(data []byte) []int {
	var out []int
	text := true // the symbol starts in text compaction, alpha sub-mode
	sub := pdfAlpha
	digitsAt := func(i int) int {
		n := 0
		for i+n < len(data) && isDigit(data[i+n]) {
			n++
		}
		return n
	}
	textAt := func(i int) int {
		n := 0
		for i+n < len(data) && pdfTextable(data[i+n]) && digitsAt(i+n) < 13 {
			n++
		}
		return n
	}
	for i := 0; i < len(data); {
		if n := digitsAt(i); n >= 13 {
			out = append(out, pdfLatchNumeric)
			out = append(out, pdf417Numeric(data[i:i+n])...)
			i, text = i+n, false
			continue
		}
		if n := textAt(i); n >= 5 || n > 0 && i+n == len(data) {
			if !text {
				out, text, sub = append(out, pdfLatchText), true, pdfAlpha
			}
			var words []int
			words, sub = pdf417Text(data[i:i+n], sub)
			out = append(out, words...)
			i += n
			continue
		}
		// Bytes up to the next run worth compacting otherwise.
		n := 1
		for i+n < len(data) && digitsAt(i+n) < 13 && textAt(i+n) < 5 {
			n++
		}
		if n == 1 && text {
			out = append(out, pdfShiftByte, int(data[i]))
			i++
			continue
		}
		out = append(out, pdf417Bytes(data[i:i+n])...)
		i, text = i+n, false
	}
	return out
}

// pdf417Numeric packs digits 44 at a time: "1" and the digits, in base 900.
func pdf417Numeric(digits []byte) []int {
	var out []int
	for len(digits) > 0 {
		n := min(44, len(digits))
		v, _ := new(big.Int).SetString("1"+string(digits[:n]), 10)
		var group []int
		nine := big.NewInt(900)
		for v.Sign() > 0 {
			var m big.Int
			v.DivMod(v, nine, &m)
			group = append([]int{int(m.Int64())}, group...)
		}
		out = append(out, group...)
		digits = digits[n:]
	}
	return out
}

// pdf417Bytes is byte compaction: six bytes in five base-900 codewords,
// the bytes left over one codeword each.
func pdf417Bytes(b []byte) []int {
	out := []int{pdfLatchByte}
	if len(b)%6 == 0 {
		out[0] = pdfLatchByte6
	}
	for len(b) >= 6 {
		var v uint64
		for _, c := range b[:6] {
			v = v<<8 | uint64(c)
		}
		var group [5]int
		for j := 4; j >= 0; j-- {
			group[j] = int(v % 900)
			v /= 900
		}
		out = append(out, group[:]...)
		b = b[6:]
	}
	for _, c := range b {
		out = append(out, int(c))
	}
	return out
}

// pdf417Text is text compaction from sub-mode sub: two values (0 to 29)
// a codeword, with latches and shifts between the sub-modes. It returns
// the codewords and the sub-mode it ends in.
func pdf417Text(s []byte, sub pdfSubMode) ([]int, pdfSubMode) {
	const (
		space = 26
		ll    = 27 // to lower (from alpha or mixed)
		ml    = 28 // to mixed (from alpha or lower)
		al    = 28 // to alpha (from mixed)
		ps    = 29 // punctuation for one character
		as    = 27 // alpha for one character (from lower)
		pl    = 25 // to punctuation (from mixed)
		palt  = 29 // to alpha (from punctuation)
	)
	var v []int
	isAlpha := func(c byte) bool { return c >= 'A' && c <= 'Z' || c == ' ' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' || c == ' ' }
	isMixed := func(c byte) bool { return c == ' ' || strings.IndexByte(pdfMixed, c) >= 0 }
	isPunct := func(c byte) bool { return strings.IndexByte(pdfPunct, c) >= 0 }
	value := func(c byte, m pdfSubMode) int {
		switch {
		case c == ' ' && m != pdfPunctMode:
			return space
		case m == pdfAlpha:
			return int(c - 'A')
		case m == pdfLower:
			return int(c - 'a')
		case m == pdfMixedMode:
			return strings.IndexByte(pdfMixed, c)
		}
		return strings.IndexByte(pdfPunct, c)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch sub {
		case pdfAlpha:
			switch {
			case isAlpha(c):
			case isLower(c):
				v, sub = append(v, ll), pdfLower
			case isMixed(c):
				v, sub = append(v, ml), pdfMixedMode
			default:
				v = append(v, ps, value(c, pdfPunctMode))
				continue
			}
		case pdfLower:
			switch {
			case isLower(c):
			case c >= 'A' && c <= 'Z':
				v = append(v, as, value(c, pdfAlpha))
				continue
			case isMixed(c):
				v, sub = append(v, ml), pdfMixedMode
			default:
				v = append(v, ps, value(c, pdfPunctMode))
				continue
			}
		case pdfMixedMode:
			switch {
			case isMixed(c):
			case c >= 'A' && c <= 'Z':
				v, sub = append(v, al), pdfAlpha
			case c >= 'a' && c <= 'z':
				v, sub = append(v, ll), pdfLower
			case i+1 < len(s) && isPunct(s[i+1]) && !isMixed(s[i+1]):
				v, sub = append(v, pl), pdfPunctMode
			default:
				v = append(v, ps, value(c, pdfPunctMode))
				continue
			}
		case pdfPunctMode:
			if !isPunct(c) {
				v, sub = append(v, palt), pdfAlpha
				i-- // again, from alpha
				continue
			}
		}
		v = append(v, value(c, sub))
	}
	if len(v)%2 == 1 {
		v = append(v, ps) // a shift to nothing fills the last codeword
	}
	out := make([]int, 0, len(v)/2)
	for i := 0; i < len(v); i += 2 {
		out = append(out, v[i]*30+v[i+1])
	}
	return out, sub
}
