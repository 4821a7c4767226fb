package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/packbench/packbench/station"
)

func runOrders(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "orders")
	asJSON := fs.Bool("json", false, "print JSON (an array; [] when there are none)")
	status := fs.String("status", "", "only this status: ready, label_bought, shipped, delivered or cancelled")
	search := fs.String("search", "", "only orders whose id, SKU or title contains this text")
	attention := fs.Bool("attention", false, "only orders that need the packer (void after a cancellation, failed print or purchase, no weight)")
	prime := fs.Bool("prime", false, "only Prime orders")
	overdue := fs.Bool("overdue", false, "only orders past their ship-by date")
	sortBy := fs.String("sort", "purchased", "purchased, ship_by, order_id, market, status, items or products")
	reverse := fs.Bool("reverse", false, "reverse the sort")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	key := station.SortKey(*sortBy)
	if key == "purchased" {
		key = station.SortPurchased
	}
	if !slices.Contains(station.SortKeys(), key) {
		return fmt.Errorf("unknown sort %q: purchased, ship_by, order_id, market, status, items or products", *sortBy)
	}
	if *status != "" && !slices.Contains(station.OrderStatuses(), station.OrderStatus(*status)) {
		return fmt.Errorf("unknown status %q: use ready, label_bought, shipped, delivered or cancelled", *status)
	}
	f := station.OrderFilter{Status: station.OrderStatus(*status), Search: *search, Attention: *attention, PrimeOnly: *prime}
	if *overdue {
		f.ShipByBefore = time.Now()
	}
	rows, err := c.env.Station.AllOrdersSorted(ctx, f, station.OrderSort{Key: key, Reverse: *reverse})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(rows) == 0 {
		if f != (station.OrderFilter{}) {
			// Like grep: nothing matched is an answer scripts can test.
			return errNothingMatched
		}
		fmt.Fprintf(c.stdout, "No orders in %s yet. Orders appear here once a store is connected and imported.\n", c.dataDir)
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tMARKET\tPURCHASED\tSHIP BY\tSTATUS\tITEMS\tSKUS")
	for _, r := range rows {
		shipBy := "-"
		if !r.ShipByLatest.IsZero() {
			shipBy = r.ShipByLatest.Local().Format("2006-01-02 15:04")
		}
		st := r.Status.Title()
		if r.Attention != "" {
			st += " (" + r.Attention + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.AmazonOrderID, station.MarketplaceLabel(r.MarketplaceID),
			r.PurchasedAt.Local().Format(time.DateTime[:16]), shipBy, st, r.ItemCount, r.SKUs)
	}
	return tw.Flush()
}

// errNothingMatched: the filters match no order (exit status 1).
var errNothingMatched = errors.New("no order matches these filters")
