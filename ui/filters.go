package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// listFilters narrows the order list: marketplace, ship-by date, Prime,
// whether the weight is known.
type listFilters struct {
	v           *ordersView
	marketplace *widget.Select
	shipBy      *widget.Select
	prime       *widget.Check
	weight      *widget.Select
	clear       *widget.Button
	// markets maps the marketplace select's options to marketplace ids.
	markets map[string]string
}

const (
	anyMarketplace = "All markets"
	anyShipBy      = "Any ship-by"
	dueToday       = "Ship by today"
	overdue        = "Overdue"
	anyWeight      = "Any weight"
	weightKnown    = "Weight known"
	weightMissing  = "No weight"
)

func newListFilters(v *ordersView) *listFilters {
	f := &listFilters{v: v, markets: map[string]string{}}
	changed := func(string) { f.changed() }
	f.marketplace = widget.NewSelect([]string{anyMarketplace}, changed)
	f.marketplace.SetSelected(anyMarketplace)
	f.shipBy = widget.NewSelect([]string{anyShipBy, dueToday, overdue}, changed)
	f.shipBy.SetSelected(anyShipBy)
	f.prime = widget.NewCheck("Prime only", func(bool) { f.changed() })
	f.weight = widget.NewSelect([]string{anyWeight, weightKnown, weightMissing}, changed)
	f.weight.SetSelected(anyWeight)
	f.clear = widget.NewButton("Clear filters", f.reset)
	f.clear.Importance = widget.LowImportance
	f.clear.Hide()
	return f
}

func (f *listFilters) object() fyne.CanvasObject {
	return container.NewHBox(f.marketplace, f.shipBy, f.weight, f.prime, f.clear)
}

// active says whether any filter narrows the list.
func (f *listFilters) active() bool {
	return f.marketplace.Selected != anyMarketplace || f.shipBy.Selected != anyShipBy ||
		f.prime.Checked || f.weight.Selected != anyWeight
}

// apply puts the filters into a query; ship-by dates are worked out now,
// so "today" stays today across midnight.
func (f *listFilters) apply(q *station.OrderFilter, now time.Time) {
	q.Marketplace = f.markets[f.marketplace.Selected]
	q.ShipByBefore = time.Time{}
	switch f.shipBy.Selected {
	case dueToday:
		y, m, d := now.Local().Date()
		q.ShipByBefore = time.Date(y, m, d+1, 0, 0, 0, 0, time.Local)
	case overdue:
		q.ShipByBefore = now
	}
	q.PrimeOnly = f.prime.Checked
	q.Weight = map[string]station.WeightFilter{weightKnown: station.WeightsKnown, weightMissing: station.WeightsMissing}[f.weight.Selected]
}

func (f *listFilters) changed() {
	if f.v == nil || f.v.u == nil || f.v.u.orders == nil {
		return // still being built
	}
	if f.active() {
		f.clear.Show()
	} else {
		f.clear.Hide()
	}
	f.v.reload()
}

func (f *listFilters) reset() {
	v := f.v
	f.v = nil // one reload, not four
	f.marketplace.SetSelected(anyMarketplace)
	f.shipBy.SetSelected(anyShipBy)
	f.prime.SetChecked(false)
	f.weight.SetSelected(anyWeight)
	f.v = v
	f.changed()
}

// syncMarketplaces offers the marketplaces of the connected stores.
func (f *listFilters) syncMarketplaces(stores []station.Store) {
	options := []string{anyMarketplace}
	markets := map[string]string{}
	for _, st := range stores {
		for _, id := range st.MarketplaceIDs {
			label := station.MarketplaceLabel(id)
			if _, seen := markets[label]; !seen {
				markets[label] = id
				options = append(options, label)
			}
		}
	}
	slices.Sort(options[1:])
	if !slices.Equal(options, f.marketplace.Options) {
		f.markets = markets
		f.marketplace.Options = options
		f.marketplace.Refresh()
	}
}
