package printing

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind is how bytes reach a printer.
type Kind string

const (
	KindRaw9100 Kind = "raw9100" // a network label printer, raw TCP on port 9100
	KindCUPS    Kind = "cups"    // a CUPS/IPP queue
	KindWindows Kind = "windows" // the Windows spooler
	KindFolder  Kind = "folder"  // files in a folder
)

// ParseKind reads a printer kind; an unknown one is an error, never a guess.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case KindRaw9100, KindCUPS, KindWindows, KindFolder:
		return k, nil
	}
	return "", fmt.Errorf("unknown printer kind %q: raw9100, cups, windows or folder", s)
}

// Takes is what a printer takes.
type Takes string

const (
	TakesAnything  Takes = ""           // a folder that keeps what it is given
	TakesZPL203    Takes = "ZPL203"     // a 203 dpi thermal printer
	TakesZPL300    Takes = "ZPL300"     // a 300 dpi thermal printer
	TakesPDF4x6    Takes = "PDF"        // PDF on 4x6 label stock
	TakesPDFLetter Takes = "PDF_LETTER" // PDF on Letter paper: the label at true size
	TakesPDFA4     Takes = "PDF_A4"     // PDF on A4 paper
	TakesPNG       Takes = "PNG"        // PNG files (folders)
)

// ParseTakes reads what a printer takes; an unknown value is an error.
func ParseTakes(s string) (Takes, error) {
	switch t := Takes(s); t {
	case TakesAnything, TakesZPL203, TakesZPL300, TakesPDF4x6, TakesPDFLetter, TakesPDFA4, TakesPNG:
		return t, nil
	}
	return "", fmt.Errorf("unknown printer format %q: ZPL203, ZPL300, PDF, PDF_LETTER, PDF_A4 or PNG", s)
}

// Target is a configured printer as the printing package sees it.
type Target struct {
	Kind                Kind
	Address             string // host:port, queue[@server], Windows printer name, or folder
	Format              Takes
	KeepPrinterCommands bool
}

// Printer returns the transport for the target.
func (t Target) Printer() (Printer, error) {
	switch t.Kind {
	case KindRaw9100:
		return Raw9100{Addr: t.Address}, nil
	case KindCUPS:
		queue, server, _ := strings.Cut(t.Address, "@")
		return CUPS{Queue: queue, Server: server}, nil
	case KindWindows:
		return Windows{Name: t.Address}, nil
	case KindFolder:
		return Folder{Dir: t.Address}, nil
	}
	return nil, fmt.Errorf("unknown printer kind %q", t.Kind)
}

// Prepared is a document made ready for a target, with what was changed.
type Prepared struct {
	Document
	Removed   []string // printer-state ZPL commands taken out
	Converted string   // e.g. "PNG -> ZPL", empty when sent as it came
	File      string   // the file written, for a folder printer
}

// Prepare converts a document to the target's format, only when it is not
// in it already, and strips printer-state commands from ZPL unless the
// printer keeps them. What cannot be converted here (a PDF for a ZPL
// printer: there is no PDF rasteriser) says to get the label again in the
// printer's format, which reprint does.
func Prepare(doc Document, t Target) (Prepared, error) {
	if len(doc.Data) == 0 {
		return Prepared{}, errors.New("nothing to print: the document is empty")
	}
	out := Prepared{Document: doc}
	want := t.Format
	if doc.Format == Pages && (t.Kind != KindWindows || (want != TakesPDF4x6 && want != TakesPDFLetter && want != TakesPDFA4)) {
		return Prepared{}, errors.New("page images print only on a Windows office printer: other printers get the PDF")
	}
	switch want {
	case TakesZPL203, TakesZPL300:
		switch doc.Format {
		case ZPL:
		case PNG:
			zpl, err := ImageToZPL(doc.Data)
			if err != nil {
				return Prepared{}, err
			}
			out.Document = Document{Name: doc.Name, Format: ZPL, Data: zpl}
			out.Converted = "PNG -> ZPL"
		default:
			return Prepared{}, fmt.Errorf("this printer takes ZPL, and a %s cannot be turned into ZPL here: print it again to get it from Amazon as ZPL", doc.Format)
		}
	case TakesPDF4x6, TakesPDFLetter, TakesPDFA4:
		paper := paperOf(want)
		if t.Kind == KindWindows {
			if doc.Format == Pages { // a pick list: sheets Windows draws
				out.Paper = paper
				break
			}
			// An office printer on Windows takes the label as an image,
			// drawn by Windows (GDI) at true size on the paper.
			img, err := windowsLabelImage(doc)
			if err != nil {
				return Prepared{}, err
			}
			if doc.Format != PNG {
				out.Converted = string(doc.Format) + " -> PNG (Windows draws it)"
			}
			out.Document = Document{Name: doc.Name, Format: PNG, Paper: paper, Data: img}
			break
		}
		if doc.Format == PDF && (doc.Paper == paper || (doc.Paper == "" && paper == Paper4x6)) {
			break
		}
		var (
			pdf []byte
			err error
		)
		switch doc.Format {
		case PNG:
			pdf, err = ImageToPDF(doc.Data, paper)
			out.Converted = "PNG -> PDF"
		case ZPL:
			pdf, err = ZPLToPDF(doc.Data, zplDPI(doc.Data), paper)
			out.Converted = "ZPL -> PDF"
		default:
			return Prepared{}, fmt.Errorf("this %s PDF cannot go on %s paper here: print it again to get the label from Amazon as PNG", doc.Paper, paper)
		}
		if err != nil {
			return Prepared{}, err
		}
		out.Document = Document{Name: doc.Name, Format: PDF, Paper: paper, Data: pdf}
	case "PNG", "":
	default:
		return Prepared{}, fmt.Errorf("unknown printer format %q", want)
	}
	if out.Format == ZPL && !t.KeepPrinterCommands {
		out.Data, out.Removed = SanitizeZPL(out.Data)
	}
	if t.Kind != KindFolder && t.Kind != KindWindows && out.Format == PNG {
		return Prepared{}, errors.New("a printer does not take PNG: set its format to ZPL or PDF")
	}
	return out, nil
}

// Deliver prepares the document for the target and sends it.
func Deliver(ctx context.Context, doc Document, t Target) (Prepared, error) {
	p, err := Prepare(doc, t)
	if err != nil {
		return Prepared{}, err
	}
	pr, err := t.Printer()
	if err != nil {
		return Prepared{}, err
	}
	if f, ok := pr.(Folder); ok {
		p.File, err = f.Write(ctx, p.Document)
		return p, err
	}
	return p, pr.Print(ctx, p.Document)
}

func paperOf(t Takes) Paper {
	switch t {
	case TakesPDFLetter:
		return PaperLetter
	case TakesPDFA4:
		return PaperA4
	}
	return Paper4x6
}

var printWidth = regexp.MustCompile(`\^PW(\d+)`)

// zplDPI guesses a label's resolution from its print width: 4-inch labels
// are 812 dots wide at 203 dpi and 1200 at 300.
func zplDPI(zpl []byte) int {
	if m := printWidth.FindSubmatch(zpl); m != nil {
		if w, err := strconv.Atoi(string(m[1])); err == nil && w > 1000 {
			return 300
		}
	}
	return 203
}

// windowsLabelImage is a label as the image Windows draws for an office
// printer: Amazon's PNG as it is, ZPL (a label, a packing slip) rendered
// at its resolution. A PDF (a pick list) has no image here.
func windowsLabelImage(doc Document) ([]byte, error) {
	switch doc.Format {
	case PNG:
		return doc.Data, nil
	case ZPL:
		dpi := zplDPI(doc.Data)
		return RenderZPLToPNG(doc.Data, int(LabelWidthInches*float64(dpi)), 6*dpi)
	}
	return nil, fmt.Errorf("a Windows office printer takes labels, packing slips and pick lists laid out for it (drawn by Windows), not a %s", doc.Format)
}
