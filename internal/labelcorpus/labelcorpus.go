// Package labelcorpus compares Packbench's ZPL renderer with another
// renderer's images of real carrier labels (printing/testdata/corpus, see
// its README): how many of the reference's black dots ours draws within
// one dot and the reverse (pixel F1), and whether both images scan to the
// same barcodes. make bench prints the table; the printing tests keep what
// already matches from slipping.
package labelcorpus

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/aztec"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/packbench/packbench/printing"
)

// Case is one reference image and the ZPL label it was drawn from.
type Case struct {
	Name  string // the reference image's name, without .png
	ZPL   string // the ZPL file
	Label int    // which label of the file (0: the first)
	// Carrier: a carrier's or shipper's real label, as the corpus README
	// lists it; the others are feature cases (one command each).
	Carrier bool
}

// Result is one label compared.
type Result struct {
	Case
	F1        float64
	Reference []string // barcodes the reference scans to, "kind:data", sorted
	Ours      []string
	Err       error // our renderer failed
}

// SameBarcodes says whether every barcode of the reference scans the same
// from ours (and ours has none the reference lacks).
func (r Result) SameBarcodes() bool { return r.Err == nil && slices.Equal(r.Reference, r.Ours) }

// Cases lists the corpus in dir: every PNG, with the ZPL of the same name;
// NAME_page_N.png is label N-1 of NAME.zpl.
func Cases(dir string) ([]Case, error) {
	pngs, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		return nil, err
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		return nil, err
	}
	carrier := map[string]bool{} // ZPL file name: a carrier's label
	for _, line := range strings.Split(string(readme), "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 3 && strings.Contains(cells[2], "carrier") {
			zpl, _, _ := strings.Cut(strings.TrimSpace(cells[1]), ",")
			carrier[zpl] = true
		}
	}
	var cases []Case
	for _, p := range pngs {
		name := strings.TrimSuffix(filepath.Base(p), ".png")
		c := Case{Name: name, ZPL: filepath.Join(dir, name+".zpl")}
		if base, page, ok := strings.Cut(name, "_page_"); ok {
			var n int
			if _, err := fmt.Sscan(page, &n); err == nil && n > 0 {
				c.ZPL, c.Label = filepath.Join(dir, base+".zpl"), n-1
			}
		}
		c.Carrier = carrier[filepath.Base(c.ZPL)]
		cases = append(cases, c)
	}
	return cases, nil
}

// Compare renders one case and compares it with its reference.
func Compare(dir string, c Case) (Result, error) {
	res := Result{Case: c}
	ref, err := readGray(filepath.Join(dir, c.Name+".png"))
	if err != nil {
		return res, err
	}
	res.Reference = Barcodes(ref)
	zpl, err := os.ReadFile(c.ZPL)
	if err != nil {
		return res, err
	}
	labels, err := printing.RenderZPL(zpl, ref.Rect.Dx(), ref.Rect.Dy())
	switch {
	case err != nil:
		res.Err = err
		return res, nil
	case c.Label >= len(labels):
		res.Err = fmt.Errorf("label %d of %d drawn", c.Label+1, len(labels))
		return res, nil
	}
	// Compared on the reference's canvas: ours is cut or padded with
	// white, and a label narrower than it centred, as the reference
	// renderer draws one (a print head centres narrow media).
	ours := image.NewGray(ref.Rect)
	draw.Draw(ours, ours.Rect, image.White, image.Point{}, draw.Src)
	ourLabel := labels[c.Label]
	offset := image.Point{X: max(0, (ref.Rect.Dx()-ourLabel.Rect.Dx())/2)}
	draw.Draw(ours, ourLabel.Rect.Add(offset), ourLabel, image.Point{}, draw.Src)
	if h := ourLabel.Rect.Dy(); h < ref.Rect.Dy() {
		// The reference draws past ^LL; a printer puts that on no label.
		// Both are compared on our label's length.
		ref, ours = ref.SubImage(image.Rect(0, 0, ref.Rect.Dx(), h)).(*image.Gray), ours.SubImage(image.Rect(0, 0, ref.Rect.Dx(), h)).(*image.Gray)
		res.Reference = Barcodes(ref)
	}
	res.F1 = F1(ours, ref)
	res.Ours = Barcodes(ours)
	return res, nil
}

func readGray(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Gray(img), nil
}

func black(g *image.Gray, x, y int) bool { return g.Pix[y*g.Stride+x] < 128 }

// Gray is img in grey, at the origin, as F1 takes it.
func Gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// F1 is the pixel F1 within one dot: a black dot of either image counts
// as matched when the other has a black dot at most one dot away.
func F1(ours, ref *image.Gray) float64 {
	near := func(g *image.Gray, x, y int) bool {
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				px, py := x+dx, y+dy
				if px >= 0 && py >= 0 && px < g.Rect.Dx() && py < g.Rect.Dy() && black(g, px, py) {
					return true
				}
			}
		}
		return false
	}
	var oursBlack, oursMatched, refBlack, refMatched int
	for y := 0; y < ref.Rect.Dy(); y++ {
		for x := 0; x < ref.Rect.Dx(); x++ {
			if black(ours, x, y) {
				oursBlack++
				if near(ref, x, y) {
					oursMatched++
				}
			}
			if black(ref, x, y) {
				refBlack++
				if near(ours, x, y) {
					refMatched++
				}
			}
		}
	}
	if oursBlack == 0 && refBlack == 0 {
		return 1
	}
	if oursBlack == 0 || refBlack == 0 {
		return 0
	}
	p, r := float64(oursMatched)/float64(oursBlack), float64(refMatched)/float64(refBlack)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// readers are the symbologies gozxing reads (not PDF417 or MaxiCode).
var readers = []struct {
	kind string
	make func() gozxing.Reader
}{
	{"code128", func() gozxing.Reader { return oned.NewCode128Reader() }},
	{"code39", func() gozxing.Reader { return oned.NewCode39Reader() }},
	{"itf", func() gozxing.Reader { return oned.NewITFReader() }},
	{"ean13", func() gozxing.Reader { return oned.NewEAN13Reader() }},
	{"qr", func() gozxing.Reader { return qrcode.NewQRCodeReader() }},
	{"datamatrix", func() gozxing.Reader { return datamatrix.NewDataMatrixReader() }},
	{"aztec", func() gozxing.Reader { return aztec.NewAztecReader() }},
}

// Barcodes scans an image for every barcode it can read: each symbology in
// turn, whiting out each symbol found to look for the next.
func Barcodes(img *image.Gray) []string {
	var found []string
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true, gozxing.DecodeHintType_ASSUME_GS1: true}
	// Converting an image for gozxing is most of the work: the unchanged
	// image's bitmap is made once and shared by every reader's first try.
	whole, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return nil
	}
	for _, rd := range readers {
		work := image.NewGray(img.Rect)
		copy(work.Pix, img.Pix)
		bmp := whole
		for range 8 {
			res, err := rd.make().Decode(bmp, hints)
			if err != nil {
				break
			}
			found = append(found, rd.kind+":"+res.GetText())
			whiteOut(work, res.GetResultPoints(), rd.kind)
			if bmp, err = gozxing.NewBinaryBitmapFromImage(work); err != nil {
				break
			}
		}
	}
	slices.Sort(found)
	return found
}

// whiteOut erases a symbol found, from the points the reader reported: for
// a 1D code the scan line's ends, grown up and down while the rows hold
// bars; for a 2D code the points' box, grown by a fifth.
func whiteOut(g *image.Gray, pts []gozxing.ResultPoint, kind string) {
	if len(pts) == 0 {
		return
	}
	x0, y0, x1, y1 := g.Rect.Dx(), g.Rect.Dy(), 0, 0
	for _, p := range pts {
		x0, y0 = min(x0, int(p.GetX())), min(y0, int(p.GetY()))
		x1, y1 = max(x1, int(p.GetX())), max(y1, int(p.GetY()))
	}
	switch kind {
	case "qr", "datamatrix", "aztec":
		mx, my := (x1-x0)/5+4, (y1-y0)/5+4
		x0, y0, x1, y1 = x0-mx, y0-my, x1+mx, y1+my
	default:
		x0, x1 = x0-12, x1+12
		bars := func(y int) bool {
			if y < 0 || y >= g.Rect.Dy() {
				return false
			}
			dark := 0
			for x := max(0, x0); x < min(g.Rect.Dx(), x1); x++ {
				if black(g, x, y) {
					dark++
				}
			}
			return dark*6 > x1-x0
		}
		for bars(y0 - 1) {
			y0--
		}
		for bars(y1 + 1) {
			y1++
		}
	}
	for y := max(0, y0); y <= min(g.Rect.Dy()-1, y1); y++ {
		for x := max(0, x0); x <= min(g.Rect.Dx()-1, x1); x++ {
			g.Pix[y*g.Stride+x] = 0xff
		}
	}
}
