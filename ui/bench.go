package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	scaleChanged := b.Scale != u.bench.Scale
	u.bench = b
	if scaleChanged {
		u.useScale()
	}
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
	scale, stopReading := u.scaleSettings()
	form := widget.NewForm(widget.NewFormItem("Scanning", auto), widget.NewFormItem("Labels", slip),
		widget.NewFormItem("After buy, print or void", after), widget.NewFormItem("Scale", scale),
		widget.NewFormItem("Order queue", u.queueSettings()))
	d := dialog.NewCustom("This bench", "Close", form, u.win)
	d.SetOnClosed(stopReading)
	d.Resize(u.fit(620, 0))
	u.present(d, nil)
}

// scaleSettings chooses this bench's scale: a serial port or USB scale
// (listed, or typed) and its protocol, with its reading shown live until
// stopReading.
func (u *UI) scaleSettings() (settings fyne.CanvasObject, stopReading func()) {
	port := widget.NewSelectEntry([]string{noScale})
	// Listing opens every USB HID device on Windows: off the UI goroutine,
	// the list filled in when it is known.
	u.async(func() {
		ports, _ := u.station.ScalePorts()
		u.done(func() { port.SetOptions(append([]string{noScale}, ports...)) })
	})
	port.SetPlaceHolder("/dev/ttyUSB0, COM3…")
	port.SetText(noScale)
	if u.bench.Scale.Port != "" {
		port.SetText(u.bench.Scale.Port)
	}
	protocol := widget.NewSelect(scaleProtocols, nil)
	protocol.SetSelected(scaleProtocols[0])
	for _, p := range scaleProtocols {
		if strings.HasPrefix(p, u.bench.Scale.Protocol+" ") && u.bench.Scale.Protocol != "" {
			protocol.SetSelected(p)
		}
	}
	reading := widget.NewLabel("")
	reading.Wrapping = fyne.TextWrapWord
	save := func() {
		b := u.bench
		b.Scale = station.ScaleConfig{}
		if p := strings.TrimSpace(port.Text); p != "" && p != noScale {
			name, _, _ := strings.Cut(protocol.Selected, " ")
			b.Scale = station.ScaleConfig{Port: p, Protocol: name, Baud: u.bench.Scale.Baud}
		}
		if b.Scale != u.bench.Scale {
			u.saveBench(b)
		}
	}
	port.OnChanged = func(p string) {
		if station.IsUSBScale(p) && !strings.HasPrefix(protocol.Selected, "hid ") {
			protocol.SetSelected(scaleProtocols[len(scaleProtocols)-1]) // saves
			return
		}
		save()
	}
	protocol.OnChanged = func(string) { save() }
	m := u.station.Scale()
	show := func() {
		reading.SetText("")
		if m.On() {
			reading.SetText(scaleText(m, m.Reading()))
		}
	}
	show()
	stopReading = m.Watch(func(station.ScaleReading) { u.scaleDo(show) })
	return container.NewVBox(port, protocol, reading), stopReading
}

// noScale is the port list's first choice.
const noScale = "No scale (type weights)"

// scaleProtocols are the protocols a serial scale may speak, as shown.
var scaleProtocols = []string{"sics (Mettler Toledo)", "nci (NCI, Avery Weigh-Tronix)", "cas (CAS)", "hid (a USB scale: Dymo, Mettler Toledo PS60…)"}
