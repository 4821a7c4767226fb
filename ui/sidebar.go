package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// sidebar lists "All stores" and each store with its health dot and the time
// of its last successful import.
type sidebar struct {
	u          *UI
	stores     []station.Store
	selected   int64 // store id, 0 for all stores
	list       *widget.List
	empty      *widget.Label
	connect    *widget.Button
	demo       *widget.Button
	importNow  *widget.Button
	printers   *widget.Button
	boxes      *widget.Button
	endOfDay   *widget.Button
	bench      *widget.Button
	rules      *widget.Button
	reauth     *widget.Button
	settings   *widget.Button
	disconnect *widget.Button
}

func newSidebar(u *UI) *sidebar {
	s := &sidebar{u: u}
	s.empty = widget.NewLabel("No store connected yet.")
	s.empty.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(
		func() int { return len(s.stores) + 1 },
		func() fyne.CanvasObject {
			dot := canvas.NewCircle(color.Transparent)
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			when := widget.NewLabel("")
			when.Truncation = fyne.TextTruncateEllipsis
			when.SizeName = theme.SizeNameCaptionText
			return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(12), dot), nil,
				container.NewVBox(name, when))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container)
			dot := row.Objects[1].(*fyne.Container).Objects[0].(*canvas.Circle)
			name, when := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
			if id == 0 {
				dot.FillColor = color.Transparent
				name.SetText("All stores")
				when.SetText(fmt.Sprintf("%d connected", len(s.stores)))
			} else {
				st := s.stores[id-1]
				dot.FillColor = healthColor(st.Health)
				name.SetText(st.Name)
				when.SetText(storeLine(st, time.Now()))
			}
			dot.Refresh()
		},
	)
	s.list.OnSelected = func(id widget.ListItemID) {
		var storeID int64
		if id > 0 && id <= len(s.stores) {
			storeID = s.stores[id-1].ID
		}
		s.selected = storeID
		s.refreshActions()
		u.orders.setStore(storeID)
	}
	s.connect = widget.NewButton("Connect a store…", func() { u.showConnect(nil) })
	s.importNow = widget.NewButton("Import now", u.importNow)
	s.printers = widget.NewButton("Printers…", func() { u.showPrinters() })
	s.boxes = widget.NewButton("Boxes…", func() { u.showBoxes() })
	s.endOfDay = widget.NewButton("End of day…", func() { u.showEndOfDay() })
	s.bench = widget.NewButtonWithIcon("This bench…", theme.SettingsIcon(), u.showBenchSettings)
	s.demo = widget.NewButton("Try the demo store", u.connectDemo)
	s.reauth = widget.NewButton("Reauthorize…", func() {
		if st := s.current(); st != nil {
			u.showConnect(st)
		}
	})
	s.settings = widget.NewButton("Settings…", func() {
		if st := s.current(); st != nil {
			u.openStoreSettings(*st)
		}
	})
	s.rules = widget.NewButton("Shipping rules…", func() {
		if st := s.current(); st != nil {
			u.showMappings(*st)
		}
	})
	s.disconnect = widget.NewButton("Disconnect…", func() {
		if st := s.current(); st != nil {
			u.confirmDisconnect(*st)
		}
	})
	s.refreshActions()
	return s
}

func (s *sidebar) storeName(id int64) string {
	for _, st := range s.stores {
		if st.ID == id {
			return st.Name
		}
	}
	return fmt.Sprintf("store %d", id)
}

// verifyMode is whether a store's items are checked by scanning.
func (s *sidebar) verifyMode(id int64) station.VerifyMode {
	for _, st := range s.stores {
		if st.ID == id {
			return st.Settings.Verify
		}
	}
	return station.VerifyOff
}

// units are what a store's bench weighs and measures in.
func (s *sidebar) units(id int64) station.Units {
	for _, st := range s.stores {
		if st.ID == id {
			return st.Units()
		}
	}
	return station.Metric
}

func (s *sidebar) identifier(id int64) station.ProductIdentifier {
	for _, st := range s.stores {
		if st.ID == id {
			return st.Settings.Identifier
		}
	}
	return station.BySKU
}

func (s *sidebar) current() *station.Store {
	for i := range s.stores {
		if s.stores[i].ID == s.selected {
			return &s.stores[i]
		}
	}
	return nil
}

// showAll selects "All stores" without reloading the list (the caller does).
func (s *sidebar) showAll() {
	on := s.list.OnSelected
	s.list.OnSelected = nil
	s.list.Select(0)
	s.list.OnSelected = on
	s.selected = 0
	s.refreshActions()
}

func (s *sidebar) refreshActions() {
	if !s.u.station.CanConnect() {
		s.connect.Disable()
		s.demo.Disable()
	}
	if len(s.stores) == 0 {
		s.importNow.Hide()
	} else {
		s.importNow.Show()
	}
	s.demo.Show()
	for _, st := range s.stores {
		if st.Auth == station.AuthDemo && st.DisconnectedAt.IsZero() {
			s.demo.Hide() // connected already
		}
	}
	for _, b := range []*widget.Button{s.reauth, s.settings, s.rules, s.disconnect} {
		if s.current() == nil {
			b.Hide()
		} else {
			b.Show()
		}
	}
}

func (s *sidebar) object() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Stores", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, container.NewVBox(s.empty, s.importNow, s.reauth, container.NewGridWithColumns(2, s.settings, s.rules), s.disconnect, widget.NewSeparator(), container.NewGridWithColumns(2, s.printers, s.boxes), container.NewGridWithColumns(2, s.endOfDay, s.bench), s.connect, s.demo), nil, nil, s.list)
}

func (s *sidebar) reload() {
	u := s.u
	u.async(func() {
		stores, err := u.station.Stores(u.ctx)
		u.done(func() {
			if err != nil {
				u.showError("Could not read the stores", err)
				return
			}
			s.stores = stores
			s.refreshActions()
			if len(stores) == 0 {
				s.empty.Show()
			} else {
				s.empty.Hide()
			}
			s.list.Refresh()
			if !s.u.orders.loading {
				s.u.orders.refreshChrome() // the empty state depends on whether stores exist
			}
		})
	})
}

func healthColor(h station.Health) color.Color {
	switch h {
	case station.HealthGreen:
		return color.NRGBA{R: 0x2e, G: 0xa0, B: 0x43, A: 0xff}
	case station.HealthAmber:
		return color.NRGBA{R: 0xe0, G: 0x9b, B: 0x00, A: 0xff}
	case station.HealthRed:
		return color.NRGBA{R: 0xd0, G: 0x2b, B: 0x2b, A: 0xff}
	}
	return color.Transparent
}

// storeLine is a store's second line: what is wrong with it, else when it last imported.
func storeLine(s station.Store, now time.Time) string {
	if s.Health != station.HealthGreen && s.HealthReason != "" {
		return s.HealthReason
	}
	line := lastImportText(s, now)
	if by := s.ReauthorizeBy(); !by.IsZero() && by.Sub(now) < 30*24*time.Hour {
		line += " · reauthorize by " + by.Local().Format("Jan 2")
	}
	return line
}

// lastImportText says when the store last imported successfully, in words a
// packer reads at a glance.
func lastImportText(s station.Store, now time.Time) string {
	if s.LastImportAt.IsZero() {
		if s.LastImportError != "" {
			return "import failing, never succeeded"
		}
		return "never imported"
	}
	return "imported " + ago(now.Sub(s.LastImportAt))
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}
