package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// showStoreSettings edits one store's import and privacy settings.
func (u *UI) showStoreSettings(st station.Store) dialog.Dialog {
	set := st.Settings
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
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Import every (minutes)", every),
		widget.NewFormItem("Orders of the last (days)", days),
		widget.NewFormItem("Weights", weights),
		widget.NewFormItem("Identify products by", ident),
		widget.NewFormItem("Keep buyers' data after delivery (days, at most 30)", retention),
		widget.NewFormItem("", problem),
	)
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
			Identifier: station.ProductIdentifier(strings.ToLower(ident.Selected)), RetentionDays: n(retention)}
		u.async(func() {
			err := u.station.UpdateStoreSettings(u.ctx, st.ID, next)
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
	d = dialog.NewCustomWithoutButtons("Settings of "+st.Name, form, u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }),
		&widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: save}})
	d.Resize(fyne.NewSize(560, 380))
	d.Show()
	return d
}
