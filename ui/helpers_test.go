package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// shown is what a part of the window shows, gathered for a test to drive.
type shown struct {
	entries []*widget.Entry
	keyed   []*keyEntry
	selects []*widget.Select
	radios  []*widget.RadioGroup
	checks  []*widget.Check
	buttons map[string]*widget.Button // by text; the first of each
	problem *widget.Label             // the label in danger colours
	text    string                    // every label's text, each followed by a newline
}

func shownIn(o fyne.CanvasObject) shown {
	s := shown{buttons: map[string]*widget.Button{}}
	for _, o := range test.LaidOutObjects(o) {
		switch x := o.(type) {
		case *widget.Entry:
			s.entries = append(s.entries, x)
		case *keyEntry:
			s.keyed = append(s.keyed, x)
		case *widget.Select:
			s.selects = append(s.selects, x)
		case *widget.RadioGroup:
			s.radios = append(s.radios, x)
		case *widget.Check:
			s.checks = append(s.checks, x)
		case *widget.Button:
			if s.buttons[x.Text] == nil {
				s.buttons[x.Text] = x
			}
		case *widget.Label:
			if x.Importance == widget.DangerImportance {
				s.problem = x
			}
			s.text += x.Text + "\n"
		}
	}
	return s
}

// topDialog is what the dialog on top of the window shows.
func topDialog(w fyne.Window) shown { return shownIn(w.Canvas().Overlays().Top()) }
