package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

// labelPrinter sends the station's documents to its printers through the
// printing package: converted only when the printer needs another format,
// carrier ZPL that would change printer settings removed unless the
// printer keeps it. With no printer set up, documents go to the labels
// folder in the data dir.
type labelPrinter struct {
	defaultDir string
	log        *slog.Logger
}

// target maps a configured printer to what the printing package sends to;
// a kind or format it does not know is an error, never a guess.
func (lp labelPrinter) target(p station.Printer) (printing.Target, error) {
	if p.Kind == "" {
		return printing.Target{Kind: printing.KindFolder, Address: lp.defaultDir}, nil
	}
	kind, err := printing.ParseKind(string(p.Kind))
	if err != nil {
		return printing.Target{}, fmt.Errorf("printer %s: %w", p.Name, err)
	}
	takes, err := printing.ParseTakes(string(p.Format))
	if err != nil {
		return printing.Target{}, fmt.Errorf("printer %s: %w", p.Name, err)
	}
	t := printing.Target{Kind: kind, Address: p.Address, Format: takes, KeepPrinterCommands: p.KeepPrinterCommands}
	switch {
	case kind == printing.KindFolder && !p.Format.IsSheet():
		t.Format = printing.TakesAnything // a folder keeps what it is given, unless it collects sheets
	case t.Format == printing.TakesAnything:
		t.Format = printing.TakesZPL203
	}
	return t, nil
}

func (lp labelPrinter) PrintLabel(ctx context.Context, p station.Printer, name string, l station.Label) (string, error) {
	t, err := lp.target(p)
	if err != nil {
		return "", err
	}
	doc, err := printing.NewDocument(name, string(l.Format), l.Contents)
	if err != nil {
		return "", err
	}
	prepared, err := printing.Deliver(ctx, doc, t)
	if len(prepared.Removed) > 0 {
		lp.log.Info("printer-state commands removed from a label", "commands", strings.Join(prepared.Removed, " "))
	}
	if prepared.Converted != "" {
		lp.log.Info("label converted for its printer", "conversion", prepared.Converted, "printer", p.Name)
	}
	if errors.Is(err, printing.ErrPrinterOffline) {
		return "", fmt.Errorf("%w: %w", station.ErrPrinterOffline, err)
	}
	return prepared.File, err
}

// documents lays out packing slips and pick lists and draws previews.
type documents struct{}

func slipOf(s station.PackingSlip) printing.Slip {
	out := printing.Slip{OrderID: s.AmazonOrderID, Store: s.StoreName, PurchasedAt: s.PurchasedAt,
		ServiceLevel: s.ServiceLevel, ShipTo: addressLines(s.ShipTo), GiftMessages: s.GiftMessages}
	for _, l := range s.Lines {
		out.Lines = append(out.Lines, printing.SlipLine{SKU: l.SKU, Title: l.Title, Quantity: l.Quantity})
	}
	return out
}

// addressLines formats an address the way a parcel shows it.
func addressLines(a station.Address) []string {
	var lines []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " "))
		}
	}
	add(a.Name)
	add(a.Company)
	add(a.Line1)
	add(a.Line2)
	add(a.Line3)
	add(a.City+",", a.State, a.PostalCode)
	if len(lines) > 0 && strings.HasSuffix(lines[len(lines)-1], ",") {
		lines[len(lines)-1] = strings.TrimSuffix(lines[len(lines)-1], ",")
	}
	add(a.District)
	add(a.CountryCode)
	return lines
}

func paperOf(f station.LabelFormat) printing.Paper {
	switch f {
	case station.FormatPDFLetter:
		return printing.PaperLetter
	case station.FormatPDFA4:
		return printing.PaperA4
	}
	return printing.Paper4x6
}

func (documents) PackingSlip(s station.PackingSlip, pr station.Printer) (station.Label, error) {
	f := pr.DocumentFormat()
	if f.IsZPL() {
		return station.Label{Format: f, Contents: printing.PackingSlipZPL(slipOf(s), f.DPI())}, nil
	}
	if pr.Kind == station.PrinterWindows {
		// Windows draws images, not PDF: the PDF's pages as images.
		pages, err := printing.PackingSlipPages(slipOf(s), paperOf(f))
		return station.Label{Format: station.FormatPages, Contents: pages}, err
	}
	pdf, err := printing.PackingSlipPDF(slipOf(s), paperOf(f))
	if err != nil {
		return station.Label{}, err
	}
	return station.Label{Format: pdfFormat(f), Contents: pdf}, nil
}

// pdfFormat is the label format naming a PDF laid out for f's paper.
func pdfFormat(f station.LabelFormat) station.LabelFormat {
	if f.IsSheet() {
		return f
	}
	return station.FormatPDF
}

func (documents) PickList(p station.PickList, pr station.Printer) (station.Label, error) {
	f := pr.DocumentFormat()
	if f.IsZPL() {
		return station.Label{}, fmt.Errorf("a pick list prints on a PDF printer (Letter or A4), not a %s label printer: "+
			"set a document printer with packbench printer document NAME", f)
	}
	list := printing.PickList{CreatedAt: p.CreatedAt, Orders: p.Orders}
	for _, l := range p.Lines {
		list.Lines = append(list.Lines, printing.PickLine{SKU: l.SKU, Title: l.Title, Quantity: l.Quantity, Orders: l.Orders})
	}
	if pr.Kind == station.PrinterWindows {
		pages, err := printing.PickListPages(list, paperOf(f))
		return station.Label{Format: station.FormatPages, Contents: pages}, err
	}
	pdf, err := printing.PickListPDF(list, paperOf(f))
	if err != nil {
		return station.Label{}, err
	}
	return station.Label{Format: pdfFormat(f), Contents: pdf}, nil
}

func (documents) Preview(l station.Label) ([]byte, error) {
	switch {
	case l.Format == station.FormatPNG:
		return l.Contents, nil
	case l.Format.IsZPL():
		dpi := l.Format.DPI()
		return printing.RenderZPLToPNG(l.Contents, 4*dpi, 6*dpi)
	}
	return nil, fmt.Errorf("a %s label has no preview here", l.Format)
}

// TestLabel is ZPL at the printer's dpi; sheet and PDF printers get it
// rendered at true size, so its inch marks can be measured on paper too.
func (documents) TestLabel(f station.LabelFormat) station.Label {
	zpl := station.FormatZPL203
	if f == station.FormatZPL300 {
		zpl = station.FormatZPL300
	}
	return station.Label{Format: zpl, Contents: printing.TestLabel(zpl.DPI())}
}

// CheckPrinter asks the printer itself where it can answer.
func (lp labelPrinter) CheckPrinter(ctx context.Context, p station.Printer) (bool, string, error) {
	t, err := lp.target(p)
	if err != nil {
		return false, "", err
	}
	switch t.Kind {
	case printing.KindRaw9100:
		st, err := printing.Raw9100{Addr: t.Address}.Status(ctx)
		switch {
		case err != nil:
			return false, "", err
		case !st.Answered:
			return true, "takes connections (it does not report its status)", nil
		case len(st.Problems) > 0:
			return false, strings.Join(st.Problems, ", "), nil
		}
		return true, "ready", nil
	case printing.KindCUPS:
		queue, server, _ := strings.Cut(t.Address, "@")
		queues, err := printing.CUPS{Server: server}.Queues(ctx)
		if err != nil {
			return false, "", err
		}
		for _, q := range queues {
			if q.Name == queue {
				if !q.Accepts || q.State == "stopped" {
					return false, "the CUPS queue is " + q.State + "; resume it in CUPS (cupsenable " + q.Name + ")", nil
				}
				return true, "CUPS queue " + q.State, nil
			}
		}
		return false, "", fmt.Errorf("CUPS has no queue %q: packbench printer discover lists them", queue)
	case printing.KindWindows:
		return printing.Windows{Name: t.Address}.Check(ctx)
	case printing.KindFolder:
		if err := os.MkdirAll(t.Address, 0o700); err != nil {
			return false, "", err
		}
		f, err := os.CreateTemp(t.Address, ".check-*")
		if err != nil {
			return false, "", fmt.Errorf("cannot write into %s: %w", t.Address, err)
		}
		f.Close()
		os.Remove(f.Name())
		return true, "writable", nil
	}
	return false, "", fmt.Errorf("a %s printer cannot be checked from here", p.Kind)
}

// FindPrinters lists the printers Windows has on Windows, else the local
// CUPS server's queues.
func (lp labelPrinter) FindPrinters(ctx context.Context) ([]station.FoundPrinter, error) {
	if runtime.GOOS == "windows" {
		printers, err := printing.WindowsPrinters(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]station.FoundPrinter, 0, len(printers))
		for _, p := range printers {
			out = append(out, station.FoundPrinter{Kind: station.PrinterWindows, Address: p.Name,
				Detail: strings.TrimSpace(p.Driver + " on " + p.Port + ", " + p.State())})
		}
		return out, nil
	}
	queues, err := printing.CUPS{}.Queues(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]station.FoundPrinter, 0, len(queues))
	for _, q := range queues {
		detail := strings.TrimSpace(q.Model + " " + q.State)
		out = append(out, station.FoundPrinter{Kind: station.PrinterCUPS, Address: q.Name, Detail: detail})
	}
	return out, nil
}
