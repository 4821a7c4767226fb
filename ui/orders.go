package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// Column widths of the order list (the tick box first); the last column
// shown takes the rest. The default columns fit a 1024-pixel-wide window
// with the sidebar beside them.
// Each view copies them: the packer drags them wider or narrower.
var defaultWidths = []float32{36, 172, 56, 112, 140, 140, 50, 170, 150, 90, 100, 190, 100}

var orderHeaders = []string{"Order", "Market", "Purchased", "Ship by", "Status", "Items", "Products",
	"Ship to", "Weight", "Service", "Tracking", "Total"}

// defaultColumns are shown until the packer chooses (Columns…).
var defaultColumns = []string{"Order", "Market", "Purchased", "Ship by", "Status", "Items", "Products"}

// loadMoreMargin is how close to the end of the loaded rows the list may
// scroll before the next page is fetched.
const loadMoreMargin = 20

// ordersView is the status tabs, the search field and the paged order list.
type ordersView struct {
	u      *UI
	filter station.OrderFilter

	rows    []station.OrderRow
	next    *station.Cursor
	loading bool
	// landed runs once the page being loaded is shown (a scan selects its
	// order then); dropped when another reload overtakes it.
	landed func()
	gen    int // bumps on every filter change; stale pages are dropped
	// quiet: the search text is being set by the program, not typed.
	quiet bool
	// edits counts what the packer typed in the search field: a scan's or
	// an action's result that lands after the next scan began must not
	// take the field back from it.
	edits  int
	counts map[station.OrderStatus]int
	// attention is the Needs attention count; counted when the filter
	// changes, not on every search keystroke (it reads every order).
	attention    int
	attentionTab *widget.Button
	sort         station.OrderSort
	sortButtons  map[station.SortKey]*widget.Button
	filters      *listFilters
	// checked are the ticked orders, for bulk actions; kept across pages
	// and tabs until the packer clears them or acts on them.
	checked  map[int64]station.OrderRow
	checkAll *widget.Check
	shipAll  *widget.Button
	pickList *widget.Button
	// selected is the list's selected row, -1 for none.
	selected int

	tabs   []*widget.Button
	search *scanField
	list   *widget.List
	empty  *fyne.Container
	emptyT *widget.Label
	emptyB *widget.Label
	// firstRun holds "Connect an Amazon store", "Try the demo store" and
	// (where the build has one) "Join a shared order queue".
	firstRun *fyne.Container
	actions  *orderActions
	// auto makes a scan that finds one ready order buy and print its label.
	auto *widget.Check
	// header is the column headers (the tick-all box first); shown the
	// columns the packer chose, remembered in the preferences.
	header    []fyne.CanvasObject
	headerRow *fyne.Container
	shown     map[string]bool
	// shown1st is set once the first page has been shown.
	shown1st bool
	// cols lays out the header and every row; its widths are shared, so a
	// dragged column edge moves both.
	cols columns
}

func newOrdersView(u *UI) *ordersView {
	v := &ordersView{u: u, filter: station.OrderFilter{Status: station.StatusReady}, selected: -1, sort: savedSort(u.app),
		shown: savedColumns(u.app), cols: columns{widths: savedWidths(u.app)}}
	statuses := append([]station.OrderStatus{""}, station.OrderStatuses()...)
	for _, s := range statuses {
		b := widget.NewButton(tabTitle(s, -1), func() { v.setStatus(s) })
		v.tabs = append(v.tabs, b)
	}
	v.attentionTab = widget.NewButton("Needs attention", v.showAttention)
	v.checked = map[int64]station.OrderRow{}
	v.checkAll = widget.NewCheck("", v.setAllChecked)
	v.filters = newListFilters(v)
	v.search = newScanField(u)
	v.search.SetPlaceHolder("Scan, or search order id, SKU, title, buyer (Ctrl+F)")
	v.search.OnChanged = func(text string) {
		if v.quiet {
			return
		}
		v.edits++
		v.filter.Search = text
		v.reload()
	}
	// A scanner types the order id and ends with Enter.
	v.search.OnSubmitted = func(text string) { v.scanCode(text) }
	v.auto = widget.NewCheck("Auto", func(on bool) {
		if on != u.bench.Auto {
			b := u.bench
			b.Auto = on
			u.saveBench(b)
		}
	})
	v.auto.Checked = u.bench.Auto
	v.list = widget.NewList(
		func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			cells := []fyne.CanvasObject{widget.NewCheck("", nil)}
			for range orderHeaders {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				cells = append(cells, l)
			}
			v.showColumns(cells) // a new row is no wider than the chosen columns
			return container.New(v.cols, cells...)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.rows) {
				return
			}
			cells := o.(*fyne.Container).Objects
			row := v.rows[id]
			check := cells[0].(*widget.Check)
			check.OnChanged = nil // setting the box is not the packer ticking it
			_, ticked := v.checked[row.ID]
			check.SetChecked(ticked)
			check.OnChanged = func(on bool) { v.setChecked(row, on) }
			for i, text := range rowCells(row, time.Now(), v.u.sidebar.identifier(row.StoreID)) {
				cells[i+1].(*widget.Label).SetText(text)
			}
			for i, text := range moreCells(row, v.u.sidebar.units(row.StoreID)) {
				cells[len(defaultColumns)+i+1].(*widget.Label).SetText(text)
			}
			v.showColumns(cells)
			if id >= len(v.rows)-loadMoreMargin {
				v.loadMore()
			}
		},
	)
	v.actions = newOrderActions(u)
	v.list.OnSelected = func(id widget.ListItemID) {
		if id < len(v.rows) {
			v.selected = id
			row := v.rows[id]
			v.actions.set(&row)
		}
	}
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1 }
	v.emptyT = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.emptyB = widget.NewLabel("")
	v.emptyB.Alignment = fyne.TextAlignCenter
	v.emptyB.Wrapping = fyne.TextWrapWord
	connect := widget.NewButton("Connect an Amazon store", func() { u.showConnect(nil) })
	connect.Importance = widget.HighImportance
	firstRun := container.NewHBox(connect, widget.NewButton("Try the demo store", u.connectDemo))
	if u.queue != nil && u.queue.Bench() == "" {
		// A new bench of a warehouse: its orders are on the shared queue.
		firstRun.Add(widget.NewButton("Join a shared order queue", u.showJoinQueue))
	}
	v.firstRun = container.NewCenter(firstRun)
	v.firstRun.Hide()
	v.empty = container.NewCenter(container.NewVBox(
		container.NewGridWrap(fyne.NewSize(460, 120), container.NewVBox(v.emptyT, v.emptyB)), v.firstRun))
	v.empty.Hide()
	return v
}

func (v *ordersView) object() fyne.CanvasObject {
	tabs := make([]fyne.CanvasObject, len(v.tabs))
	for i, b := range v.tabs {
		tabs[i] = b
	}
	header := make([]fyne.CanvasObject, len(orderHeaders)+1)
	header[0] = v.checkAll
	v.sortButtons = map[station.SortKey]*widget.Button{}
	for i, h := range orderHeaders {
		i := i + 1
		key, sortable := columnSort[h]
		b := widget.NewButton(h, func() {
			if sortable { // the added columns do not sort
				v.setSort(key)
			}
		})
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		b.Icon = sortIcon(key, v.sort)
		if sortable {
			v.sortButtons[key] = b
		}
		header[i] = container.NewBorder(nil, nil, nil, newColumnEdge(v, i), b)
	}
	v.header = header
	v.showColumns(header)
	v.headerRow = container.New(v.cols, header...)
	tabs = append(tabs, v.attentionTab)
	v.shipAll = widget.NewButtonWithIcon("Ship all ready…", theme.MailSendIcon(), v.u.shipAllReady)
	v.pickList = widget.NewButtonWithIcon("Pick list", theme.ListIcon(), v.u.printPickList)
	// The bulk buttons keep one width as their counts change.
	bulk := container.NewHBox(&fyne.Container{Layout: atLeast{w: 120}, Objects: []fyne.CanvasObject{v.pickList}},
		&fyne.Container{Layout: atLeast{w: 170}, Objects: []fyne.CanvasObject{v.shipAll}})
	top := container.NewVBox(container.NewHBox(tabs...),
		container.NewBorder(nil, nil, nil, container.NewHBox(v.auto, bulk), v.search),
		container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("Columns…", theme.ViewRestoreIcon(), v.chooseColumns), v.filters.object()), v.actions.box,
		v.headerRow, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewStack(v.list, v.empty))
}

func tabTitle(s station.OrderStatus, n int) string {
	title := "All"
	if s != "" {
		title = s.Title()
	}
	if n < 0 {
		return title
	}
	return fmt.Sprintf("%s (%d)", title, n)
}

func rowCells(r station.OrderRow, now time.Time, ident station.ProductIdentifier) []string {
	shipBy := "—"
	if !r.ShipByLatest.IsZero() {
		shipBy = r.ShipByLatest.Local().Format("Jan 2 15:04")
		if r.Status == station.StatusReady && r.ShipByLatest.Before(now) {
			shipBy += " late"
		}
	}
	status := r.Status.Title()
	if r.Parcel != station.ParcelUnknown && (r.Status == station.StatusLabelBought || r.Status == station.StatusShipped) {
		status = r.Parcel.Title() // says the status too, and fits the column
	}
	if station.NeedsVoid(r.Status, r.AmazonStatus) {
		status = "Cancelled: void label"
	} else if r.Attention != "" {
		status = "Needs: " + r.Attention
	}
	return []string{
		r.AmazonOrderID,
		station.MarketplaceLabel(r.MarketplaceID),
		r.PurchasedAt.Local().Format("Jan 2 15:04"),
		shipBy,
		status,
		fmt.Sprint(r.ItemCount),
		products(r, ident),
	}
}

// products shows SKUs, or ASINs for a store that identifies products by ASIN
// (orders from the report have no ASIN until refreshed: SKUs then).
func products(r station.OrderRow, ident station.ProductIdentifier) string {
	if ident == station.ByASIN && r.ASINs != "" {
		return r.ASINs
	}
	return r.SKUs
}

func (v *ordersView) setStatus(s station.OrderStatus) {
	v.filter.Status, v.filter.Attention = s, false
	v.reload()
}

// showAttention lists the orders that need the packer, whatever their status.
func (v *ordersView) showAttention() {
	v.filter.Status, v.filter.Attention = "", true
	v.reload()
}

// setSort sorts the list by a column; the same column again reverses it.
func (v *ordersView) setSort(key station.SortKey) {
	if v.sort.Key == key {
		v.sort.Reverse = !v.sort.Reverse
	} else {
		v.sort = station.OrderSort{Key: key}
	}
	// Remembered: the bench opens sorted the way the packer left it.
	p := v.u.app.Preferences()
	p.SetString("list.sort", string(v.sort.Key))
	p.SetBool("list.reverse", v.sort.Reverse)
	v.reload()
}

// savedSort is the sort the packer left the list in; most urgent first
// the first time.
func savedSort(a fyne.App) station.OrderSort {
	p := a.Preferences()
	key := station.SortKey(p.StringWithFallback("list.sort", string(station.SortShipBy)))
	if !slices.Contains(station.SortKeys(), key) {
		return station.ShipBySoonest
	}
	return station.OrderSort{Key: key, Reverse: p.Bool("list.reverse")}
}

// pageLanded shows orders as an import saves them, page by page, while
// the list has less than a page and the packer is not working in it (no
// search, no order selected): a store's first import lists its first
// orders in seconds. Otherwise the list is left alone and only its tabs
// are counted again.
func (v *ordersView) pageLanded() {
	if v.loading {
		return
	}
	if len(v.rows) < station.DefaultPageSize && v.filter.Search == "" && v.selected < 0 {
		v.reload()
		return
	}
	whole := v.filter
	whole.Search = ""
	gen, u := v.gen, v.u
	u.async(func() {
		counts, err := u.station.StatusCounts(u.ctx, whole)
		attention := 0
		if err == nil {
			attention, err = u.station.AttentionCount(u.ctx, whole)
		}
		u.done(func() {
			if err != nil || gen != v.gen {
				return
			}
			v.counts, v.attention = counts, attention
			v.refreshChrome()
		})
	})
}

// reload fetches the first page and the tab counts for the current filter.
func (v *ordersView) reload() { v.reloadThen(nil) }

// reloadThen reloads and runs then once the first page is shown.
func (v *ordersView) reloadThen(then func()) {
	v.gen++
	v.landed = then
	v.filters.apply(&v.filter, time.Now())
	gen, f, u, sort, names := v.gen, v.filter, v.u, v.sort, v.shown["Ship to"]
	v.loading = true
	// The tabs count the bench's work, whatever the search: a scan that
	// shows one order leaves "Ready to ship (28)" saying what is left.
	whole := f
	whole.Search = ""
	u.async(func() {
		page, err := u.station.Orders(u.ctx, station.OrderQuery{OrderFilter: f, Sort: sort, ShipToNames: names})
		var counts map[station.OrderStatus]int
		attention := 0
		if err == nil {
			// Kept counts (store/migrations/0014): well under a millisecond.
			counts, err = u.station.StatusCounts(u.ctx, whole)
		}
		if err == nil {
			attention, err = u.station.AttentionCount(u.ctx, whole)
		}
		u.done(func() {
			if gen != v.gen {
				return
			}
			v.loading = false
			landed := v.landed
			v.landed = nil
			if err != nil {
				u.showError("Could not read the orders", err)
				return
			}
			v.rows, v.next, v.counts, v.attention = page.Rows, page.Next, counts, attention
			if !v.shown1st {
				// The start-up bench times the first frame after this line.
				v.shown1st = true
				u.log.Info("first orders shown", "rows", len(page.Rows))
			}
			v.list.ScrollToTop()
			v.list.UnselectAll()
			v.selected = -1
			v.actions.set(nil)
			v.list.Refresh()
			v.refreshChrome()
			if landed != nil {
				landed()
			}
		})
	})
}

// loadMore appends the next page when the list nears the end of what is loaded.
func (v *ordersView) loadMore() {
	if v.loading || v.next == nil {
		return
	}
	v.loading = true
	gen, u := v.gen, v.u
	q := station.OrderQuery{OrderFilter: v.filter, Sort: v.sort, After: v.next, ShipToNames: v.shown["Ship to"]}
	u.async(func() {
		page, err := u.station.Orders(u.ctx, q)
		u.done(func() {
			if gen != v.gen {
				return
			}
			v.loading = false
			if err != nil {
				u.showError("Could not read more orders", err)
				return
			}
			v.rows = append(v.rows, page.Rows...)
			v.next = page.Next
			v.list.Refresh()
			v.refreshChrome()
		})
	})
}

func (v *ordersView) refreshChrome() {
	total := 0
	for _, n := range v.counts {
		total += n
	}
	statuses := append([]station.OrderStatus{""}, station.OrderStatuses()...)
	for i, s := range statuses {
		n := total
		if s != "" {
			n = v.counts[s]
		}
		v.tabs[i].SetText(tabTitle(s, n))
		if s == v.filter.Status && !v.filter.Attention {
			v.tabs[i].Importance = widget.HighImportance
		} else {
			v.tabs[i].Importance = widget.MediumImportance
		}
		v.tabs[i].Refresh()
	}
	v.attentionTab.SetText(fmt.Sprintf("Needs attention (%d)", v.attention))
	v.attentionTab.Importance = widget.MediumImportance
	if v.filter.Attention {
		v.attentionTab.Importance = widget.HighImportance
	} else if v.attention > 0 {
		v.attentionTab.Importance = widget.WarningImportance
	}
	v.attentionTab.Refresh()
	v.filters.syncMarketplaces(v.u.sidebar.stores)
	for _, h := range orderHeaders {
		if key, sortable := columnSort[h]; sortable {
			v.sortButtons[key].SetIcon(sortIcon(key, v.sort))
		}
	}

	shown := len(v.rows)
	switch {
	case time.Since(v.u.noticeAt) < noticeHold:
		// A message the packer has not read yet stays.
	case v.next != nil:
		v.u.status.SetText(fmt.Sprintf("Showing %d orders, more load as you scroll.", shown))
	case v.filter.Search != "":
		v.u.status.SetText(fmt.Sprintf("%s “%s”.", station.Plural(shown, "order matches", "orders match"), v.filter.Search))
	default:
		v.u.status.SetText(station.Plural(shown, "order", "orders") + ".")
	}
	if shown > 0 {
		v.empty.Hide()
		v.list.Show()
		return
	}
	v.list.Hide()
	v.empty.Show()
	v.firstRun.Hide()
	switch {
	case v.filter.Search != "":
		v.emptyT.SetText(fmt.Sprintf("No orders match “%s”.", v.filter.Search))
		v.emptyB.SetText("Check the order id or SKU, or clear the search field.")
	case total == 0 && len(v.u.sidebar.stores) == 0:
		v.emptyT.SetText("Welcome to Packbench.")
		v.emptyB.SetText("Connect your Amazon store, or try the demo store: Packbench's built-in Amazon, with orders to ship.")
		if v.u.station.CanConnect() {
			v.firstRun.Show()
		}
	case total == 0:
		v.emptyT.SetText("No orders yet.")
		v.emptyB.SetText("Unshipped orders of your stores appear here as they are imported: every few minutes by " +
			"themselves, or now with Import now on the left.")
	case v.filter.Attention:
		v.emptyT.SetText("Nothing needs attention.")
		v.emptyB.SetText("Orders show here when a label must be voided, a print or purchase failed, or no weight is known.")
	case v.filters.active():
		v.emptyT.SetText("No orders match the filters.")
		v.emptyB.SetText("Clear a filter above the list to see more.")
	default:
		v.emptyT.SetText(fmt.Sprintf("No orders in “%s”.", tabTitle(v.filter.Status, -1)))
		v.emptyB.SetText("Pick another tab above to see the other orders.")
	}
}

// scanCode handles a scan (or Enter in the search field): the order is
// found in any tab and any store, shown where it is, and selected; with
// Auto on, a ready order's label is bought and printed. The field keeps the
// code selected, so the next scan replaces it.
func (v *ordersView) scanCode(code string) {
	u := v.u
	code = strings.TrimSpace(code)
	v.setSearchText(code)
	u.focusScan()
	if code == "" {
		return
	}
	auto, edits := v.auto.Checked, v.edits
	u.async(func() {
		res, err := u.station.Scan(u.ctx, code)
		u.done(func() {
			if err != nil {
				u.showError("Could not look up "+code, err)
				return
			}
			if v.edits != edits {
				// The next scan came before this one was found: it wins,
				// and the packer is told this one was left.
				u.flash("Scanned again before " + code + " was found: " + code + " was left as it is; scan it again.")
				return
			}
			if res.Order == nil {
				v.filter.Search = code
				v.reload()
				u.flash(res.Where(time.Local))
				return
			}
			row := *res.Order
			v.showOrder(row, func() {
				where := res.Where(time.Local)
				mode := u.sidebar.verifyMode(row.StoreID)
				switch {
				case mode != station.VerifyOff && row.Status == station.StatusReady:
					v.actions.checkItems(row, mode, auto) // the items first, then the label
				case auto && row.Status == station.StatusReady:
					v.actions.buyAuto(row)
				case row.Status == station.StatusReady:
					u.say(where)
				default:
					// Not to pack: the packer is looking at the box, not the screen.
					u.flash(where)
				}
			})
		})
	})
}

// setSearchText puts text in the search field without it counting as typing.
func (v *ordersView) setSearchText(text string) {
	if v.search.Text == text {
		return
	}
	v.quiet = true
	v.search.SetText(text)
	v.search.selectAll() // the selection follows the new text, not the old
	v.quiet = false
}

// showOrder switches the list to where an order is (its tab; all stores
// when another store is selected) with the order alone in it, selects it,
// then runs then.
func (v *ordersView) showOrder(row station.OrderRow, then func()) {
	v.filter.Status, v.filter.Attention = row.Status, false
	if v.filter.StoreID != 0 && v.filter.StoreID != row.StoreID {
		v.filter.StoreID = 0
		v.u.sidebar.showAll()
	}
	v.setSearchText(row.AmazonOrderID)
	v.filter.Search = row.AmazonOrderID
	v.reloadThen(func() {
		if !v.selectID(row.ID) {
			v.u.say("Order " + row.AmazonOrderID + " is not in this list: a filter above the list hides it.")
			return
		}
		if then != nil {
			then()
		}
	})
}

// selectID selects the loaded row of an order; false when it is not loaded.
func (v *ordersView) selectID(id int64) bool {
	for i, r := range v.rows {
		if r.ID == id {
			v.list.Select(i)
			v.list.ScrollTo(i)
			return true
		}
	}
	return false
}

// afterAction shows the list once an action on an order ended, as the
// bench's setting says: the order kept selected wherever it went, or the
// next order of the tab selected, saying where the order went. The list
// never just drops the order it acted on. msg is what the action did.
func (v *ordersView) afterAction(row station.OrderRow, index int, msg string, edits int) {
	u := v.u
	u.async(func() {
		res, err := u.station.Scan(u.ctx, row.AmazonOrderID)
		u.done(func() {
			if err != nil || res.Order == nil || v.edits != edits {
				// (The packer is already typing the next scan: the list is
				// theirs; only the counts are brought up to date.)
				v.reload()
				return
			}
			now := *res.Order
			if u.bench.AfterAction != station.NextOrder {
				v.showOrder(now, nil)
				return
			}
			if now.Status != row.Status && msg != "" {
				u.say(msg + " " + now.AmazonOrderID + " is in " + now.Status.Title() + " now.")
			}
			v.reloadThen(func() {
				if v.selectID(now.ID) || len(v.rows) == 0 {
					return
				}
				v.list.Select(min(index, len(v.rows)-1))
			})
		})
	})
}

// step selects the next (1) or previous (-1) order of the list.
func (v *ordersView) step(delta int) {
	if len(v.rows) == 0 {
		return
	}
	i := min(max(v.selected+delta, 0), len(v.rows)-1)
	if v.selected < 0 {
		i = 0
	}
	v.list.Select(i)
	v.list.ScrollTo(i)
}

// columnSort maps each column to the key it sorts by.
var columnSort = map[string]station.SortKey{
	"Order": station.SortOrderID, "Market": station.SortMarket, "Purchased": station.SortPurchased,
	"Ship by": station.SortShipBy, "Status": station.SortStatus, "Items": station.SortItems, "Products": station.SortProducts,
}

// naturallyDescending are the keys whose first click shows the largest first.
var naturallyDescending = map[station.SortKey]bool{station.SortPurchased: true, station.SortItems: true}

// sortIcon marks the column the list is sorted by: an arrow up for the
// smallest or earliest first, down for the largest or latest first (theme
// icons: every platform's fonts draw them).
func sortIcon(key station.SortKey, current station.OrderSort) fyne.Resource {
	switch {
	case current.Key != key:
		return nil
	case naturallyDescending[key] != current.Reverse:
		return theme.MenuDropDownIcon()
	}
	return theme.MenuDropUpIcon()
}

func (v *ordersView) setStore(id int64) {
	v.filter.StoreID = id
	v.reload()
}

func (v *ordersView) setChecked(row station.OrderRow, on bool) {
	if on {
		v.checked[row.ID] = row
	} else {
		delete(v.checked, row.ID)
	}
	v.u.bulkButtons()
}

// setAllChecked ticks or clears every loaded order of the list.
func (v *ordersView) setAllChecked(on bool) {
	if !on {
		clear(v.checked)
	} else {
		for _, r := range v.rows {
			v.checked[r.ID] = r
		}
	}
	v.list.Refresh()
	v.u.bulkButtons()
}

// checkedIDs lists the ticked orders, optionally of one status, in list order.
func (v *ordersView) checkedIDs(status station.OrderStatus) []int64 {
	var ids []int64
	for _, r := range v.checked {
		if status == "" || r.Status == status {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
