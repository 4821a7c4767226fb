package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// describeMapping says a rule in words: "1. Standard orders to US,
// 0–2000 g: ship with USPS Ground Advantage, signature".
func describeMapping(m station.ServiceMapping) string {
	var when []string
	if m.ServiceLevel != "" {
		when = append(when, m.ServiceLevel)
	}
	what := "orders"
	if len(when) > 0 {
		what = strings.Join(when, " ") + " orders"
	}
	if m.MarketplaceID != "" {
		what += " to " + station.MarketplaceLabel(m.MarketplaceID)
	}
	if m.SKU != "" {
		what += " with " + m.SKU
	}
	switch {
	case m.MinGrams > 0 && m.MaxGrams > 0:
		what += fmt.Sprintf(", %g–%g g", m.MinGrams, m.MaxGrams)
	case m.MaxGrams > 0:
		what += fmt.Sprintf(", up to %g g", m.MaxGrams)
	case m.MinGrams > 0:
		what += fmt.Sprintf(", from %g g", m.MinGrams)
	}
	out := fmt.Sprintf("%d. %s: ship with %s", m.Priority, what, m.ServiceID)
	if m.Confirmation != "" && m.Confirmation != station.ConfirmNone {
		out += ", " + strings.ReplaceAll(string(m.Confirmation), "_", " ")
	}
	return out
}

// showMappings lists a store's service rules, first match wins, and
// deletes them. Rules are made from an order's detail ("Always ship … like
// this") or with packbench mappings.
func (u *UI) showMappings(st station.Store) dialog.Dialog {
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	rows, refresh := u.deletableList("No rules: each order gets the cheapest rate with Amazon's claims protection.", problem, func() ([]listRow, error) {
		rules, err := u.station.ServiceMappings(u.ctx, st.ID)
		var out []listRow
		for _, m := range rules {
			out = append(out, listRow{text: describeMapping(m), delete: func() error { return u.station.DeleteServiceMapping(u.ctx, st.ID, m.ID) }})
		}
		return out, err
	})
	how := widget.NewLabel("Make a rule from an order: open it (Ctrl+D), get rates, pick the service, and press " +
		"\"Always ship these orders like this\". The first rule that matches an order picks its service.")
	how.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Shipping rules of "+st.Name, "Close", container.NewVScroll(container.NewVBox(rows, widget.NewSeparator(), how, problem)), u.win)
	d.Resize(u.fit(640, 420))
	refresh()
	u.present(d, nil)
	return d
}
