package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/packbench/packbench/station"
)

func runSettings(ctx context.Context, c *runCtx, args []string) error {
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	id := fs.Int64("store", 0, "the store's id (packbench stores)")
	every := fs.Int("import-every", 0, "minutes between automatic imports (5 to 1440)")
	days := fs.Int("import-days", 0, "import orders bought in the last N days (1 to 30)")
	weights := fs.String("import-weights", "", "true or false: fill missing SKU weights from Amazon's catalog")
	ident := fs.String("identifier", "", "sku or asin: how products are shown and mapped")
	retention := fs.Int("retention-days", -1, "days buyers' data is kept after delivery (0 to 30)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *id == 0 {
		return errors.New("which store? give --store ID (packbench stores lists them)")
	}
	st, err := c.env.DB.GetStore(ctx, *id)
	if err != nil {
		return fmt.Errorf("no store %d: packbench stores lists them", *id)
	}
	set := st.Settings
	changed := false
	if *every != 0 {
		set.ImportEveryMinutes, changed = *every, true
	}
	if *days != 0 {
		set.ImportDays, changed = *days, true
	}
	switch *weights {
	case "":
	case "true", "false":
		set.ImportWeights, changed = *weights == "true", true
	default:
		return errors.New("--import-weights is true or false")
	}
	if *ident != "" {
		set.Identifier, changed = station.ProductIdentifier(*ident), true
	}
	if *retention >= 0 {
		set.RetentionDays, changed = *retention, true
	}
	if changed {
		if err := c.env.Station.UpdateStoreSettings(ctx, *id, set); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stdout, "%s: import every %d min, orders of the last %d days, weights from catalog %v, identify by %s, keep buyers' data %d days after delivery\n",
		st.Name, set.ImportEveryMinutes, set.ImportDays, set.ImportWeights, set.Identifier, set.RetentionDays)
	return nil
}
