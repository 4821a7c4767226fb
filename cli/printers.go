package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

func findPrinter(ctx context.Context, st *station.Station, name string) (station.Printer, error) {
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

// runPrinters lists the printers; its flags are the older spelling of
// packbench printer add/default/delete and test-print.
func runPrinters(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "printers")
	add := fs.String("add", "", "add (or replace) a printer with this name")
	spec := addFlags(fs)
	def := fs.String("default", "", "make this printer the label printer")
	test := fs.String("test", "", "print a test label (dpi and alignment) on this printer")
	del := fs.String("delete", "", "delete this printer")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	switch {
	case *add != "":
		p, err := spec(*add)
		if err != nil {
			return err
		}
		saved, err := st.SavePrinter(ctx, p)
		if err != nil {
			return err
		}
		if *def == "" {
			*def = saved.Name
		}
	case *del != "":
		if err := deletePrinter(ctx, st, *del); err != nil {
			return err
		}
	}
	if *def != "" {
		p, err := findPrinter(ctx, st, *def)
		if err != nil {
			return err
		}
		if err := st.SetLabelPrinter(ctx, p.ID); err != nil {
			return err
		}
	}
	if *test != "" {
		if err := testPrint(ctx, c, *test); err != nil {
			return err
		}
	}
	return listPrinters(ctx, c, *asJSON)
}

// addFlags declares where a printer prints and returns a builder for it.
func addFlags(fs *flag.FlagSet) func(name string) (station.Printer, error) {
	raw := fs.String("raw9100", "", "a network label printer's address, host[:port] (port 9100)")
	cups := fs.String("cups", "", "a CUPS queue, QUEUE or QUEUE@SERVER[:PORT] (packbench printer discover lists them)")
	windows := fs.String("windows", "", "a Windows printer's name (Packbench on Windows)")
	folder := fs.String("folder", "", "a folder to write documents into")
	format := printerFormatFlag()
	fs.Var(format, "format", "what it takes: ZPL203, ZPL300, PDF (4x6), PDF_LETTER, PDF_A4, or PNG (folders); default ZPL203")
	keep := fs.Bool("keep-printer-commands", false, "leave carrier ZPL that changes printer settings as it is")
	return func(name string) (station.Printer, error) {
		p := station.Printer{Name: name, Format: format.v, KeepPrinterCommands: *keep}
		set := 0
		for _, w := range []struct {
			v    string
			kind station.PrinterKind
		}{{*raw, station.PrinterRaw9100}, {*cups, station.PrinterCUPS}, {*windows, station.PrinterWindows}, {*folder, station.PrinterFolder}} {
			if w.v != "" {
				p.Kind, p.Address = w.kind, w.v
				set++
			}
		}
		if set != 1 {
			return p, errors.New("say where it prints, once: --raw9100 HOST[:PORT], --cups QUEUE[@SERVER], --windows NAME or --folder DIR")
		}
		return p, nil
	}
}

func deletePrinter(ctx context.Context, st *station.Station, name string) error {
	p, err := findPrinter(ctx, st, name)
	if err != nil {
		return err
	}
	return st.DeletePrinter(ctx, p.ID)
}

func testPrint(ctx context.Context, c *runCtx, name string) error {
	p, err := findPrinter(ctx, c.env.Station, name)
	if err != nil {
		return err
	}
	if err := c.env.Station.TestPrint(ctx, p.ID); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Test label sent to %s: its marks are 1 inch apart and its frame 0.1 inch from the edges.\n", p.Name)
	return nil
}

func listPrinters(ctx context.Context, c *runCtx, asJSON bool) error {
	st := c.env.Station
	printers, err := st.Printers(ctx)
	if err != nil {
		return err
	}
	label, hasLabel, err := st.LabelPrinterConfig(ctx)
	if err != nil {
		return err
	}
	doc, ownDoc, err := st.DocumentPrinterConfig(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		type row struct {
			station.Printer
			Label    bool `json:"labelPrinter"`
			Document bool `json:"documentPrinter"`
		}
		rows := []row{}
		for _, p := range printers {
			rows = append(rows, row{p, hasLabel && p.ID == label.ID, doc.ID != 0 && p.ID == doc.ID})
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(printers) == 0 {
		fmt.Fprintln(c.stdout, "No printers: labels go to the labels folder in the data dir.")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "\tNAME\tKIND\tWHERE\tFORMAT\tPRINTS")
	for _, p := range printers {
		var roles []string
		if hasLabel && p.ID == label.ID {
			roles = append(roles, "labels")
		}
		if p.ID == doc.ID && (ownDoc || hasLabel) {
			roles = append(roles, "slips, pick lists")
		}
		mark := " "
		if len(roles) > 0 {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, p.Name, p.Kind, p.Address, p.Format, strings.Join(roles, ", "))
	}
	return tw.Flush()
}

// runPrinter is packbench printer add|discover|default|document|delete.
func runPrinter(ctx context.Context, c *runCtx, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	st := c.env.Station
	verb, rest := args[0], args[1:]
	switch verb {
	case "add":
		fs := flag.NewFlagSet("printer add", flag.ContinueOnError)
		fs.SetOutput(c.stderr)
		spec := addFlags(fs)
		label := fs.Bool("label-printer", false, "make it the label printer")
		docs := fs.Bool("document-printer", false, "make it the printer for packing slips and pick lists")
		name, err := nameArg(fs, rest, "printer add NAME --raw9100|--cups|--windows|--folder ...")
		if err != nil {
			return err
		}
		p, err := spec(name)
		if err != nil {
			return err
		}
		saved, err := st.SavePrinter(ctx, p)
		if err != nil {
			return err
		}
		if _, has, err := st.LabelPrinterConfig(ctx); err == nil && (*label || (!has && !*docs)) {
			if err := st.SetLabelPrinter(ctx, saved.ID); err != nil {
				return err
			}
		}
		if *docs {
			if err := st.SetDocumentPrinter(ctx, saved.ID); err != nil {
				return err
			}
		}
		fmt.Fprintf(c.stdout, "Printer %s saved (%s %s, %s). Try it: packbench test-print %q\n", saved.Name, saved.Kind, saved.Address, saved.Format, saved.Name)
		return nil
	case "discover":
		fs := flag.NewFlagSet("printer discover", flag.ContinueOnError)
		fs.SetOutput(c.stderr)
		server := fs.String("server", "", "CUPS server host[:port] (default: $CUPS_SERVER or this computer)")
		if err := fs.Parse(rest); err != nil {
			return errUsage
		}
		if runtime.GOOS == "windows" && *server == "" {
			return discoverWindowsPrinters(ctx, c)
		}
		queues, err := printing.CUPS{Server: *server}.Queues(ctx)
		if err != nil {
			return err
		}
		if len(queues) == 0 {
			fmt.Fprintln(c.stdout, "CUPS has no printer queues. Add the printer in CUPS (as a raw queue for a Zebra), or add it here by address: packbench printer add NAME --raw9100 HOST")
			return nil
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "QUEUE\tSTATE\tMODEL\tDEVICE")
		for _, q := range queues {
			state := q.State
			if !q.Accepts {
				state += ", rejecting jobs"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", q.Name, state, q.Model, q.Device)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "\nAdd one: packbench printer add NAME --cups QUEUE --format ZPL203|ZPL300|PDF|PDF_LETTER|PDF_A4")
		return nil
	case "default", "label":
		if len(rest) != 1 {
			return errUsage
		}
		p, err := findPrinter(ctx, st, rest[0])
		if err != nil {
			return err
		}
		return st.SetLabelPrinter(ctx, p.ID)
	case "document":
		if len(rest) != 1 {
			return errUsage
		}
		if rest[0] == "--label-printer" {
			return st.SetDocumentPrinter(ctx, 0)
		}
		p, err := findPrinter(ctx, st, rest[0])
		if err != nil {
			return err
		}
		return st.SetDocumentPrinter(ctx, p.ID)
	case "delete":
		if len(rest) != 1 {
			return errUsage
		}
		return deletePrinter(ctx, st, rest[0])
	case "status":
		if len(rest) != 1 {
			return errUsage
		}
		p, err := findPrinter(ctx, st, rest[0])
		if err != nil {
			return err
		}
		ready, detail, err := st.CheckPrinter(ctx, p.ID)
		if err != nil {
			return err
		}
		if !ready {
			return fmt.Errorf("%s is not ready: %s", p.Name, detail)
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", p.Name, detail)
		return nil
	}
	return errUsage
}

// nameArg parses flags that may come before or after one positional name.
func nameArg(fs *flag.FlagSet, args []string, usage string) (string, error) {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", errUsage
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return "", fmt.Errorf("one name, please: packbench %s", usage)
	}
	if strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("name the printer: packbench %s", usage)
	}
	return name, nil
}

func runTestPrint(ctx context.Context, c *runCtx, args []string) error {
	if len(args) != 1 {
		return errors.New("which printer? packbench test-print NAME (packbench printers lists them)")
	}
	return testPrint(ctx, c, args[0])
}

// runPrint prints an order's label (and, or only, its packing slip).
func runPrint(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "print")
	printerName := fs.String("printer", "", "print on this printer (default: the label printer, or the document printer for a slip)")
	slip := fs.Bool("slip", false, "print the packing slip too")
	slipOnly := fs.Bool("slip-only", false, "print only the packing slip")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	st := c.env.Station
	var on *station.Printer
	if *printerName != "" {
		p, err := findPrinter(ctx, st, *printerName)
		if err != nil {
			return err
		}
		on = &p
	}
	if !*slipOnly {
		pr, _, err := st.LabelPrinterConfig(ctx)
		if err != nil {
			return err
		}
		if on != nil {
			pr = *on
		}
		if err := st.PrintLabelOn(ctx, row.ID, pr); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Label of %s printed.\n", row.AmazonOrderID)
	}
	if *slip || *slipOnly {
		if err := st.PrintPackingSlip(ctx, row.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Packing slip of %s printed.\n", row.AmazonOrderID)
	}
	return nil
}

// runPickList prints the pick list of the orders named, or of every order
// of a status.
func runPickList(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "pick-list")
	status := fs.String("status", "", "every order of this status, e.g. ready")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	var ids []int64
	switch {
	case *status != "" && fs.NArg() == 0:
		rows, err := c.env.Station.AllOrders(ctx, station.OrderFilter{Status: station.OrderStatus(*status)})
		if err != nil {
			return err
		}
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
	case *status == "" && fs.NArg() > 0:
		for _, a := range fs.Args() {
			row, err := findOrder(ctx, c, a)
			if err != nil {
				return err
			}
			ids = append(ids, row.ID)
		}
	default:
		return errors.New("which orders? packbench pick-list ORDER... or --status ready")
	}
	if len(ids) == 0 {
		return fmt.Errorf("no orders are %s", *status)
	}
	list, err := c.env.Station.PrintPickList(ctx, ids)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Pick list printed: %d orders, %d SKUs.\n", list.Orders, len(list.Lines))
	return nil
}

// discoverWindowsPrinters lists the printers Windows has, with what
// Windows says of each.
func discoverWindowsPrinters(ctx context.Context, c *runCtx) error {
	printers, err := printing.WindowsPrinters(ctx)
	if err != nil {
		return err
	}
	if len(printers) == 0 {
		fmt.Fprintln(c.stdout, "Windows has no printers. Add the printer in Windows Settings (Printers & scanners), or add it here by address: packbench printer add NAME --raw9100 HOST")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "PRINTER\tSTATE\tDRIVER\tPORT")
	for _, p := range printers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.State(), p.Driver, p.Port)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "\nAdd one: packbench printer add NAME --windows PRINTER --format ZPL203|ZPL300 (a label printer) or PDF_LETTER|PDF_A4 (an office printer)")
	return nil
}
