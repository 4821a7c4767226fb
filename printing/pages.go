package printing

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
)

// PageDPI is the resolution of page images (Pages): 300 dots per inch,
// as fine as an office printer's text needs, and a Letter page is 2550 ×
// 3300 dots.
const PageDPI = 300

// pageImages draws the sheet's pages at PageDPI and packs them as a Pages
// document: each page a PNG, after its length (4 bytes, big-endian). PNG
// keeps a grey page of text small; the length keeps the pages apart.
func (s *sheet) pageImages() ([]byte, error) {
	imgs, err := s.images(PageDPI)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for _, img := range imgs {
		var page bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&page, img); err != nil {
			return nil, err
		}
		out.Write(binary.BigEndian.AppendUint32(nil, uint32(page.Len())))
		out.Write(page.Bytes())
	}
	return out.Bytes(), nil
}

// DecodePages reads a Pages document's page images and checks that each
// is a whole sheet of the paper at PageDPI, so that drawing one at the
// paper's size is drawing it at its true size.
func DecodePages(data []byte, paper Paper) ([]image.Image, error) {
	w, h, err := paper.size()
	if err != nil {
		return nil, err
	}
	var pages []image.Image
	for len(data) > 0 {
		if len(data) < 4 {
			return nil, errors.New("the page images are cut short")
		}
		n := binary.BigEndian.Uint32(data)
		if uint64(n) > uint64(len(data)-4) {
			return nil, errors.New("the page images are cut short")
		}
		img, err := png.Decode(bytes.NewReader(data[4 : 4+n]))
		if err != nil {
			return nil, fmt.Errorf("page %d cannot be read: %w", len(pages)+1, err)
		}
		b := img.Bounds()
		if math.Abs(float64(b.Dx())-w*PageDPI) > 1 || math.Abs(float64(b.Dy())-h*PageDPI) > 1 {
			return nil, fmt.Errorf("page %d is %d × %d dots, not a %s sheet at %d dpi: it was laid out for other paper", len(pages)+1, b.Dx(), b.Dy(), paper, PageDPI)
		}
		pages = append(pages, img)
		data = data[4+n:]
	}
	if len(pages) == 0 {
		return nil, errors.New("nothing to print: no pages")
	}
	return pages, nil
}
