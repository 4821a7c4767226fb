package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// registerShortcuts defines every keyboard shortcut in one place.
func registerShortcuts(u *UI) {
	c := u.win.Canvas()
	// Ctrl+F: jump to the search field (a scanner can type straight into it).
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.Focus(u.orders.search) })
	// F5 and Ctrl+R: reload stores and orders from the database.
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.Refresh() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyF5 {
			u.Refresh()
		}
	})
}
