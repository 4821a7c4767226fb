//go:build ci

package ui

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

func newTestUI(t *testing.T, repo *memRepo) (*UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	secrets := &memSecrets{m: map[string]string{}}
	u := Create(a, w, station.New(repo, nil).WithAmazon(fakeAmazon{}, secrets), WithSynchronousWork())
	w.Resize(fyne.NewSize(1100, 700))
	return u, w
}

func rowsOf(n int, status station.OrderStatus, storeID int64) []station.OrderRow {
	rows := make([]station.OrderRow, n)
	for i := range rows {
		rows[i] = station.OrderRow{
			ID: int64(i + 1), StoreID: storeID, AmazonOrderID: fmt.Sprintf("111-%07d-0000000", i+1),
			MarketplaceID: "ATVPDKIKX0DER", PurchasedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Status: status, ItemCount: 1, SKUs: fmt.Sprintf("SKU-%d", i%7),
		}
	}
	return rows
}

func TestEmptyDatabaseSaysWhatToDoNext(t *testing.T) {
	u, _ := newTestUI(t, &memRepo{})
	assert.True(t, u.orders.empty.Visible())
	assert.False(t, u.orders.list.Visible())
	assert.Equal(t, "Welcome to Packbench.", u.orders.emptyT.Text)
	assert.True(t, u.orders.firstRun.Visible(), "first run offers to connect a store or try the demo")
	assert.True(t, u.sidebar.empty.Visible(), "the sidebar says no store is connected")
}

func TestTryTheDemoStoreFromTheFirstRunScreen(t *testing.T) {
	repo := &memRepo{}
	u, _ := newTestUI(t, repo)
	demo := u.orders.firstRun.Objects[0].(*fyne.Container).Objects[1].(*widget.Button)
	require.Equal(t, "Try the demo store", demo.Text)
	test.Tap(demo)
	require.Len(t, repo.stores, 1)
	assert.Equal(t, "Demo US", repo.stores[0].Name)
	assert.Equal(t, 2, u.sidebar.list.Length(), "All stores + the demo store")
	assert.False(t, u.sidebar.empty.Visible())
	assert.Equal(t, "No orders yet.", u.orders.emptyT.Text, "no more welcome once a store exists")
}

func TestConnectWizardOwnAppShowsErrorsThenConnects(t *testing.T) {
	repo := &memRepo{}
	u, _ := newTestUI(t, repo)
	w := u.showConnect(nil)
	w.tabs.SelectIndex(2)
	test.Type(w.ownSeller, "A2OWNSELLER1")
	test.Type(w.ownClient, "not-a-client-id")
	test.Type(w.ownSecret, "secret")
	test.Type(w.ownToken, "Atzr|good")
	test.Tap(w.ownGo)
	assert.Contains(t, w.result.Text, "amzn1.application-oa2-client.")
	assert.Equal(t, widget.DangerImportance, w.result.Importance)
	assert.Empty(t, repo.stores, "bad input saves nothing")

	w.ownClient.SetText("amzn1.application-oa2-client.abc")
	test.Tap(w.ownGo)
	assert.Contains(t, w.result.Text, "Connected Demo US")
	require.Len(t, repo.stores, 1)
	assert.Equal(t, station.AuthOwnApp, repo.stores[0].Auth)
	assert.Empty(t, w.ownSecret.Text, "secrets leave the form once stored")
}

func TestConnectWizardPasteTabCountsDownAndConnects(t *testing.T) {
	repo := &memRepo{}
	u, _ := newTestUI(t, repo)
	w := u.showConnect(nil)
	w.tabs.SelectIndex(1)
	assert.True(t, w.pasteGo.Disabled(), "nothing to paste before the sign-in is opened")
	test.Tap(w.pasteOpen)
	assert.Regexp(t, `Paste the address within (5:00|4:5\d)\.`, w.countdown.Text)
	assert.True(t, w.consentCopy.Visible())
	test.Type(w.pasteURL, "garbage")
	test.Tap(w.pasteGo)
	assert.Contains(t, w.result.Text, "not the address")
	w.pasteURL.SetText("http://127.0.0.1:0/callback?code=c&state=s&selling_partner_id=A2PASTED")
	test.Tap(w.pasteGo)
	assert.Contains(t, w.result.Text, "Connected Pasted EU")
	w.dlg.Hide()
}

func TestDisconnectAsksFirstAndKeepsOrders(t *testing.T) {
	repo := &memRepo{stores: []station.Store{{ID: 1, Name: "Acme US", Region: station.RegionNA, SellingPartnerID: "A1", Health: station.HealthGreen}},
		rows: rowsOf(3, station.StatusReady, 1)}
	u, w := newTestUI(t, repo)
	u.sidebar.list.Select(1)
	require.True(t, u.sidebar.disconnect.Visible())
	test.Tap(u.sidebar.disconnect)
	overlay := w.Canvas().Overlays().Top()
	require.NotNil(t, overlay)
	var text string
	for _, o := range test.LaidOutObjects(overlay) {
		if l, ok := o.(*widget.Label); ok {
			text += l.Text
		}
	}
	assert.Contains(t, text, "orders already here stay")
	for _, o := range test.LaidOutObjects(overlay) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Disconnect" {
			test.Tap(b)
		}
	}
	assert.False(t, repo.stores[0].DisconnectedAt.IsZero())
	assert.Len(t, u.orders.rows, 3, "its orders stay")
}

func TestOrdersLoadInPagesAsTheListScrolls(t *testing.T) {
	repo := &memRepo{rows: rowsOf(250, station.StatusReady, 1)}
	u, _ := newTestUI(t, repo)
	v := u.orders
	require.Len(t, v.rows, station.DefaultPageSize, "only the first page is read at start")
	assert.Equal(t, "Ready to ship (250)", v.tabs[1].Text)
	assert.Equal(t, "All (250)", v.tabs[0].Text)
	assert.Equal(t, widget.HighImportance, v.tabs[1].Importance)
	assert.Equal(t, "111-0000250-0000000", v.rows[0].AmazonOrderID, "newest first")

	v.list.ScrollToBottom()
	assert.Greater(t, len(v.rows), station.DefaultPageSize, "scrolling near the end loads the next page")
	v.list.ScrollToBottom()
	v.list.ScrollToBottom()
	assert.Len(t, v.rows, 250)
	assert.Nil(t, v.next)
	assert.Equal(t, "250 orders.", u.status.Text)
}

func TestSearchFiltersAsThePackerTypes(t *testing.T) {
	repo := &memRepo{rows: rowsOf(30, station.StatusReady, 1)}
	u, w := newTestUI(t, repo)
	w.Canvas().Focus(u.orders.search)
	test.Type(u.orders.search, "0000017")
	require.Len(t, u.orders.rows, 1)
	assert.Equal(t, "111-0000017-0000000", u.orders.rows[0].AmazonOrderID)

	u.orders.search.SetText("")
	test.Type(u.orders.search, "nothing-like-this")
	assert.Empty(t, u.orders.rows)
	assert.True(t, u.orders.empty.Visible())
	assert.Contains(t, u.orders.emptyT.Text, "No orders match")
}

func TestStatusTabsSwitchTheList(t *testing.T) {
	rows := append(rowsOf(3, station.StatusReady, 1), rowsOf(2, station.StatusCancelled, 1)...)
	for i := range rows {
		rows[i].ID = int64(i + 1)
		rows[i].AmazonOrderID = fmt.Sprintf("111-%07d-0000000", i+1)
	}
	u, _ := newTestUI(t, &memRepo{rows: rows})
	assert.Len(t, u.orders.rows, 3)
	test.Tap(u.orders.tabs[5]) // Cancelled
	assert.Len(t, u.orders.rows, 2)
	assert.Equal(t, "Cancelled (2)", u.orders.tabs[5].Text)
	test.Tap(u.orders.tabs[0]) // All
	assert.Len(t, u.orders.rows, 5)

	test.Tap(u.orders.tabs[3]) // Shipped: none
	assert.Equal(t, "No orders in “Shipped”.", u.orders.emptyT.Text)
}

func TestSidebarShowsStoresAndFiltersByStore(t *testing.T) {
	repo := &memRepo{
		stores: []station.Store{
			{ID: 1, Name: "Acme US", Health: station.HealthGreen, LastImportAt: time.Now().Add(-5 * time.Minute)},
			{ID: 2, Name: "Acme UK", Health: station.HealthAmber},
		},
		rows: append(rowsOf(4, station.StatusReady, 1), station.OrderRow{ID: 99, StoreID: 2, AmazonOrderID: "202-0000099-0000000", Status: station.StatusReady}),
	}
	u, _ := newTestUI(t, repo)
	assert.False(t, u.sidebar.empty.Visible())
	assert.Equal(t, 3, u.sidebar.list.Length())
	u.sidebar.list.Select(2)
	require.Len(t, u.orders.rows, 1)
	assert.Equal(t, "202-0000099-0000000", u.orders.rows[0].AmazonOrderID)
	u.sidebar.list.Select(0)
	assert.Len(t, u.orders.rows, 5)
}

func TestLastImportText(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, "never imported", lastImportText(station.Store{}, now))
	assert.Equal(t, "import failing, never succeeded", lastImportText(station.Store{LastImportError: "x"}, now))
	assert.Equal(t, "imported 7 min ago", lastImportText(station.Store{LastImportAt: now.Add(-7 * time.Minute)}, now))
	assert.Equal(t, "imported 3 h ago", lastImportText(station.Store{LastImportAt: now.Add(-3 * time.Hour)}, now))
	red := station.Store{Health: station.HealthRed, HealthReason: "Amazon refused the authorization: reauthorize the store"}
	assert.Equal(t, red.HealthReason, storeLine(red, now))
	soon := station.Store{Health: station.HealthGreen, Auth: station.AuthBroker, AuthorizedAt: now.Add(-350 * 24 * time.Hour)}
	assert.Contains(t, storeLine(soon, now), "reauthorize by")
}

func TestRowCellsFlagLateAndVoidNeeded(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := station.OrderRow{AmazonOrderID: "1", MarketplaceID: "A1F83G8C2ARO7P", Status: station.StatusReady, ShipByLatest: now.Add(-time.Hour)}
	cells := rowCells(r, now, station.BySKU)
	assert.Equal(t, "UK", cells[1])
	assert.Contains(t, cells[3], "late")
	r.Status, r.AmazonStatus = station.StatusLabelBought, station.AmazonCancelled
	assert.Equal(t, "Cancelled: void label", rowCells(r, now, station.BySKU)[4])
	r.SKUs, r.ASINs = "MUG", "B0000001"
	assert.Equal(t, "B0000001", rowCells(r, now, station.ByASIN)[6])
	assert.Equal(t, "MUG", rowCells(r, now, station.BySKU)[6])
}

func TestStoreSettingsRefuseWhatAmazonsPolicyForbids(t *testing.T) {
	repo := &memRepo{stores: []station.Store{{ID: 1, Name: "Acme US", Health: station.HealthGreen, Settings: station.DefaultStoreSettings()}}}
	u, w := newTestUI(t, repo)
	u.sidebar.list.Select(1)
	u.openStoreSettings(repo.stores[0])
	d := w.Canvas().Overlays().Top()
	defer d.Hide()
	dlg := topDialog(w)
	entries, buttons, problem := dlg.entries, dlg.buttons, dlg.problem
	require.Len(t, entries, 3+8, "import, retention and the ship-from address")
	entries[2].SetText("90") // retention
	test.Tap(buttons["Save"])
	assert.Contains(t, problem.Text, "Data Protection Policy")
	assert.Equal(t, 30, repo.stores[0].Settings.RetentionDays, "nothing saved")
	entries[2].SetText("14")
	entries[0].SetText("30")
	test.Tap(buttons["Save"])
	assert.Equal(t, 14, repo.stores[0].Settings.RetentionDays)
	assert.Equal(t, 30, repo.stores[0].Settings.ImportEveryMinutes)
	assert.Nil(t, repo.shipFrom, "an untouched address is not saved")

	u.openStoreSettings(repo.stores[0])
	dlg = topDialog(w)
	entries, buttons = dlg.entries, dlg.buttons
	for i, v := range []string{"Acme Warehouse", "410 Terry Ave N", "", "Seattle", "WA", "98109", "US", ""} {
		entries[3+i].SetText(v)
	}
	test.Tap(buttons["Save"])
	require.NotNil(t, repo.shipFrom)
	assert.Equal(t, station.Address{Name: "Acme Warehouse", Line1: "410 Terry Ave N", City: "Seattle", State: "WA", PostalCode: "98109", CountryCode: "US"}, *repo.shipFrom)
}

func TestBoxesAreAddedWithTheirEmptyWeight(t *testing.T) {
	repo := &memRepo{}
	u, w := newTestUI(t, repo)
	d := u.showBoxes()
	defer d.Hide()
	dlg := topDialog(w)
	entries, add, problem := dlg.entries, dlg.buttons["Add box"], dlg.problem
	require.Len(t, entries, 5)
	entries[0].SetText("Shoe box")
	test.Tap(add)
	assert.Contains(t, problem.Text, "length, width and height", "a box needs its size")
	entries[1].SetText("33")
	entries[2].SetText("20")
	entries[3].SetText("12,5")
	entries[4].SetText("150")
	test.Tap(add)
	require.Len(t, repo.presets, 1)
	assert.Equal(t, station.Dimensions{Length: 33, Width: 20, Height: 12.5, Unit: station.Centimeter}, repo.presets[0].Dimensions)
	assert.Equal(t, station.Weight{Value: 150, Unit: station.Gram}, repo.presets[0].Tare)
	assert.Contains(t, topDialog(w).text, "Shoe box  33 × 20 × 12.5 centimeter, empty 150 g")
}

func TestOrderActionsFollowTheSelectedOrder(t *testing.T) {
	rows := append(rowsOf(1, station.StatusReady, 1), rowsOf(1, station.StatusLabelBought, 1)...)
	rows[1].ID, rows[1].AmazonOrderID = 2, "111-0000002-0000000"
	u, _ := newTestUI(t, &memRepo{rows: rows})
	test.Tap(u.orders.tabs[0]) // All
	a := u.orders.actions
	assert.True(t, a.buy.Disabled(), "nothing selected: the bar stays, its buttons off")
	assert.True(t, a.details.Disabled())
	for i, r := range u.orders.rows {
		u.orders.list.Select(i)
		assert.Contains(t, a.title.Text, r.AmazonOrderID)
		if r.Status == station.StatusReady {
			assert.False(t, a.buy.Disabled())
			assert.True(t, a.void.Disabled())
		} else {
			assert.True(t, a.buy.Disabled())
			assert.False(t, a.print.Disabled())
			assert.False(t, a.void.Disabled())
		}
	}
}

func TestShipAllReadySaysWhyNothingCanBeBought(t *testing.T) {
	repo := &memRepo{rows: rowsOf(3, station.StatusReady, 1)}
	u, w := newTestUI(t, repo)
	u.shipAllReady()
	dlg := topDialog(w)
	assert.Contains(t, dlg.text, "Buy and print 0 labels for nothing? 3 orders are left for you: no rate: this build has no Buy Shipping configured (3).")
	assert.Nil(t, dlg.buttons["Buy and print"], "nothing to buy: nothing to confirm")
}

func TestAScanSelectsTheOrderAndAutoModeBuysIt(t *testing.T) {
	rows := rowsOf(30, station.StatusReady, 1)
	rows[16].WeightKnown = true
	u, w := newTestUI(t, &memRepo{rows: rows})
	w.Canvas().Focus(u.orders.search)
	// A scanner types fast and ends with Enter.
	test.Type(u.orders.search, "111-0000017-0000000")
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.NotNil(t, u.orders.actions.row)
	assert.Equal(t, "111-0000017-0000000", u.orders.actions.row.AmazonOrderID)

	u.orders.auto.SetChecked(true)
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// The fake has no Buy Shipping: the failure is said, not swallowed, and
	// the window flashes red for a packer who is looking at the box.
	assert.Contains(t, u.status.Text, "no Buy Shipping")
	assert.True(t, u.flashRect.Visible())

	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Empty(t, u.orders.search.Text, "Esc clears the scan field")
	test.Type(u.orders.search, "111-00000")
	u.orders.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Contains(t, u.status.Text, "111-00000 matches 20 orders or more: scan the whole order id.", "a partial scan selects nothing")
}

func TestPrintersDialogAddsAPrinterAndRefusesABadAddress(t *testing.T) {
	u, w := newTestUI(t, &memRepo{})
	d := u.showPrinters()
	defer d.Hide()
	objects := func() (entries []*widget.Entry, add *widget.Button, problem *widget.Label, text string) {
		dlg := topDialog(w)
		return dlg.entries, dlg.buttons["Add printer"], dlg.problem, dlg.text
	}
	entries, add, problem, _ := objects()
	require.Len(t, entries, 2, "name and where")
	entries[0].SetText("Zebra")
	entries[1].SetText("printer:notaport")
	test.Tap(add)
	assert.Contains(t, problem.Text, "needs its address")
	entries[1].SetText("192.168.1.50")
	test.Tap(add)
	_, _, problem, text := objects()
	assert.Empty(t, problem.Text)
	assert.Contains(t, text, "Zebra added; it prints the labels.")
	assert.Contains(t, text, "Zebra · prints the labels · prints packing slips and pick lists\nraw9100 192.168.1.50 · ZPL, 203 dpi")
	assert.NotContains(t, text, "No printers yet")
	// The new row is drawn at once: the dialog's scroll measured its
	// content again (before, it still showed "No printers yet" until reopened).
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if sc, ok := o.(*container.Scroll); ok {
			assert.GreaterOrEqual(t, sc.Content.Size().Height, sc.Content.MinSize().Height, "every row laid out")
		}
	}
}

func TestOrderDetailShowsTheOrderAndSaysWhyRatesFail(t *testing.T) {
	u, w := newTestUI(t, &memRepo{rows: rowsOf(2, station.StatusReady, 1)})
	u.showOrderDetail(1)
	overlay := w.Canvas().Overlays().Top()
	require.NotNil(t, overlay)
	var text string
	var getRates *widget.Button
	var weight *widget.Entry
	var problem *widget.Label
	for _, o := range test.LaidOutObjects(overlay) {
		switch x := o.(type) {
		case *widget.Label:
			text += x.Text + "\n"
			if x.Importance == widget.DangerImportance {
				problem = x
			}
		case *widget.Button:
			if x.Text == "Get rates" {
				getRates = x
			}
		case *widget.Entry:
			weight = x
		}
	}
	assert.Contains(t, text, "Zoë Example")
	assert.Contains(t, text, "2 × MUG")
	require.NotNil(t, weight)
	assert.Equal(t, "600", weight.Text, "the SKUs' known weights fill the package weight")
	weight.SetText("heavy")
	test.Tap(getRates)
	assert.Contains(t, problem.Text, `"heavy" is not a weight: type e.g. 640 g`)
	weight.SetText("650")
	test.Tap(getRates)
	assert.Contains(t, problem.Text, "no Buy Shipping", "the fake has none: the reason is shown, nothing is bought")
}

func TestShortcutsAreListedAndDriveTheBench(t *testing.T) {
	rows := rowsOf(5, station.StatusLabelBought, 1)
	u, w := newTestUI(t, &memRepo{rows: rows})
	u.orders.setStatus(station.StatusLabelBought)
	byKeys := map[string]shortcut{}
	for _, s := range shortcutTable() {
		_, dup := byKeys[s.keys()]
		assert.False(t, dup, "%s is defined twice", s.keys())
		byKeys[s.keys()] = s
	}

	d := u.showShortcuts()
	text := topDialog(w).text
	d.Hide()
	for keys, s := range byKeys {
		assert.Contains(t, text, keys+"\n"+s.what, "the help lists %s", keys)
	}

	byKeys["Ctrl+P"].run(u)
	assert.Contains(t, u.status.Text, "Select an order first")
	byKeys["Ctrl+↓"].run(u)
	byKeys["Ctrl+↓"].run(u)
	require.NotNil(t, u.orders.actions.row)
	assert.Equal(t, u.orders.rows[1].AmazonOrderID, u.orders.actions.row.AmazonOrderID, "two steps down: the second order")
	byKeys["Ctrl+↑"].run(u)
	assert.Equal(t, u.orders.rows[0].AmazonOrderID, u.orders.actions.row.AmazonOrderID)

	byKeys["Ctrl+Shift+V"].run(u)
	overlay := w.Canvas().Overlays().Top()
	require.NotNil(t, overlay, "void asks first")
	var asked string
	for _, o := range test.LaidOutObjects(overlay) {
		if l, ok := o.(*widget.Label); ok {
			asked += l.Text
		}
	}
	assert.Contains(t, asked, "Void this label?")
}

func TestNeedsAttentionSortingAndFilters(t *testing.T) {
	rows := rowsOf(6, station.StatusReady, 1)
	rows[1].Attention, rows[4].Attention = "no weight", "print failed"
	rows[2].Prime, rows[5].Prime = true, true
	for i := range rows {
		rows[i].ShipByLatest = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(10-i*i%7) * time.Hour)
	}
	repo := &memRepo{rows: rows}
	u, _ := newTestUI(t, repo)
	v := u.orders
	v.refreshChrome()
	assert.Equal(t, "Needs attention (2)", v.attentionTab.Text, "counted without opening the tab")
	assert.Equal(t, widget.WarningImportance, v.attentionTab.Importance, "it stands out while something waits")

	test.Tap(v.attentionTab)
	require.Len(t, v.rows, 2)
	for _, r := range v.rows {
		assert.Equal(t, "Needs: "+r.Attention, rowCells(r, time.Now(), station.BySKU)[4], "the status says why")
	}
	test.Tap(v.tabs[1]) // Ready to ship
	assert.Len(t, v.rows, 6)
	assert.False(t, v.filter.Attention)

	// Ready to ship opens most urgent first; the header says so and flips the sort.
	assert.Equal(t, station.ShipBySoonest, v.sort)
	assert.Equal(t, theme.MenuDropUpIcon(), v.sortButtons[station.SortShipBy].Icon)
	for i := 1; i < len(v.rows); i++ {
		assert.False(t, v.rows[i].ShipByLatest.Before(v.rows[i-1].ShipByLatest))
	}
	test.Tap(v.sortButtons[station.SortPurchased])
	assert.Equal(t, station.NewestFirst, v.sort)
	assert.Equal(t, theme.MenuDropDownIcon(), v.sortButtons[station.SortPurchased].Icon)
	assert.Nil(t, v.sortButtons[station.SortShipBy].Icon)
	test.Tap(v.sortButtons[station.SortPurchased])
	assert.Equal(t, station.OldestFirst, v.sort, "a second click flips it")
	assert.Equal(t, theme.MenuDropUpIcon(), v.sortButtons[station.SortPurchased].Icon)
	test.Tap(v.sortButtons[station.SortOrderID])
	assert.Equal(t, station.OrderSort{Key: station.SortOrderID}, v.sort, "every column sorts")
	assert.Equal(t, theme.MenuDropUpIcon(), v.sortButtons[station.SortOrderID].Icon)
	assert.Equal(t, station.OrderSort{Key: station.SortOrderID}, savedSort(u.app), "the next start opens sorted so")

	v.filters.prime.SetChecked(true)
	require.Len(t, v.rows, 2)
	assert.True(t, v.filters.clear.Visible())
	test.Tap(v.filters.clear)
	assert.Len(t, v.rows, 6)
	assert.False(t, v.filters.clear.Visible())
}

func TestProgressShowsAnEstimateAndProblemsStayUntilDismissed(t *testing.T) {
	u, _ := newTestUI(t, &memRepo{stores: []station.Store{{ID: 1, Name: "Acme"}}})
	assert.False(t, u.activity.box.Visible())
	u.shipProgress(station.ShipProgress{Stage: "buying", Done: 50, Total: 200, Elapsed: 10 * time.Second})
	assert.True(t, u.activity.box.Visible())
	assert.Equal(t, "Buying labels: 50 of 200, about 30s left", u.activity.label.Text)
	assert.InDelta(t, 50, u.activity.bar.Value, 0.001)

	u.ImportEvent(station.ImportEvent{StoreID: 1, Progress: &station.ImportProgress{Stage: "waiting", Orders: 120, Waiting: 40 * time.Second}})
	assert.Contains(t, u.activity.label.Text, "waiting 40s for Amazon's rate limit")

	run := station.ImportRun{}
	u.ImportEvent(station.ImportEvent{StoreID: 1, Run: &run, Err: errors.New("Amazon said 503")})
	assert.False(t, u.activity.box.Visible(), "the import ended")
	require.True(t, u.problems.box.Visible(), "a failure stays on screen")
	u.ImportEvent(station.ImportEvent{StoreID: 1, Run: &run, Err: errors.New("Amazon said 503")})
	require.Len(t, u.problems.list.Objects, 1, "shown once")
	u.say("something else")
	assert.True(t, u.problems.box.Visible(), "a newer status line does not hide it")
	dismiss := shownIn(u.problems.box).buttons["Dismiss"]
	require.NotNil(t, dismiss)
	test.Tap(dismiss)
	assert.False(t, u.problems.box.Visible())
}

func TestTickedOrdersAreWhatBulkActionsActOn(t *testing.T) {
	rows := rowsOf(5, station.StatusReady, 1)
	u, w := newTestUI(t, &memRepo{rows: rows})
	v := u.orders
	byKeys := map[string]shortcut{}
	for _, s := range shortcutTable() {
		byKeys[s.keys()] = s
	}
	byKeys["Ctrl+↓"].run(u)
	byKeys["Ctrl+Space"].run(u)
	byKeys["Ctrl+↓"].run(u)
	byKeys["Ctrl+Space"].run(u)
	assert.Len(t, v.checked, 2)
	assert.Equal(t, "Ship 2 selected…", v.shipAll.Text)
	assert.Equal(t, "Pick list (2)", v.pickList.Text)
	byKeys["Ctrl+Space"].run(u)
	assert.Len(t, v.checked, 1, "a second press unticks")

	u.shipAllReady()
	dlg := topDialog(w)
	assert.Contains(t, dlg.text, "Ship the ticked orders")
	assert.Contains(t, dlg.text, "1 order is left for you", "only the ticked order was rated")
	u.escape()
	assert.Len(t, v.checked, 1, "nothing bought: the tick stays")
	assert.Equal(t, "Ship 1 selected…", v.shipAll.Text)

	test.Tap(v.checkAll)
	assert.Len(t, v.checked, 5, "the header box ticks every loaded order")
}

// The main window and an order's detail, as markup: a change to either
// shows up here as a diff to look at (testdata/*.xml are the masters).
func TestMainWindowAndOrderDetailMarkup(t *testing.T) {
	local := time.Local
	time.Local = time.UTC // the list shows local times
	t.Cleanup(func() { time.Local = local })
	rows := rowsOf(3, station.StatusReady, 1)
	rows[1].Attention, rows[2].Prime = "no weight", true
	u, w := newTestUI(t, &memRepo{rows: rows, stores: []station.Store{{ID: 1, Name: "Acme US", Region: station.RegionNA,
		MarketplaceIDs: []string{"ATVPDKIKX0DER"}, Health: station.HealthGreen}}})
	u.Refresh()
	test.AssertRendersToMarkup(t, "main_window.xml", w.Canvas())

	u.showOrderDetail(1)
	test.AssertRendersToMarkup(t, "order_detail.xml", w.Canvas())
}

func TestShippingRulesAreListedInWordsAndDeleted(t *testing.T) {
	repo := &memRepo{stores: []station.Store{{ID: 1, Name: "Acme US"}}}
	u, w := newTestUI(t, repo)
	for _, m := range []station.ServiceMapping{
		{StoreID: 1, MarketplaceID: "ATVPDKIKX0DER", ServiceLevel: "Standard", ServiceID: "std-us-usps-ground"},
		{StoreID: 1, MaxGrams: 450, SKU: "MUG", ServiceID: "std-us-usps-first", Confirmation: station.ConfirmAdultSignature},
	} {
		_, err := u.station.SaveServiceMapping(u.ctx, m)
		require.NoError(t, err)
	}
	assert.Equal(t, []int{1, 2}, []int{repo.mappings[0].Priority, repo.mappings[1].Priority}, "a new rule goes last")
	d := u.showMappings(repo.stores[0])
	defer d.Hide()
	dlg := topDialog(w)
	text, del := dlg.text, dlg.buttons["Delete"]
	assert.Contains(t, text, "1. Standard orders to US: ship with std-us-usps-ground\n")
	assert.Contains(t, text, "2. orders with MUG, up to 450 g: ship with std-us-usps-first, adult signature\n")
	test.Tap(del)
	require.Len(t, repo.mappings, 1)
	assert.Equal(t, "std-us-usps-first", repo.mappings[0].ServiceID)
}

func TestTheWindowOpensAtItsLastSize(t *testing.T) {
	u, w := newTestUI(t, &memRepo{})
	w.Resize(fyne.NewSize(1280, 760))
	u.saveWindowSize()
	assert.Equal(t, fyne.NewSize(1280, 760), u.savedWindowSize())
	u.app.Preferences().SetFloat("window.width", 10)
	assert.Equal(t, fyne.NewSize(minWindowWidth, 760), u.savedWindowSize(), "never smaller than the smallest bench screen")
}

func TestFunctionKeysPickABoxWhileTheWeightIsTyped(t *testing.T) {
	repo := &memRepo{rows: rowsOf(1, station.StatusReady, 1), presets: []station.PackagePreset{
		{ID: 1, Name: "Mailer", Dimensions: station.Dimensions{Length: 30, Width: 20, Height: 5, Unit: station.Centimeter}},
		{ID: 2, Name: "Shoe box", Dimensions: station.Dimensions{Length: 33, Width: 20, Height: 12, Unit: station.Centimeter}},
	}}
	u, w := newTestUI(t, repo)
	u.orders.list.Select(0)
	u.orders.actions.buyLabel(false)
	keyed := topDialog(w).keyed
	require.Len(t, keyed, 1)
	grams := keyed[0]
	grams.SetText("640")
	grams.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF3})
	require.NotNil(t, u.orders.actions.boxSelect)
	assert.Equal(t, "F3  Shoe box 33 × 20 × 12 centimeter", u.orders.actions.boxSelect.Selected)
	assert.Equal(t, "640", grams.Text, "the key picks the box and types nothing")
	grams.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	assert.Equal(t, 1, u.orders.actions.boxSelect.SelectedIndex())
}

// A scan whose keystrokes' pages are still loading (a slow disk) finds its
// order anyway: the scan looks the order up itself, and its result is
// shown after the pages the keystrokes asked for, never overwritten by them.
func TestAScanWhileTheListIsStillLoadingSelectsItsOrder(t *testing.T) {
	repo := &memRepo{stores: []station.Store{{ID: 1, Name: "Acme", Health: station.HealthGreen}}, rows: rowsOf(30, station.StatusReady, 1)}
	u, w := newTestUI(t, repo)
	var queued []func()
	u.async = func(f func()) { queued = append(queued, f) } // pages load later, as over a slow disk
	v := u.orders
	scanned := repo.rows[17].AmazonOrderID
	w.Canvas().Focus(v.search)
	test.Type(v.search, scanned)
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.True(t, v.loading, "Enter came before the page")
	assert.Equal(t, -1, v.selected)
	for len(queued) > 0 {
		f := queued[0]
		queued = queued[1:]
		f()
	}
	require.Len(t, v.rows, 1)
	assert.Equal(t, scanned, v.rows[0].AmazonOrderID)
	assert.Equal(t, 0, v.selected, "the scanned order is selected once its page landed")
}

// A store's first import lists its orders as each page lands; once the
// packer has selected an order, a landing page leaves the list alone.
func TestOrdersAppearAsAnImportsPagesLand(t *testing.T) {
	repo := &memRepo{stores: []station.Store{{ID: 1, Name: "Acme"}}}
	u, _ := newTestUI(t, repo)
	v := u.orders
	require.Empty(t, v.rows)
	page := func(n int) {
		repo.mu.Lock()
		repo.rows = rowsOf(n, station.StatusReady, 1)
		repo.mu.Unlock()
		u.ImportEvent(station.ImportEvent{StoreID: 1, Progress: &station.ImportProgress{Stage: "orders", Pages: 1, Orders: n}})
	}
	page(30)
	assert.Len(t, v.rows, 30, "the first page is listed before the import ends")
	page(60)
	assert.Len(t, v.rows, 60)
	v.list.Select(2)
	page(90)
	assert.Len(t, v.rows, 60, "the packer's list is not reloaded under them")
	assert.Equal(t, 2, v.selected)
	assert.Equal(t, 90, v.counts[station.StatusReady], "its tab count still moves")
}
