package sim

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// productImageSize is the side of the square product images, in pixels.
const productImageSize = 160

// productImage draws a product's picture: a square in a colour of its
// own with its SKU, the way Amazon's media host serves a MAIN image.
func productImage(p *product) []byte {
	h := fnv.New32a()
	h.Write([]byte(p.ASIN))
	v := h.Sum32()
	bg := color.RGBA{R: uint8(90 + v%120), G: uint8(90 + (v>>8)%120), B: uint8(90 + (v>>16)%120), A: 255}
	img := image.NewRGBA(image.Rect(0, 0, productImageSize, productImageSize))
	for y := 0; y < productImageSize; y++ {
		for x := 0; x < productImageSize; x++ {
			c := bg
			if x > 20 && x < productImageSize-20 && y > 30 && y < productImageSize-50 {
				c = color.RGBA{R: 245, G: 245, B: 245, A: 255} // the product, on its background
			}
			img.SetRGBA(x, y, c)
		}
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13}
	label := p.SKU
	d.Dot = fixed.P((productImageSize-d.MeasureString(label).Ceil())/2, productImageSize/2)
	d.DrawString(label)
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// serveProductImage is the simulator's stand-in for Amazon's media host.
func (s *Sim) serveProductImage(w http.ResponseWriter, r *http.Request) {
	asin := strings.TrimSuffix(r.PathValue("file"), ".png")
	p := s.products[asin]
	if p == nil || !p.InCatalog {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(productImage(p))
}
