package station

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// DefaultPageSize is how many rows a list page holds.
const DefaultPageSize = 100

// Station runs the bench's workflows over a repository.
type Station struct {
	repo       Repository
	log        *slog.Logger
	now        func() time.Time
	amazon     Amazon
	secrets    Secrets
	source     OrderSource
	shipper    Shipper
	manifests  Manifests // the shipper, when it closes days too
	openScale  ScaleOpener
	scalePorts func() ([]string, error)
	scale      *ScaleMonitor
	printer    LabelPrinter
	documents  Documents
	// bench keeps this bench's own settings (Auto, after an action).
	bench BenchStore
	// benchName names this bench where benches share one queue (empty alone).
	benchName string
	// labelCache keeps the labels this bench printed (labelcache.go).
	labelCache LabelCache
	// purchaseHook stops a purchase at a step, as a crash would (tests).
	purchaseHook func(step string) error
	// importLocks holds one mutex per store: one import per store at a time.
	importLocks sync.Map
	// sweeps remembers when each store's orders were last brought up to date.
	sweeps sweepLog
	// ticker makes the scheduler's tick (a real ticker, or a test's).
	ticker func(d time.Duration) (ticks <-chan time.Time, stop func())
}

// New builds a station. A nil logger discards.
func New(repo Repository, log *slog.Logger) *Station {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Station{repo: repo, log: log, now: func() time.Time { return time.Now().UTC() }, ticker: realTicker}
	s.scale = newScaleMonitor(s.OpenScale)
	return s
}

// WithBenchName names this bench in a queue shared with other benches:
// its claims, purchases and history say it did them.
func (s *Station) WithBenchName(name string) *Station {
	s.benchName = name
	return s
}

// BenchName is this bench's name in a shared queue (empty when alone).
func (s *Station) BenchName() string { return s.benchName }

// Clocked is a repository that stamps rows with a clock of its own; the
// station gives it its clock, so both tell the same time.
type Clocked interface {
	SetClock(now func() time.Time)
}

// WithClock makes the station (and its repository, when it keeps time)
// read time from now, and the scheduler tick on ticks instead of a real
// ticker: how tests move a day forward in a millisecond.
func (s *Station) WithClock(now func() time.Time, ticks <-chan time.Time) *Station {
	s.now = func() time.Time { return now().UTC() }
	if c, ok := s.repo.(Clocked); ok {
		c.SetClock(s.now)
	}
	if ticks != nil {
		s.ticker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	}
	return s
}

// realTicker is the scheduler's tick in the app.
func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Orders returns one page of the order list.
func (s *Station) Orders(ctx context.Context, q OrderQuery) (OrderPage, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = DefaultPageSize
	}
	q.Search = strings.TrimSpace(q.Search)
	page, err := s.repo.ListOrders(ctx, q)
	if err != nil {
		return OrderPage{}, fmt.Errorf("list orders: %w", err)
	}
	return page, nil
}

// AllOrders walks every page matching the filter; for exports and the CLI.
func (s *Station) AllOrders(ctx context.Context, f OrderFilter) ([]OrderRow, error) {
	return s.AllOrdersSorted(ctx, f, NewestFirst)
}

// AllOrdersSorted is AllOrders in another order.
func (s *Station) AllOrdersSorted(ctx context.Context, f OrderFilter, sort OrderSort) ([]OrderRow, error) {
	rows := []OrderRow{}
	q := OrderQuery{OrderFilter: f, Sort: sort, Limit: 1000}
	for {
		page, err := s.Orders(ctx, q)
		if err != nil {
			return nil, err
		}
		rows = append(rows, page.Rows...)
		if page.Next == nil {
			return rows, nil
		}
		q.After = page.Next
	}
}

// StatusCounts returns how many orders each status tab holds.
func (s *Station) StatusCounts(ctx context.Context, f OrderFilter) (map[OrderStatus]int, error) {
	f.Status = ""
	counts, err := s.repo.CountOrders(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	return counts, nil
}

// AttentionCount counts the orders that need the packer under a filter,
// whatever their status (the Needs attention tab).
func (s *Station) AttentionCount(ctx context.Context, f OrderFilter) (int, error) {
	f.Status, f.Attention = "", true
	counts, err := s.repo.CountOrders(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count orders that need attention: %w", err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n, nil
}

// Order loads one order with its items.
func (s *Station) Order(ctx context.Context, id int64) (Order, error) {
	return s.repo.GetOrder(ctx, id)
}

// Stores lists the connected stores.
func (s *Station) Stores(ctx context.Context) ([]Store, error) {
	stores, err := s.repo.ListStores(ctx)
	if err != nil {
		return nil, fmt.Errorf("list stores: %w", err)
	}
	return stores, nil
}

// SaveOrders stores orders fetched from Amazon for one store and records the
// change in the audit log. The import calls it once per page.
func (s *Station) SaveOrders(ctx context.Context, storeID int64, orders []Order) (UpsertResult, error) {
	for i := range orders {
		if err := validateOrder(orders[i]); err != nil {
			return UpsertResult{}, err
		}
	}
	res, err := s.repo.UpsertOrders(ctx, storeID, orders)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("save orders: %w", err)
	}
	s.log.Info("orders saved", "store", storeID, "new", res.New, "updated", res.Updated, "unchanged", res.Unchanged)
	return res, nil
}

func validateOrder(o Order) error {
	switch {
	case o.AmazonOrderID == "":
		return fmt.Errorf("order without an Amazon order id: the data from Amazon is incomplete")
	case o.PurchasedAt.IsZero():
		return fmt.Errorf("order %s has no purchase date", o.AmazonOrderID)
	}
	return nil
}

// RememberWeight stores what a packer weighed for one unit of a SKU; every
// order with that SKU then knows its weight.
func (s *Station) RememberWeight(ctx context.Context, storeID int64, sku string, w Weight) error {
	if !w.Known() {
		return fmt.Errorf("weight for %s must be more than zero, in grams, kilograms, ounces or pounds", sku)
	}
	return s.repo.SaveSKUProfile(ctx, SKUProfile{StoreID: storeID, SKU: sku, Weight: w, Source: "packer", UpdatedAt: s.now()})
}

// History is an order's audit trail, oldest first.
func (s *Station) History(ctx context.Context, orderID int64) ([]AuditEntry, error) {
	return s.repo.History(ctx, orderID)
}
