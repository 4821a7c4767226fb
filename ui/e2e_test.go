package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/cli"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// realUI is the window over the real station, database, keychain file,
// printer wiring and a simulator, as make run builds it (the simulator's
// report comes in a second instead of six).
func realUI(t *testing.T) (*UI, fyne.Window, *sim.Sim, string) {
	t.Helper()
	t.Setenv("PACKBENCH_KEYCHAIN", "file")
	s, err := sim.New(sim.Config{Seed: 11, Orders: 12, TimeScale: 100, ReportDelay: time.Second})
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env, err := cli.OpenEnv(context.Background(), dir, cli.Options{AmazonSim: srv.URL, Amazon: true})
	require.NoError(t, err)
	t.Cleanup(func() { env.Close() })
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	u := Create(a, w, env.Station, WithSynchronousWork())
	t.Cleanup(u.station.Scale().Stop)
	w.Resize(fyne.NewSize(1100, 700))
	return u, w, s, dir
}

// importedDemo connects the demo store on the real station and imports
// its orders.
func importedDemo(t *testing.T, u *UI) station.Store {
	t.Helper()
	st, err := u.station.ConnectDemo(u.ctx, station.RegionNA)
	require.NoError(t, err)
	_, err = u.station.Import(u.ctx, st.ID, nil)
	require.NoError(t, err)
	return st
}

func labelsIn(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "labels", "*label-*"))
	return files
}

// submitWeight types the package weight into the open buy dialog and
// presses Enter, as a packer with a scale does.
func submitWeight(t *testing.T, u *UI, grams string) {
	t.Helper()
	require.NotNil(t, u.orders.actions.weightForm, "the buy dialog asks for the weight")
	keyed := topDialog(u.win).keyed
	require.Len(t, keyed, 1)
	entry := keyed[0]
	entry.SetText(grams)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestFirstRunToAPrintedLabelAndBackOnTheRealStation(t *testing.T) {
	u, w, s, dir := realUI(t)
	v := u.orders
	require.True(t, v.firstRun.Visible(), "a newcomer sees the way in")
	demo := v.firstRun.Objects[0].(*fyne.Container).Objects[1].(*widget.Button)
	test.Tap(demo)
	require.NotEmpty(t, v.rows, "the demo store's orders are imported")
	assert.Contains(t, u.status.Text, "Imported")
	ready := v.counts[station.StatusReady]
	require.Positive(t, ready)

	// Select the first order, buy its label with the scale's weight: it
	// prints, and the order stays selected, shown where it went.
	v.list.Select(0)
	order := v.actions.row.AmazonOrderID
	test.Tap(v.actions.buy)
	submitWeight(t, u, "700")
	assert.Contains(t, u.status.Text, "Label printed.")
	require.Len(t, labelsIn(dir), 1, "the label is in the default labels folder")
	require.Len(t, s.Purchases(), 1)
	assert.Equal(t, order, s.Purchases()[0].OrderID)
	assert.Equal(t, station.StatusLabelBought, v.filter.Status, "the list followed the order to Label bought")
	require.NotNil(t, v.actions.row, "the order is still selected")
	assert.Equal(t, order, v.actions.row.AmazonOrderID)
	counts, err := u.station.StatusCounts(u.ctx, station.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, ready-1, counts[station.StatusReady])
	assert.Equal(t, 1, counts[station.StatusLabelBought])

	// Void it (Ctrl+Shift+V): asked first, Enter says yes, and the order
	// is back in Ready to ship, still selected.
	for _, s := range shortcutTable() {
		if s.keys() == "Ctrl+Shift+V" {
			s.run(u)
		}
	}
	require.NotNil(t, topDialog(w).buttons["Yes"], "void asks first")
	w.Canvas().Unfocus()
	w.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Contains(t, u.status.Text, "is back in Ready to ship")
	assert.True(t, s.Purchases()[0].Cancelled, "Amazon refunds it")
	assert.Equal(t, station.StatusReady, v.filter.Status)
	assert.Equal(t, order, v.actions.row.AmazonOrderID)

	// Scan to ship in auto mode: a scanner types fast and ends with Enter;
	// an order whose SKUs' weights are not known asks for the weight.
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	var scanned string
	for _, r := range v.rows {
		if !r.WeightKnown && r.AmazonOrderID != order {
			scanned = r.AmazonOrderID
		}
	}
	require.NotEmpty(t, scanned, "the demo store has orders to weigh")
	v.auto.SetChecked(true)
	w.Canvas().Focus(v.search)
	test.Type(v.search, scanned)
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	submitWeight(t, u, "450")
	assert.Contains(t, u.status.Text, "Label printed.")
	require.Len(t, s.Purchases(), 2)
	assert.Equal(t, scanned, s.Purchases()[1].OrderID)
	assert.Len(t, labelsIn(dir), 2)
	b, err := os.ReadFile(labelsIn(dir)[1])
	require.NoError(t, err)
	assert.Contains(t, string(b), "^XA", "ZPL, as the default printer takes")
}

func productPictures(w fyne.Window) int {
	n := 0
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		// Item pictures are 56 dots square; the label preview is larger.
		if img, ok := o.(*canvas.Image); ok && img.MinSize() == fyne.NewSize(56, 56) {
			n++
		}
	}
	return n
}

func TestAnOrdersDetailShowsItsProductsPicturesFromTheCatalog(t *testing.T) {
	u, w, s, _ := realUI(t)
	test.Tap(u.orders.firstRun.Objects[0].(*fyne.Container).Objects[1].(*widget.Button))
	require.NotEmpty(t, u.orders.rows)
	shown := -1
	for i, r := range u.orders.rows {
		u.showOrderDetail(r.ID)
		n := productPictures(w)
		w.Canvas().Overlays().Top().Hide()
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
		if n > 0 {
			shown = i
			break
		}
	}
	require.GreaterOrEqual(t, shown, 0, "the catalog has pictures of most demo products")
	asked := s.Stats()["getCatalogItem"].Requests
	u.showOrderDetail(u.orders.rows[shown].ID)
	assert.Positive(t, productPictures(w))
	assert.Equal(t, asked, s.Stats()["getCatalogItem"].Requests, "a second look comes from the cache, not Amazon")
}

// Defect 5: when rates arrived, their long lines squeezed the ship-to and
// items column to a word a line. The order's dialog keeps its columns; the
// services Amazon does not offer are said apart, not cut in the list.
func TestTheOrderDialogKeepsItsColumnsWhenRatesArrive(t *testing.T) {
	u, w, _, _ := realUI(t)
	w.Resize(fyne.NewSize(minWindowWidth, minWindowHeight))
	test.Tap(u.orders.firstRun.Objects[0].(*fyne.Container).Objects[1].(*widget.Button))
	require.NotEmpty(t, u.orders.rows)
	u.showOrderDetail(u.orders.rows[0].ID)
	split := func() *container.Split {
		for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
			if s, ok := o.(*container.Split); ok {
				return s
			}
		}
		return nil
	}()
	require.NotNil(t, split)
	left := split.Leading.Size().Width
	require.Positive(t, left)
	dlg := topDialog(w)
	require.NotNil(t, dlg.buttons["Get rates"])
	dlg.entries[0].SetText("640")
	test.Tap(dlg.buttons["Get rates"])
	after := topDialog(w)
	assert.Contains(t, after.text, "Picked: ", "the rates arrived")
	assert.Equal(t, left, split.Leading.Size().Width, "the ship-to and items column kept its width")
	assert.LessOrEqual(t, split.Trailing.MinSize().Width, split.Size().Width/2, "however long a rate's line, it cannot push the split")
	assert.NotContains(t, after.text, "USPS USPS", "each service named once")
}

// Ship all: the confirmation says how many labels, which orders are left
// and why, and the total cost, before anything is bought; then exactly
// those labels are bought and printed.
func TestShipAllSaysCountSkippedAndCostBeforeBuying(t *testing.T) {
	u, w, s, dir := realUI(t)
	test.Tap(u.orders.firstRun.Objects[0].(*fyne.Container).Objects[1].(*widget.Button))
	ready := u.orders.counts[station.StatusReady]
	require.Positive(t, ready)
	u.bench.SlipWithLabel = true // this bench prints the packing slip with every label
	u.shipAllReady()
	dlg := topDialog(w)
	assert.Regexp(t, `Buy and print \d+ labels? for [0-9.]+ [A-Z]{3}( \+ [0-9.]+ [A-Z]{3})*\?`, dlg.text)
	assert.Empty(t, s.Purchases(), "nothing bought before the packer confirms")
	confirm := dlg.buttons["Buy and print"]
	require.NotNil(t, confirm)
	test.Tap(confirm)
	bought := len(s.Purchases())
	assert.Positive(t, bought)
	assert.Contains(t, dlg.text, fmt.Sprintf("Buy and print %s for", station.Plural(bought, "label", "labels")), "the count said is the count bought")
	assert.Contains(t, u.status.Text, fmt.Sprintf("Bulk ship: %s bought, %d printed.", station.Plural(bought, "label", "labels"), bought))
	assert.Len(t, labelsIn(dir), bought)
	slips, _ := filepath.Glob(filepath.Join(dir, "labels", "*slip*"))
	assert.Len(t, slips, bought, "a packing slip with every label")
	if bought < ready {
		assert.Contains(t, dlg.text, "left for you: no known weight")
	}
}
