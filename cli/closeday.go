package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

// runCloseDay makes the day's collection forms and prints them, or lists
// what waits for one (--list) or the forms of the last week (--history).
func runCloseDay(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "close-day")
	carrier := fs.String("carrier", "", "only this carrier (its id or name, e.g. USPS)")
	list := fs.Bool("list", false, "only list the labels on no collection form yet")
	history := fs.Bool("history", false, "list the forms made in the last 7 days")
	printTo := fs.String("print", "", "write the forms as PDF files into this folder (default: the document printer)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	st := c.env.Station
	switch {
	case *history:
		forms, err := st.CollectionForms(ctx, time.Now().AddDate(0, 0, -7))
		if err != nil {
			return err
		}
		if len(forms) == 0 {
			fmt.Fprintln(c.stdout, "No collection forms in the last 7 days.")
		}
		for _, f := range forms {
			fmt.Fprintf(c.stdout, "%s  %s: %s\n", f.CreatedAt.Local().Format("2006-01-02 15:04"), f.CarrierName, station.Plural(f.Labels, "label", "labels"))
		}
		return nil
	case *list:
		plan, err := st.CloseDayPlan(ctx)
		if err != nil {
			return err
		}
		if len(plan) == 0 {
			fmt.Fprintln(c.stdout, "Every label is on a collection form (or its carrier needs none).")
		}
		for _, d := range plan {
			last := "never"
			if !d.Unmanifested.LastForm.IsZero() {
				last = d.Unmanifested.LastForm.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(c.stdout, "%s, %s from %s: %s on no form (last form: %s)\n", d.Store.Name, d.Unmanifested.CarrierName,
				d.Unmanifested.From.Place(), station.Plural(d.Labels, "label", "labels"), last)
		}
		return nil
	}
	forms, err := st.CloseDay(ctx, *carrier)
	if len(forms) == 0 && err == nil {
		fmt.Fprintln(c.stdout, "Nothing to close: every label is on a collection form (or its carrier needs none).")
		return nil
	}
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, f := range forms {
		where, perr := printForm(ctx, c, f, *printTo)
		if perr != nil {
			errs = append(errs, fmt.Errorf("the %s form is kept but was not printed: %w", f.CarrierName, perr))
			where = "not printed"
		}
		fmt.Fprintf(c.stdout, "Collection form for %s: %s, %s.\n", f.CarrierName, station.Plural(f.Labels, "label", "labels"), where)
	}
	return errors.Join(errs...)
}

// printForm prints a form on the document printer, or writes it into dir.
func printForm(ctx context.Context, c *runCtx, f station.CollectionForm, dir string) (string, error) {
	if dir == "" {
		if err := c.env.Station.PrintCollectionForm(ctx, f); err != nil {
			return "", err
		}
		return "printed on the document printer", nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("collection-form-%s-%s", f.CarrierID, f.CreatedAt.UTC().Format("20060102-150405"))
	file, err := printing.Folder{Dir: abs}.Write(ctx, printing.Document{Name: name, Format: printing.PDF, Paper: printing.PaperLetter, Data: f.PDF})
	if err != nil {
		return "", err
	}
	return "written to " + file, nil
}
