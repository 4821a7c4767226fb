package ui

import "fyne.io/fyne/v2"

// columns lays cells out at fixed widths, the last stretching, so that the
// header and every row line up and all rows have one height (widget.List
// then only redraws rows that scroll into view).
type columns struct{ widths []float32 }

func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(c.widths) && i < len(objs)-1 {
			w = c.widths[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if i < len(c.widths) {
			w += c.widths[i]
		} else {
			w += m.Width
		}
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}
