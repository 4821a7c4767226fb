package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/packbench/packbench/station"
)

func runImport(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "import")
	storeID := &idFlag{what: "store"}
	fs.Var(storeID, "store", "import only this store (packbench stores lists ids)")
	again := fs.Bool("again", false, "start over from the report and rewrite buyers' data (after a lost data key)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if storeID.id != 0 {
		if _, err := storeFrom(ctx, c, storeID); err != nil {
			return err
		}
	}
	id := &storeID.id
	st := c.env.Station
	stores, err := st.Stores(ctx)
	if err != nil {
		return err
	}
	var failed []error
	ran := 0
	for _, s := range stores {
		if (*id != 0 && s.ID != *id) || (*id == 0 && !s.DisconnectedAt.IsZero()) {
			continue
		}
		ran++
		start := time.Now()
		importer := st.Import
		if *again {
			importer = st.ImportAgain
		}
		run, err := importer(ctx, s.ID, func(p station.ImportProgress) {
			if p.Stage == "waiting" && p.Waiting > 2*time.Second {
				fmt.Fprintf(c.stderr, "%s: waiting %s for Amazon's rate limit\n", s.Name, p.Waiting.Round(time.Second))
			}
		})
		if err != nil {
			fmt.Fprintf(c.stdout, "%s: import failed: %v\n", s.Name, err)
			failed = append(failed, err)
			continue
		}
		fmt.Fprintf(c.stdout, "%s: %d new, %d updated orders in %s\n", s.Name, run.New, run.Updated, time.Since(start).Round(time.Millisecond))
	}
	switch {
	case ran == 0 && *id != 0:
		return fmt.Errorf("no store %d: packbench stores lists them", *id)
	case ran == 0:
		fmt.Fprintln(c.stdout, "No store connected. Try: packbench connect --demo")
	case len(failed) > 0:
		return errors.Join(failed...)
	}
	return nil
}
