package ui

import "fyne.io/fyne/v2"

// columns lays cells out at fixed widths, the last shown one stretching,
// so that the header and every row line up and all rows have one height
// (widget.List then only redraws rows that scroll into view). Hidden cells
// (columns the packer did not choose) take no room.
type columns struct{ widths []float32 }

func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	last := -1
	for i, o := range objs {
		if o.Visible() {
			last = i
		}
	}
	x := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		w := c.width(i, o)
		if i == last {
			// The last column takes what is left, wider or narrower than its
			// own width: the row never runs past the list's edge.
			w = max(size.Width-x, minColumnWidth)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (c columns) width(i int, o fyne.CanvasObject) float32 {
	if i < len(c.widths) {
		return c.widths[i]
	}
	return o.MinSize().Width
}

func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, last, h float32
	for i, o := range objs {
		if o.Visible() {
			last = c.width(i, o)
			w += last
			h = max(h, o.MinSize().Height)
		}
	}
	// The last column shrinks to what is left: it asks for its narrowest.
	return fyne.NewSize(w-last+min(last, minColumnWidth), h)
}

// pinned reports a fixed minimum size for what it holds (a zero side: the
// content's own), so that a longer text or a renamed button inside never
// makes the window wider or moves a split under the packer's pointer; the
// content is laid out at whatever size the window gives.
type pinned struct{ w, h float32 }

func (p pinned) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (p pinned) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	if p.w > 0 {
		m.Width = p.w
	}
	if p.h > 0 {
		m.Height = p.h
	}
	return m
}

// pin holds o at a fixed minimum width (and height, when h > 0).
func pin(o fyne.CanvasObject, w, h float32) *fyne.Container {
	return &fyne.Container{Layout: pinned{w: w, h: h}, Objects: []fyne.CanvasObject{o}}
}

// atLeast is a layout whose minimum width is at least w: a button whose
// text changes ("Ship all ready…", "Ship 3 selected…") keeps one width.
type atLeast struct{ w float32 }

func (a atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) { pinned{}.Layout(objs, size) }

func (a atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := pinned{}.MinSize(objs)
	m.Width = max(m.Width, a.w)
	return m
}
