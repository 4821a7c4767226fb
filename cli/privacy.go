package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

func runOrder(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "order")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	st := c.env.Station
	o, err := st.Order(ctx, row.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Order %s  %s  %s (Amazon: %s)\n", o.AmazonOrderID, o.MarketplaceID, o.Status.Title(), o.AmazonStatus)
	fmt.Fprintf(c.stdout, "Bought %s, ship by %s, service level %s\n", o.PurchasedAt.Local().Format("2006-01-02 15:04"),
		o.ShipBy.Latest.Local().Format("2006-01-02 15:04"), o.ServiceLevel)
	switch {
	case !o.RedactedAt.IsZero():
		fmt.Fprintf(c.stdout, "Ship to: redacted on %s (Amazon's Data Protection Policy)\n", o.RedactedAt.Local().Format("2006-01-02"))
	case o.PIIUnreadable:
		fmt.Fprintln(c.stdout, "Ship to: unreadable: the key that encrypts buyers' data was lost; packbench import --again brings it back from Amazon")
	default:
		a := o.ShipTo
		lines := []string{a.Name, a.Company, a.Line1, a.Line2, a.Line3, strings.TrimSpace(a.City + " " + a.State + " " + a.PostalCode), a.CountryCode}
		var out []string
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		fmt.Fprintf(c.stdout, "Ship to: %s\n", strings.Join(out, ", "))
	}
	for _, it := range o.Items {
		fmt.Fprintf(c.stdout, "  %d x %s  %s  (to ship %d, weight %s)\n", it.Quantity, it.SKU, it.Title, it.ToShip(), it.UnitWeight)
	}
	if w, complete := o.Weight(); complete {
		fmt.Fprintf(c.stdout, "Package weight from the SKUs: %s\n", w)
	} else {
		fmt.Fprintln(c.stdout, "Package weight: not known for every item: weigh it when buying (--weight)")
	}
	history, err := st.History(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, h := range history {
		fmt.Fprintf(c.stdout, "  %s  %s\n", h.At.Local().Format("2006-01-02 15:04"), h.Text())
	}
	return nil
}

func runErase(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "erase")
	yes := fs.Bool("yes", false, "confirm")
	row, err := orderFromArgs(ctx, c, fs, args)
	if err != nil {
		return err
	}
	if !*yes {
		return errors.New("erasing removes the buyer's name, address, phone, gift messages and label of this order for good; " +
			"the order, SKUs, tracking and cost stay. Add --yes to go ahead")
	}
	removed, err := c.env.Station.Erase(ctx, row.ID)
	for _, f := range removed {
		fmt.Fprintf(c.stdout, "Removed %s\n", f)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "The buyer's data of %s is erased (%d printed files removed).\n", row.AmazonOrderID, len(removed))
	return nil
}

func runRedact(ctx context.Context, c *runCtx, args []string) error {
	n, err := c.env.Station.RedactDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d orders past their retention after delivery had their buyer's data redacted.\n", n)
	return nil
}
