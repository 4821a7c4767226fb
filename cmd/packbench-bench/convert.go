package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"time"

	"github.com/packbench/packbench/printing"
)

// convertBench times PNG -> ZPL (^GFA) for a 4x6 inch label at 203 and 300
// dpi: text-like blocks, a frame and barcode-like bars, as a carrier label has.
func convertBench(runs int) ([]Figure, error) {
	var figs []Figure
	for _, dpi := range []int{203, 300} {
		w, h := 4*dpi, 6*dpi
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				black := x < 6 || y < 6 || x >= w-6 || y >= h-6 ||
					(y > h/2 && y < h/2+dpi && (x*7/3)%5 < 2) || // bars
					(y > dpi/2 && y < dpi && (x/4+y/4)%3 == 0) // text-like texture
				v := uint8(255)
				if black {
					v = 0
				}
				img.SetGray(x, y, color.Gray{v})
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		var zpl []byte
		p50 := median(runs, func() error {
			var err error
			zpl, err = printing.ImageToZPL(buf.Bytes())
			return err
		})
		figs = append(figs, Figure{Name: fmt.Sprintf("PNG -> ZPL, 4x6 in at %d dpi (p50 of %d; %d KB of ZPL from %d KB of PNG)", dpi, runs, len(zpl)/1024, buf.Len()/1024),
			Value: round2(p50), Unit: "ms", Reference: 50, RefName: "a scan-to-print budget", Ratio: round2(p50 / 50), Goal: "fits in a scan (<= 50 ms)", Met: p50 <= 50})

		// ZPL -> PNG for the preview: a label of fields (text, boxes, Code 128),
		// and a carrier label sent as one full-page ^GFA image.
		for _, tc := range []struct {
			what string
			zpl  []byte
		}{{"fields: text, boxes, Code 128", fieldLabel(dpi)}, {"one full-page ^GFA image", zpl}} {
			var out []byte
			p50 := median(runs, func() error {
				var err error
				out, err = printing.RenderZPLToPNG(tc.zpl, w, h)
				return err
			})
			figs = append(figs, Figure{Name: fmt.Sprintf("ZPL -> PNG (preview), 4x6 in at %d dpi, %s (p50 of %d; %d KB PNG)", dpi, tc.what, runs, len(out)/1024),
				Value: round2(p50), Unit: "ms", Reference: 100, RefName: "opening an order's detail", Ratio: round2(p50 / 100), Goal: "<= 100 ms, no visible wait", Met: p50 <= 100})
		}
	}
	return figs, nil
}

// median runs f runs times and returns the median time in milliseconds;
// an error stops the benchmark loudly rather than timing a failure.
func median(runs int, f func() error) float64 {
	times := make([]time.Duration, runs)
	for i := range runs {
		t0 := time.Now()
		if err := f(); err != nil {
			panic(err)
		}
		times[i] = time.Since(t0)
	}
	slices.Sort(times)
	return float64(times[runs/2].Microseconds()) / 1000
}

// fieldLabel is a carrier-like label built of ZPL fields.
func fieldLabel(dpi int) []byte {
	d := func(in float64) int { return int(in * float64(dpi)) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "^XA^CI28^PW%d^LL%d^FO%d,%d^GB%d,%d,%d^FS", d(4), d(6), d(0.1), d(0.1), d(3.8), d(5.8), d(0.02))
	for i, line := range []string{"FROM: Demo Warehouse", "410 Terry Ave N", "Seattle WA 98109"} {
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FD%s^FS", d(0.25), d(0.25)+i*d(0.15), d(0.12), d(0.12), line)
	}
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FB%d,4,0,L^FDJosé Álvarez-Núñez\\&3675 Calle Mayor Apt 120\\&Toronto ON M5V 2T6\\&CANADA^FS", d(0.35), d(1.4), d(0.2), d(0.2), d(3.3))
	fmt.Fprintf(&b, "^FO%d,%d^BY%d,3,%d^BCN,%d,Y,N,N^FD>:9400111899560000000042^FS", d(0.35), d(3.5), max(2, dpi/100), d(1), d(1))
	fmt.Fprintf(&b, "^FO%d,%d^BQN,2,%d^FDQA,9400111899560000000042^FS^XZ", d(2.9), d(4.8), max(3, dpi/60))
	return b.Bytes()
}
