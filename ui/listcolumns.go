package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// moreCells are the columns a packer may add to the list: ship-to name,
// weight (in the store's units), the service the buyer chose, tracking and
// the order's total.
func moreCells(r station.OrderRow, units station.Units) []string {
	weight := "—"
	if r.Weight.Known() {
		weight = units.ShowWeight(r.Weight)
	}
	total := ""
	if r.Total.Currency != "" {
		total = r.Total.String()
	}
	return []string{r.ShipToName, weight, r.ServiceLevel, r.Tracking, total}
}

// savedColumns are the columns the packer chose, or the default ones.
func savedColumns(a fyne.App) map[string]bool {
	names := defaultColumns
	if saved := a.Preferences().String("list.columns"); saved != "" {
		names = strings.Split(saved, ",")
	}
	shown := map[string]bool{}
	for _, n := range names {
		if slices.Contains(orderHeaders, n) {
			shown[n] = true
		}
	}
	if len(shown) == 0 {
		shown["Order"] = true
	}
	return shown
}

// showColumns shows a row's (or the header's) cells of the chosen columns;
// cells[0] is the tick box, always shown.
func (v *ordersView) showColumns(cells []fyne.CanvasObject) {
	for i, h := range orderHeaders {
		if i+1 >= len(cells) {
			return
		}
		if v.shown[h] {
			cells[i+1].Show()
		} else {
			cells[i+1].Hide()
		}
	}
}

// chooseColumns lets the packer pick the list's columns; the choice is
// kept for the next start.
func (v *ordersView) chooseColumns() {
	u := v.u
	box := container.NewGridWithColumns(2)
	for _, h := range orderHeaders {
		check := widget.NewCheck(h, func(on bool) {
			if !on && len(v.shown) == 1 && v.shown[h] {
				return // one column at least
			}
			if on {
				v.shown[h] = true
			} else {
				delete(v.shown, h)
			}
			var names []string
			for _, n := range orderHeaders {
				if v.shown[n] {
					names = append(names, n)
				}
			}
			u.app.Preferences().SetString("list.columns", strings.Join(names, ","))
			v.showColumns(v.header)
			v.headerRow.Refresh()
			if h == "Ship to" && on {
				v.reload() // the loaded rows were read without the names
				return
			}
			v.list.Refresh()
		})
		check.Checked = v.shown[h]
		box.Add(check)
	}
	note := wrapped("Ship to shows the ship-to name on this screen only; it is never exported. " +
		"The list is as wide as the window: columns past its edge are cut, so choose fewer on a small screen.")
	d := dialog.NewCustom("Columns of the order list", "Close", container.NewVBox(box, note), u.win)
	d.Resize(u.fit(480, 0))
	u.present(d, nil)
}

// minColumnWidth is the narrowest a column can be dragged.
const minColumnWidth = 40

// columnEdge is the right edge of a column's header: dragged, it makes the
// column wider or narrower, for the header and every row at once, and the
// width is kept for the next start.
type columnEdge struct {
	widget.BaseWidget
	v      *ordersView
	column int // index in the view's column widths (0 is the tick box)
}

func newColumnEdge(v *ordersView, column int) *columnEdge {
	e := &columnEdge{v: v, column: column}
	e.ExtendBaseWidget(e)
	return e
}

func (e *columnEdge) CreateRenderer() fyne.WidgetRenderer {
	line := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	return &edgeRenderer{line: line}
}

// Cursor shows the packer the edge can be dragged.
func (e *columnEdge) Cursor() desktop.Cursor { return desktop.HResizeCursor }

func (e *columnEdge) Dragged(ev *fyne.DragEvent) {
	w := &e.v.cols.widths[e.column]
	*w = max(minColumnWidth, *w+ev.Dragged.DX)
	e.v.relayoutColumns()
}

func (e *columnEdge) DragEnd() { e.v.saveWidths() }

type edgeRenderer struct{ line *canvas.Rectangle }

func (r *edgeRenderer) Layout(size fyne.Size) {
	r.line.Move(fyne.NewPos(size.Width-1, size.Height/4))
	r.line.Resize(fyne.NewSize(1, size.Height/2))
}
func (r *edgeRenderer) MinSize() fyne.Size { return fyne.NewSize(6, 0) }
func (r *edgeRenderer) Refresh() {
	r.line.FillColor = theme.Color(theme.ColorNameSeparator)
	r.line.Refresh()
}
func (r *edgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.line} }
func (r *edgeRenderer) Destroy()                     {}

// relayoutColumns lays the header and the visible rows out at the new widths.
func (v *ordersView) relayoutColumns() {
	if v.headerRow != nil {
		v.headerRow.Refresh()
	}
	v.list.Refresh()
}

// saveWidths keeps the columns' widths for the next start.
func (v *ordersView) saveWidths() {
	parts := make([]string, len(v.cols.widths))
	for i, w := range v.cols.widths {
		parts[i] = strconv.FormatFloat(float64(w), 'f', 0, 32)
	}
	v.u.app.Preferences().SetString("list.widths", strings.Join(parts, ","))
}

// savedWidths are the widths the packer left, when they fit this build's
// columns, else the defaults.
func savedWidths(a fyne.App) []float32 {
	widths := slices.Clone(defaultWidths)
	saved := strings.Split(a.Preferences().String("list.widths"), ",")
	if len(saved) != len(widths) {
		return widths
	}
	for i, s := range saved {
		if w, err := strconv.ParseFloat(s, 32); err == nil && w >= minColumnWidth && i > 0 {
			widths[i] = float32(w)
		}
	}
	return widths
}
