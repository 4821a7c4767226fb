package cli

import (
	"context"
	"fmt"

	"github.com/packbench/packbench/station"
)

func runMappings(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "mappings")
	storeID := &idFlag{what: "store"}
	fs.Var(storeID, "store", "the store's id")
	add := fs.Bool("add", false, "add a rule")
	del := &idFlag{what: "rule"}
	fs.Var(del, "delete", "delete the rule with this id")
	var m station.ServiceMapping
	fs.IntVar(&m.Priority, "priority", 0, "lower numbers are checked first")
	fs.StringVar(&m.MarketplaceID, "marketplace", "", "only orders of this marketplace id")
	fs.StringVar(&m.ServiceLevel, "service-level", "", "only orders with this Amazon service level (Standard, Expedited, ...)")
	minGrams, maxGrams := &gramsFlag{orZero: true}, &gramsFlag{}
	fs.Var(minGrams, "min-grams", "only packages from this weight")
	fs.Var(maxGrams, "max-grams", "only packages up to this weight")
	fs.StringVar(&m.SKU, "sku", "", "only orders with this SKU")
	fs.StringVar(&m.ServiceID, "service", "", "ship with this service id (packbench rates lists them)")
	confirm := confirmationFlag()
	fs.Var(confirm, "confirmation", "none, signature or adult_signature")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	store, err := storeFrom(ctx, c, storeID)
	if err != nil {
		return err
	}
	m.MinGrams, m.MaxGrams = minGrams.w.Value, maxGrams.w.Value
	if maxGrams.present && m.MaxGrams < m.MinGrams {
		return fmt.Errorf("--max-grams %g is less than --min-grams %g", m.MaxGrams, m.MinGrams)
	}
	st := c.env.Station
	switch {
	case *add:
		m.StoreID, m.Confirmation = store.ID, confirm.v
		saved, err := st.SaveServiceMapping(ctx, m)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Added", saved.String())
	case del.id != 0:
		if err := st.DeleteServiceMapping(ctx, store.ID, del.id); err != nil {
			return fmt.Errorf("no rule %d in this store", del.id)
		}
		fmt.Fprintln(c.stdout, "Deleted rule", del.id)
	}
	rules, err := st.ServiceMappings(ctx, store.ID)
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
