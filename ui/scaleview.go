package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// scaleView shows this bench's scale live at the right of the status bar,
// for as long as the bench has one: green when stable, amber while it
// moves, red when there is no scale where the bench says.
type scaleView struct {
	u     *UI
	label *widget.Label
	box   *fyne.Container
}

func newScaleView(u *UI) *scaleView {
	v := &scaleView{u: u, label: widget.NewLabel("")}
	v.label.TextStyle.Bold = true
	v.box = container.NewHBox(widget.NewIcon(theme.InfoIcon()), v.label)
	v.box.Hide()
	u.station.Scale().Watch(func(station.ScaleReading) { u.scaleDo(v.show) })
	return v
}

// show puts the scale's reading now in the status bar.
func (v *scaleView) show() {
	m := v.u.station.Scale()
	if !m.On() {
		v.box.Hide()
		return
	}
	r := m.Reading()
	text := "Scale: " + r.Text
	if m.WaitingForNewWeight() {
		text += ", already used"
	}
	v.label.SetText(text)
	switch {
	case r.Stable:
		v.label.Importance = widget.SuccessImportance
	case r.Weight.Value != 0:
		v.label.Importance = widget.WarningImportance
	case r.Offline:
		v.label.Importance = widget.DangerImportance
	default:
		v.label.Importance = widget.MediumImportance
	}
	v.label.Refresh()
	v.box.Show()
}

// scaleText is a reading in words, saying when the weight shown was the
// last label's.
func scaleText(m *station.ScaleMonitor, r station.ScaleReading) string {
	if m.WaitingForNewWeight() {
		return r.Text + ", used for the last label: put the next parcel on"
	}
	return r.Text
}

// useScale reads the scale this bench's settings name, or none.
func (u *UI) useScale() {
	if err := u.station.Scale().Use(u.ctx, u.bench.Scale); err != nil {
		u.say(err.Error())
	}
	u.scaleView.show()
}

// weighNext shows the scale's readings in a dialog's label and hands the
// next stable weight no label was bought with to use (on the UI
// goroutine), until ctx ends.
func (u *UI) weighNext(ctx context.Context, reading *widget.Label, use func(station.Weight)) {
	m := u.station.Scale()
	show := func() {
		if ctx.Err() == nil {
			reading.SetText(scaleText(m, m.Reading()))
		}
	}
	show()
	stop := m.Watch(func(station.ScaleReading) { u.scaleDo(show) })
	u.async(func() {
		defer stop()
		w, err := m.NextWeight(ctx)
		if err != nil {
			if ctx.Err() == nil {
				u.done(func() { reading.SetText(err.Error() + " Type the weight.") })
			}
			return
		}
		u.done(func() { use(w) })
	})
}

// heldUpdates keeps the scale's updates for the test's goroutine to run
// (WithSynchronousWork): a scale is read on a goroutine of its own.
type heldUpdates struct {
	mu sync.Mutex
	fs []func()
}

func (h *heldUpdates) add(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fs = append(h.fs, f)
}

// run runs the updates held so far.
func (h *heldUpdates) run() {
	h.mu.Lock()
	fs := h.fs
	h.fs = nil
	h.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
