package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// activity is the progress panel above the status bar: a bar (or a
// spinner when the total is unknown, as for an import) and what is
// happening, with an estimate of the time left.
type activity struct {
	box   *fyne.Container
	bar   *widget.ProgressBar
	spin  *widget.ProgressBarInfinite
	label *widget.Label
}

func newActivity() *activity {
	a := &activity{bar: widget.NewProgressBar(), spin: widget.NewProgressBarInfinite(), label: widget.NewLabel("")}
	a.spin.Stop()
	a.box = container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(260, 36), container.NewStack(a.bar, a.spin)), a.label)
	a.box.Hide()
	return a
}

// show shows progress; total 0 means unknown (a spinner).
func (a *activity) show(text string, done, total int) {
	a.label.SetText(text)
	if total > 0 {
		a.spin.Stop()
		a.spin.Hide()
		a.bar.Show()
		a.bar.Max = float64(total)
		a.bar.SetValue(float64(done))
	} else {
		a.bar.Hide()
		a.spin.Show()
		a.spin.Start()
	}
	a.box.Show()
}

func (a *activity) hide() {
	a.spin.Stop()
	a.box.Hide()
}

// eta estimates the time left from the pace so far.
func eta(done, total int, elapsed time.Duration) string {
	if done == 0 || done >= total {
		return ""
	}
	left := time.Duration(float64(elapsed) / float64(done) * float64(total-done)).Round(time.Second)
	if left < time.Second {
		return ", less than a second left"
	}
	return fmt.Sprintf(", about %s left", left)
}

// shipProgress shows a bulk ship's progress; called from any goroutine.
func (u *UI) shipProgress(p station.ShipProgress) {
	u.done(func() {
		what := "Buying labels"
		if p.Stage == "printing" {
			what = "Printing labels"
		}
		text := fmt.Sprintf("%s: %d of %d%s", what, p.Done, p.Total, eta(p.Done, p.Total, p.Elapsed))
		if p.Failed > 0 {
			text += fmt.Sprintf(" (%d not done: see Needs attention)", p.Failed)
		}
		u.activity.show(text, p.Done, p.Total)
	})
}

// banner keeps problems on screen until the packer dismisses them: a
// failed import or bulk ship is not only a line in a log.
type banner struct {
	box   *fyne.Container
	list  *fyne.Container
	shown map[string]fyne.CanvasObject
}

func newBanner() *banner {
	b := &banner{list: container.NewVBox(), shown: map[string]fyne.CanvasObject{}}
	b.box = container.NewVBox(b.list)
	b.box.Hide()
	return b
}

// add shows a problem; the same text is shown once.
func (b *banner) add(text string) {
	if _, ok := b.shown[text]; ok {
		return
	}
	l := widget.NewLabel(text)
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	dismiss := widget.NewButton("Dismiss", func() { b.remove(text) })
	row := container.NewBorder(nil, nil, nil, dismiss, l)
	b.shown[text] = row
	b.list.Add(row)
	b.box.Show()
}

// remove takes a problem away: dismissed, or no longer true.
func (b *banner) remove(text string) {
	row, ok := b.shown[text]
	if !ok {
		return
	}
	b.list.Remove(row)
	delete(b.shown, text)
	if len(b.shown) == 0 {
		b.box.Hide()
	}
}
