package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/packbench/packbench/station"
)

func runSettings(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "settings")
	id := &idFlag{what: "store"}
	fs.Var(id, "store", "the store's id (packbench stores)")
	every := &rangeFlag{min: 5, max: 24 * 60, unit: "minutes between imports"}
	fs.Var(every, "import-every", "minutes between automatic imports (5 to 1440)")
	days := &rangeFlag{min: 1, max: 30, unit: "days of orders to import"}
	fs.Var(days, "import-days", "import orders bought in the last N days (1 to 30)")
	weights := boolFlag()
	fs.Var(weights, "import-weights", "true or false: fill missing SKU weights from Amazon's catalog")
	ident := &parsedFlag[station.ProductIdentifier]{parse: parseIdentifier}
	fs.Var(ident, "identifier", "sku or asin: how products are shown and mapped")
	retention := &rangeFlag{min: 0, max: station.MaxRetentionDays, unit: "days to keep buyers' data after delivery"}
	fs.Var(retention, "retention-days", fmt.Sprintf("days buyers' data is kept after delivery (0 to %d)", station.MaxRetentionDays))
	units := &parsedFlag[station.Units]{parse: station.ParseUnits}
	fs.Var(units, "units", "metric or imperial: what the bench weighs in (a bare number is grams, or ounces) and shows")
	verify := fs.String("verify", "", "off, verify (scan every item before the label) or ship (scan every item, then buy and print by itself)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st, err := storeFrom(ctx, c, id)
	if err != nil {
		return err
	}
	set := st.Settings
	changed := every.present || days.present || weights.v != "" || ident.v != "" || retention.present || units.v != "" || *verify != ""
	if *verify != "" {
		if set.Verify, err = station.ParseVerifyMode(*verify); err != nil {
			return err
		}
	}
	if units.v != "" {
		set.Units = units.v
	}
	if every.present {
		set.ImportEveryMinutes = every.v
	}
	if days.present {
		set.ImportDays = days.v
	}
	if weights.v != "" {
		set.ImportWeights = weights.v == "true"
	}
	if ident.v != "" {
		set.Identifier = ident.v
	}
	if retention.present {
		set.RetentionDays = retention.v
	}
	if changed {
		if err := c.env.Station.UpdateStoreSettings(ctx, st.ID, set); err != nil {
			return err
		}
	}
	st.Settings = set
	check := map[station.VerifyMode]string{station.VerifyOff: "items not checked", station.VerifyScan: "every item scanned before the label",
		station.VerifyShip: "every item scanned, then the label bought and printed"}[set.Verify]
	fmt.Fprintf(c.stdout, "%s: import every %d min, orders of the last %d days, weights from catalog %v, identify by %s, keep buyers' data %d days after delivery, %s units, %s\n",
		st.Name, set.ImportEveryMinutes, set.ImportDays, set.ImportWeights, set.Identifier, set.RetentionDays, st.Units(), check)
	return nil
}

func parseIdentifier(s string) (station.ProductIdentifier, error) {
	v := station.ProductIdentifier(strings.ToLower(strings.TrimSpace(s)))
	if v != station.BySKU && v != station.ByASIN {
		return "", fmt.Errorf("%q: identify products by sku or asin", s)
	}
	return v, nil
}

func runWeight(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "weight")
	id := &idFlag{what: "store"}
	fs.Var(id, "store", "the store's id (packbench stores)")
	sku := fs.String("sku", "", "the SKU, as on the order")
	grams := &gramsFlag{}
	fs.Var(grams, "grams", "the weight of one unit, packed, in grams")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st, err := storeFrom(ctx, c, id)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*sku) == "" || !grams.present {
		return fmt.Errorf("give the SKU and its weight: --sku SKU --grams G")
	}
	if err := c.env.Station.RememberWeight(ctx, st.ID, strings.TrimSpace(*sku), grams.w); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s weighs %s a unit.\n", strings.TrimSpace(*sku), grams.w)
	return nil
}
