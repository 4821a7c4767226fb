package ui

import (
	"fmt"
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
			u.say("Select an order first (scan it, or Ctrl+↓).")
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
		{fyne.KeyF, ctrl, "Search or scan: jump to the search field", func(u *UI) { u.win.Canvas().Focus(u.orders.search) }},
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
				a.buyLabel()
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
		{fyne.KeyF1, 0, "Show these shortcuts", func(u *UI) { u.showShortcuts() }},
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

// keyEntry is an entry that lets the shortcut table's plain keys (F1, the
// box keys) through: a packer typing the weight can still pick a box.
type keyEntry struct {
	widget.Entry
	u *UI
}

func newKeyEntry(u *UI) *keyEntry {
	e := &keyEntry{u: u}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	for _, s := range shortcutTable() {
		if s.mod == 0 && s.key == k.Name && s.key != fyne.KeyF5 {
			s.run(e.u)
			return
		}
	}
	e.Entry.TypedKey(k)
}

// registerShortcuts puts the table on the window.
func registerShortcuts(u *UI) {
	c := u.win.Canvas()
	plain := map[fyne.KeyName]func(u *UI){}
	for _, s := range shortcutTable() {
		if s.mod == 0 {
			plain[s.key] = s.run
			continue
		}
		c.AddShortcut(&desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}, func(fyne.Shortcut) { s.run(u) })
	}
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if run, ok := plain[e.Name]; ok {
			run(u)
		}
	})
}

// showShortcuts lists every shortcut, from the table that registers them.
func (u *UI) showShortcuts() dialog.Dialog {
	var rows []fyne.CanvasObject
	for _, s := range shortcutTable() {
		rows = append(rows, widget.NewLabelWithStyle(s.keys(), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), widget.NewLabel(s.what))
	}
	note := widget.NewLabel("A scanner types into the search field and ends with Enter: the order is selected. " +
		"With \"Auto\" on, the scan buys the default rate and prints.")
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVBox(container.New(layout.NewFormLayout(), rows...), note), u.win)
	d.Resize(fyne.NewSize(640, 560))
	d.Show()
	return d
}
