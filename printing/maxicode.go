package printing

import (
	"fmt"
	"math"
	"strings"

	"github.com/ingridhq/maxicode"
)

// MaxiCode (^BD), UPS's 2D symbol: 33 rows of 30 hexagonal modules around
// a bullseye, always about 28 × 27 mm. The modules come from
// github.com/ingridhq/maxicode; they are drawn here, on the renderer's
// dots, for 8 dots/mm (203 dpi) printers, the size a carrier's ZPL is made
// for.

const maxiDotsPerMM = 8.0

// maxicodeData joins ZPL's two parts of a mode 2 or 3 message into the
// symbol's: ZPL's field holds the primary message first (class of service,
// 3 digits; country, 3 digits; postal code) and then the secondary, from
// "[)>" RS "01" GS and a two-digit year; the symbol wants the postal code,
// country and class right after that header.
func maxicodeData(data string) (string, error) {
	header := "[)>" + maxicode.RS + "01" + maxicode.GS
	at := strings.Index(data, header)
	if at < 0 || len(data) < at+len(header)+2 {
		return "", fmt.Errorf("MaxiCode: no [)>RS01GS header in the data")
	}
	primary, secondary := data[:at], data[at:]
	if len(primary) < 7 {
		return "", fmt.Errorf("MaxiCode: the primary message %q is shorter than class, country and postal code", primary)
	}
	class, country, postal := primary[:3], primary[3:6], primary[6:]
	n := len(header) + 2
	return secondary[:n] + postal + maxicode.GS + country + maxicode.GS + class + maxicode.GS + secondary[n:], nil
}

// maxicodeBitmap draws a MaxiCode symbol of mode 2 to 6.
func maxicodeBitmap(mode int, data string) (*bitmap, error) {
	if mode < 2 || mode > 6 {
		mode = 2
	}
	msg := data
	if mode == 2 || mode == 3 {
		var err error
		if msg, err = maxicodeData(data); err != nil {
			return nil, err
		}
	}
	grid, err := maxicode.Encode(mode, 0, msg)
	if err != nil {
		return nil, fmt.Errorf("MaxiCode: %w", err)
	}
	const mm = maxiDotsPerMM
	w, h := int(28*mm), int(math.Floor(26.8*mm))
	bm := newBitmap(w, h)
	// Modules: hexagons 0.76 mm wide and 0.88 mm high, rows 0.76 mm apart,
	// odd rows shifted by half a module.
	hexW, hexH := 0.76*mm, 0.88*mm
	for row := range 33 {
		for col := range 30 {
			if !grid.GetModule(row, col) {
				continue
			}
			left := (float64(col)*0.88 + 0.88 + 0.44*float64(row&1)) * mm
			top := (float64(row)*0.76 + 0.76) * mm
			fillHexagon(bm, left, top, hexW, hexH)
		}
	}
	// The bullseye: three rings 0.67 mm thick.
	cx, cy := 13.64*mm, 13.43*mm
	for _, radius := range []float64{0.85 * mm, 2.20 * mm, 3.54 * mm} {
		ring(bm, cx, cy, radius, 0.67*mm)
	}
	return bm, nil
}

// fillHexagon sets the dots whose centres lie in the pointy-topped hexagon
// in the box left, top, w × h.
func fillHexagon(bm *bitmap, left, top, w, h float64) {
	cx, cy := left+w/2, top+h/2
	for y := int(top); y <= int(math.Ceil(top+h)); y++ {
		for x := int(left); x <= int(math.Ceil(left+w)); x++ {
			dx, dy := math.Abs(float64(x)+0.5-cx), math.Abs(float64(y)+0.5-cy)
			// Inside the side edges, and below the slanted ones: they run
			// from the top point (0, h/2) to the corner (w/2, h/4).
			if dx <= w/2 && dy <= h/2-dx*(h/4)/(w/2) && x >= 0 && y >= 0 && x < bm.w && y < bm.h {
				bm.set(x, y)
			}
		}
	}
}

// ring sets the dots whose centres lie within thickness/2 of the circle.
func ring(bm *bitmap, cx, cy, radius, thickness float64) {
	outer := radius + thickness/2
	for y := int(cy - outer); y <= int(math.Ceil(cy+outer)); y++ {
		for x := int(cx - outer); x <= int(math.Ceil(cx+outer)); x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			if math.Abs(d-radius) <= thickness/2 && x >= 0 && y >= 0 && x < bm.w && y < bm.h {
				bm.set(x, y)
			}
		}
	}
}
