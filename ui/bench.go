package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// afterActionChoices are the bench's "after an action" options, as shown.
var afterActionChoices = map[station.AfterAction]string{
	station.KeepOrder: "Keep the order selected, in its new tab",
	station.NextOrder: "Go to the next order of the tab",
}

// saveBench keeps this bench's settings, in the window and on disk.
func (u *UI) saveBench(b station.BenchSettings) {
	u.bench = b
	if u.orders != nil && u.orders.auto.Checked != b.Auto {
		u.orders.auto.SetChecked(b.Auto)
	}
	// Two quick changes must not land on disk in the wrong order: each save
	// waits its turn, and one overtaken by a newer change is skipped.
	seq := u.benchSeq.Add(1)
	u.async(func() {
		u.benchMu.Lock()
		defer u.benchMu.Unlock()
		if seq != u.benchSeq.Load() {
			return
		}
		if err := u.station.SetBench(b); err != nil {
			u.done(func() { u.showError("This bench's settings were not saved", err) })
		}
	})
}

// showBenchSettings edits this bench's own settings; each change is saved
// at once (packbench bench shows and changes the same, headless).
func (u *UI) showBenchSettings() {
	auto := widget.NewCheck("A scan of a ready order buys its label and prints it (Auto)", nil)
	auto.SetChecked(u.bench.Auto)
	auto.OnChanged = func(on bool) { b := u.bench; b.Auto = on; u.saveBench(b) }
	slip := widget.NewCheck("Print the packing slip with every label", nil)
	slip.SetChecked(u.bench.SlipWithLabel)
	slip.OnChanged = func(on bool) { b := u.bench; b.SlipWithLabel = on; u.saveBench(b) }
	after := widget.NewRadioGroup([]string{afterActionChoices[station.KeepOrder], afterActionChoices[station.NextOrder]}, nil)
	after.SetSelected(afterActionChoices[u.bench.AfterAction])
	after.OnChanged = func(choice string) {
		for a, text := range afterActionChoices {
			if text == choice {
				b := u.bench
				b.AfterAction = a
				u.saveBench(b)
			}
		}
	}
	after.Required = true
	form := widget.NewForm(widget.NewFormItem("Scanning", auto), widget.NewFormItem("Labels", slip),
		widget.NewFormItem("After buy, print or void", after))
	d := dialog.NewCustom("This bench", "Close", form, u.win)
	d.Resize(u.fit(620, 0))
	u.present(d, nil)
}
