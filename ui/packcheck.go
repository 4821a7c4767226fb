package ui

import (
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// checkItems opens the check of a scanned order's items, in a store that
// checks them: each item scanned counts down its line; once every item is
// scanned the label is bought and printed (by itself when the store says
// so or Auto is on).
func (a *orderActions) checkItems(row station.OrderRow, mode station.VerifyMode, auto bool) {
	u := a.u
	u.async(func() {
		check, err := u.station.StartPackCheck(u.ctx, row.ID)
		u.done(func() {
			if err != nil {
				u.showError("Could not check the items of "+row.AmazonOrderID, err)
				return
			}
			a.showPackCheck(row, check, mode, auto)
		})
	})
}

func (a *orderActions) showPackCheck(row station.OrderRow, check *station.PackCheck, mode station.VerifyMode, auto bool) {
	u := a.u
	lines := container.NewVBox()
	render := func() {
		lines.Objects = nil
		for _, l := range check.Lines {
			mark := "  "
			if l.Scanned >= l.Want {
				mark = "✓ "
			}
			text := widget.NewLabel(fmt.Sprintf("%s%d of %d  %s  %s", mark, l.Scanned, l.Want, l.SKU, l.Title))
			text.Wrapping = fyne.TextWrapWord
			if l.Scanned >= l.Want {
				text.Importance = widget.SuccessImportance
			}
			lines.Add(text)
		}
		lines.Refresh()
	}
	render()
	status := widget.NewLabel("Scan each item as it goes in the box.")
	status.Wrapping = fyne.TextWrapWord
	entry := newKeyEntry(u)
	entry.SetPlaceHolder("Scan an item (its barcode or SKU)")

	// An unknown barcode is attached to one of the order's SKUs once.
	var skus []string
	for _, l := range check.Lines {
		skus = append(skus, l.SKU)
	}
	attachTo := widget.NewSelect(skus, nil)
	unknown := ""
	attach := widget.NewButton("Attach the barcode", nil)
	attachRow := container.NewBorder(nil, nil, widget.NewLabel("It is:"), attach, attachTo)
	attachRow.Hide()

	var d dialog.Dialog
	buy := widget.NewButton("Buy and print the label", func() { d.Hide(); a.buyAuto(row) })
	buy.Importance = widget.HighImportance
	buy.Disable()
	var scanning sync.Mutex // one scan at a time: a scanner types fast
	scan := func(code string) {
		u.async(func() {
			scanning.Lock()
			r, err := u.station.ScanItem(u.ctx, check, code)
			done := check.Done()
			scanning.Unlock()
			u.done(func() {
				switch {
				case err != nil:
					status.SetText(err.Error())
				case r.Problem != "":
					status.SetText(r.Problem)
					status.Importance = widget.DangerImportance
					u.flash(r.Problem)
					if r.Unknown {
						unknown = code
						attachRow.Show()
					}
				default:
					status.SetText(fmt.Sprintf("%s: %d of %d.", r.Line.SKU, r.Line.Scanned, r.Line.Want))
					status.Importance = widget.SuccessImportance
				}
				status.Refresh()
				render()
				if done {
					status.SetText("Every item is in the box.")
					buy.Enable()
					if mode == station.VerifyShip || auto {
						d.Hide()
						a.buyAuto(row)
					}
				}
			})
		})
	}
	entry.OnSubmitted = func(code string) {
		entry.SetText("")
		if code != "" {
			scan(code)
		}
	}
	attach.OnTapped = func() {
		sku := attachTo.Selected
		if unknown == "" || sku == "" {
			return
		}
		code := unknown
		u.async(func() {
			err := u.station.AttachBarcode(u.ctx, check.StoreID, code, sku)
			u.done(func() {
				if err != nil {
					status.SetText(err.Error())
					return
				}
				attachRow.Hide()
				unknown = ""
				u.say(code + " is " + sku + " from now on.")
				scan(code) // and it counts now
			})
		})
	}
	content := container.NewVBox(lines, widget.NewSeparator(), entry, status, attachRow, container.NewHBox(buy))
	d = dialog.NewCustom("Check the items of "+row.AmazonOrderID, "Close", content, u.win)
	d.Resize(u.fit(620, 0))
	u.present(d, nil)
	u.win.Canvas().Focus(entry)
}
