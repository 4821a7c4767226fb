package ui

import (
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// A barcode scanner is a keyboard that types a whole code in a burst and
// ends it with Enter. People do not type that fast: keys that come closer
// than scanGap together, at least minScanLength of them, followed at once
// by Enter, are a scan wherever the keyboard focus happens to be.
const (
	scanGap       = 60 * time.Millisecond
	minScanLength = 6
)

// amazonOrderID is what a scan must look like to be taken from a field
// that expects something else (a scale's weight also comes as a burst).
var amazonOrderID = regexp.MustCompile(`^\d{3}-\d{7}-\d{7}$`)

// orderIDIn finds an Amazon order id within other text.
var orderIDIn = regexp.MustCompile(`\d{3}-\d{7}-\d{7}`)

// scanDetector tells a scanner's burst from a person's typing by timing.
type scanDetector struct {
	now   func() time.Time
	burst []rune
	// all is every key since the last Enter, bursts or not.
	all  []rune
	last time.Time
}

// typed records a key; a pause longer than scanGap starts a new burst.
func (d *scanDetector) typed(r rune) {
	t := d.now()
	if len(d.burst) > 0 && t.Sub(d.last) > scanGap {
		d.burst = d.burst[:0]
	}
	d.burst = append(d.burst, r)
	d.all = append(d.all, r)
	d.last = t
}

// entered ends the keys at Enter: the code and whether it was a scan;
// when it was not, the code is everything typed since the last Enter.
func (d *scanDetector) entered() (string, bool) {
	code := string(d.burst)
	ok := len(d.burst) >= minScanLength && d.now().Sub(d.last) <= scanGap
	if !ok {
		code = string(d.all)
	}
	d.forget()
	return code, ok
}

// printable says whether a key types a character (its rune follows): the
// desktop driver sends both, so only other keys break a burst.
func printable(name fyne.KeyName) bool { return len(name) == 1 || name == fyne.KeySpace }

// forget drops the keys (one that is not part of a code came).
func (d *scanDetector) forget() { d.burst, d.all = d.burst[:0], d.all[:0] }

// scanField is the search field, where the scanner types: every bench
// shortcut works from it (the focus lives here during a shift), Esc
// clears it, and after a scan its text stays selected so the next scan
// replaces it instead of running into it.
type scanField struct {
	widget.Entry
	u *UI
}

func newScanField(u *UI) *scanField {
	f := &scanField{u: u}
	f.ExtendBaseWidget(f)
	return f
}

func (f *scanField) TypedShortcut(s fyne.Shortcut) {
	if c, ok := s.(*desktop.CustomShortcut); ok && f.u.runShortcut(c.KeyName, c.Modifier) {
		return
	}
	f.Entry.TypedShortcut(s)
}

func (f *scanField) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if !f.u.escape() { // a dialog in front is cancelled first
			f.clear()
		}
		return
	}
	if f.u.runShortcut(k.Name, 0) {
		return
	}
	f.Entry.TypedKey(k)
}

// clear empties the field as a person would (select all, delete), so no
// stale selection eats the next key.
func (f *scanField) clear() {
	f.selectAll()
	f.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
}

// selectAll selects the field's text: the next scan (or typing) replaces it.
func (f *scanField) selectAll() {
	f.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// focusScan puts the keyboard focus in the scan field, its text selected.
func (u *UI) focusScan() {
	if u.orders == nil || u.topModal() != nil {
		return
	}
	u.win.Canvas().Focus(u.orders.search)
	u.orders.search.selectAll()
}

// keyEntry is an entry in a dialog (the package weight) that lets the
// shortcut table's plain keys through (a packer typing the weight can still
// pick a box), cancels its dialog with Esc, and hands a scan that lands in
// it to the scan field: the packer scanned the next order instead of typing.
type keyEntry struct {
	widget.Entry
	u      *UI
	typing scanDetector
	// before is the text before the burst now being typed.
	before string
}

func newKeyEntry(u *UI) *keyEntry {
	e := &keyEntry{u: u, typing: scanDetector{now: u.now}}
	e.ExtendBaseWidget(e)
	return e
}

func (e *keyEntry) TypedRune(r rune) {
	if len(e.typing.burst) == 0 || e.u.now().Sub(e.typing.last) > scanGap {
		e.before = e.Text
	}
	e.typing.typed(r)
	e.Entry.TypedRune(r)
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.u.escape()
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		code, burst := e.typing.entered()
		if !burst || !amazonOrderID.MatchString(code) {
			// A scan the computer received slowly (a busy window takes
			// keys later than the scanner sent them), or an order id
			// typed: no weight or item code looks like one.
			code = orderIDIn.FindString(e.Text)
		}
		if code != "" {
			e.SetText(strings.Replace(e.Text, code, "", 1))
			e.u.escape()
			e.u.orders.scanCode(code)
			return
		}
	default:
		if !printable(k.Name) {
			e.typing.forget()
		}
	}
	if e.u.runShortcut(k.Name, 0) {
		return
	}
	e.Entry.TypedKey(k)
}
