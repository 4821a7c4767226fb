package printing

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode/code128"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Slip is what a packing slip shows: the order, who it goes to and what
// is in the box. The order id is printed as a Code 128 barcode that the
// scan field opens.
//
// Slip and PickList look like station.PackingSlip and station.PickList on
// purpose and stay apart: printing imports nothing of Packbench's (it lays
// out what it is given, in the printer's words: address lines, not an
// Address), and the station knows nothing of layouts; cli maps one to the
// other (slipOf, in cli/printdocs.go).
type Slip struct {
	OrderID      string
	Store        string
	PurchasedAt  time.Time
	ServiceLevel string
	ShipTo       []string // address lines; empty once the buyer's data is redacted
	Lines        []SlipLine
	GiftMessages []string
}

// SlipLine is one item on a slip.
type SlipLine struct {
	SKU      string
	Title    string
	Quantity int
}

// PickList sums the units to pick for a batch of orders.
type PickList struct {
	CreatedAt time.Time
	Orders    int
	Lines     []PickLine // sorted by SKU
}

// PickLine is one SKU to pick, with the orders it goes to.
type PickLine struct {
	SKU      string
	Title    string
	Quantity int
	Orders   []string
}

// newPDF starts a document on the paper, with Go's fonts and the margin
// that suits it (narrow on a 4x6 label).
func newPDF(paper Paper) (pdf *fpdf.Fpdf, w, h, margin float64, err error) {
	w, h, err = paper.size()
	if err != nil {
		return nil, 0, 0, 0, err
	}
	margin = 0.5
	if paper == Paper4x6 {
		margin = 0.2
	}
	pdf = fpdf.NewCustom(&fpdf.InitType{UnitStr: "in", Size: fpdf.SizeType{Wd: w, Ht: h}})
	pdf.SetCreationDate(pdfEpoch)
	pdf.SetModificationDate(pdfEpoch)
	pdf.SetCreator("Packbench", true)
	// Go's fonts are embedded so names like "Zoë Ångström" and "Łódź"
	// print as written (the PDF core fonts stop at Latin-1).
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	return pdf, w, h, margin, nil
}

func pdfBytes(pdf *fpdf.Fpdf) ([]byte, error) {
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// barcodeRects draws text as Code 128 in vector bars: crisp at any printer
// resolution, module width mod inches.
func barcodeRects(pdf *fpdf.Fpdf, text string, x, y, mod, height float64) (width float64, err error) {
	code, err := code128.Encode(text)
	if err != nil {
		return 0, err
	}
	b := code.Bounds()
	pdf.SetFillColor(0, 0, 0)
	for i := 0; i < b.Dx(); {
		if !isDark(code.At(b.Min.X+i, b.Min.Y)) {
			i++
			continue
		}
		j := i
		for j < b.Dx() && isDark(code.At(b.Min.X+j, b.Min.Y)) {
			j++
		}
		pdf.Rect(x+float64(i)*mod, y, float64(j-i)*mod, height, "F")
		i = j
	}
	return float64(b.Dx()) * mod, nil
}

// PackingSlipPDF lays out a packing slip on a page of the given paper.
func PackingSlipPDF(s Slip, paper Paper) ([]byte, error) {
	pdf, w, _, margin, err := newPDF(paper)
	if err != nil {
		return nil, err
	}
	big, body := 18.0, 10.0
	if paper == Paper4x6 {
		big, body = 13, 8
	}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddPage()
	inner := w - 2*margin
	pdf.SetFont("go", "B", big)
	pdf.CellFormat(inner, big/72*1.4, "Packing slip", "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", body)
	line := body / 72 * 1.45
	meta := "Order " + s.OrderID
	if s.Store != "" {
		meta += "  ·  " + s.Store
	}
	pdf.CellFormat(inner, line, meta, "", 1, "L", false, 0, "")
	if !s.PurchasedAt.IsZero() {
		pdf.CellFormat(inner, line, "Ordered "+s.PurchasedAt.Format("2 Jan 2006")+serviceSuffix(s.ServiceLevel), "", 1, "L", false, 0, "")
	}
	y := pdf.GetY() + 0.08
	if _, err := barcodeRects(pdf, s.OrderID, margin, y, 0.0125, 0.45); err != nil {
		return nil, fmt.Errorf("order id %q cannot be a barcode: %w", s.OrderID, err)
	}
	pdf.SetXY(margin, y+0.5)
	if len(s.ShipTo) > 0 {
		pdf.SetFont("go", "B", body)
		pdf.CellFormat(inner, line, "Ship to", "", 1, "L", false, 0, "")
		pdf.SetFont("go", "", body)
		for _, l := range s.ShipTo {
			pdf.CellFormat(inner, line, l, "", 1, "L", false, 0, "")
		}
	}
	pdf.Ln(line / 2)
	qtyW, skuW := inner*0.12, inner*0.28
	titleW := inner - qtyW - skuW
	pdf.SetFont("go", "B", body)
	pdf.CellFormat(qtyW, line, "Qty", "B", 0, "L", false, 0, "")
	pdf.CellFormat(skuW, line, "SKU", "B", 0, "L", false, 0, "")
	pdf.CellFormat(titleW, line, "Item", "B", 1, "L", false, 0, "")
	pdf.SetFont("go", "", body)
	units := 0
	for _, l := range s.Lines {
		units += l.Quantity
		top := pdf.GetY()
		pdf.SetXY(margin+qtyW+skuW, top)
		pdf.MultiCell(titleW, line, l.Title, "", "L", false)
		bottom := pdf.GetY()
		pdf.SetXY(margin, top)
		pdf.SetFont("go", "B", body)
		pdf.CellFormat(qtyW, line, fmt.Sprint(l.Quantity), "", 0, "L", false, 0, "")
		pdf.SetFont("go", "", body)
		pdf.CellFormat(skuW, line, l.SKU, "", 0, "L", false, 0, "")
		pdf.SetXY(margin, bottom)
	}
	pdf.SetFont("go", "B", body)
	pdf.CellFormat(inner, line, fmt.Sprintf("%d %s", units, plural(units, "unit", "units")), "T", 1, "L", false, 0, "")
	for _, g := range s.GiftMessages {
		pdf.Ln(line / 2)
		pdf.SetFont("go", "B", body)
		pdf.CellFormat(inner, line, "Gift message", "", 1, "L", false, 0, "")
		pdf.SetFont("go", "", body)
		pdf.MultiCell(inner, line, g, "", "L", false)
	}
	return pdfBytes(pdf)
}

func serviceSuffix(level string) string {
	if level == "" {
		return ""
	}
	return "  ·  " + level
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// zplEscape escapes text for ^FD with ^FH: carets and tildes become _5E and
// _7E so an item title cannot inject printer commands.
func zplEscape(s string) string {
	return strings.NewReplacer("_", "_5F", "^", "_5E", "~", "_7E", "\n", " ", "\r", " ").Replace(s)
}

// PackingSlipZPL lays out a packing slip on a 4x6 label at dpi (203 or 300),
// for a station whose only printer is a thermal one.
func PackingSlipZPL(s Slip, dpi int) []byte {
	d := func(in float64) int { return int(in*float64(dpi) + 0.5) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "^XA^CI28^PW%d^LL%d^LH0,0\n", d(4), d(6))
	y := d(0.2)
	text := func(h float64, s string) {
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FH^FB%d,1,0,L^FD%s^FS\n", d(0.2), y, d(h), d(h), d(3.6), zplEscape(s))
		y += d(h * 1.25)
	}
	text(0.22, "Packing slip")
	text(0.13, "Order "+s.OrderID)
	if s.Store != "" {
		text(0.11, s.Store)
	}
	fmt.Fprintf(&b, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N^FH^FD%s^FS\n", d(0.2), y, max(2, dpi/100), d(0.5), d(0.5), zplEscape(s.OrderID))
	y += d(0.65)
	for _, l := range s.ShipTo {
		text(0.11, l)
	}
	y += d(0.05)
	fmt.Fprintf(&b, "^FO%d,%d^GB%d,0,%d^FS\n", d(0.2), y, d(3.6), max(2, d(0.01)))
	y += d(0.08)
	limit := d(5.6)
	units, shown := 0, 0
	for _, l := range s.Lines {
		units += l.Quantity
	}
	for _, l := range s.Lines {
		if y+d(0.3) > limit {
			break
		}
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FD%d^FS", d(0.2), y, d(0.13), d(0.13), l.Quantity)
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FH^FB%d,1,0,L^FD%s^FS", d(0.6), y, d(0.11), d(0.11), d(3.2), zplEscape(l.SKU))
		fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FH^FB%d,1,0,L^FD%s^FS\n", d(0.6), y+d(0.14), d(0.1), d(0.1), d(3.2), zplEscape(l.Title))
		y += d(0.32)
		shown++
	}
	footer := fmt.Sprintf("%d %s", units, plural(units, "unit", "units"))
	if shown < len(s.Lines) {
		footer += fmt.Sprintf(" (%d more %s: see the order)", len(s.Lines)-shown, plural(len(s.Lines)-shown, "line", "lines"))
	}
	fmt.Fprintf(&b, "^FO%d,%d^A0N,%d,%d^FH^FD%s^FS\n", d(0.2), d(5.65), d(0.13), d(0.13), zplEscape(footer))
	b.WriteString("^XZ\n")
	return b.Bytes()
}

// PickListPDF lays out a pick list: one row per SKU with the total to pick
// and the orders it goes to, sorted by SKU, on as many pages as it takes.
func PickListPDF(p PickList, paper Paper) ([]byte, error) {
	pdf, w, pageH, margin, err := newPDF(paper)
	if err != nil {
		return nil, err
	}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+0.3)
	pdf.AliasNbPages("{pages}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin - 0.2)
		pdf.SetFont("go", "", 8)
		pdf.CellFormat(0, 0.2, fmt.Sprintf("Page %d of {pages}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	inner := w - 2*margin
	body := 10.0
	line := body / 72 * 1.45
	pdf.SetFont("go", "B", 16)
	pdf.CellFormat(inner, 0.35, "Pick list", "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", body)
	units := 0
	for _, l := range p.Lines {
		units += l.Quantity
	}
	pdf.CellFormat(inner, line, fmt.Sprintf("%d %s, %d %s, %d %s  ·  %s", p.Orders, plural(p.Orders, "order", "orders"),
		len(p.Lines), plural(len(p.Lines), "SKU", "SKUs"), units, plural(units, "unit", "units"), p.CreatedAt.Format("2 Jan 2006 15:04")), "", 1, "L", false, 0, "")
	pdf.Ln(line / 2)
	boxW, qtyW, skuW := 0.3, inner*0.08, inner*0.25
	restW := inner - boxW - qtyW - skuW
	header := func() {
		pdf.SetFont("go", "B", body)
		pdf.CellFormat(boxW, line, "", "B", 0, "L", false, 0, "")
		pdf.CellFormat(qtyW, line, "Qty", "B", 0, "L", false, 0, "")
		pdf.CellFormat(skuW, line, "SKU", "B", 0, "L", false, 0, "")
		pdf.CellFormat(restW, line, "Item · orders", "B", 1, "L", false, 0, "")
		pdf.SetFont("go", "", body)
	}
	header()
	for _, l := range p.Lines {
		text := l.Title + "\n" + strings.Join(l.Orders, ", ")
		// A row stays on one page: the packer reads it in one place.
		rows := len(pdf.SplitText(l.Title, restW)) + len(pdf.SplitText(strings.Join(l.Orders, ", "), restW))
		if pdf.GetY()+float64(rows)*line+0.05 > pageH-margin-0.3 {
			pdf.AddPage()
			header()
		}
		top := pdf.GetY()
		pdf.SetX(margin + boxW + qtyW + skuW)
		pdf.MultiCell(restW, line, text, "", "L", false)
		bottom := pdf.GetY()
		pdf.SetXY(margin, top)
		pdf.Rect(margin+0.05, top+0.03, 0.14, 0.14, "D") // a box to tick
		pdf.SetX(margin + boxW)
		pdf.SetFont("go", "B", body)
		pdf.CellFormat(qtyW, line, fmt.Sprint(l.Quantity), "", 0, "L", false, 0, "")
		pdf.SetFont("go", "", body)
		pdf.CellFormat(skuW, line, l.SKU, "", 0, "L", false, 0, "")
		pdf.SetXY(margin, bottom+0.04)
		pdf.Line(margin, bottom+0.02, margin+inner, bottom+0.02)
	}
	return pdfBytes(pdf)
}
