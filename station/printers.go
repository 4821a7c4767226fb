package station

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Printers stores the printers and which one prints labels.
type Printers interface {
	Printers(ctx context.Context) ([]Printer, error)
	SavePrinter(ctx context.Context, p Printer) (Printer, error)
	DeletePrinter(ctx context.Context, id int64) error
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

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
		if p.Format != FormatZPL203 && p.Format != FormatZPL300 {
			return Printer{}, errors.New("a raw 9100 printer speaks ZPL: choose ZPL203 or ZPL300 (its dpi)")
		}
	case PrinterFolder:
		if p.Address == "" {
			return Printer{}, errors.New("a folder printer needs the folder to write labels into")
		}
	case PrinterCUPS, PrinterWindows:
		return Printer{}, fmt.Errorf("%s printers are not built yet: use a network (raw 9100) or folder printer", p.Kind)
	default:
		return Printer{}, fmt.Errorf("unknown printer kind %q: raw9100 or folder", p.Kind)
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
