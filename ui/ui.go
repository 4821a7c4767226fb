// Package ui is Packbench's desktop interface, in Fyne. It holds no logic of
// its own: every action calls the station, off the UI goroutine, and results
// come back through one boundary (UI.async then fyne.Do) so widgets are only
// ever touched on Fyne's goroutine.
package ui

import (
	"context"
	"image/color"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// UI is the main window's content and its state.
type UI struct {
	app     fyne.App
	win     fyne.Window
	station *station.Station
	log     *slog.Logger
	ctx     context.Context

	// async runs work off the UI goroutine; done hands results back to it.
	// Tests replace both with synchronous calls. work counts what async
	// started, so closing the window waits for it (see Wait).
	async func(func())
	work  sync.WaitGroup
	done  func(func())
	// later runs f on the UI goroutine after d; tests leave it undone.
	later func(d time.Duration, f func())

	sidebar *sidebar
	orders  *ordersView
	status  *widget.Label
	// scaleView shows the bench's scale live; scaleDo runs its updates on
	// the UI goroutine (tests hold them in heldScale until they run them).
	scaleView *scaleView
	scaleDo   func(func())
	heldScale heldUpdates
	// activity shows a long job's progress; problems stays until dismissed.
	activity *activity
	problems *banner
	// flashRect turns the window red for a moment when a scan or an action
	// fails: the packer is looking at the box, not the status line.
	flashRect *canvas.Rectangle
	// noticeAt is when the status bar last got a message of its own.
	noticeAt time.Time
	warnings []string

	// now is the clock the scan detector times keys with (tests set it).
	now func() time.Time
	// typing times keys that reach the window with no widget focused.
	typing scanDetector
	// modals are the open dialogs, front last: Esc and Enter answer the front one.
	modals []*modal
	// help is the open shortcuts list (F1), nil when closed.
	help dialog.Dialog
	// bench is this bench's settings (Auto, after an action, slip with label);
	// benchMu and benchSeq keep their saves in order (saveBench).
	bench    station.BenchSettings
	benchMu  sync.Mutex
	benchSeq atomic.Int64
	// queue is the shared order queue (nil: none in this build);
	// queueView shows it in the status bar.
	queue     Queue
	queueView *queueView
}

// The window's smallest size, and its sides' smallest widths within it.
const (
	minWindowWidth, minWindowHeight = 1024, 600
	sidebarWidth, ordersWidth       = 190, 790
)

// Option adjusts how the UI is built.
type Option func(*UI)

// WithSynchronousWork runs station calls inline; for tests, where Fyne's test
// driver would otherwise apply results from another goroutine.
func WithSynchronousWork() Option {
	return func(u *UI) {
		u.async = func(f func()) { f() }
		u.done = func(f func()) { f() }
		u.later = func(time.Duration, func()) {}
		u.scaleDo = u.heldScale.add
	}
}

// WithClock times the keyboard with now (tests type "at scanner speed"
// without waiting).
func WithClock(now func() time.Time) Option {
	return func(u *UI) { u.now = now }
}

// WithWarnings shows start-up problems (a lost data key) in the status bar.
func WithWarnings(warnings ...string) Option {
	return func(u *UI) { u.warnings = warnings }
}

// WithContext is the app's lifetime: cancelled when the window closes, it
// stops the work the window started (imports, bulk ship) at its next step.
func WithContext(ctx context.Context) Option { return func(u *UI) { u.ctx = ctx } }

// Wait waits, at most d, for the work the window started to end, so the
// database is closed under nobody; it reports whether everything ended.
func (u *UI) Wait(d time.Duration) bool {
	u.station.Scale().Stop()
	done := make(chan struct{})
	go func() { u.work.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// WithLogger logs UI-side failures (the logger masks personal data).
func WithLogger(l *slog.Logger) Option { return func(u *UI) { u.log = l } }

// Create builds the main window's content over a station and shows the first data.
func Create(a fyne.App, w fyne.Window, st *station.Station, opts ...Option) *UI {
	u := &UI{
		app: a, win: w, station: st, ctx: context.Background(),
		log:   slog.New(slog.DiscardHandler),
		done:  fyne.Do,
		later: func(d time.Duration, f func()) { time.AfterFunc(d, func() { fyne.Do(f) }) },
		now:   time.Now,
	}
	u.scaleDo = fyne.Do
	u.async = func(f func()) { u.work.Go(f) }
	for _, o := range opts {
		o(u)
	}
	u.typing = scanDetector{now: func() time.Time { return u.now() }}
	bench, err := st.Bench()
	if err != nil {
		u.log.Warn("bench settings unreadable; defaults used", "err", err)
		u.warnings = append(u.warnings, "This bench's settings could not be read: the defaults are used until you change one.")
	}
	u.bench = bench
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis
	u.scaleView = newScaleView(u)
	u.queueView = newQueueView(u)
	u.orders = newOrdersView(u)
	u.sidebar = newSidebar(u)

	u.activity, u.problems = newActivity(), newBanner()
	// Both sides report fixed minimum widths: a long store name, a renamed
	// button or a long message never widens the window or moves the split;
	// together they fit a 1024 × 600 screen.
	split := container.NewHSplit(pin(u.sidebar.object(), sidebarWidth, 0), pin(u.orders.object(), ordersWidth, 0))
	split.Offset = 0.2
	u.flashRect = canvas.NewRectangle(color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0x70})
	u.flashRect.Hide()
	// The flash lies over everything but takes no taps: the bench stays usable.
	w.SetContent(container.NewStack(container.NewBorder(u.problems.box, container.NewVBox(u.activity.box, container.NewBorder(nil, nil, nil, u.statusRight(), u.status)), nil, nil, split), u.flashRect))
	w.Resize(u.savedWindowSize())
	w.SetCloseIntercept(func() {
		u.saveWindowSize()
		w.Close()
	})
	registerShortcuts(u)
	u.useScale()
	u.Refresh()
	u.focusScan()
	for _, w := range u.warnings {
		u.say(w)
	}
	return u
}

// statusRight is what the status bar shows at its right: the scale's
// reading, and on a shared queue the bench and whether the queue answers.
func (u *UI) statusRight() fyne.CanvasObject {
	if u.queue == nil || u.queue.Bench() == "" {
		return u.scaleView.box
	}
	return container.NewHBox(u.queueView.box, u.scaleView.box)
}

// flash marks a failure the packer must not miss, with the reason in the
// status line.
func (u *UI) flash(reason string) {
	u.say(reason)
	u.flashRect.Show()
	u.flashRect.Refresh()
	u.later(700*time.Millisecond, u.flashRect.Hide)
}

// Refresh reloads the stores and the order list.
func (u *UI) Refresh() {
	u.sidebar.reload()
	u.orders.reload()
}

// showError puts a user-safe message in the status bar and the detail in the log.
func (u *UI) showError(what string, err error) {
	u.log.Error(what, "err", err)
	u.say(what + ". Details are in the log file.")
}

// noticeHold is how long a message stays before the order count replaces it.
const noticeHold = 8 * time.Second

// say puts a message in the status bar and keeps it there for a while.
func (u *UI) say(msg string) {
	u.status.SetText(msg)
	u.noticeAt = time.Now()
}

// Problem shows a problem the packer must act on in the banner that stays
// until dismissed; safe from any goroutine.
func (u *UI) Problem(msg string) {
	u.done(func() {
		u.problems.add(msg)
		u.say(msg)
	})
}

// ShownRows is how many orders the list holds now (for the benchmark).
func (u *UI) ShownRows() int { return len(u.orders.rows) }

// savedWindowSize is the size the window had when it was last closed.
func (u *UI) savedWindowSize() fyne.Size {
	p := u.app.Preferences()
	w, h := p.FloatWithFallback("window.width", 1100), p.FloatWithFallback("window.height", 700)
	return fyne.NewSize(float32(max(w, minWindowWidth)), float32(max(h, minWindowHeight)))
}

func (u *UI) saveWindowSize() {
	size := u.win.Canvas().Size()
	if size.Width > 0 && size.Height > 0 {
		p := u.app.Preferences()
		p.SetFloat("window.width", float64(size.Width))
		p.SetFloat("window.height", float64(size.Height))
	}
}
