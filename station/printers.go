package station

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Printers stores the printers and which one prints labels.
type Printers interface {
	Printers(ctx context.Context) ([]Printer, error)
	SavePrinter(ctx context.Context, p Printer) (Printer, error)
	DeletePrinter(ctx context.Context, id int64) error
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	EnqueuePrint(ctx context.Context, orderID, printerID int64, document string, at time.Time) (PrintJob, error)
	StartPrint(ctx context.Context, id int64, at time.Time) error
	FinishPrint(ctx context.Context, id int64, state PrintJobState, reason string, at time.Time) error
	QueuedPrints(ctx context.Context) ([]PrintJob, error)
	StalePrints(ctx context.Context, before time.Time) ([]PrintJob, error)
	RecordPrintedFile(ctx context.Context, jobID int64, path string) error
	PrintedFiles(ctx context.Context, orderID int64) ([]PrintedFile, error)
	ForgetPrintedFile(ctx context.Context, jobID int64) error
}

// PrintedFile is a file a folder printer wrote for an order's print job.
type PrintedFile struct {
	JobID int64
	Path  string
}

// ErrQueued means the label waits in the print queue: its printer did not
// take it, and it is sent again when the printer is back.
var ErrQueued = errors.New("the label waits in the print queue and prints when the printer is back")

// ErrPrinterOffline is what a LabelPrinter wraps when the printer did not
// take the connection: nothing printed, so the job waits and goes again.
// Any other failure (a refused format, a printer that stopped mid-label)
// fails the job for the packer to look at: sending it again by itself
// could print part of a label twice.
var ErrPrinterOffline = errors.New("the printer is offline")

// ErrJobTaken is what claiming a print job returns when the job is no
// longer queued: another drain of the queue is sending it, or sent it.
var ErrJobTaken = errors.New("the print job is already being sent")

const labelPrinterSetting = "label_printer"

// SavePrinter checks and saves a printer.
func (s *Station) SavePrinter(ctx context.Context, p Printer) (Printer, error) {
	p.Name, p.Address = strings.TrimSpace(p.Name), strings.TrimSpace(p.Address)
	if p.Name == "" {
		return Printer{}, errors.New("give the printer a name, e.g. Zebra at bench 1")
	}
	switch p.Kind {
	case PrinterRaw9100:
		host, port, err := net.SplitHostPort(p.Address)
		if err != nil {
			host, port = p.Address, "9100"
		}
		if n, err := strconv.Atoi(port); host == "" || err != nil || n <= 0 || n > 65535 {
			return Printer{}, errors.New("a network label printer needs its address, e.g. 192.168.1.50 or 192.168.1.50:9100")
		}
		if p.Format == "" {
			p.Format = FormatZPL203
		}
		if !p.Format.IsZPL() {
			return Printer{}, errors.New("a raw 9100 printer speaks ZPL: choose ZPL203 or ZPL300 (its dpi)")
		}
	case PrinterCUPS:
		queue, _, _ := strings.Cut(p.Address, "@")
		if queue == "" || strings.ContainsAny(queue, " /#\t") {
			return Printer{}, errors.New("a CUPS printer needs its queue name (no spaces or slashes), e.g. Zebra_ZD421 or Zebra_ZD421@printserver:631; packbench printer discover lists them")
		}
		if p.Format == "" {
			p.Format = FormatZPL203
		}
		switch p.Format {
		case FormatZPL203, FormatZPL300, FormatPDF, FormatPDFLetter, FormatPDFA4:
		default:
			return Printer{}, errors.New("a CUPS printer takes ZPL203 or ZPL300 (thermal, sent raw), PDF (4x6 labels), PDF_LETTER or PDF_A4 (office paper)")
		}
	case PrinterWindows:
		if p.Address == "" {
			return Printer{}, errors.New("a Windows printer needs its name as Windows shows it")
		}
		if p.Format == "" {
			p.Format = FormatZPL203
		}
		switch p.Format {
		case FormatZPL203, FormatZPL300, FormatPDF, FormatPDFLetter, FormatPDFA4:
		default:
			return Printer{}, errors.New("a Windows printer takes ZPL203 or ZPL300 (a label printer, sent raw), PDF (4x6 labels), PDF_LETTER or PDF_A4 (an office printer: Windows draws the pages)")
		}
	case PrinterFolder:
		if p.Address == "" {
			return Printer{}, errors.New("a folder printer needs the folder to write labels into")
		}
		switch p.Format {
		case "", FormatZPL203, FormatZPL300, FormatPDF, FormatPNG, FormatPDFLetter, FormatPDFA4:
		default:
			return Printer{}, fmt.Errorf("unknown format %q: ZPL203, ZPL300, PDF, PNG, PDF_LETTER or PDF_A4", p.Format)
		}
	default:
		return Printer{}, fmt.Errorf("unknown printer kind %q: raw9100, cups, windows or folder", p.Kind)
	}
	if p.Format == "" {
		p.Format = FormatZPL203
	}
	return s.repo.SavePrinter(ctx, p)
}

// Printers lists the printers.
func (s *Station) Printers(ctx context.Context) ([]Printer, error) { return s.repo.Printers(ctx) }

// DeletePrinter removes a printer.
func (s *Station) DeletePrinter(ctx context.Context, id int64) error {
	return s.repo.DeletePrinter(ctx, id)
}

// SetLabelPrinter makes a printer the station's label printer.
func (s *Station) SetLabelPrinter(ctx context.Context, id int64) error {
	printers, err := s.repo.Printers(ctx)
	if err != nil {
		return err
	}
	for _, p := range printers {
		if p.ID == id {
			return s.repo.SetSetting(ctx, labelPrinterSetting, strconv.FormatInt(id, 10))
		}
	}
	return fmt.Errorf("no printer %d", id)
}

// LabelPrinterConfig is the station's label printer; ok is false when none
// is set (labels then go to the data dir's labels folder).
func (s *Station) LabelPrinterConfig(ctx context.Context) (p Printer, ok bool, err error) {
	v, err := s.repo.Setting(ctx, labelPrinterSetting)
	if errors.Is(err, ErrNotFound) {
		return Printer{}, false, nil
	}
	if err != nil {
		return Printer{}, false, err
	}
	printers, err := s.repo.Printers(ctx)
	if err != nil {
		return Printer{}, false, err
	}
	for _, pr := range printers {
		if strconv.FormatInt(pr.ID, 10) == v {
			return pr, true, nil
		}
	}
	return Printer{}, false, nil
}

func (s *Station) printerByID(ctx context.Context, id int64) (Printer, error) {
	if id == 0 {
		return Printer{}, nil
	}
	printers, err := s.repo.Printers(ctx)
	if err != nil {
		return Printer{}, err
	}
	for _, p := range printers {
		if p.ID == id {
			return p, nil
		}
	}
	return Printer{}, fmt.Errorf("printer %d was removed", id)
}

// queueAndPrint records a document in the print queue, then sends it.
// Older jobs go first: documents come out in the order they were asked for.
func (s *Station) queueAndPrint(ctx context.Context, orderID int64, pr Printer, document string) error {
	if _, err := s.RetryPrintQueue(ctx); err != nil {
		s.log.Warn("print queue", "err", err)
	}
	job, err := s.repo.EnqueuePrint(ctx, orderID, pr.ID, document, s.now())
	if err != nil {
		return err
	}
	err = s.runPrintJob(ctx, job, pr)
	if errors.Is(err, ErrJobTaken) {
		// A drain of the queue that ran meanwhile (the scheduler) took it: it goes once, from there.
		return fmt.Errorf("%w (%v)", ErrQueued, err)
	}
	return err
}

// runPrintJob sends one queued document; a printer that is away leaves the
// job queued, to go when it is back.
func (s *Station) runPrintJob(ctx context.Context, j PrintJob, pr Printer) error {
	o, err := s.repo.GetOrder(ctx, j.OrderID)
	if err != nil {
		return err
	}
	// Claimed before the document is made and before the first byte leaves:
	// only one drain of the queue sends a job, and if this process dies
	// mid-send the job is not sent again by itself (see settleStalePrints).
	if err := s.repo.StartPrint(ctx, j.ID, s.now()); err != nil {
		return err
	}
	doc, name, err := s.jobDocument(ctx, j, o, pr)
	if err != nil {
		_ = s.repo.FinishPrint(ctx, j.ID, JobFailed, err.Error(), s.now())
		return err
	}
	file, err := s.printer.PrintLabel(ctx, pr, name, doc)
	if file != "" {
		if err := s.repo.RecordPrintedFile(ctx, j.ID, file); err != nil {
			s.log.Warn("print queue: remember a printed file", "err", err)
		}
	}
	if err != nil {
		if errors.Is(err, ErrPrinterOffline) {
			_ = s.repo.FinishPrint(ctx, j.ID, JobQueued, err.Error(), s.now())
			return fmt.Errorf("%w (%v)", ErrQueued, err)
		}
		_ = s.repo.FinishPrint(ctx, j.ID, JobFailed, err.Error(), s.now())
		return fmt.Errorf("did not print on %s: %w", pr.Name, err)
	}
	if err := s.repo.FinishPrint(ctx, j.ID, JobPrinted, "", s.now()); err != nil {
		return err
	}
	what := "label printed"
	if j.Document == DocPackingSlip {
		what = "packing slip printed"
	} else {
		s.keepPrinted(o, pr, name, doc)
	}
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: j.OrderID, Action: what, Detail: pr.Name})
	return nil
}

// jobDocument makes a job's document in the printer's format: the label
// (fetched again from Amazon in that format when the stored one is in
// another), or the packing slip laid out afresh.
func (s *Station) jobDocument(ctx context.Context, j PrintJob, o Order, pr Printer) (Label, string, error) {
	if j.Document == DocPackingSlip {
		if s.documents == nil {
			return Label{}, "", errors.New("packing slips are not available in this build")
		}
		slip, err := s.PackingSlipFor(ctx, j.OrderID)
		if err != nil {
			return Label{}, "", err
		}
		doc, err := s.documents.PackingSlip(slip, pr)
		return doc, "slip-" + o.AmazonOrderID, err
	}
	want := pr.Format.Purchase()
	if pr.Kind == "" || (pr.Kind == PrinterFolder && !pr.Format.IsSheet()) {
		want = "" // a folder takes the label as it is, unless it collects sheets to print
	}
	l, _, err := s.labelFor(ctx, j.OrderID, want)
	return l, "label-" + o.AmazonOrderID, err
}

// RetryPrintQueue sends every queued label, oldest first; the scheduler
// runs it, so a printer that was off gets its labels when it is back.
func (s *Station) RetryPrintQueue(ctx context.Context) (printed int, err error) {
	if s.printer == nil {
		return 0, nil
	}
	s.settleStalePrints(ctx)
	jobs, err := s.repo.QueuedPrints(ctx)
	if err != nil {
		return 0, err
	}
	down := map[int64]bool{}
	for _, j := range jobs {
		if down[j.PrinterID] {
			continue // keep the order: a printer that refused one job gets the rest later
		}
		pr, err := s.printerByID(ctx, j.PrinterID)
		if err != nil {
			_ = s.repo.FinishPrint(ctx, j.ID, JobFailed, err.Error(), s.now())
			continue
		}
		if err := s.runPrintJob(ctx, j, pr); errors.Is(err, ErrJobTaken) {
			continue // another drain has it
		} else if err != nil {
			down[j.PrinterID] = true
			continue
		}
		printed++
	}
	return printed, nil
}

// PrinterChecker asks a printer how it is, where the printer can say.
type PrinterChecker interface {
	CheckPrinter(ctx context.Context, p Printer) (ready bool, detail string, err error)
}

// CheckPrinter says whether a printer is ready, and why not: out of paper,
// head open, CUPS queue stopped, folder missing.
func (s *Station) CheckPrinter(ctx context.Context, printerID int64) (ready bool, detail string, err error) {
	pr, err := s.printerByID(ctx, printerID)
	if err != nil {
		return false, "", err
	}
	c, ok := s.printer.(PrinterChecker)
	if !ok {
		return false, "", errors.New("printer checks are not available in this build")
	}
	return c.CheckPrinter(ctx, pr)
}

// FoundPrinter is a printer the computer knows of (a CUPS queue).
type FoundPrinter struct {
	Kind    PrinterKind
	Address string
	Detail  string // model and state, for the packer to recognise it
}

// PrinterFinder lists the printers the computer knows of.
type PrinterFinder interface {
	FindPrinters(ctx context.Context) ([]FoundPrinter, error)
}

// FindPrinters lists the printers this computer's print system offers.
func (s *Station) FindPrinters(ctx context.Context) ([]FoundPrinter, error) {
	f, ok := s.printer.(PrinterFinder)
	if !ok {
		return nil, errors.New("finding printers is not available in this build")
	}
	return f.FindPrinters(ctx)
}

// stalePrintAfter is how long a send may take before it counts as
// interrupted: well past any printer's connect and write timeouts.
const stalePrintAfter = 2 * time.Minute

// settleStalePrints fails the jobs whose sending never finished (the app
// stopped mid-send). They may have printed, so they are not sent again by
// themselves: a label printed twice is a label used twice. The order's
// history says to check the printer and print again if nothing came out.
func (s *Station) settleStalePrints(ctx context.Context) {
	stale, err := s.repo.StalePrints(ctx, s.now().Add(-stalePrintAfter))
	if err != nil {
		s.log.Warn("print queue", "err", err)
		return
	}
	for _, j := range stale {
		const why = "interrupted while printing: it may have printed; if nothing came out, print it again"
		if err := s.repo.FinishPrint(ctx, j.ID, JobFailed, why, s.now()); err != nil {
			s.log.Warn("print queue", "err", err)
			continue
		}
		o, err := s.repo.GetOrder(ctx, j.OrderID)
		if err == nil {
			s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: j.OrderID, Action: strings.ReplaceAll(j.Document, "_", " ") + " print interrupted", Detail: why})
		}
	}
}
