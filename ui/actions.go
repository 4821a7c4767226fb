package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// orderActions are the buttons for the selected order: details and rates,
// buy the default rate (with or without the packing slip), print, void,
// erase. Their labels never change, so the bar holds still as orders are
// selected.
type orderActions struct {
	u        *UI
	row      *station.OrderRow
	title    *widget.Label
	buy      *widget.Button
	buySlip  *widget.Button
	print    *widget.Button
	slip     *widget.Button
	void     *widget.Button
	erase    *widget.Button
	details  *widget.Button
	box      *fyne.Container
	inFlight bool
	// weightForm is the open "package weight" dialog; boxSelect its box choice.
	weightForm *dialog.FormDialog
	boxSelect  *widget.Select
}

func newOrderActions(u *UI) *orderActions {
	a := &orderActions{u: u, title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	a.title.Truncation = fyne.TextTruncateEllipsis
	a.buy = widget.NewButtonWithIcon("Buy label", theme.ConfirmIcon(), func() { a.buyLabel(false) })
	a.buy.Importance = widget.HighImportance
	a.buySlip = widget.NewButtonWithIcon("Label + slip", theme.DocumentIcon(), a.buyLabelAndSlip)
	a.print = widget.NewButtonWithIcon("Print", theme.DocumentPrintIcon(), a.printLabel)
	a.slip = widget.NewButtonWithIcon("Slip", theme.FileTextIcon(), a.printSlip)
	a.void = widget.NewButtonWithIcon("Void", theme.CancelIcon(), a.confirmVoid)
	a.erase = widget.NewButtonWithIcon("Erase…", theme.DeleteIcon(), a.eraseBuyer)
	a.details = widget.NewButtonWithIcon("Details", theme.InfoIcon(), func() {
		if a.row != nil {
			u.showOrderDetail(a.row.ID)
		}
	})
	// The order's id takes the room the buttons leave, truncated if it must.
	a.box = container.NewBorder(nil, nil, nil, container.NewHBox(a.details, a.buy, a.buySlip, a.print, a.slip, a.void, a.erase), a.title)
	a.set(nil)
	return a
}

func (a *orderActions) set(row *station.OrderRow) {
	a.row = row
	if row == nil {
		a.title.SetText("No order selected")
		for _, b := range []*widget.Button{a.details, a.buy, a.buySlip, a.print, a.slip, a.void, a.erase} {
			b.Disable()
		}
		return
	}
	a.title.SetText(row.AmazonOrderID)
	ready, bought := row.Status == station.StatusReady, row.Status == station.StatusLabelBought
	for b, on := range map[*widget.Button]bool{a.buy: ready && !a.inFlight, a.buySlip: ready && !a.inFlight,
		a.print: bought && !a.inFlight, a.void: bought && !a.inFlight,
		a.slip: (ready || bought) && !a.inFlight, a.details: true, a.erase: !a.inFlight} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// run does an action on the selected order off the UI goroutine, then
// shows the list as the bench's "after an action" setting says.
func (a *orderActions) run(doing string, f func() (string, error)) {
	if a.row == nil {
		return
	}
	u, row, index, edits := a.u, *a.row, a.u.orders.selected, a.u.orders.edits
	a.inFlight = true
	a.set(a.row)
	u.say(doing)
	u.async(func() {
		msg, err := f()
		u.done(func() {
			a.inFlight = false
			if err != nil {
				u.log.Warn("order action failed", "err", err)
				u.flash(err.Error())
			} else {
				u.say(msg)
			}
			u.sidebar.reload()
			u.orders.afterAction(row, index, msg, edits)
		})
	})
}

// buyLabelAndSlip buys the selected order's label and prints it with its
// packing slip.
func (a *orderActions) buyLabelAndSlip() { a.buyLabel(true) }

// buyLabel asks for the package's weight (filled in when every SKU's
// weight is known), then buys the default rate and prints (the packing
// slip too when asked, or when the bench prints one with every label).
func (a *orderActions) buyLabel(slip bool) {
	u, row := a.u, *a.row
	u.async(func() {
		o, err := u.station.Order(u.ctx, row.ID)
		presets, _ := u.station.PackagePresets(u.ctx)
		u.done(func() {
			if err != nil {
				u.showError("Could not read the order", err)
				return
			}
			units := u.sidebar.units(row.StoreID)
			grams := newKeyEntry(u)
			grams.SetPlaceHolder(unitWord[units] + ", or 1 lb 3 oz, or 1.2 kg")
			if w, complete := o.Weight(); complete {
				grams.SetText(units.TypedWeight(w))
			}
			boxes := []string{"Default box " + station.DefaultBox.In(units.Length()).String()}
			for i, p := range presets {
				key := ""
				if i < len(boxKeys) {
					key = string(boxKeys[i]) + "  "
				}
				boxes = append(boxes, key+p.Name+" "+p.Dimensions.String())
			}
			box := widget.NewSelect(boxes, nil)
			box.SetSelectedIndex(0)
			a.boxSelect = box
			confirm := "Buy and print"
			if slip || u.bench.SlipWithLabel {
				confirm = "Buy, print label and slip"
			}
			items := []*widget.FormItem{widget.NewFormItem("Package weight ("+unitShort[units]+")", grams), widget.NewFormItem("Box", box)}
			// A bench scale's stable weight fills the weight and buys, with
			// no key pressed; what the packer types wins over it.
			weighing := u.station.Scale().On()
			var scaled station.Weight // the scale's weight, exact (the field shows it rounded)
			scaledText := ""
			reading := widget.NewLabel("Reading the scale…")
			reading.Wrapping = fyne.TextWrapWord
			if weighing {
				items = append(items, widget.NewFormItem("Scale", reading))
			}
			a.weightForm = dialog.NewForm("Buy a label for "+row.AmazonOrderID, confirm, "Cancel", items, func(ok bool) {
				if !ok {
					return
				}
				w, err := station.ParseWeight(grams.Text, units.Weight())
				if err != nil {
					u.flash(err.Error() + " Nothing was bought.")
					return
				}
				if scaledText != "" && grams.Text == scaledText {
					w = scaled
				}
				pkg := station.Package{Weight: w}
				if i := box.SelectedIndex(); i > 0 && i-1 < len(presets) {
					pkg.PresetID = presets[i-1].ID
				}
				a.buyWith(row, pkg, slip)
			}, u.win)
			ctx, stopScale := context.WithCancel(u.ctx)
			a.weightForm.SetOnClosed(func() { stopScale(); a.boxSelect, a.weightForm = nil, nil })
			// A scale or a packer's keypad ends with Enter.
			grams.OnSubmitted = func(string) { a.weightForm.Submit() }
			form := a.weightForm
			form.Resize(u.fit(520, 0))
			u.present(form, form.Submit)
			u.win.Canvas().Focus(grams)
			// The weight shown is the SKUs' estimate: what the packer types
			// replaces it, instead of running into it.
			grams.TypedShortcut(&fyne.ShortcutSelectAll{})
			if weighing {
				typed := grams.Text
				u.weighNext(ctx, reading, func(w station.Weight) {
					if a.weightForm != form || grams.Text != typed {
						return // closed, or the packer typed a weight
					}
					scaled, scaledText = w, units.TypedWeight(w)
					grams.SetText(scaledText)
					form.Submit()
				})
			}
		})
	})
}

// unitWord and unitShort name what a bare number typed at the bench is.
var (
	unitWord  = map[station.Units]string{station.Metric: "grams", station.Imperial: "ounces"}
	unitShort = map[station.Units]string{station.Metric: "g", station.Imperial: "oz"}
)

// buyWith buys the order's label with a package and prints it, with the
// packing slip when asked or when this bench prints one with every label.
func (a *orderActions) buyWith(row station.OrderRow, pkg station.Package, slip bool) {
	a.row = &row
	slip = slip || a.u.bench.SlipWithLabel
	a.run("Buying a label for "+row.AmazonOrderID+"…", func() (string, error) {
		done, err := a.u.station.ShipOrder(a.u.ctx, row.ID, station.BuyChoice{Package: pkg}, slip)
		if err != nil {
			return "", err
		}
		return done.Say(row.AmazonOrderID), nil
	})
}

func (a *orderActions) printLabel() {
	id := a.row.ID
	a.run("Printing…", func() (string, error) {
		return printed("Label printed.", a.u.station.PrintLabel(a.u.ctx, id))
	})
}

func (a *orderActions) printSlip() {
	id, orderID := a.row.ID, a.row.AmazonOrderID
	a.run("Printing the packing slip…", func() (string, error) {
		return "Packing slip of " + orderID + " printed.", a.u.station.PrintPackingSlip(a.u.ctx, id)
	})
}

// confirmVoid asks before voiding: a shortcut is easy to press by mistake.
// Enter voids, Esc keeps the label.
func (a *orderActions) confirmVoid() {
	orderID := a.row.AmazonOrderID
	a.u.confirm("Void the label of "+orderID, "Void this label? Amazon refunds it and the order goes back to Ready to ship.",
		func() {
			if a.row != nil && a.row.AmazonOrderID == orderID {
				a.voidLabel()
			}
		})
}

func (a *orderActions) voidLabel() {
	id, orderID := a.row.ID, a.row.AmazonOrderID
	a.run("Voiding the label of "+orderID+"…", func() (string, error) {
		return "Label voided; " + orderID + " is back in Ready to ship.", a.u.station.Void(a.u.ctx, id)
	})
}

// shipAllReady buys labels for every order in Ready to ship of the current
// store filter (or the ticked ones), each with its rule or default rate and
// its SKUs' weights, then prints them in the chosen order. First every
// order is rated: the confirmation says how many labels will be bought,
// which orders are left and why, and the total cost. Nothing is bought twice.
func (u *UI) shipAllReady() {
	v := u.orders
	f := v.filter
	f.Status, f.Search, f.Attention = station.StatusReady, "", false
	selected := v.checkedIDs(station.StatusReady)
	what := "all ready orders"
	if len(selected) > 0 {
		what = "the ticked orders"
	}
	if len(selected) == 0 && v.counts[station.StatusReady] == 0 {
		u.say("No order is Ready to ship.")
		return
	}
	u.say("Rating the orders to ship…")
	u.async(func() {
		ids := selected
		if len(ids) == 0 {
			rows, err := u.station.AllOrders(u.ctx, f)
			if err != nil {
				u.done(func() { u.showError("Could not read the orders", err) })
				return
			}
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
		}
		plan, err := u.station.PlanShipAll(u.ctx, ids, station.BuyChoice{})
		u.done(func() {
			if err != nil {
				u.showError("Could not rate the orders", err)
				return
			}
			u.confirmShipAll(what, plan)
		})
	})
}

// shipPlanText says what a bulk ship will do before it does it.
func shipPlanText(plan station.ShipPlan) string {
	text := fmt.Sprintf("Buy and print %s for %s?", station.Plural(len(plan.Buy), "label", "labels"), plan.Cost())
	var left []string
	n := 0
	for _, why := range slices.Sorted(maps.Keys(plan.Skipped)) {
		left = append(left, fmt.Sprintf("%s (%d)", why, plan.Skipped[why]))
		n += plan.Skipped[why]
	}
	if n > 0 {
		text += fmt.Sprintf(" %s left for you: %s.", station.Plural(n, "order is", "orders are"), strings.Join(left, ", "))
	}
	return text + " Each gets its shipping rule or the cheapest rate with Amazon's claims protection."
}

func (u *UI) confirmShipAll(what string, plan station.ShipPlan) {
	v := u.orders
	text := wrapped(shipPlanText(plan))
	order := widget.NewSelect([]string{"List order (as picked)", "By SKU", "Reverse (face-up stack)"}, nil)
	order.SetSelectedIndex(0)
	orders := []station.PrintOrder{station.PrintInListOrder, station.PrintBySKU, station.PrintReverse}
	body := container.NewVBox(text, widget.NewForm(widget.NewFormItem("Print order", order)))
	u.say(shipPlanText(plan))
	if len(plan.Buy) == 0 {
		d := dialog.NewCustom("Ship "+what, "Close", body, u.win)
		d.Resize(u.fit(560, 0))
		u.present(d, nil)
		return
	}
	confirm := dialog.NewCustomConfirm("Ship "+what, "Buy and print", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		printOrder := orders[max(0, order.SelectedIndex())]
		slips := u.bench.SlipWithLabel
		u.say(fmt.Sprintf("Buying %s…", station.Plural(len(plan.Buy), "label", "labels")))
		u.async(func() {
			res := u.station.ShipAll(u.ctx, plan.Buy, station.BuyChoice{}, station.ShipAllOptions{Print: true, Slips: slips, Order: printOrder, Progress: u.shipProgress, Plan: &plan})
			u.done(func() {
				u.activity.hide()
				v.checkAll.SetChecked(false)
				v.setAllChecked(false)
				msg := fmt.Sprintf("Bulk ship: %s bought, %d printed.", station.Plural(res.Bought, "label", "labels"), res.Printed)
				if n := res.Cancelled(); n > 0 {
					msg += fmt.Sprintf(" %s by the buyer: skipped.", station.Plural(n, "order was cancelled", "orders were cancelled"))
				}
				if n := res.Elsewhere(); n > 0 {
					msg += fmt.Sprintf(" %s taken by other benches.", station.Plural(n, "order", "orders"))
				}
				if left := len(res.Results) - res.Bought - res.Cancelled() - res.Elsewhere(); left > 0 {
					msg += fmt.Sprintf(" %s left (refused since rating: see each order).", station.Plural(left, "order", "orders"))
				}
				u.say(msg)
				if res.SlipsFailed > 0 {
					u.problems.add(fmt.Sprintf("Bulk ship: %s did not print (%v): print them from each order.",
						station.Plural(res.SlipsFailed, "packing slip", "packing slips"), res.PrintErrored))
				}
				if res.PrintFailed > 0 {
					u.problems.add(fmt.Sprintf("Bulk ship: %d labels did not print (%v). They are in Needs attention: print them again there.",
						res.PrintFailed, res.PrintErrored))
				}
				u.Refresh()
			})
		})
	}, u.win)
	confirm.Resize(u.fit(560, 300))
	u.present(confirm, confirm.Confirm)
}

// printPickList prints the pick list of the ticked orders, or of every
// order in the current tab.
func (u *UI) printPickList() {
	f := u.orders.filter
	f.Search = ""
	selected := u.orders.checkedIDs("")
	u.say("Printing the pick list…")
	u.async(func() {
		ids := selected
		var err error
		if len(ids) == 0 {
			var rows []station.OrderRow
			rows, err = u.station.AllOrders(u.ctx, f)
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
		}
		var list station.PickList
		if err == nil && len(ids) == 0 {
			err = fmt.Errorf("no orders in this tab")
		}
		if err == nil {
			list, err = u.station.PrintPickList(u.ctx, ids)
		}
		u.done(func() {
			if err != nil {
				u.showError("The pick list did not print", err)
				return
			}
			u.say(fmt.Sprintf("Pick list printed: %d orders, %d SKUs.", list.Orders, len(list.Lines)))
		})
	})
}

// bulkButtons name what the bulk actions will act on.
func (u *UI) bulkButtons() {
	v := u.orders
	if v.shipAll == nil {
		return
	}
	if n := len(v.checkedIDs(station.StatusReady)); n > 0 {
		v.shipAll.SetText(fmt.Sprintf("Ship %d selected…", n))
	} else {
		v.shipAll.SetText("Ship all ready…")
	}
	if n := len(v.checked); n > 0 {
		v.pickList.SetText(fmt.Sprintf("Pick list (%d)", n))
	} else {
		v.pickList.SetText("Pick list")
	}
}

// eraseBuyer wipes the buyer's data on request, after saying what goes and what stays.
func (a *orderActions) eraseBuyer() {
	if a.row == nil {
		return
	}
	id, orderID := a.row.ID, a.row.AmazonOrderID
	a.u.confirm("Erase buyer data of "+orderID,
		"The buyer's name, address, phone, gift messages, this order's label and the label and slip files Packbench wrote are erased for good. "+
			"The order, its SKUs, tracking and cost stay for your records. Erase?", func() {
			a.run("Erasing…", func() (string, error) {
				removed, err := a.u.station.Erase(a.u.ctx, id)
				return fmt.Sprintf("The buyer's data of %s is erased, with %s.", orderID, station.Plural(len(removed), "printed file", "printed files")), err
			})
		})
}

// buyAuto buys and prints at once when every SKU's weight is known, and
// asks for the weight (or weighs on the bench's scale) otherwise.
func (a *orderActions) buyAuto(row station.OrderRow) {
	a.row = &row
	// With a scale, the parcel is weighed even when its SKUs' weights are
	// known: the scale's weight is the parcel's, box and filler included.
	if row.WeightKnown && !a.u.station.Scale().On() {
		a.buyWith(row, station.Package{}, false)
		return
	}
	a.buyLabel(false)
}
