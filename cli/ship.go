package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/packbench/packbench/station"
)

// findOrder resolves an Amazon order id given on the command line.
func findOrder(ctx context.Context, c *runCtx, amazonID string) (station.OrderRow, error) {
	rows, err := c.env.Station.AllOrders(ctx, station.OrderFilter{Search: amazonID})
	if err != nil {
		return station.OrderRow{}, err
	}
	for _, r := range rows {
		if r.AmazonOrderID == amazonID {
			return r, nil
		}
	}
	return station.OrderRow{}, fmt.Errorf("no order %s here: import first (packbench import), or check the id", amazonID)
}

func orderArg(fs *flag.FlagSet, args []string) (string, error) {
	// The order id may come before or after the flags.
	var id string
	var rest []string
	for _, a := range args {
		if id == "" && !strings.HasPrefix(a, "-") && strings.Count(a, "-") == 2 {
			id = a
			continue
		}
		rest = append(rest, a)
	}
	if err := fs.Parse(rest); err != nil {
		return "", errUsage
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return "", errors.New("which order? give its Amazon order id, e.g. 113-1234567-1234567")
	}
	return id, nil
}

func packageFlags(ctx context.Context, c *runCtx, fs *flag.FlagSet) func() (station.Package, error) {
	var weight gramsFlag
	var dims dimsFlag
	fs.Var(&weight, "weight", "package weight in grams (default: the SKUs' known weights)")
	fs.Var(&dims, "dims", "box L,W,H in inches (default 10,8,4)")
	box := fs.String("box", "", "a box from packbench boxes: its size, and its empty weight added to the SKUs'")
	return func() (station.Package, error) {
		var p station.Package
		id, err := boxID(ctx, c, *box)
		if err != nil {
			return p, err
		}
		p.PresetID, p.Weight, p.Dimensions = id, weight.w, dims.d
		return p, nil
	}
}

func runRates(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "rates")
	pkgOf := packageFlags(ctx, c, fs)
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	pkg, err := pkgOf()
	if err != nil {
		return err
	}
	choice, err := c.env.Station.Rates(ctx, row.ID, pkg)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Package: %s, %s\n\n", choice.Package.Weight, choice.Package.Dimensions)
	fmt.Fprintln(tw, "\tSERVICE ID\tCARRIER\tSERVICE\tPRICE\tDELIVERY BY\tPROTECTED\tPAYMENT")
	for _, r := range choice.Quote.Rates {
		mark := ""
		if choice.Pick != nil && r.RateID == choice.Pick.RateID {
			mark = "*"
		}
		pay := "via Amazon"
		if r.PaidToCarrier {
			pay = "to carrier (your contract)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", mark, r.ServiceID, r.CarrierName, r.ServiceName, r.Price(),
			r.DeliverBy.Latest.Local().Format("Mon Jan 2"), r.Protected, pay)
	}
	for _, r := range choice.Quote.Ineligible {
		fmt.Fprintf(tw, "-\t%s\t%s\t%s\tnot offered\t%s\t\t\n", r.ServiceID, r.CarrierName, r.ServiceName, r.Ineligible)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "\n* default: %s\n", choice.Why)
	return nil
}

func runBuy(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "buy")
	service := fs.String("service", "", "service id (packbench rates lists them; default: the pick)")
	format, confirm := labelFormatFlag(), confirmationFlag()
	fs.Var(format, "format", "label format: ZPL203, ZPL300, PDF or PNG (default: the label printer's)")
	fs.Var(confirm, "confirmation", "delivery confirmation: none, signature or adult_signature")
	printTo := fs.String("print", "", "folder to print the label into")
	printLabelFlag := fs.Bool("print-label", false, "print on the label printer (packbench printers)")
	pkgOf := packageFlags(ctx, c, fs)
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	pkg, err := pkgOf()
	if err != nil {
		return err
	}
	sh, err := c.env.Station.Buy(ctx, row.ID, station.BuyChoice{ServiceID: *service, Package: pkg,
		Format: format.v, Confirmation: confirm.v})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Bought %s for %s: tracking %s\n", station.ServiceLabel(sh.CarrierName, sh.ServiceName), sh.Cost, sh.TrackingID)
	if *printTo != "" || *printLabelFlag {
		return printOrderLabel(ctx, c, row, *printTo)
	}
	return nil
}

// printOrderLabel prints an order's label into a folder, or (dir "") on
// the station's label printer through the print queue.
func printOrderLabel(ctx context.Context, c *runCtx, row station.OrderRow, dir string) error {
	if dir == "" {
		err := c.env.Station.PrintLabel(ctx, row.ID)
		if errors.Is(err, station.ErrPrintedFromCache) {
			fmt.Fprintf(c.stdout, "Label printed from this bench's cache: %v.\n", errors.Unwrap(err))
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Label printed.")
		return nil
	}
	return printLabel(ctx, c, row, dir)
}

// printLabel writes an order's label into a folder through the print
// queue, which remembers the file so that erase and redaction remove it.
func printLabel(ctx context.Context, c *runCtx, row station.OrderRow, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := c.env.Station.PrintLabelOn(ctx, row.ID, station.Printer{Name: abs, Kind: station.PrinterFolder, Address: abs}); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Label written to %s\n", dir)
	return nil
}

// orderFromArgs parses a command's flags and finds the order it names.
func orderFromArgs(ctx context.Context, c *runCtx, fs *flag.FlagSet, args []string) (station.OrderRow, error) {
	id, err := orderArg(fs, args)
	if err != nil {
		return station.OrderRow{}, err
	}
	return findOrder(ctx, c, id)
}

func runVoid(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "void")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	if err := c.env.Station.Void(ctx, row.ID); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Voided. Order %s is back in Ready to ship.\n", row.AmazonOrderID)
	return nil
}

func runTrack(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "track")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	t, err := c.env.Station.TrackOrder(ctx, row.ID)
	if err != nil {
		return err
	}
	sh, _, err := c.env.Station.OrderTracking(ctx, row.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s: %s (%s, tracking %s)\n", row.AmazonOrderID, t.Parcel().Title(),
		station.ServiceLabel(sh.CarrierName, sh.ServiceName), sh.TrackingID)
	for i := len(t.Events) - 1; i >= 0; i-- {
		fmt.Fprintf(c.stdout, "  %s  %s\n", t.Events[i].At.Local().Format("2006-01-02 15:04"), t.Events[i].Code)
	}
	if !t.Promised.IsZero() && t.Parcel() != station.ParcelDelivered {
		fmt.Fprintf(c.stdout, "Promised by %s.\n", t.Promised.Local().Format("2006-01-02"))
	}
	return nil
}

func runReprint(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "reprint")
	printTo := fs.String("print", "", "folder to print the label into (default: the label printer)")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	return printOrderLabel(ctx, c, row, *printTo)
}

func runShipBulk(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "ship-bulk")
	status := fs.String("status", "ready", "orders of this status")
	service := fs.String("service", "", "one service for all (default: each order's pick)")
	printTo := fs.String("print", "", "folder to print the labels into, in list order")
	printLabels := fs.Bool("print-label", false, "print the labels on the label printer")
	orderName := fs.String("print-order", "list", "order the labels print in: list (pick order), sku, or reverse (for a face-up stack)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *status != string(station.StatusReady) {
		return errors.New("only orders Ready to ship can get labels: --status ready")
	}
	order, err := station.ParsePrintOrder(*orderName)
	if err != nil {
		return err
	}
	rows, err := c.env.Station.AllOrders(ctx, station.OrderFilter{Status: station.StatusReady})
	if err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	byID := make(map[int64]station.OrderRow, len(rows))
	for i, r := range rows {
		ids[i], byID[r.ID] = r.ID, r
	}
	res := c.env.Station.ShipAll(ctx, ids, station.BuyChoice{ServiceID: *service}, station.ShipAllOptions{Print: *printLabels, Order: order})
	for _, r := range res.Results {
		row := byID[r.OrderID]
		if errors.Is(r.Err, station.ErrNotStarted) || (r.Err != nil && ctx.Err() != nil && errors.Is(r.Err, context.Canceled)) {
			continue // stopped before anything was bought: counted below
		}
		if errors.Is(r.Err, station.ErrOtherBench) {
			continue // another bench of the queue has it: counted below
		}
		if errors.Is(r.Err, station.ErrOrderCancelled) {
			fmt.Fprintf(c.stdout, "%s: cancelled: skipped\n", row.AmazonOrderID)
			continue
		}
		if r.Err != nil {
			fmt.Fprintf(c.stdout, "%s: not bought: %v\n", row.AmazonOrderID, r.Err)
			continue
		}
		fmt.Fprintf(c.stdout, "%s: %s %s %s\n", row.AmazonOrderID, r.Shipment.CarrierName, r.Shipment.TrackingID, r.Shipment.Cost)
		if *printTo != "" {
			if err := printLabel(ctx, c, row, *printTo); err != nil {
				fmt.Fprintf(c.stdout, "%s: label not printed: %v\n", row.AmazonOrderID, err)
			}
		}
	}
	if n := res.Elsewhere(); n > 0 {
		fmt.Fprintf(c.stdout, "%d orders taken by other benches.\n", n)
	}
	fmt.Fprintf(c.stdout, "%d labels bought, %d orders cancelled by the buyer (skipped), %d orders not bought.\n",
		res.Bought, res.Cancelled(), len(res.Results)-res.Bought-res.Cancelled()-res.Elsewhere())
	if ctx.Err() != nil {
		stopped := 0
		for _, r := range res.Results {
			if errors.Is(r.Err, station.ErrNotStarted) || errors.Is(r.Err, context.Canceled) {
				stopped++
			}
		}
		fmt.Fprintf(c.stdout, "Stopped: %d labels bought before the stop (each one saved); %d orders left for the next run of ship-bulk.\n", res.Bought, stopped)
		return errInterrupted
	}
	if *printLabels {
		fmt.Fprintf(c.stdout, "%d labels printed (%s order).\n", res.Printed, order)
		if res.PrintFailed > 0 {
			fmt.Fprintf(c.stdout, "%d labels did not print: %v\n", res.PrintFailed, res.PrintErrored)
		}
	}
	return nil
}

func runShipFrom(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "ship-from")
	id := &idFlag{what: "store"}
	fs.Var(id, "store", "the store's id")
	var a station.Address
	fs.StringVar(&a.Name, "name", "", "name or company on the label")
	fs.StringVar(&a.Line1, "street", "", "street and number")
	fs.StringVar(&a.Line2, "street2", "", "second address line")
	fs.StringVar(&a.City, "city", "", "city")
	fs.StringVar(&a.State, "state", "", "state or region code")
	fs.StringVar(&a.PostalCode, "postal-code", "", "postal code")
	fs.StringVar(&a.CountryCode, "country", "", "ISO country code, e.g. US or GB")
	fs.StringVar(&a.Phone, "phone", "", "phone for the carrier")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st, err := storeFrom(ctx, c, id)
	if err != nil {
		return err
	}
	if err := c.env.Station.SetShipFrom(ctx, st.ID, a); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Ship-from address saved.")
	return nil
}

func runMarkShipped(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "mark-shipped")
	var m station.ManualShipment
	fs.StringVar(&m.CarrierCode, "carrier", "", "Amazon's carrier code: USPS, UPS, FedEx, DHL, Royal Mail, ... or Other")
	fs.StringVar(&m.CarrierName, "carrier-name", "", "the carrier's name, with --carrier Other")
	fs.StringVar(&m.ShippingMethod, "method", "", "the service, e.g. Ground Advantage")
	fs.StringVar(&m.TrackingNumber, "tracking", "", "tracking number")
	fs.StringVar(&m.PackageReferenceID, "package", "1", "package number; the same number again edits that package")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	if err := c.env.Station.MarkShipped(ctx, row.ID, m); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Amazon confirmed %s as shipped with %s %s.\n", row.AmazonOrderID, m.CarrierCode, m.TrackingNumber)
	return nil
}

func runBoxes(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "boxes")
	add := fs.String("add", "", "add (or replace) a box with this name")
	var dims dimsFlag
	fs.Var(&dims, "dims", "with --add: L,W,H")
	unit := &parsedFlag[station.LengthUnit]{v: station.Inch, parse: parseLengthUnit}
	fs.Var(unit, "unit", "with --add: in or cm")
	tare := &gramsFlag{orZero: true}
	fs.Var(tare, "tare", "with --add: the empty box's weight in grams")
	del := &idFlag{what: "box"}
	fs.Var(del, "delete", "delete the box with this id")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	switch {
	case *add != "":
		if !dims.present {
			return errors.New("a box needs its size: --dims L,W,H")
		}
		p := station.PackagePreset{Name: *add, Tare: tare.w, Dimensions: dims.d}
		p.Dimensions.Unit = unit.v
		if _, err := st.SavePackagePreset(ctx, p); err != nil {
			return err
		}
	case del.id != 0:
		if err := st.DeletePackagePreset(ctx, del.id); err != nil {
			return fmt.Errorf("no box %d", del.id)
		}
	}
	boxes, err := st.PackagePresets(ctx)
	if err != nil {
		return err
	}
	if len(boxes) == 0 {
		fmt.Fprintf(c.stdout, "No boxes yet: labels are rated for a %s box unless --dims says otherwise.\n", station.DefaultBox)
	}
	for _, b := range boxes {
		fmt.Fprintf(c.stdout, "%d  %s  %s  empty %s\n", b.ID, b.Name, b.Dimensions, b.Tare)
	}
	return nil
}

// boxID resolves a box name given to --box.
func boxID(ctx context.Context, c *runCtx, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	boxes, err := c.env.Station.PackagePresets(ctx)
	if err != nil {
		return 0, err
	}
	for _, b := range boxes {
		if strings.EqualFold(b.Name, name) {
			return b.ID, nil
		}
	}
	return 0, fmt.Errorf("no box named %q: packbench boxes lists them", name)
}

func parseLengthUnit(s string) (station.LengthUnit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "in", "inch", "inches":
		return station.Inch, nil
	case "cm":
		return station.Centimeter, nil
	}
	return "", fmt.Errorf("%q: give in or cm", s)
}
