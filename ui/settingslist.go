package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// listRow is one line of a settings list (a box, a shipping rule) and how
// to delete what it shows.
type listRow struct {
	text   string
	delete func() error
}

// deletableList shows rows loaded off the UI goroutine, each with a Delete
// button, and loads them again after a delete; empty says what an empty
// list means, problems go to the problem label.
func (u *UI) deletableList(empty string, problem *widget.Label, load func() ([]listRow, error)) (list *fyne.Container, reload func()) {
	list = container.NewVBox()
	reload = func() {
		u.async(func() {
			rows, err := load()
			u.done(func() {
				if err != nil {
					problem.SetText(err.Error())
					return
				}
				list.RemoveAll()
				if len(rows) == 0 {
					list.Add(widget.NewLabel(empty))
				}
				for _, r := range rows {
					del := widget.NewButton("Delete", func() {
						u.async(func() {
							err := r.delete()
							u.done(func() {
								if err != nil {
									problem.SetText(err.Error())
									return
								}
								reload()
							})
						})
					})
					text := widget.NewLabel(r.text)
					text.Wrapping = fyne.TextWrapWord
					list.Add(container.NewBorder(nil, nil, nil, del, text))
				}
				list.Refresh()
				u.relayout()
			})
		})
	}
	return list, reload
}
