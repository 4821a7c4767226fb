package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

func runPrinters(ctx context.Context, c *runCtx, args []string) error {
	fs := flag.NewFlagSet("printers", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	add := fs.String("add", "", "add (or replace) a printer with this name")
	raw := fs.String("raw9100", "", "with --add: a network label printer's address, host[:port]")
	folder := fs.String("folder", "", "with --add: a folder to write labels into")
	format := fs.String("format", "ZPL203", "with --add: ZPL203, ZPL300, PDF or PNG")
	keep := fs.Bool("keep-printer-commands", false, "with --add: leave carrier ZPL that changes printer settings as it is")
	def := fs.String("default", "", "make this printer the label printer")
	test := fs.String("test", "", "print a test label (dpi and alignment) on this printer")
	del := fs.String("delete", "", "delete this printer")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	find := func(name string) (station.Printer, error) {
		printers, err := st.Printers(ctx)
		if err != nil {
			return station.Printer{}, err
		}
		for _, p := range printers {
			if strings.EqualFold(p.Name, name) {
				return p, nil
			}
		}
		return station.Printer{}, fmt.Errorf("no printer named %q: packbench printers lists them", name)
	}
	switch {
	case *add != "":
		p := station.Printer{Name: *add, Format: station.LabelFormat(strings.ToUpper(*format)), KeepPrinterCommands: *keep}
		switch {
		case *raw != "" && *folder == "":
			p.Kind, p.Address = station.PrinterRaw9100, *raw
		case *folder != "" && *raw == "":
			p.Kind, p.Address = station.PrinterFolder, *folder
		default:
			return errors.New("say where it prints: --raw9100 HOST[:PORT] or --folder DIR")
		}
		saved, err := st.SavePrinter(ctx, p)
		if err != nil {
			return err
		}
		if *def == "" {
			*def = saved.Name
		}
	case *del != "":
		p, err := find(*del)
		if err != nil {
			return err
		}
		if err := st.DeletePrinter(ctx, p.ID); err != nil {
			return err
		}
	}
	if *def != "" {
		p, err := find(*def)
		if err != nil {
			return err
		}
		if err := st.SetLabelPrinter(ctx, p.ID); err != nil {
			return err
		}
	}
	if *test != "" {
		p, err := find(*test)
		if err != nil {
			return err
		}
		dpi := 203
		if p.Format == station.FormatZPL300 {
			dpi = 300
		}
		doc := station.Label{Format: station.FormatZPL203, Contents: printing.TestLabel(dpi)}
		if err := (labelPrinter{log: c.env.Log}).PrintLabel(ctx, p, "test-label", doc); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Test label sent to %s.\n", p.Name)
	}
	printers, err := st.Printers(ctx)
	if err != nil {
		return err
	}
	current, ok, err := st.LabelPrinterConfig(ctx)
	if err != nil {
		return err
	}
	if len(printers) == 0 {
		fmt.Fprintln(c.stdout, "No printers: labels go to the labels folder in the data dir.")
	}
	for _, p := range printers {
		mark := " "
		if ok && p.ID == current.ID {
			mark = "*"
		}
		fmt.Fprintf(c.stdout, "%s %s  %s %s  %s\n", mark, p.Name, p.Kind, p.Address, p.Format)
	}
	return nil
}
