package printing

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // some carriers' labels come as JPEG
	_ "image/png"
	"strings"
)

// ImageToZPL turns a label image (PNG from Amazon, say) into a ZPL page that
// prints it dot for dot as a ^GFA graphic field, for printers that speak
// only ZPL. Grey is dithered (Floyd–Steinberg) so photos and logos keep
// their shape; black-and-white labels come out exactly. The hex is
// compressed with ZPL's own scheme (run counts, ',' for a blank rest of
// row, ':' for a repeated row), typically 10-20 times smaller.
func ImageToZPL(raw []byte) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("the label image cannot be read: %w", err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	bits := monochrome(img)
	bytesPerRow := (w + 7) / 8
	var data strings.Builder
	prev := ""
	row := make([]byte, bytesPerRow)
	for y := 0; y < h; y++ {
		clear(row)
		for x := 0; x < w; x++ {
			if bits[y*w+x] {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		hex := fmt.Sprintf("%X", row)
		if hex == prev {
			data.WriteByte(':')
			continue
		}
		prev = hex
		data.WriteString(compressRow(hex))
	}
	total := bytesPerRow * h
	var out bytes.Buffer
	fmt.Fprintf(&out, "^XA^PW%d^LL%d^FO0,0^GFA,%d,%d,%d,%s^FS^XZ\n", w, h, total, total, bytesPerRow, data.String())
	return out.Bytes(), nil
}

// monochrome dithers an image to black (true) and white dots.
func monochrome(img image.Image) []bool {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(gray, gray.Bounds(), img, b.Min, draw.Src)
	errs := make([]float64, w*h)
	for i, p := range gray.Pix {
		errs[i] = float64(p)
	}
	out := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			old := errs[i]
			black := old < 128
			out[i] = black
			v := 255.0
			if black {
				v = 0
			}
			e := old - v
			spread := func(dx, dy int, f float64) {
				if nx, ny := x+dx, y+dy; nx >= 0 && nx < w && ny < h {
					errs[ny*w+nx] += e * f
				}
			}
			spread(1, 0, 7.0/16)
			spread(-1, 1, 3.0/16)
			spread(0, 1, 5.0/16)
			spread(1, 1, 1.0/16)
		}
	}
	return out
}

// compressRow applies ZPL's ASCII compression to one row of hex digits.
func compressRow(hex string) string {
	if t := strings.TrimRight(hex, "0"); t == "" {
		return ","
	} else if len(t) < len(hex) {
		return compressRuns(t) + ","
	}
	return compressRuns(hex)
}

func compressRuns(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if n := j - i; n > 1 {
			out.WriteString(repeatCount(n))
		}
		out.WriteByte(s[i])
		i = j
	}
	return out.String()
}

// repeatCount encodes n as ZPL's counts: g-z are 20-400 by twenties, G-Y 1-19.
func repeatCount(n int) string {
	var out strings.Builder
	for n >= 400 {
		out.WriteByte('z')
		n -= 400
	}
	if n >= 20 {
		out.WriteByte(byte('g' + n/20 - 1))
		n %= 20
	}
	if n > 0 {
		out.WriteByte(byte('G' + n - 1))
	}
	return out.String()
}
