//go:build ci

package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
	u := Create(a, w, station.New(repo, nil), WithSynchronousWork())
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
	assert.Equal(t, "No orders yet.", u.orders.emptyT.Text)
	assert.Contains(t, u.orders.emptyB.Text, "once an Amazon store is connected")
	assert.True(t, u.sidebar.empty.Visible(), "the sidebar says no store is connected")
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
	test.Tap(u.orders.tabs[4]) // Cancelled
	assert.Len(t, u.orders.rows, 2)
	assert.Equal(t, "Cancelled (2)", u.orders.tabs[4].Text)
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
}

func TestRowCellsFlagLateAndVoidNeeded(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := station.OrderRow{AmazonOrderID: "1", MarketplaceID: "A1F83G8C2ARO7P", Status: station.StatusReady, ShipByLatest: now.Add(-time.Hour)}
	cells := rowCells(r, now)
	assert.Equal(t, "UK", cells[1])
	assert.Contains(t, cells[3], "late")
	r.Status, r.AmazonStatus = station.StatusLabelBought, station.AmazonCancelled
	assert.Equal(t, "Cancelled: void label", rowCells(r, now)[4])
}
