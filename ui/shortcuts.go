package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// shortcut is one keyboard shortcut: defined here once, registered on the
// window and listed in the help overlay (F1) from the same table.
type shortcut struct {
	key  fyne.KeyName
	mod  fyne.KeyModifier // 0: the key alone
	what string
	run  func(u *UI)
}

func (s shortcut) keys() string {
	var parts []string
	if s.mod&fyne.KeyModifierShortcutDefault != 0 {
		parts = append(parts, "Ctrl")
	}
	if s.mod&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	name := string(s.key)
	switch s.key {
	case fyne.KeySpace:
		name = "Space"
	case fyne.KeyDown:
		name = "↓"
	case fyne.KeyUp:
		name = "↑"
	}
	return strings.Join(append(parts, name), "+")
}

// selectedDo runs an action on the selected order, or says to select one.
func selectedDo(f func(a *orderActions)) func(u *UI) {
	return func(u *UI) {
		a := u.orders.actions
		if a.row == nil {
			u.say("Select an order first: scan it, or Ctrl+↓.")
			return
		}
		if a.inFlight {
			return
		}
		f(a)
	}
}

var ctrl, ctrlShift = fyne.KeyModifierShortcutDefault, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift

func shortcutTable() []shortcut {
	table := []shortcut{
		{fyne.KeyF, ctrl, "Search or scan: jump to the search field, its text selected", func(u *UI) { u.focusScan() }},
		{fyne.KeyDown, ctrl, "Next order", func(u *UI) { u.orders.step(1) }},
		{fyne.KeyUp, ctrl, "Previous order", func(u *UI) { u.orders.step(-1) }},
		{fyne.KeySpace, ctrl, "Tick or untick the selected order, for bulk ship and pick lists", selectedDo(func(a *orderActions) {
			v := a.u.orders
			_, on := v.checked[a.row.ID]
			v.setChecked(*a.row, !on)
			v.list.Refresh()
		})},
		{fyne.KeyB, ctrl, "Buy the selected order's label (default rate) and print it", selectedDo(func(a *orderActions) {
			if !a.buy.Disabled() {
				a.buyLabel(false)
			}
		})},
		{fyne.KeyB, ctrlShift, "Buy the selected order's label and print it with its packing slip", selectedDo(func(a *orderActions) {
			if !a.buySlip.Disabled() {
				a.buyLabelAndSlip()
			}
		})},
		{fyne.KeyP, ctrl, "Print (or reprint) the selected order's label", selectedDo(func(a *orderActions) {
			if !a.print.Disabled() {
				a.printLabel()
			}
		})},
		{fyne.KeyP, ctrlShift, "Print the selected order's packing slip", selectedDo(func(a *orderActions) { a.printSlip() })},
		{fyne.KeyV, ctrlShift, "Void the selected order's label (asks first)", selectedDo(func(a *orderActions) {
			if !a.void.Disabled() {
				a.confirmVoid()
			}
		})},
		{fyne.KeyD, ctrl, "Open the selected order's details and rates", selectedDo(func(a *orderActions) { a.u.showOrderDetail(a.row.ID) })},
		{fyne.KeyI, ctrl, "Import now from every store", func(u *UI) { u.importNow() }},
		{fyne.KeyL, ctrl, "Print the pick list of the orders in this tab", func(u *UI) { u.printPickList() }},
		{fyne.KeyR, ctrl, "Reload stores and orders", func(u *UI) { u.Refresh() }},
		{fyne.KeyF5, 0, "Reload stores and orders", func(u *UI) { u.Refresh() }},
		{fyne.KeyF1, 0, "Show or close these shortcuts", func(u *UI) { u.toggleShortcuts() }},
		{fyne.KeyEscape, 0, "Close the dialog in front (its Cancel); in the search field, clear it", func(u *UI) { u.escape() }},
	}
	for i, k := range boxKeys {
		table = append(table, shortcut{k, 0, fmt.Sprintf("In the buy dialog: box %d of the Boxes list", i+1), func(u *UI) { u.orders.actions.chooseBox(i + 1) }})
	}
	return table
}

// boxKeys choose the boxes of the Boxes list in the buy dialog, in order.
var boxKeys = []fyne.KeyName{fyne.KeyF2, fyne.KeyF3, fyne.KeyF4, fyne.KeyF6, fyne.KeyF7, fyne.KeyF8, fyne.KeyF9}

// chooseBox picks a box in the open buy dialog (0 is the default box).
func (a *orderActions) chooseBox(i int) {
	if a.boxSelect != nil && i < len(a.boxSelect.Options) {
		a.boxSelect.SetSelectedIndex(i)
	}
}

// inDialog are the shortcuts that also work while a dialog is open: the
// rest act on the list behind it, which the packer cannot see.
func (s shortcut) inDialog() bool {
	return s.key == fyne.KeyF1 || s.key == fyne.KeyEscape || slices.Contains(boxKeys, s.key)
}

// runShortcut runs the table's shortcut for a key, if there is one and it
// applies now; it reports whether it did.
func (u *UI) runShortcut(key fyne.KeyName, mod fyne.KeyModifier) bool {
	for _, s := range shortcutTable() {
		if s.key != key || s.mod != mod {
			continue
		}
		if u.topModal() != nil && !s.inDialog() {
			return true // swallowed: no buying behind a dialog
		}
		if s.key == fyne.KeyEscape && u.topModal() == nil {
			return false
		}
		s.run(u)
		return true
	}
	return false
}

// registerShortcuts puts the table on the window, and reads keys that come
// when no widget has the focus: a person's typing goes to the scan field,
// a scanner's burst ending in Enter is a scan even behind a dialog, and
// Esc and Enter answer the dialog in front.
func registerShortcuts(u *UI) {
	c := u.win.Canvas()
	for _, s := range shortcutTable() {
		if s.mod != 0 {
			c.AddShortcut(&desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}, func(fyne.Shortcut) { u.runShortcut(s.key, s.mod) })
		}
	}
	c.SetOnTypedRune(func(r rune) {
		if u.topModal() == nil {
			u.focusScan()
			u.orders.search.TypedRune(r)
			return
		}
		u.typing.typed(r)
	})
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch e.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			// A scan, by its timing; or an order id, however slowly its
			// keys came (a busy computer takes a scanner's keys late):
			// never an Enter that answers the dialog behind it.
			if code, ok := u.typing.entered(); ok || amazonOrderID.MatchString(code) {
				u.escape()
				u.orders.scanCode(code)
				return
			}
			u.enter()
			return
		}
		if !printable(e.Name) { // the driver sends a character's key too, before its rune
			u.typing.forget()
		}
		u.runShortcut(e.Name, 0)
	})
}

// toggleShortcuts opens the shortcuts list, or closes it when it is open.
func (u *UI) toggleShortcuts() {
	if u.help != nil {
		u.help.Dismiss()
		return
	}
	if u.topModal() != nil {
		return // one dialog at a time: F1 again once it is closed
	}
	u.help = u.showShortcuts()
	u.help.SetOnClosed(func() { u.help = nil })
}

// showShortcuts lists every shortcut, from the table that registers them,
// in a list that scrolls inside the window whatever its size.
func (u *UI) showShortcuts() dialog.Dialog {
	var rows []fyne.CanvasObject
	for _, s := range shortcutTable() {
		rows = append(rows, widget.NewLabelWithStyle(s.keys(), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), wrapped(s.what))
	}
	note := wrapped("A scanner types the order id and Enter: the order is found in any tab and any store, and selected. " +
		"With Auto on, a scan of a ready order buys its label and prints it. Esc or F1 closes this list.")
	list := container.NewVScroll(container.NewVBox(note, container.New(layout.NewFormLayout(), rows...)))
	d := dialog.NewCustom("Keyboard shortcuts", "Close", list, u.win)
	d.Resize(u.fit(640, 560))
	u.present(d, nil)
	return d
}

// wrapped is a label that wraps at word boundaries.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
