package station

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CostReport is what shipping cost over some days: the labels bought,
// by day, carrier and service, with what they cost and which were voided.
// Amazon refunds a voided label; the Shipping API reports no refund state
// (docs/amazon.md, "What shipping cost"), so a void shows as "refund due".
type CostReport struct {
	From, To time.Time // local days, To inclusive
	Rows     []CostRow
	Totals   []CostTotal // one per currency
}

// CostRow is one day's labels of one service.
type CostRow struct {
	Day              string // 2006-01-02, in the bench's time zone
	Carrier, Service string
	Labels           int   // bought that day, voided ones included
	Voided           int   // of those, voided
	Spent            Money // the live labels' cost
	RefundDue        Money // the voided labels' cost, which Amazon refunds
}

// CostTotal sums a currency's rows.
type CostTotal struct {
	Labels, Voided   int
	Spent, RefundDue Money
}

// String says the total in a sentence: "12 labels, spent 301.20 USD; 2
// labels voided, refund due 21.00 USD (Amazon refunds voided labels)".
func (t CostTotal) String() string {
	s := fmt.Sprintf("%s, spent %s", Plural(t.Labels, "label", "labels"), t.Spent)
	if t.Voided > 0 {
		s += fmt.Sprintf("; %s voided, refund due %s (Amazon refunds voided labels)", Plural(t.Voided, "label", "labels"), t.RefundDue)
	}
	return s
}

// Reports is the storage the cost report reads.
type Reports interface {
	// ShipmentsBought lists the labels bought in [from, to), voided ones too.
	ShipmentsBought(ctx context.Context, from, to time.Time) ([]Shipment, error)
}

// maxReportDays bounds a report: a year of labels is plenty to read.
const maxReportDays = 366

// ParseReportDays reads a report's first and last day (2006-01-02, in
// loc); empty strings mean today.
func ParseReportDays(from, to string, now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	day := func(s, what string) (time.Time, error) {
		if strings.TrimSpace(s) == "" {
			return today, nil
		}
		d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s date %q: write it as 2026-11-30", what, s)
		}
		return d, nil
	}
	f, err := day(from, "from")
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, err := day(to, "to")
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	switch {
	case t.Before(f):
		return time.Time{}, time.Time{}, fmt.Errorf("the report ends (%s) before it starts (%s)", t.Format("2006-01-02"), f.Format("2006-01-02"))
	case t.Sub(f) > maxReportDays*24*time.Hour:
		return time.Time{}, time.Time{}, fmt.Errorf("a report covers at most %d days", maxReportDays)
	}
	return f, t, nil
}

// CostReport sums the labels bought from the first day to the last (both
// local days in loc, the last included).
func (s *Station) CostReport(ctx context.Context, from, to time.Time, loc *time.Location) (CostReport, error) {
	end := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	bought, err := s.repo.ShipmentsBought(ctx, from, end)
	if err != nil {
		return CostReport{}, err
	}
	rep := CostReport{From: from, To: to}
	type key struct{ day, carrier, service, currency string }
	rows := map[key]*CostRow{}
	totals := map[string]*CostTotal{}
	for _, sh := range bought {
		k := key{sh.PurchasedAt.In(loc).Format("2006-01-02"), sh.CarrierName, sh.ServiceName, sh.Cost.Currency}
		row := rows[k]
		if row == nil {
			row = &CostRow{Day: k.day, Carrier: k.carrier, Service: k.service,
				Spent: Money{Currency: k.currency}, RefundDue: Money{Currency: k.currency}}
			rows[k] = row
		}
		tot := totals[k.currency]
		if tot == nil {
			tot = &CostTotal{Spent: Money{Currency: k.currency}, RefundDue: Money{Currency: k.currency}}
			totals[k.currency] = tot
		}
		row.Labels++
		tot.Labels++
		if sh.Status == ShipmentVoided {
			row.Voided++
			tot.Voided++
			row.RefundDue.Minor += sh.Cost.Minor
			tot.RefundDue.Minor += sh.Cost.Minor
		} else {
			row.Spent.Minor += sh.Cost.Minor
			tot.Spent.Minor += sh.Cost.Minor
		}
	}
	for _, row := range rows {
		rep.Rows = append(rep.Rows, *row)
	}
	slices.SortFunc(rep.Rows, func(a, b CostRow) int {
		return strings.Compare(a.Day+"\x00"+a.Carrier+"\x00"+a.Service+"\x00"+a.Spent.Currency,
			b.Day+"\x00"+b.Carrier+"\x00"+b.Service+"\x00"+b.Spent.Currency)
	})
	for _, cur := range slices.Sorted(maps.Keys(totals)) {
		rep.Totals = append(rep.Totals, *totals[cur])
	}
	return rep, nil
}

// WriteCSV writes the report's rows as CSV, amounts in major units with a
// dot (12.34), one currency column, for a spreadsheet or the accountant.
func (r CostReport) WriteCSV(w io.Writer) error {
	out := csv.NewWriter(w)
	if err := out.Write([]string{"day", "carrier", "service", "labels", "voided", "currency", "spent", "refund_due"}); err != nil {
		return err
	}
	amount := func(m Money) string { return strconv.FormatFloat(m.Decimal(), 'f', MinorDigits(m.Currency), 64) }
	for _, row := range r.Rows {
		if err := out.Write([]string{row.Day, row.Carrier, row.Service, strconv.Itoa(row.Labels), strconv.Itoa(row.Voided),
			row.Spent.Currency, amount(row.Spent), amount(row.RefundDue)}); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}
