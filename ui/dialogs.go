package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/dialog"
)

// modal is an open dialog the keyboard can answer: Esc cancels it, Enter
// runs its default (nil: Enter closes it, as its only button would).
type modal struct {
	d     dialog.Dialog
	enter func()
}

// present shows a dialog and keeps it on the stack the keyboard answers;
// when the last dialog closes, the scan field has the focus again, so the
// next scan lands where it should.
func (u *UI) present(d dialog.Dialog, enter func()) {
	m := &modal{d: d, enter: enter}
	u.modals = append(u.modals, m)
	d.SetOnClosed(func() {
		u.modals = slices.DeleteFunc(u.modals, func(o *modal) bool { return o == m })
		if len(u.modals) == 0 {
			u.focusScan()
		}
	})
	d.Show()
}

// fit is a dialog size that stays inside the window (a margin around it),
// so a dialog never makes a small window grow.
func (u *UI) fit(w, h float32) fyne.Size {
	c := u.win.Canvas().Size()
	if c.Width <= 0 || c.Height <= 0 {
		return fyne.NewSize(w, h)
	}
	return fyne.NewSize(min(w, c.Width-32), min(h, c.Height-32))
}

// relayout lays the open dialogs out again after rows were added to or
// removed from a list in one: a container's new rows are not drawn until
// what holds it (the dialog's scroll) measures it again.
func (u *UI) relayout() {
	for _, m := range u.modals {
		m.d.Refresh()
	}
}

// topModal is the dialog in front, nil when none is open.
func (u *UI) topModal() *modal {
	if len(u.modals) == 0 {
		return nil
	}
	return u.modals[len(u.modals)-1]
}

// escape cancels the dialog in front; it reports whether there was one.
func (u *UI) escape() bool {
	m := u.topModal()
	if m == nil {
		return false
	}
	m.d.Dismiss()
	return true
}

// enter confirms the dialog in front with its default button.
func (u *UI) enter() bool {
	m := u.topModal()
	if m == nil {
		return false
	}
	if m.enter != nil {
		m.enter()
	} else {
		m.d.Dismiss()
	}
	return true
}

// confirm asks a yes-or-no question; Enter says yes, Esc says no.
func (u *UI) confirm(title, message string, yes func()) {
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			yes()
		}
	}, u.win)
	u.present(d, d.Confirm)
}
