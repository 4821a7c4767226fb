//go:build ci

package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// scan types a code into the scan field and presses Enter, as a scanner does.
func scan(u *UI, code string) {
	u.win.Canvas().Focus(u.orders.search)
	test.Type(u.orders.search, code)
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// benchRepo has ready orders in store 1 and a shipped one in store 2.
func benchRepo() *memRepo {
	rows := rowsOf(5, station.StatusReady, 1)
	rows[4].Status, rows[4].StoreID, rows[4].Parcel = station.StatusShipped, 2, station.ParcelInTransit
	return &memRepo{
		stores: []station.Store{{ID: 1, Name: "Acme US"}, {ID: 2, Name: "Acme EU"}},
		rows:   rows,
		shipments: map[int64]station.Shipment{5: {OrderID: 5, CarrierName: "USPS", ServiceName: "USPS Priority Mail",
			TrackingID: "9400100000000000000005", PurchasedAt: time.Date(2026, 11, 30, 10, 41, 0, 0, time.Local)}},
	}
}

// Defect 3: a scan searched only the current tab ("No order matches … in
// this tab"). It finds its order in any tab and any store, shows it there,
// and says where it is.
func TestAScanFindsItsOrderInAnyTabAndStoreAndSaysWhereItIs(t *testing.T) {
	u, _ := newTestUI(t, benchRepo())
	v := u.orders
	v.setStore(1) // the packer looks at one store's Ready to ship
	require.Equal(t, station.StatusReady, v.filter.Status)

	scan(u, "111-0000005-0000000")
	assert.Equal(t, station.StatusShipped, v.filter.Status, "the list went to the order's tab")
	assert.Zero(t, v.filter.StoreID, "and to all stores: the order is another store's")
	require.NotNil(t, v.actions.row)
	assert.Equal(t, "111-0000005-0000000", v.actions.row.AmazonOrderID)
	assert.Equal(t, "Order 111-0000005-0000000 is already shipped (in transit): label bought Nov 30 10:41, USPS Priority Mail, tracking 9400100000000000000005.",
		u.status.Text, "where it is, the carrier named once")
	assert.True(t, u.flashRect.Visible(), "not a box to pack: the window flashes")

	scan(u, "999-0000000-0000000")
	assert.Contains(t, u.status.Text, "No order 999-0000000-0000000 in any store")
}

// Defect 1: the scan field never cleared, so the second scan ran into the
// first. After a scan its text is selected and the next scan replaces it;
// Esc clears it.
func TestTheNextScanReplacesTheLastAndEscClears(t *testing.T) {
	u, _ := newTestUI(t, benchRepo())
	v := u.orders
	scan(u, "111-0000002-0000000")
	assert.Equal(t, "111-0000002-0000000", v.search.SelectedText(), "the scanned code stays selected")
	scan(u, "111-0000003-0000000")
	assert.Equal(t, "111-0000003-0000000", v.search.Text, "the second scan replaced the first")
	require.NotNil(t, v.actions.row)
	assert.Equal(t, "111-0000003-0000000", v.actions.row.AmazonOrderID)
	assert.Equal(t, 4, v.counts[station.StatusReady], "the tabs still count the whole bench's work")

	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Empty(t, v.search.Text)
	v.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	test.Type(v.search, "111-0000001")
	assert.Equal(t, "111-0000001", v.search.Text, "typing after Esc starts afresh")
}

// Defect 2: with the focus in the scan field (where a scan leaves it) the
// bench shortcuts did nothing. They work from it; and none acts on the
// list behind an open dialog.
func TestBenchShortcutsWorkFromTheScanField(t *testing.T) {
	u, w := newTestUI(t, benchRepo())
	scan(u, "111-0000001-0000000")
	require.NotNil(t, u.orders.actions.row)
	require.Equal(t, u.orders.search, w.Canvas().Focused())

	ctrl := func(k fyne.KeyName) {
		u.orders.search.TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	ctrl(fyne.KeyB)
	require.NotNil(t, u.orders.actions.weightForm, "Ctrl+B opened the buy dialog from the scan field")
	overlays := len(w.Canvas().Overlays().List())
	ctrl(fyne.KeyD)
	ctrl(fyne.KeyB)
	assert.Len(t, w.Canvas().Overlays().List(), overlays, "no second dialog over the first")
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Nil(t, u.topModal())

	ctrl(fyne.KeyD)
	assert.NotNil(t, w.Canvas().Overlays().Top(), "Ctrl+D opened the order's details")
}

// A scanner is recognised by its timing wherever the focus is: a burst of
// keys ending in Enter is a scan even with a dialog open and nothing
// focused, while a person's slow typing is not, unless it is an order id
// (a busy computer takes a scanner's keys late: the Enter must not answer
// the dialog, a void's confirmation say).
func TestAScannerBurstIsAScanEvenBehindADialog(t *testing.T) {
	clock := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	repo := benchRepo()
	u := Create(a, w, station.New(repo, nil), WithSynchronousWork(), WithClock(func() time.Time { return clock }))
	w.Resize(fyne.NewSize(1024, 600))
	c := w.Canvas().(interface {
		OnTypedRune() func(rune)
		OnTypedKey() func(*fyne.KeyEvent)
	})
	typeAt := func(text string, gap time.Duration) {
		for _, r := range text {
			clock = clock.Add(gap)
			// As the desktop driver does: the key, then its character.
			c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyName(strings.ToUpper(string(r)))})
			c.OnTypedRune()(r)
		}
		clock = clock.Add(gap)
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}

	u.toggleShortcuts() // F1: a dialog, nothing focused in it
	w.Canvas().Unfocus()
	typeAt("1110000004", 300*time.Millisecond)
	assert.Nil(t, u.orders.actions.row, "a person typing is not a scan")
	u.toggleShortcuts()
	require.NotNil(t, u.topModal())
	w.Canvas().Unfocus()
	typeAt("111-0000003-0000000", 300*time.Millisecond)
	require.NotNil(t, u.orders.actions.row, "an order id is, however slow")
	assert.Equal(t, "111-0000003-0000000", u.orders.actions.row.AmazonOrderID)
	assert.Nil(t, u.topModal(), "the dialog was closed, not answered")

	u.toggleShortcuts()
	require.NotNil(t, u.topModal())
	w.Canvas().Unfocus()
	typeAt("111-0000004-0000000", 5*time.Millisecond)
	assert.Nil(t, u.topModal(), "the scan closed the dialog")
	require.NotNil(t, u.orders.actions.row)
	assert.Equal(t, "111-0000004-0000000", u.orders.actions.row.AmazonOrderID)

	// A scan that lands in the weight field is the next order, not a weight.
	u.orders.actions.buyLabel(false)
	keyed := topDialog(w).keyed
	require.Len(t, keyed, 1)
	for _, r := range "111-0000002-0000000" {
		clock = clock.Add(5 * time.Millisecond)
		keyed[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyName(string(r))})
		keyed[0].TypedRune(r)
	}
	keyed[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Nil(t, u.topModal(), "the buy dialog was cancelled, nothing bought")
	assert.Equal(t, "111-0000002-0000000", u.orders.actions.row.AmazonOrderID)

	// The same when the window took the keys slowly (a busy computer), in
	// front of the weight already there.
	u.orders.actions.buyLabel(false)
	keyed = topDialog(w).keyed
	require.Len(t, keyed, 1)
	keyed[0].SetText("12.5")
	keyed[0].Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome}) // the cursor before it
	for _, r := range "111-0000004-0000000" {
		clock = clock.Add(90 * time.Millisecond)
		keyed[0].TypedRune(r)
	}
	keyed[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Nil(t, u.topModal(), "not a weight: the next order")
	assert.Equal(t, "111-0000004-0000000", u.orders.actions.row.AmazonOrderID)
}

// Defect 7: F1 stacked a second list, and Esc or Enter did not close it; the
// void confirmation ignored them too.
func TestF1TogglesOneShortcutListAndEscAnswersDialogs(t *testing.T) {
	repo := benchRepo()
	repo.rows[0].Status = station.StatusLabelBought
	u, w := newTestUI(t, repo)
	u.runShortcut(fyne.KeyF1, 0)
	u.runShortcut(fyne.KeyF1, 0)
	assert.Nil(t, u.topModal(), "F1 again closed it")
	u.runShortcut(fyne.KeyF1, 0)
	u.runShortcut(fyne.KeyF1, 0)
	u.runShortcut(fyne.KeyF1, 0)
	assert.Len(t, u.modals, 1, "never two")
	u.runShortcut(fyne.KeyEscape, 0)
	assert.Nil(t, u.topModal(), "Esc closed it")

	scan(u, "111-0000001-0000000")
	u.orders.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyV, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	require.NotNil(t, topDialog(w).buttons["Yes"], "void asks first")
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Nil(t, u.topModal(), "Esc keeps the label")
	assert.Equal(t, station.StatusLabelBought, u.orders.actions.row.Status)
	assert.Equal(t, u.orders.search, w.Canvas().Focused(), "the focus is back in the scan field")
}

// Defects 4 and 10: the window widened itself as orders and stores were
// selected, dialogs opened and boxes were ticked, past a 1024-pixel screen.
// What it holds never asks for more than 1024 × 600, whatever it shows, and
// the bulk buttons keep their width as their counts change.
func TestTheWindowFits1024x600WhateverItShows(t *testing.T) {
	repo := benchRepo()
	repo.stores[0].Name = "A store with a very long name that a seller really chose for it"
	repo.rows[0].Attention = "print failed: the printer Zebra at bench 1 did not answer within 10 seconds"
	u, w := newTestUI(t, repo)
	w.Resize(fyne.NewSize(1024, 600))
	fits := func(when string) {
		t.Helper()
		m := w.Content().MinSize()
		assert.LessOrEqual(t, m.Width, float32(minWindowWidth), when)
		assert.LessOrEqual(t, m.Height, float32(minWindowHeight), when)
	}
	fits("at start")
	bulk := u.orders.shipAll.MinSize().Width
	scan(u, "111-0000001-0000000")
	fits("an order selected")
	u.sidebar.list.Select(1)
	fits("a store selected")
	u.say("A very long message for the status bar that goes on and on about what just happened to the order and its label")
	fits("a long message")
	for i := range 3 {
		u.orders.setChecked(repo.rows[i], true)
	}
	fits("boxes ticked")
	assert.Equal(t, "Ship 3 selected…", u.orders.shipAll.Text)
	assert.LessOrEqual(t, u.orders.shipAll.MinSize().Width, float32(170), "the renamed button fits the room kept for it")
	assert.LessOrEqual(t, bulk, float32(170))
	for _, open := range []func(){func() { u.showPrinters() }, func() { u.showBoxes() }, u.showBenchSettings,
		func() { u.showShortcuts() }, func() { u.showOrderDetail(1) }} {
		open()
		fits("a dialog open")
		for _, o := range w.Canvas().Overlays().List() {
			assert.LessOrEqual(t, o.Size().Width, float32(minWindowWidth), "the dialog fits the window")
			assert.LessOrEqual(t, o.Size().Height, float32(minWindowHeight))
		}
		u.escape()
	}
}

// Defect 6: after an action the order vanished ("No orders match") and the
// selection was lost. With "go to the next order" the list stays on its tab
// and selects the next; the bench setting is kept for the next start.
func TestAfterAnActionTheNextOrderIsSelectedWhenTheBenchSaysSo(t *testing.T) {
	repo := benchRepo()
	store := &memBench{}
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	u := Create(a, w, station.New(repo, nil).WithBench(store), WithSynchronousWork())
	u.showBenchSettings()
	form := topDialog(w)
	require.NotEmpty(t, form.radios)
	form.radios[0].SetSelected(afterActionChoices[station.NextOrder])
	u.escape()
	assert.Equal(t, station.NextOrder, store.saved.AfterAction, "saved at once")

	v := u.orders
	v.list.Select(1)
	row := v.rows[1]
	repo.rows[int(row.ID)-1].Status = station.StatusLabelBought // what a purchase does
	v.afterAction(row, 1, "Bought.", v.edits)
	assert.Equal(t, station.StatusReady, v.filter.Status, "the list stayed on its tab")
	require.NotNil(t, v.actions.row)
	assert.NotEqual(t, row.ID, v.actions.row.ID)
	assert.Equal(t, 1, v.selected, "the order after it is selected")
	assert.Contains(t, u.status.Text, row.AmazonOrderID+" is in Label bought now.")
}

// A USB scale's device picked or typed in the bench settings takes
// protocol hid by itself, and the choice is saved for the next start.
func TestAUSBScaleChosenInTheBenchSettingsSpeaksHID(t *testing.T) {
	store := &memBench{}
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	st := station.New(benchRepo(), nil).WithBench(store).WithScales(
		func(station.ScaleConfig) (station.Scale, error) { return nil, errors.New("not plugged in") },
		func() ([]string, error) { return []string{"/dev/hidraw2", "/dev/ttyUSB0"}, nil })
	u := Create(a, w, st, WithSynchronousWork())
	t.Cleanup(st.Scale().Stop)
	u.showBenchSettings()
	var port *widget.SelectEntry
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if p, ok := o.(*widget.SelectEntry); ok {
			port = p
		}
	}
	require.NotNil(t, port)
	port.SetText("/dev/hidraw2")
	assert.Equal(t, station.ScaleConfig{Port: "/dev/hidraw2", Protocol: "hid"}, store.saved.Scale)
	assert.True(t, strings.HasPrefix(topDialog(w).selects[0].Selected, "hid "), "the protocol shown is hid")
}

// memBench keeps bench settings in memory.
type memBench struct{ saved station.BenchSettings }

func (m *memBench) LoadBench() (station.BenchSettings, error) {
	return m.saved.Normalized(), nil
}
func (m *memBench) SaveBench(b station.BenchSettings) error { m.saved = b; return nil }

// Units: a US store's bench types ounces ("1 lb 3 oz" too), a European
// store's grams; the buy dialog says which.
func TestTheBuyDialogWeighsInTheStoresUnits(t *testing.T) {
	repo := benchRepo()
	repo.stores[0].MarketplaceIDs = []string{"ATVPDKIKX0DER"}
	u, w := newTestUI(t, repo)
	scan(u, "111-0000001-0000000")
	u.orders.actions.buyLabel(false)
	dlg := topDialog(w)
	require.Len(t, dlg.keyed, 1)
	assert.Contains(t, dlg.keyed[0].PlaceHolder, "ounces", "a bare number is ounces here")
	dlg.keyed[0].SetText("1 lb 3 oz")
	dlg.keyed[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Contains(t, u.status.Text, "no Buy Shipping", "the weight was read; the fake has no Buy Shipping")
	u.orders.actions.buyLabel(false)
	dlg = topDialog(w)
	dlg.keyed[0].SetText("heavy")
	dlg.keyed[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Contains(t, u.status.Text, `"heavy" is not a weight`)
}

// Columns a packer asks for: the ship-to name, weight, service, tracking
// and total can be added; the choice is kept for the next start, and the
// window still fits its smallest size with the defaults.
func TestThePackerChoosesTheListsColumns(t *testing.T) {
	repo := benchRepo()
	repo.rows[3].ShipToName = "María García"
	repo.rows[3].Weight = station.Weight{Value: 624, Unit: station.Gram}
	u, w := newTestUI(t, repo)
	v := u.orders
	shipTo := slices.Index(orderHeaders, "Ship to") + 1
	assert.False(t, v.header[shipTo].Visible(), "not shown until chosen")
	v.chooseColumns()
	for _, c := range topDialog(w).checks {
		if c.Text == "Ship to" || c.Text == "Weight" {
			c.SetChecked(true)
		}
		if c.Text == "Products" {
			c.SetChecked(false)
		}
	}
	u.escape()
	assert.True(t, v.header[shipTo].Visible())
	assert.True(t, savedColumns(u.app)["Weight"], "kept for the next start")
	assert.False(t, savedColumns(u.app)["Products"])
	scan(u, "111-0000004-0000000")
	var texts []string
	for _, o := range test.LaidOutObjects(v.list) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	}
	assert.Contains(t, texts, "María García")
	assert.Contains(t, texts, "624 g", "in the store's units")
}

// A label prints and the packer scans the next box at once: the end of the
// last action (which shows its order) must not take the scan field back
// from the scan being typed, or the two codes run together.
func TestTheEndOfAnActionDoesNotTakeTheFieldFromTheNextScan(t *testing.T) {
	u, _ := newTestUI(t, benchRepo())
	v := u.orders
	scan(u, "111-0000001-0000000")
	row, edits := *v.actions.row, v.edits
	test.Type(v.search, "111-00000") // the next scan has begun
	v.afterAction(row, 0, "Bought.", edits)
	assert.Equal(t, "111-00000", v.search.Text, "the typing is kept")
	test.Type(v.search, "02-0000000")
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.NotNil(t, v.actions.row)
	assert.Equal(t, "111-0000002-0000000", v.actions.row.AmazonOrderID)
}

// Columns are resized by dragging their header's right edge: the header
// and the rows follow, and the width is kept for the next start.
func TestAColumnIsDraggedWiderAndStaysSo(t *testing.T) {
	u, w := newTestUI(t, benchRepo())
	v := u.orders
	products := slices.Index(orderHeaders, "Products") + 1
	var edge *columnEdge
	for _, o := range test.LaidOutObjects(w.Content()) {
		if e, ok := o.(*columnEdge); ok && e.column == slices.Index(orderHeaders, "Order")+1 {
			edge = e
		}
	}
	require.NotNil(t, edge, "the Order column's edge")
	before := v.cols.widths[edge.column]
	edge.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 30}})
	edge.DragEnd()
	assert.Equal(t, before+30, v.cols.widths[edge.column])
	assert.Equal(t, before+30, v.header[edge.column].Size().Width, "the header followed")
	assert.Equal(t, before+30, savedWidths(u.app)[edge.column], "kept for the next start")
	edge.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: -1000}})
	assert.Equal(t, float32(minColumnWidth), v.cols.widths[edge.column], "never narrower than readable")
	assert.Equal(t, defaultWidths[products], v.cols.widths[products], "the other columns keep theirs")
	fitsW := w.Content().MinSize().Width
	assert.LessOrEqual(t, fitsW, float32(minWindowWidth), "a wider column never widens the window")
}
