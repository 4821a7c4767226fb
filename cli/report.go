package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/packbench/packbench/station"
)

// runReport prints what shipping cost over some days, as a table or CSV.
func runReport(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "report")
	from := fs.String("from", "", "first day, e.g. 2026-11-01 (default: today)")
	to := fs.String("to", "", "last day, included (default: today)")
	asCSV := fs.Bool("csv", false, "write CSV (day, carrier, service, labels, voided, currency, spent, refund_due)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	first, last, err := station.ParseReportDays(*from, *to, time.Now(), time.Local)
	if err != nil {
		return err
	}
	rep, err := c.env.Station.CostReport(ctx, first, last, time.Local)
	if err != nil {
		return err
	}
	if *asCSV {
		return rep.WriteCSV(c.stdout)
	}
	days := first.Format("2006-01-02")
	if !last.Equal(first) {
		days += " to " + last.Format("2006-01-02")
	}
	if len(rep.Rows) == 0 {
		fmt.Fprintf(c.stdout, "No labels bought %s.\n", days)
		return nil
	}
	fmt.Fprintf(c.stdout, "Labels bought %s\n\n", days)
	tw := tabwriter.NewWriter(c.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tCARRIER\tSERVICE\tLABELS\tVOIDED\tSPENT\tREFUND DUE\t")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t\n", r.Day, r.Carrier, r.Service, r.Labels, r.Voided, r.Spent, r.RefundDue)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout)
	for _, t := range rep.Totals {
		fmt.Fprintf(c.stdout, "Total: %s.\n", t)
	}
	return nil
}
