package printing

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Paper is the sheet a PDF printer takes.
type Paper string

const (
	Paper4x6    Paper = "4x6"    // a thermal printer's label roll, driven through its PDF driver
	PaperLetter Paper = "letter" // an office printer in North America
	PaperA4     Paper = "a4"     // an office printer elsewhere
)

// paperSize is width and height in inches.
func (p Paper) size() (w, h float64, err error) {
	switch p {
	case Paper4x6:
		return 4, 6, nil
	case PaperLetter:
		return 8.5, 11, nil
	case PaperA4:
		return 210 / 25.4, 297 / 25.4, nil
	}
	return 0, 0, fmt.Errorf("unknown paper %q: 4x6, letter or a4", p)
}

// LabelWidthInches is the width every label image is taken to have: Amazon
// sells 4-inch-wide labels, and its PNG labels carry no resolution, so the
// image's dpi is its width in pixels over 4.
const LabelWidthInches = 4.0

// pdfEpoch fixes the PDF's dates so the same label gives the same bytes:
// a reprint is then recognisably the same document.
var pdfEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// ImageToPDF places a label image on one page at its true size (4 inches
// wide, its height in proportion), never scaled to fit: on Letter or A4 it
// sits in the top-left quarter, 0.5 inch from the edges, with a thin cut
// line around it so it can be cut out or peeled from a half-sheet label.
func ImageToPDF(raw []byte, paper Paper) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("the label image cannot be read: %w", err)
	}
	return imageToPDF(img, 0, paper)
}

// labelPlacement is where a label image goes on paper, in inches: its
// true size (dpi dots per inch; 0 takes it to be 4 inches wide), at the
// top-left corner of a 4×6 label or 0.5 inch from a sheet's corner. A
// label too big for the paper is refused, never scaled to fit. The PDF
// and the Windows (GDI) paths both place labels so.
func labelPlacement(b image.Rectangle, dpi int, paper Paper) (x, y, w, h float64, err error) {
	pw, ph, err := paper.size()
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if b.Dx() == 0 || b.Dy() == 0 {
		return 0, 0, 0, 0, fmt.Errorf("the label image is empty")
	}
	w = LabelWidthInches
	h = w * float64(b.Dy()) / float64(b.Dx())
	if dpi > 0 {
		w, h = float64(b.Dx())/float64(dpi), float64(b.Dy())/float64(dpi)
	}
	if paper != Paper4x6 {
		x, y = 0.5, 0.5
	}
	if x+w > pw+1e-9 || y+h > ph+1e-9 {
		return 0, 0, 0, 0, fmt.Errorf("a %.1f×%.1f inch label does not fit on %s paper at true size; use a larger paper", w, h, paper)
	}
	return x, y, w, h, nil
}

// imageToPDF places img at dpi dots per inch; 0 takes it to be 4 inches wide.
func imageToPDF(img image.Image, dpi int, paper Paper) ([]byte, error) {
	pw, ph, err := paper.size()
	if err != nil {
		return nil, err
	}
	x, y, w, h, err := labelPlacement(img.Bounds(), dpi, paper)
	if err != nil {
		return nil, err
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "in", Size: fpdf.SizeType{Wd: pw, Ht: ph}})
	pdf.SetCreationDate(pdfEpoch)
	pdf.SetModificationDate(pdfEpoch)
	pdf.SetCreator("Packbench", true)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	var encoded bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&encoded, img); err != nil {
		return nil, err
	}
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("label", opts, &encoded)
	pdf.ImageOptions("label", x, y, w, h, false, opts, 0, "")
	if paper != Paper4x6 {
		pdf.SetLineWidth(0.01)
		pdf.SetDashPattern([]float64{0.08, 0.06}, 0)
		pdf.SetDrawColor(120, 120, 120)
		pdf.Rect(x-0.05, y-0.05, w+0.1, h+0.1, "D")
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ZPLToPDF renders a ZPL label and places it at true size, for a ZPL label
// that has to print on a PDF printer.
func ZPLToPDF(zpl []byte, dpi int, paper Paper) ([]byte, error) {
	labels, err := RenderZPL(zpl, int(LabelWidthInches*float64(dpi)), 6*dpi)
	if err != nil {
		return nil, err
	}
	return imageToPDF(labels[0], dpi, paper)
}
