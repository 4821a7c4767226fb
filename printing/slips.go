package printing

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
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

func pdfBytes(pdf *fpdf.Fpdf) ([]byte, error) {
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// PackingSlipPDF lays out a packing slip on a page of the given paper.
func PackingSlipPDF(s Slip, paper Paper) ([]byte, error) {
	sh, err := packingSlipSheet(s, paper)
	if err != nil {
		return nil, err
	}
	return sh.pdf()
}

// PackingSlipPages is the packing slip as PackingSlipPDF lays it out, as
// page images for a Windows office printer.
func PackingSlipPages(s Slip, paper Paper) ([]byte, error) {
	sh, err := packingSlipSheet(s, paper)
	if err != nil {
		return nil, err
	}
	return sh.pageImages()
}

// sheetMargin is the margin of slips and pick lists: narrow on a 4×6 label.
func sheetMargin(paper Paper) float64 {
	if paper == Paper4x6 {
		return 0.2
	}
	return 0.5
}

func packingSlipSheet(s Slip, paper Paper) (*sheet, error) {
	sh, err := newSheet(paper)
	if err != nil {
		return nil, err
	}
	big, body := 18.0, 10.0
	if paper == Paper4x6 {
		big, body = 13, 8
	}
	margin := sheetMargin(paper)
	inner := sh.w - 2*margin
	line := body / 72 * 1.45
	y := margin
	// next makes room for a line: on a new page when this one is full.
	next := func(h float64) {
		if y+h > sh.h-margin {
			sh.addPage()
			y = margin
		}
	}
	lines := func(x, w float64, bold bool, text string) {
		for _, l := range wrapText(text, w, body, bold) {
			next(line)
			sh.cellText(x, y, line, body, bold, l)
			y += line
		}
	}
	sh.cellText(margin, y, big/72*1.4, big, true, "Packing slip")
	y += big / 72 * 1.4
	meta := "Order " + s.OrderID
	if s.Store != "" {
		meta += "  ·  " + s.Store
	}
	lines(margin, inner, false, meta)
	if !s.PurchasedAt.IsZero() {
		lines(margin, inner, false, "Ordered "+s.PurchasedAt.Format("2 Jan 2006")+serviceSuffix(s.ServiceLevel))
	}
	y += 0.08
	if _, err := sh.barcode(s.OrderID, margin, y, 0.0125, 0.45); err != nil {
		return nil, fmt.Errorf("order id %q cannot be a barcode: %w", s.OrderID, err)
	}
	y += 0.5
	if len(s.ShipTo) > 0 {
		lines(margin, inner, true, "Ship to")
		for _, l := range s.ShipTo {
			lines(margin, inner, false, l)
		}
	}
	y += line / 2
	qtyW, skuW := inner*0.12, inner*0.28
	titleW := inner - qtyW - skuW
	next(2 * line)
	sh.cellText(margin, y, line, body, true, "Qty")
	sh.cellText(margin+qtyW, y, line, body, true, "SKU")
	sh.cellText(margin+qtyW+skuW, y, line, body, true, "Item")
	sh.line(margin, y+line, inner, 0)
	y += line
	units := 0
	for _, l := range s.Lines {
		units += l.Quantity
		title := wrapText(l.Title, titleW, body, false)
		next(float64(len(title)) * line)
		sh.cellText(margin, y, line, body, true, fmt.Sprint(l.Quantity))
		sh.cellText(margin+qtyW, y, line, body, false, l.SKU)
		for _, t := range title {
			next(line)
			sh.cellText(margin+qtyW+skuW, y, line, body, false, t)
			y += line
		}
	}
	next(line)
	sh.line(margin, y, inner, 0)
	sh.cellText(margin, y, line, body, true, fmt.Sprintf("%d %s", units, plural(units, "unit", "units")))
	y += line
	for _, g := range s.GiftMessages {
		y += line / 2
		lines(margin, inner, true, "Gift message")
		lines(margin, inner, false, g)
	}
	return sh, nil
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
	sh, err := pickListSheet(p, paper)
	if err != nil {
		return nil, err
	}
	return sh.pdf()
}

// PickListPages is the pick list as PickListPDF lays it out, each page an
// image of the whole sheet at PageDPI, for a Windows office printer.
func PickListPages(p PickList, paper Paper) ([]byte, error) {
	sh, err := pickListSheet(p, paper)
	if err != nil {
		return nil, err
	}
	return sh.pageImages()
}

func pickListSheet(p PickList, paper Paper) (*sheet, error) {
	sh, err := newSheet(paper)
	if err != nil {
		return nil, err
	}
	margin := sheetMargin(paper)
	inner := sh.w - 2*margin
	limit := sh.h - margin - 0.3 // above the page number
	const body = 10.0
	line := body / 72 * 1.45
	units := 0
	for _, l := range p.Lines {
		units += l.Quantity
	}
	y := margin
	sh.cellText(margin, y, 0.35, 16, true, "Pick list")
	y += 0.35
	sh.cellText(margin, y, line, body, false, fmt.Sprintf("%d %s, %d %s, %d %s  ·  %s", p.Orders, plural(p.Orders, "order", "orders"),
		len(p.Lines), plural(len(p.Lines), "SKU", "SKUs"), units, plural(units, "unit", "units"), p.CreatedAt.Format("2 Jan 2006 15:04")))
	y += line * 1.5
	boxW, qtyW, skuW := 0.3, inner*0.08, inner*0.25
	qtyX, skuX, restX := margin+boxW, margin+boxW+qtyW, margin+boxW+qtyW+skuW
	restW := inner - boxW - qtyW - skuW
	header := func() {
		sh.cellText(qtyX, y, line, body, true, "Qty")
		sh.cellText(skuX, y, line, body, true, "SKU")
		sh.cellText(restX, y, line, body, true, "Item · orders")
		sh.line(margin, y+line, inner, 0)
		y += line
	}
	newPage := func() {
		sh.addPage()
		y = margin
		header()
	}
	header()
	for _, l := range p.Lines {
		text := append(wrapText(l.Title, restW, body, false), wrapText(strings.Join(l.Orders, ", "), restW, body, false)...)
		// A row stays on one page, where the packer reads it in one place,
		// unless it is longer than a page.
		if y+float64(len(text))*line+0.05 > limit && float64(len(text))*line+0.05 <= limit-margin-line {
			newPage()
		}
		top := y
		sh.box(margin+0.05, top+0.03, 0.14, 0.14) // a box to tick
		sh.cellText(qtyX, top, line, body, true, fmt.Sprint(l.Quantity))
		sh.cellText(skuX, top, line, body, false, l.SKU)
		for _, t := range text {
			if y+line > limit {
				newPage()
				sh.cellText(skuX, y, line, body, false, l.SKU+" (continued)")
			}
			sh.cellText(restX, y, line, body, false, t)
			y += line
		}
		sh.line(margin, y+0.02, inner, 0)
		y += 0.04
	}
	for i := range sh.pages {
		label := fmt.Sprintf("Page %d of %d", i+1, len(sh.pages))
		sh.pages[i] = append(sh.pages[i], sheetOp{kind: opText, x: sh.w - margin - cellMargin - textWidth(label, 8, false),
			y: sh.h - margin - 0.1 + 0.3*8.0/72, size: 8, text: label})
	}
	return sh, nil
}
