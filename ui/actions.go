package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// orderActions are the buttons for the selected order: buy the default
// rate, print its label, void it. The order detail screen (rates to choose
// from, package editing) is not built yet.
type orderActions struct {
	u        *UI
	row      *station.OrderRow
	title    *widget.Label
	buy      *widget.Button
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
	a := &orderActions{u: u, title: widget.NewLabel("")}
	a.buy = widget.NewButton("Buy label (default rate)", a.buyLabel)
	a.buy.Importance = widget.HighImportance
	a.print = widget.NewButton("Print label", a.printLabel)
	a.slip = widget.NewButton("Packing slip", a.printSlip)
	a.void = widget.NewButton("Void label", a.voidLabel)
	a.erase = widget.NewButton("Erase buyer data…", a.eraseBuyer)
	a.details = widget.NewButton("Details and rates…", func() {
		if a.row != nil {
			u.showOrderDetail(a.row.ID)
		}
	})
	a.box = container.NewHBox(a.title, a.details, a.buy, a.print, a.slip, a.void, a.erase)
	a.set(nil)
	return a
}

func (a *orderActions) set(row *station.OrderRow) {
	a.row = row
	if row == nil {
		a.box.Hide()
		return
	}
	a.box.Show()
	a.title.SetText("Order " + row.AmazonOrderID + ":")
	ready, bought := row.Status == station.StatusReady, row.Status == station.StatusLabelBought
	for b, on := range map[*widget.Button]bool{a.buy: ready && !a.inFlight, a.print: bought && !a.inFlight, a.void: bought && !a.inFlight,
		a.slip: (ready || bought) && !a.inFlight} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (a *orderActions) run(doing string, f func() (string, error)) {
	if a.row == nil {
		return
	}
	u := a.u
	a.inFlight = true
	a.set(a.row)
	u.say(doing)
	u.async(func() {
		msg, err := f()
		u.done(func() {
			a.inFlight = false
			u.Refresh()
			if err != nil {
				u.log.Warn("order action failed", "err", err)
				u.flash(err.Error())
				return
			}
			u.say(msg)
		})
	})
}

// buyLabel asks for the package's weight (filled in when every SKU's
// weight is known), then buys the default rate and prints.
func (a *orderActions) buyLabel() {
	u, row := a.u, *a.row
	u.async(func() {
		o, err := u.station.Order(u.ctx, row.ID)
		presets, _ := u.station.PackagePresets(u.ctx)
		u.done(func() {
			if err != nil {
				u.showError("Could not read the order", err)
				return
			}
			grams := newKeyEntry(u)
			grams.SetPlaceHolder("grams, from the scale")
			if w, complete := o.Weight(); complete {
				grams.SetText(strconv.Itoa(int(w.Grams() + 0.5)))
			}
			boxes := []string{"Default box " + station.DefaultBox.String()}
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
			a.weightForm = dialog.NewForm("Buy a label for "+row.AmazonOrderID, "Buy and print", "Cancel",
				[]*widget.FormItem{widget.NewFormItem("Package weight (g)", grams), widget.NewFormItem("Box", box)}, func(ok bool) {
					if !ok {
						return
					}
					g, err := strconv.ParseFloat(strings.TrimSpace(grams.Text), 64)
					if err != nil || g <= 0 {
						u.say("Type the package's weight in grams to buy its label.")
						return
					}
					pkg := station.Package{Weight: station.Weight{Value: g, Unit: station.Gram}}
					if i := box.SelectedIndex(); i > 0 && i-1 < len(presets) {
						pkg.PresetID = presets[i-1].ID
					}
					a.buyWith(row, pkg)
				}, u.win)
			a.weightForm.SetOnClosed(func() { a.boxSelect = nil })
			// A scale or a packer's keypad ends with Enter.
			grams.OnSubmitted = func(string) { a.weightForm.Submit() }
			a.weightForm.Show()
			u.win.Canvas().Focus(grams)
		})
	})
}

func (a *orderActions) buyWith(row station.OrderRow, pkg station.Package) {
	id, orderID := row.ID, row.AmazonOrderID
	a.run("Buying a label for "+orderID+"…", func() (string, error) {
		sh, err := a.u.station.Buy(a.u.ctx, id, station.BuyChoice{Package: pkg})
		if err != nil {
			return "", err
		}
		msg := fmt.Sprintf("Bought %s %s for %s, tracking %s.", sh.CarrierName, sh.ServiceName, sh.Cost, sh.TrackingID)
		if err := a.u.station.PrintLabel(a.u.ctx, id); err != nil {
			return "", fmt.Errorf("%s %w", msg, err)
		}
		return msg + " Label printed.", nil
	})
}

func (a *orderActions) printLabel() {
	id := a.row.ID
	a.run("Printing…", func() (string, error) {
		return "Label printed.", a.u.station.PrintLabel(a.u.ctx, id)
	})
}

func (a *orderActions) printSlip() {
	id, orderID := a.row.ID, a.row.AmazonOrderID
	a.run("Printing the packing slip…", func() (string, error) {
		return "Packing slip of " + orderID + " printed.", a.u.station.PrintPackingSlip(a.u.ctx, id)
	})
}

// confirmVoid asks before voiding: a shortcut is easy to press by mistake.
func (a *orderActions) confirmVoid() {
	orderID := a.row.AmazonOrderID
	dialog.ShowConfirm("Void the label of "+orderID, "Void this label? Amazon refunds it and the order goes back to Ready to ship.",
		func(ok bool) {
			if ok && a.row != nil && a.row.AmazonOrderID == orderID {
				a.voidLabel()
			}
		}, a.u.win)
}

func (a *orderActions) voidLabel() {
	id, orderID := a.row.ID, a.row.AmazonOrderID
	a.run("Voiding the label of "+orderID+"…", func() (string, error) {
		return "Label voided; " + orderID + " is back in Ready to ship.", a.u.station.Void(a.u.ctx, id)
	})
}

// shipAllReady buys labels for every order in Ready to ship of the current
// store filter (each order's mapping or default rate, its SKUs' weights),
// then prints them in list order. Orders without a weight are skipped with
// their reason; nothing is bought twice.
func (u *UI) shipAllReady() {
	v := u.orders
	f := v.filter
	f.Status, f.Search, f.Attention = station.StatusReady, "", false
	selected := v.checkedIDs(station.StatusReady)
	n := v.counts[station.StatusReady]
	what := "all ready orders"
	if len(selected) > 0 {
		n, what = len(selected), "the selected orders"
	}
	if n == 0 {
		u.say("No order is Ready to ship.")
		return
	}
	order := widget.NewSelect([]string{"List order (as picked)", "By SKU", "Reverse (face-up stack)"}, nil)
	order.SetSelectedIndex(0)
	orders := []station.PrintOrder{station.PrintInListOrder, station.PrintBySKU, station.PrintReverse}
	text := widget.NewLabel(fmt.Sprintf("Buy and print labels for %d orders (%s)? Each gets its service "+
		"mapping or the cheapest protected rate, rated with its SKUs' weights. Orders with no known weight are left for you.", n, what))
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text, widget.NewForm(widget.NewFormItem("Print order", order)))
	confirm := dialog.NewCustomConfirm("Ship "+what, "Buy and print", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		printOrder := orders[max(0, order.SelectedIndex())]
		u.say(fmt.Sprintf("Buying labels for %d orders…", n))
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
			res := u.station.ShipAll(u.ctx, ids, station.BuyChoice{}, station.ShipAllOptions{Print: true, Order: printOrder, Progress: u.shipProgress})
			u.done(func() {
				u.activity.hide()
				v.checkAll.SetChecked(false)
				v.setAllChecked(false)
				msg := fmt.Sprintf("Bulk ship: %d labels bought, %d printed, %d orders left (no weight, cancelled or refused: see each order).",
					res.Bought, res.Printed, len(res.Results)-res.Bought)
				u.say(msg)
				if res.PrintFailed > 0 {
					u.problems.add(fmt.Sprintf("Bulk ship: %d labels did not print (%v). They are in Needs attention: print them again there.",
						res.PrintFailed, res.PrintErrored))
				}
				u.Refresh()
			})
		})
	}, u.win)
	confirm.Resize(fyne.NewSize(520, 260))
	confirm.Show()
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
	dialog.ShowConfirm("Erase buyer data of "+orderID,
		"The buyer's name, address, phone, gift messages, this order's label and the label and slip files Packbench wrote are erased for good. "+
			"The order, its SKUs, tracking and cost stay for your records. Erase?", func(ok bool) {
			if ok {
				a.run("Erasing…", func() (string, error) {
					removed, err := a.u.station.Erase(a.u.ctx, id)
					return fmt.Sprintf("The buyer's data of %s is erased, with %d printed files.", orderID, len(removed)), err
				})
			}
		}, a.u.win)
}

// buyAuto buys and prints at once when every SKU's weight is known, and
// asks for the weight otherwise.
func (a *orderActions) buyAuto(row station.OrderRow) {
	if row.WeightKnown {
		a.row = &row
		a.buyWith(row, station.Package{})
		return
	}
	a.buyLabel()
}
