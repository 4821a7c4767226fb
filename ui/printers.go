package ui

import (
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// Printer kinds and formats as the packer reads them.
var (
	kindNames = []struct {
		kind  station.PrinterKind
		label string
		where string
	}{
		{station.PrinterRaw9100, "Network label printer (port 9100)", "192.168.1.50 or 192.168.1.50:9100"},
		{station.PrinterCUPS, "CUPS printer", "queue name, e.g. Zebra_ZD421 (Find lists them)"},
		{station.PrinterFolder, "Folder", "a folder, e.g. /home/me/labels"},
		{station.PrinterWindows, "Windows printer", "the printer's name as Windows shows it"},
	}
	formatNames = []struct {
		format station.LabelFormat
		label  string
	}{
		{station.FormatZPL203, "ZPL, 203 dpi"},
		{station.FormatZPL300, "ZPL, 300 dpi"},
		{station.FormatPDF, "PDF, 4×6 labels"},
		{station.FormatPDFLetter, "PDF, Letter paper"},
		{station.FormatPDFA4, "PDF, A4 paper"},
		{station.FormatPNG, "PNG (folders)"},
	}
)

func formatLabel(f station.LabelFormat) string {
	for _, n := range formatNames {
		if n.format == f {
			return n.label
		}
	}
	return string(f)
}

// showPrinters lists the printers with what each prints, and adds one:
// a network label printer, a CUPS queue (found for the packer), a folder,
// or a Windows printer.
func (u *UI) showPrinters() dialog.Dialog {
	rows := container.NewVBox()
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	fail := func(err error) { problem.SetText(err.Error()) }

	var refresh func()
	act := func(busy string, do func() (string, error)) {
		status.SetText(busy)
		problem.SetText("")
		u.async(func() {
			msg, err := do()
			u.done(func() {
				status.SetText("")
				if err != nil {
					fail(err)
					return
				}
				status.SetText(msg)
				refresh()
			})
		})
	}
	refresh = func() {
		u.async(func() {
			printers, err := u.station.Printers(u.ctx)
			label, hasLabel, _ := u.station.LabelPrinterConfig(u.ctx)
			doc, _, _ := u.station.DocumentPrinterConfig(u.ctx)
			u.done(func() {
				if err != nil {
					fail(err)
					return
				}
				rows.RemoveAll()
				if len(printers) == 0 {
					rows.Add(widget.NewLabel("No printers yet: labels go to the labels folder in Packbench's data folder."))
				}
				for _, p := range printers {
					roles := ""
					if hasLabel && p.ID == label.ID {
						roles += " · prints the labels"
					}
					if p.ID == doc.ID && doc.ID != 0 {
						roles += " · prints packing slips and pick lists"
					}
					text := widget.NewLabel(fmt.Sprintf("%s%s\n%s %s · %s", p.Name, roles, p.Kind, p.Address, formatLabel(p.Format)))
					test := widget.NewButton("Test", func() {
						act("Printing a test label on "+p.Name+"…", func() (string, error) {
							return "Test label sent to " + p.Name + ": its marks are 1 inch apart.", u.station.TestPrint(u.ctx, p.ID)
						})
					})
					check := widget.NewButton("Check", func() {
						act("Asking "+p.Name+"…", func() (string, error) {
							ready, detail, err := u.station.CheckPrinter(u.ctx, p.ID)
							if err == nil && !ready {
								err = fmt.Errorf("%s is not ready: %s", p.Name, detail)
							}
							return p.Name + ": " + detail, err
						})
					})
					labels := widget.NewButton("Labels", func() {
						act("", func() (string, error) {
							return p.Name + " prints the labels.", u.station.SetLabelPrinter(u.ctx, p.ID)
						})
					})
					slips := widget.NewButton("Slips", func() {
						act("", func() (string, error) {
							return p.Name + " prints packing slips and pick lists.", u.station.SetDocumentPrinter(u.ctx, p.ID)
						})
					})
					del := widget.NewButton("Delete", func() {
						u.confirm("Delete "+p.Name, "Delete this printer? Labels waiting for it go to the labels folder.", func() {
							act("", func() (string, error) { return p.Name + " deleted.", u.station.DeletePrinter(u.ctx, p.ID) })
						})
					})
					del.Importance = widget.DangerImportance
					rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(test, check, labels, slips, del), text))
				}
				if doc.ID == 0 && len(printers) > 0 {
					rows.Add(wrapped("Packing slips and pick lists print on the label printer until you press Slips on another."))
				}
				rows.Refresh()
				u.relayout()
			})
		})
	}

	name := widget.NewEntry()
	name.SetPlaceHolder("Zebra at bench 1")
	where := widget.NewEntry()
	var kinds []string
	for _, k := range kindNames {
		if k.kind == station.PrinterWindows && runtime.GOOS != "windows" {
			continue
		}
		kinds = append(kinds, k.label)
	}
	kind := widget.NewSelect(kinds, nil)
	var formats []string
	for _, f := range formatNames {
		formats = append(formats, f.label)
	}
	format := widget.NewSelect(formats, nil)
	format.SetSelected(formatNames[0].label)
	found := widget.NewSelect(nil, func(s string) {
		if s != "" {
			where.SetText(s)
		}
	})
	found.PlaceHolder = "CUPS printers on this computer"
	find := widget.NewButton("Find", func() {
		act("Asking CUPS for its printers…", func() (string, error) {
			list, err := u.station.FindPrinters(u.ctx)
			if err != nil {
				return "", fmt.Errorf("CUPS did not answer: %w", err)
			}
			var names []string
			for _, p := range list {
				names = append(names, p.Address)
			}
			u.done(func() { found.SetOptions(names) })
			if len(names) == 0 {
				return "CUPS has no printers: add yours in CUPS first (a raw queue for a Zebra).", nil
			}
			return fmt.Sprintf("CUPS has %d printers: pick one.", len(names)), nil
		})
	})
	cupsRow := container.NewBorder(nil, nil, nil, find, found)
	kind.OnChanged = func(s string) {
		cupsRow.Hide()
		for _, k := range kindNames {
			if k.label == s {
				where.SetPlaceHolder(k.where)
				if k.kind == station.PrinterCUPS {
					cupsRow.Show()
				}
			}
		}
	}
	kind.SetSelected(kinds[0])

	add := widget.NewButton("Add printer", func() {
		p := station.Printer{Name: name.Text, Address: where.Text}
		for _, k := range kindNames {
			if k.label == kind.Selected {
				p.Kind = k.kind
			}
		}
		for _, f := range formatNames {
			if f.label == format.Selected {
				p.Format = f.format
			}
		}
		act("", func() (string, error) {
			saved, err := u.station.SavePrinter(u.ctx, p)
			if err != nil {
				return "", err
			}
			msg := saved.Name + " added."
			if _, has, _ := u.station.LabelPrinterConfig(u.ctx); !has {
				if err := u.station.SetLabelPrinter(u.ctx, saved.ID); err != nil {
					return "", err
				}
				msg = saved.Name + " added; it prints the labels."
			}
			u.done(func() {
				name.SetText("")
				where.SetText("")
			})
			return msg + " Press Test to check its alignment.", nil
		})
	})
	add.Importance = widget.HighImportance
	note := widget.NewLabel("Zebra and compatible printers get Amazon's ZPL byte for byte, as raw data (never as text); " +
		"office printers get the 4×6 label at true size on Letter or A4. Carrier commands that would change a printer's settings are removed.")
	note.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Where", container.NewVBox(where, cupsRow)),
		widget.NewFormItem("Takes", format),
	)
	body := container.NewVBox(rows, widget.NewSeparator(), note, form, add, status, problem)
	d := dialog.NewCustom("Printers", "Close", container.NewVScroll(body), u.win)
	d.Resize(u.fit(720, 620))
	refresh()
	u.present(d, nil)
	return d
}
