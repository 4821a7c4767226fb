package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// Queue is the shared order queue this bench may work on (several benches
// on one PostgreSQL database): the window shows it and joins one; the
// work is the caller's (package cli).
type Queue interface {
	// Bench is this bench's name on the queue, "" when it works on its own file.
	Bench() string
	// Location is the queue's database, without its password.
	Location() string
	// Join enrolls this bench in a queue with a code shown on one of its
	// benches; it works there from its next start.
	Join(ctx context.Context, location, bench, code string) error
	// JoinCode makes a one-time code for another bench to join with.
	JoinCode(ctx context.Context) (code string, expires time.Time, err error)
}

// WithQueue shows and manages the shared order queue.
func WithQueue(q Queue) Option { return func(u *UI) { u.queue = q } }

// queueView is the status bar's word on the shared queue: the bench's
// name, green while the queue answers, red when it does not.
type queueView struct {
	dot  *canvas.Circle
	text *widget.Label
	box  *fyne.Container
}

var (
	queueUp   = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	queueDown = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

func newQueueView(u *UI) *queueView {
	v := &queueView{dot: canvas.NewCircle(queueUp), text: widget.NewLabel("")}
	dot := container.NewGridWrap(fyne.NewSize(10, 10), v.dot)
	v.box = container.NewHBox(container.NewCenter(dot), v.text)
	if u.queue == nil || u.queue.Bench() == "" {
		v.box.Hide()
		return v
	}
	v.text.SetText(u.queue.Bench() + " · shared queue")
	return v
}

// queueAway is the banner while the queue does not answer; it goes when
// the queue is back.
const queueAway = "The shared order queue cannot be reached: nothing is bought or imported until it is back. Reprint still prints this bench's recent labels."

// QueueReachable tells the window whether the shared queue answers; safe
// from any goroutine.
func (u *UI) QueueReachable(up bool) {
	u.done(func() {
		if u.queue == nil || u.queue.Bench() == "" {
			return
		}
		if up {
			u.queueView.dot.FillColor = queueUp
			u.queueView.text.SetText(u.queue.Bench() + " · shared queue")
			u.problems.remove(queueAway)
			u.say("The shared order queue answers again.")
		} else {
			u.queueView.dot.FillColor = queueDown
			u.queueView.text.SetText(u.queue.Bench() + " · queue unreachable")
			u.problems.add(queueAway)
			u.say(queueAway)
		}
		u.queueView.dot.Refresh()
	})
}

// QueueChanged reloads the list after another bench's change (or this
// one's); safe from any goroutine.
func (u *UI) QueueChanged() {
	u.done(u.Refresh)
}

// printed is what a print says: ok, or that the label came from this
// bench's cache because the shared queue is away (not a failure).
func printed(ok string, err error) (string, error) {
	if errors.Is(err, station.ErrPrintedFromCache) {
		return "Label printed from this bench's cache: the shared order queue cannot be reached.", nil
	}
	return ok, err
}

// queueSettings is "This bench…"'s section on the shared queue.
func (u *UI) queueSettings() fyne.CanvasObject {
	if u.queue == nil {
		return widget.NewLabel("This build has no shared order queue.")
	}
	if bench := u.queue.Bench(); bench != "" {
		code := widget.NewLabel("")
		code.Hide()
		show := widget.NewButton("Show a join code for another bench", nil)
		show.OnTapped = func() {
			show.Disable()
			u.async(func() {
				c, expires, err := u.queue.JoinCode(u.ctx)
				u.done(func() {
					show.Enable()
					if err != nil {
						u.showError("No join code was made", err)
						return
					}
					code.SetText(fmt.Sprintf("Join code: %s (works once, until %s)", c, expires.Local().Format("15:04")))
					code.Show()
				})
			})
		}
		return container.NewVBox(widget.NewLabel(fmt.Sprintf("This bench, %s, works on the shared order queue at %s.", bench, u.queue.Location())), show, code)
	}
	join := widget.NewButton("Join a shared order queue…", u.showJoinQueue)
	return container.NewVBox(widget.NewLabel("This bench works on its own database file."), join)
}

// withPassword puts a password typed apart into the queue's URL.
func withPassword(location, password string) string {
	if password == "" {
		return location
	}
	u, err := url.Parse(location)
	if err != nil || u.User == nil {
		return location // refused by the join, with the reason
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

// showJoinQueue asks for the queue's address, this bench's name and a join
// code shown on one of the queue's benches.
func (u *UI) showJoinQueue() {
	location := widget.NewEntry()
	location.SetPlaceHolder("postgres://packbench@server:5432/packbench")
	// The password apart, hidden as it is typed (a bench is in view of others).
	password := widget.NewPasswordEntry()
	bench := widget.NewEntry()
	bench.SetPlaceHolder("Pack-2")
	code := widget.NewEntry()
	code.SetPlaceHolder("XXXX-XXXX-XXXX")
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	items := []*widget.FormItem{
		widget.NewFormItem("Queue", location), widget.NewFormItem("Password", password), widget.NewFormItem("This bench's name", bench),
		widget.NewFormItem("Join code", code), widget.NewFormItem("", problem),
	}
	var d *dialog.FormDialog
	d = dialog.NewForm("Join a shared order queue", "Join", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		loc, name, c := withPassword(strings.TrimSpace(location.Text), password.Text), strings.TrimSpace(bench.Text), strings.TrimSpace(code.Text)
		u.async(func() {
			err := u.queue.Join(u.ctx, loc, name, c)
			u.done(func() {
				if err != nil {
					// Asked again, with what was typed and why it failed.
					problem.SetText(err.Error())
					problem.Show()
					u.present(d, nil)
					return
				}
				msg := fmt.Sprintf("This bench, %s, joined the shared order queue: close Packbench and start it again to work there.", name)
				u.say(msg)
				u.present(dialog.NewInformation("Joined", msg, u.win), nil)
			})
		})
	}, u.win)
	d.Resize(u.fit(620, 0))
	u.present(d, nil)
}
