package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/packbench/packbench/station"
)

// runVerify checks an order's items headless: each --scan is counted on
// the order's lines (or said to be wrong), then what is still missing.
// --attach CODE=SKU makes a barcode a SKU's first.
func runVerify(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "verify")
	var scans, attach repeated
	fs.Var(&scans, "scan", "a scanned item's barcode or SKU (repeat for each item)")
	fs.Var(&attach, "attach", "CODE=SKU: make a barcode that SKU's, from now on (repeatable)")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	st := c.env.Station
	for _, a := range attach {
		code, sku, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("--attach %q: write it as CODE=SKU", a)
		}
		if err := st.AttachBarcode(ctx, row.StoreID, code, sku); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s is %s from now on.\n", strings.TrimSpace(code), strings.TrimSpace(sku))
	}
	check, err := st.StartPackCheck(ctx, row.ID)
	if err != nil {
		return err
	}
	problems := 0
	for _, code := range scans {
		r, err := st.ScanItem(ctx, check, code)
		if err != nil {
			return err
		}
		if r.Problem != "" {
			problems++
			fmt.Fprintf(c.stdout, "%s: %s\n", code, r.Problem)
			continue
		}
		fmt.Fprintf(c.stdout, "%s: %s (%d of %d)\n", code, r.Line.SKU, r.Line.Scanned, r.Line.Want)
	}
	if check.Done() {
		fmt.Fprintf(c.stdout, "Every item of %s is scanned.\n", row.AmazonOrderID)
	} else {
		fmt.Fprintf(c.stdout, "Still to scan: %s.\n", check.Missing())
	}
	if problems > 0 {
		return errors.New(station.Plural(problems, "scan", "scans") + " did not count")
	}
	return nil
}

// repeated is a flag given any number of times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }
