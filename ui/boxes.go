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

// showBoxes lists the package presets (the boxes on the bench) and adds
// one: its inside size and its empty weight, added to the items' weight.
func (u *UI) showBoxes() dialog.Dialog {
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	rows, refresh := u.deletableList("No boxes yet: labels are rated with a 10 × 8 × 4 in box.", problem, func() ([]listRow, error) {
		presets, err := u.station.PackagePresets(u.ctx)
		var out []listRow
		for _, p := range presets {
			text := p.Name + "  " + p.Dimensions.String()
			if p.Tare.Known() {
				text += ", empty " + p.Tare.String()
			}
			out = append(out, listRow{text: text, delete: func() error { return u.station.DeletePackagePreset(u.ctx, p.ID) }})
		}
		return out, err
	})
	name := widget.NewEntry()
	name.SetPlaceHolder("Shoe box")
	l, w, h, tare := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	l.SetPlaceHolder("length")
	w.SetPlaceHolder("width")
	h.SetPlaceHolder("height")
	tare.SetPlaceHolder("grams, 0 if unknown")
	unit := widget.NewRadioGroup([]string{"cm", "in"}, nil)
	unit.Horizontal = true
	unit.SetSelected("cm")
	add := widget.NewButton("Add box", func() {
		num := func(e *widget.Entry) float64 {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(e.Text, ",", ".")), 64)
			if err != nil {
				return 0
			}
			return v
		}
		p := station.PackagePreset{Name: strings.TrimSpace(name.Text),
			Dimensions: station.Dimensions{Length: num(l), Width: num(w), Height: num(h), Unit: station.Centimeter}}
		if unit.Selected == "in" {
			p.Dimensions.Unit = station.Inch
		}
		if g := num(tare); g > 0 {
			p.Tare = station.Weight{Value: g, Unit: station.Gram}
		}
		u.async(func() {
			saved, err := u.station.SavePackagePreset(u.ctx, p)
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				problem.SetText("")
				for _, e := range []*widget.Entry{name, l, w, h, tare} {
					e.SetText("")
				}
				u.say(fmt.Sprintf("Box %s saved.", saved.Name))
				refresh()
			})
		})
	})
	add.Importance = widget.HighImportance
	size := container.NewGridWithColumns(4, l, w, h, unit)
	form := widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Inside size", size),
		widget.NewFormItem("Empty weight", tare))
	d := dialog.NewCustom("Boxes", "Close", container.NewVScroll(container.NewVBox(rows, widget.NewSeparator(), form, add, problem)), u.win)
	d.Resize(u.fit(620, 480))
	refresh()
	u.present(d, nil)
	return d
}
