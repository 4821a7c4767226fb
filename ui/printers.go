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

// showPrinters lists the printers and adds a network label printer: its
// address, its dpi, and which one prints labels.
func (u *UI) showPrinters() dialog.Dialog {
	list := widget.NewLabel("")
	list.Wrapping = fyne.TextWrapWord
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	refresh := func() {
		u.async(func() {
			printers, err := u.station.Printers(u.ctx)
			current, ok, _ := u.station.LabelPrinterConfig(u.ctx)
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				if len(printers) == 0 {
					list.SetText("No printers yet: labels go to the labels folder in Packbench's data folder.")
					return
				}
				var lines []string
				for _, p := range printers {
					mark := "   "
					if ok && p.ID == current.ID {
						mark = "★ "
					}
					lines = append(lines, fmt.Sprintf("%s%s  (%s %s, %s)", mark, p.Name, p.Kind, p.Address, p.Format))
				}
				list.SetText(strings.Join(lines, "\n") + "\n★ prints the labels.")
			})
		})
	}
	name := widget.NewEntry()
	name.SetPlaceHolder("Zebra at bench 1")
	addr := widget.NewEntry()
	addr.SetPlaceHolder("192.168.1.50 or 192.168.1.50:9100")
	dpi := widget.NewRadioGroup([]string{"203 dpi", "300 dpi"}, nil)
	dpi.Horizontal = true
	dpi.SetSelected("203 dpi")
	add := widget.NewButton("Add and use for labels", func() {
		format := station.FormatZPL203
		if dpi.Selected == "300 dpi" {
			format = station.FormatZPL300
		}
		p := station.Printer{Name: name.Text, Kind: station.PrinterRaw9100, Address: addr.Text, Format: format}
		u.async(func() {
			saved, err := u.station.SavePrinter(u.ctx, p)
			if err == nil {
				err = u.station.SetLabelPrinter(u.ctx, saved.ID)
			}
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				problem.SetText("")
				name.SetText("")
				addr.SetText("")
				u.say(saved.Name + " prints the labels now.")
				refresh()
			})
		})
	})
	add.Importance = widget.HighImportance
	note := widget.NewLabel("Network label printers (Zebra and compatibles) on port 9100 get Amazon's ZPL byte for byte. " +
		"CUPS and Windows printers are not built yet.")
	note.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Address", addr), widget.NewFormItem("Resolution", dpi))
	d := dialog.NewCustom("Printers", "Close", container.NewVBox(list, widget.NewSeparator(), note, form, add, problem), u.win)
	d.Resize(fyne.NewSize(560, 460))
	refresh()
	d.Show()
	return d
}
