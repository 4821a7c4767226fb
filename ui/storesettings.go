package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// openStoreSettings reads the store's ship-from address off the UI
// goroutine, then shows its settings.
func (u *UI) openStoreSettings(st station.Store) {
	u.async(func() {
		from, err := u.station.ShipFrom(u.ctx, st.ID)
		if err != nil && !errors.Is(err, station.ErrNotFound) {
			u.done(func() { u.showError("Could not read the ship-from address of "+st.Name, err) })
			return
		}
		u.done(func() { u.showStoreSettings(st, from) })
	})
}

// showStoreSettings edits one store's import and privacy settings and
// the address its labels ship from.
func (u *UI) showStoreSettings(st station.Store, from station.Address) dialog.Dialog {
	set := st.Settings
	fromFields := []struct {
		label string
		field func(*station.Address) *string
	}{
		{"Name or company", func(a *station.Address) *string { return &a.Name }},
		{"Street", func(a *station.Address) *string { return &a.Line1 }},
		{"Street, line 2", func(a *station.Address) *string { return &a.Line2 }},
		{"City", func(a *station.Address) *string { return &a.City }},
		{"State or region", func(a *station.Address) *string { return &a.State }},
		{"Postal code", func(a *station.Address) *string { return &a.PostalCode }},
		{"Country (e.g. US)", func(a *station.Address) *string { return &a.CountryCode }},
		{"Phone", func(a *station.Address) *string { return &a.Phone }},
	}
	fromEntries := make([]*widget.Entry, len(fromFields))
	for i, f := range fromFields {
		fromEntries[i] = widget.NewEntry()
		fromEntries[i].SetText(*f.field(&from))
	}
	every := widget.NewEntry()
	every.SetText(strconv.Itoa(set.ImportEveryMinutes))
	days := widget.NewEntry()
	days.SetText(strconv.Itoa(set.ImportDays))
	weights := widget.NewCheck("Fill missing weights from Amazon's catalog", nil)
	weights.SetChecked(set.ImportWeights)
	ident := widget.NewRadioGroup([]string{"SKU", "ASIN"}, nil)
	ident.Horizontal = true
	ident.SetSelected(strings.ToUpper(string(set.Identifier)))
	retention := widget.NewEntry()
	retention.SetText(strconv.Itoa(set.RetentionDays))
	unitNames := map[station.Units]string{station.Metric: "Metric: g, kg, cm", station.Imperial: "Imperial: oz, lb, in"}
	units := widget.NewRadioGroup([]string{unitNames[station.Metric], unitNames[station.Imperial]}, nil)
	units.Required = true
	units.SetSelected(unitNames[st.Units()])
	verifyNames := map[station.VerifyMode]string{station.VerifyOff: "No: buy the label at the scan",
		station.VerifyScan: "Scan every item before the label", station.VerifyShip: "Scan every item, then buy and print by itself"}
	verify := widget.NewRadioGroup([]string{verifyNames[station.VerifyOff], verifyNames[station.VerifyScan], verifyNames[station.VerifyShip]}, nil)
	verify.Required = true
	verify.SetSelected(verifyNames[set.Verify])
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Import every (minutes)", every),
		widget.NewFormItem("Orders of the last (days)", days),
		widget.NewFormItem("Weights", weights),
		widget.NewFormItem("Identify products by", ident),
		widget.NewFormItem("Weigh and measure in", units),
		widget.NewFormItem("Keep buyers' data after delivery (days, at most 30)", retention),
		widget.NewFormItem("Check the items", verify),
	)
	form.Append("", widget.NewLabelWithStyle("Ship from", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, f := range fromFields {
		form.Append(f.label, fromEntries[i])
	}
	form.Append("", problem)
	var d *dialog.CustomDialog
	save := func() {
		n := func(e *widget.Entry) int {
			v, err := strconv.Atoi(strings.TrimSpace(e.Text))
			if err != nil {
				return -1
			}
			return v
		}
		next := station.StoreSettings{ImportEveryMinutes: n(every), ImportDays: n(days), ImportWeights: weights.Checked,
			Identifier: station.ProductIdentifier(strings.ToLower(ident.Selected)), RetentionDays: n(retention), Units: set.Units}
		for k, name := range unitNames {
			if name == units.Selected && k != st.Units() {
				next.Units = k // chosen: no longer follows the marketplace
			}
		}
		for k, name := range verifyNames {
			if name == verify.Selected {
				next.Verify = k
			}
		}
		nextFrom := from
		changed := false
		for i, f := range fromFields {
			v := strings.TrimSpace(fromEntries[i].Text)
			if v != *f.field(&from) {
				changed = true
			}
			*f.field(&nextFrom) = v
		}
		u.async(func() {
			err := u.station.UpdateStoreSettings(u.ctx, st.ID, next)
			if err == nil && changed {
				err = u.station.SetShipFrom(u.ctx, st.ID, nextFrom)
			}
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				d.Hide()
				u.say("Settings of " + st.Name + " saved.")
				u.Refresh()
			})
		})
	}
	d = dialog.NewCustomWithoutButtons("Settings of "+st.Name, container.NewVScroll(form), u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }),
		&widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: save}})
	d.Resize(u.fit(620, 600))
	u.present(d, save)
	return d
}
