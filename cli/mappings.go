package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/packbench/packbench/station"
)

func runMappings(ctx context.Context, c *runCtx, args []string) error {
	fs := flag.NewFlagSet("mappings", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	storeID := fs.Int64("store", 0, "the store's id")
	add := fs.Bool("add", false, "add a rule")
	del := fs.Int64("delete", 0, "delete the rule with this id")
	var m station.ServiceMapping
	fs.IntVar(&m.Priority, "priority", 0, "lower numbers are checked first")
	fs.StringVar(&m.MarketplaceID, "marketplace", "", "only orders of this marketplace id")
	fs.StringVar(&m.ServiceLevel, "service-level", "", "only orders with this Amazon service level (Standard, Expedited, ...)")
	fs.Float64Var(&m.MinGrams, "min-grams", 0, "only packages from this weight")
	fs.Float64Var(&m.MaxGrams, "max-grams", 0, "only packages up to this weight")
	fs.StringVar(&m.SKU, "sku", "", "only orders with this SKU")
	fs.StringVar(&m.ServiceID, "service", "", "ship with this service id (packbench rates lists them)")
	confirm := fs.String("confirmation", "none", "none, signature or adult_signature")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *storeID == 0 {
		return errors.New("which store? give --store ID (packbench stores lists them)")
	}
	st := c.env.Station
	switch {
	case *add:
		m.StoreID, m.Confirmation = *storeID, station.Confirmation(*confirm)
		saved, err := st.SaveServiceMapping(ctx, m)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Added", saved.String())
	case *del != 0:
		if err := st.DeleteServiceMapping(ctx, *storeID, *del); err != nil {
			return fmt.Errorf("no rule %d in this store", *del)
		}
		fmt.Fprintln(c.stdout, "Deleted rule", *del)
	}
	rules, err := st.ServiceMappings(ctx, *storeID)
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		fmt.Fprintln(c.stdout, "No service mappings: every order gets the cheapest protected rate.")
	}
	for _, r := range rules {
		fmt.Fprintf(c.stdout, "%d. %s\n", r.Priority, r)
	}
	return nil
}
