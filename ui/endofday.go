package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// showEndOfDay shows what shipping cost over some days (today first) and
// closes the day: the carriers whose labels wait for a collection form,
// and a button that makes the forms and prints them.
func (u *UI) showEndOfDay() dialog.Dialog {
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	today := time.Now().Format("2006-01-02")
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetText(today)
	to.SetText(today)
	costs := widget.NewLabel("")
	costs.TextStyle = fyne.TextStyle{Monospace: true}
	totals := widget.NewLabel("")
	totals.Wrapping = fyne.TextWrapWord
	var report station.CostReport
	showReport := func() {
		u.async(func() {
			first, last, err := station.ParseReportDays(from.Text, to.Text, time.Now(), time.Local)
			var rep station.CostReport
			if err == nil {
				rep, err = u.station.CostReport(u.ctx, first, last, time.Local)
			}
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				problem.SetText("")
				report = rep
				costs.SetText(costTable(rep))
				totals.SetText(costTotals(rep))
			})
		})
	}
	show := widget.NewButton("Show", showReport)
	export := widget.NewButton("Save as CSV…", func() {
		var b bytes.Buffer
		if err := report.WriteCSV(&b); err != nil {
			problem.SetText(err.Error())
			return
		}
		// The CSV goes next to the labels' folder a packer knows: the
		// home's Documents when there is one.
		dir, _ := os.UserHomeDir()
		if docs := filepath.Join(dir, "Documents"); isDir(docs) {
			dir = docs
		}
		path := filepath.Join(dir, fmt.Sprintf("packbench-shipping-%s-to-%s.csv", report.From.Format("2006-01-02"), report.To.Format("2006-01-02")))
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			problem.SetText(err.Error())
			return
		}
		u.say("Shipping costs saved to " + path + ".")
	})

	waiting := widget.NewLabel("Asking Amazon which labels wait for a collection form…")
	waiting.Wrapping = fyne.TextWrapWord
	closeDay := widget.NewButton("Make the collection forms and print them", nil)
	closeDay.Importance = widget.HighImportance
	closeDay.Disable()
	plan := func() {
		u.async(func() {
			p, err := u.station.CloseDayPlan(u.ctx)
			u.done(func() {
				if err != nil {
					waiting.SetText("Amazon could not say which labels wait for a collection form: " + err.Error())
					return
				}
				if len(p) == 0 {
					waiting.SetText("Nothing to close: every label is on a collection form, or its carrier needs none.")
					closeDay.Disable()
					return
				}
				var lines []string
				for _, d := range p {
					lines = append(lines, fmt.Sprintf("%s: %s from %s, %s on no form", d.Store.Name, d.Unmanifested.CarrierName,
						d.Unmanifested.From.Place(), station.Plural(d.Labels, "label", "labels")))
				}
				waiting.SetText(strings.Join(lines, "\n"))
				closeDay.Enable()
			})
		})
	}
	closeDay.OnTapped = func() {
		closeDay.Disable()
		u.async(func() {
			forms, err := u.station.CloseDay(u.ctx, "")
			var printed []string
			for _, f := range forms {
				if perr := u.station.PrintCollectionForm(u.ctx, f); perr != nil {
					err = fmt.Errorf("the %s form is kept but was not printed: %w", f.CarrierName, perr)
					continue
				}
				printed = append(printed, fmt.Sprintf("%s (%s)", f.CarrierName, station.Plural(f.Labels, "label", "labels")))
			}
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
				}
				if len(printed) > 0 {
					u.say("Collection forms printed: " + strings.Join(printed, ", ") + ". The driver signs them at pickup.")
				}
				plan()
			})
		})
	}

	dates := container.NewHBox(widget.NewLabel("From"), sized(from, 120), widget.NewLabel("to"), sized(to, 120), show, export)
	content := container.NewVBox(
		widget.NewLabelWithStyle("What shipping cost", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), dates,
		container.NewHScroll(costs), totals, widget.NewSeparator(),
		widget.NewLabelWithStyle("Close the day", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		waiting, container.NewHBox(closeDay), problem)
	d := dialog.NewCustom("End of day", "Close", container.NewVScroll(content), u.win)
	d.Resize(u.fit(940, 580))
	showReport()
	plan()
	u.present(d, nil)
	return d
}

// costTable lays the report's rows out in columns.
func costTable(r station.CostReport) string {
	if len(r.Rows) == 0 {
		return "No labels bought on these days."
	}
	rows := [][]string{{"Day", "Carrier", "Service", "Labels", "Voided", "Spent", "Refund due"}}
	for _, row := range r.Rows {
		rows = append(rows, []string{row.Day, row.Carrier, row.Service, fmt.Sprint(row.Labels), fmt.Sprint(row.Voided),
			row.Spent.String(), row.RefundDue.String()})
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i >= 3 { // numbers and money to the right
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// costTotals says each currency's total in a sentence.
func costTotals(r station.CostReport) string {
	var lines []string
	for _, t := range r.Totals {
		lines = append(lines, t.String()+".")
	}
	return strings.Join(lines, "\n")
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// sized gives an entry a width of its own in a row.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}
