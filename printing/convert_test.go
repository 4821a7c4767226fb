package printing

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeGFA undoes ZPL's ASCII compression: the printer's side.
func decodeGFA(t *testing.T, data string, bytesPerRow int) [][]byte {
	t.Helper()
	width := bytesPerRow * 2
	var rows [][]byte
	var row strings.Builder
	count := 0
	flush := func() {
		h := row.String()
		for len(h) < width {
			h += "0"
		}
		b := make([]byte, bytesPerRow)
		for i := range b {
			v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			require.NoError(t, err)
			b[i] = byte(v)
		}
		rows = append(rows, b)
		row.Reset()
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c >= 'G' && c <= 'Y':
			count += int(c-'G') + 1
		case c >= 'g' && c <= 'z':
			count += (int(c-'g') + 1) * 20
		case c == ',':
			flush()
		case c == ':':
			rows = append(rows, append([]byte(nil), rows[len(rows)-1]...))
		default:
			n := max(count, 1)
			row.WriteString(strings.Repeat(string(c), n))
			count = 0
			if row.Len() == width {
				flush()
			}
		}
	}
	return rows
}

func TestImageToZPLPrintsEveryDotWhereItWas(t *testing.T) {
	// A small "label": a frame, a bar pattern and empty rows, 203 dpi-ish width not a multiple of 8.
	const w, h = 101, 60
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			black := x == 0 || y == 0 || x == w-1 || y == h-1 || (y > 20 && y < 40 && (x/3)%2 == 0)
			if black {
				img.SetGray(x, y, color.Gray{0})
			} else {
				img.SetGray(x, y, color.Gray{255})
			}
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	zpl, err := ImageToZPL(buf.Bytes())
	require.NoError(t, err)
	m := regexp.MustCompile(`\^GFA,(\d+),(\d+),(\d+),([^\^]+)\^FS`).FindStringSubmatch(string(zpl))
	require.NotNil(t, m, string(zpl))
	bpr, _ := strconv.Atoi(m[3])
	assert.Equal(t, 13, bpr, "101 dots take 13 bytes a row")
	total, _ := strconv.Atoi(m[1])
	assert.Equal(t, 13*h, total)
	rows := decodeGFA(t, m[4], bpr)
	require.Len(t, rows, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dot := rows[y][x/8]&(0x80>>(x%8)) != 0
			want := img.GrayAt(x, y).Y == 0
			if dot != want {
				t.Fatalf("dot %d,%d is %v, want %v", x, y, dot, want)
			}
		}
	}
	assert.Less(t, len(m[4]), 13*h*2/3, "compressed well below plain hex")
	assert.True(t, strings.HasPrefix(string(zpl), "^XA^PW101^LL60"))
	clean, removed := SanitizeZPL(zpl)
	assert.Empty(t, removed)
	assert.Equal(t, zpl, clean)

	_, err = ImageToZPL([]byte("not an image"))
	assert.ErrorContains(t, err, "cannot be read")
}

func TestRepeatCounts(t *testing.T) {
	assert.Equal(t, "G", repeatCount(1))
	assert.Equal(t, "Y", repeatCount(19))
	assert.Equal(t, "g", repeatCount(20))
	assert.Equal(t, "hI", repeatCount(43))
	assert.Equal(t, "z", repeatCount(400))
	assert.Equal(t, "zgG", repeatCount(421))
}
