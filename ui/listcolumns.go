package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// moreCells are the columns a packer may add to the list: ship-to name,
// weight (in the store's units), the service the buyer chose, tracking and
// the order's total.
func moreCells(r station.OrderRow, units station.Units) []string {
	weight := "—"
	if r.Weight.Known() {
		weight = units.ShowWeight(r.Weight)
	}
	total := ""
	if r.Total.Currency != "" {
		total = r.Total.String()
	}
	return []string{r.ShipToName, weight, r.ServiceLevel, r.Tracking, total}
}

// savedColumns are the columns the packer chose, or the default ones.
func savedColumns(a fyne.App) map[string]bool {
	names := defaultColumns
	if saved := a.Preferences().String("list.columns"); saved != "" {
		names = strings.Split(saved, ",")
	}
	shown := map[string]bool{}
	for _, n := range names {
		if slices.Contains(orderHeaders, n) {
			shown[n] = true
		}
	}
	if len(shown) == 0 {
		shown["Order"] = true
	}
	return shown
}

// showColumns shows a row's (or the header's) cells of the chosen columns;
// cells[0] is the tick box, always shown.
func (v *ordersView) showColumns(cells []fyne.CanvasObject) {
	for i, h := range orderHeaders {
		if i+1 >= len(cells) {
			return
		}
		if v.shown[h] {
			cells[i+1].Show()
		} else {
			cells[i+1].Hide()
		}
	}
}

// chooseColumns lets the packer pick the list's columns; the choice is
// kept for the next start.
func (v *ordersView) chooseColumns() {
	u := v.u
	box := container.NewGridWithColumns(2)
	for _, h := range orderHeaders {
		check := widget.NewCheck(h, func(on bool) {
			if !on && len(v.shown) == 1 && v.shown[h] {
				return // one column at least
			}
			if on {
				v.shown[h] = true
			} else {
				delete(v.shown, h)
			}
			var names []string
			for _, n := range orderHeaders {
				if v.shown[n] {
					names = append(names, n)
				}
			}
			u.app.Preferences().SetString("list.columns", strings.Join(names, ","))
			v.showColumns(v.header)
			v.headerRow.Refresh()
			v.list.Refresh()
		})
		check.Checked = v.shown[h]
		box.Add(check)
	}
	note := wrapped("Ship to shows the ship-to name on this screen only; it is never exported. " +
		"The list is as wide as the window: columns past its edge are cut, so choose fewer on a small screen.")
	d := dialog.NewCustom("Columns of the order list", "Close", container.NewVBox(box, note), u.win)
	d.Resize(u.fit(480, 0))
	u.present(d, nil)
}
