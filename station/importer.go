package station

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ImportOverlap is how far back each incremental import reaches before its
// checkpoint, so an order updated while the last run was reading is not missed.
const ImportOverlap = 5 * time.Minute

// ReportStaleness is how old the Unshipped Orders report's data may be
// (docs/amazon.md, "Importing orders"): incremental import starts this far before it.
const ReportStaleness = 30 * time.Minute

// UpdatedQuery asks Amazon for a store's orders updated in a window.
type UpdatedQuery struct {
	MarketplaceIDs []string
	After          time.Time
	Before         time.Time // zero: as late as Amazon allows; set when resuming
	Token          string    // resume at this page
}

// SearchPage is one page of updated orders and where the next one starts.
type SearchPage struct {
	Orders    []Order
	NextToken string
	Before    time.Time // the window's upper bound Amazon applied
}

// ImportProgress is what a running import tells the UI.
type ImportProgress struct {
	StoreID int64
	Stage   string // "report", "orders", "waiting"
	Pages   int
	Orders  int
	Waiting time.Duration // waiting for Amazon's rate limit or a back-off
}

// OrderSource reads one store's orders from Amazon; integrations/amazon implements it.
type OrderSource interface {
	// ReportOrders bootstraps from the Unshipped Orders report: every
	// actionable merchant order, in a few calls whatever the volume.
	ReportOrders(ctx context.Context, c Credentials, marketplaceIDs []string, progress func(ImportProgress)) (orders []Order, asOf time.Time, err error)
	// SearchUpdated pages through orders updated in the window (searchOrders
	// lastUpdatedAfter), calling page for each; it stops at page's first error.
	SearchUpdated(ctx context.Context, c Credentials, q UpdatedQuery, progress func(ImportProgress), page func(SearchPage) error) error
	// CatalogPackage is a product's package weight and dimensions from the
	// Catalog Items API, by its ASIN, or by the seller's SKU when no order
	// named the ASIN (report orders do not); found is false when the catalog
	// has none.
	CatalogPackage(ctx context.Context, c Credentials, p CatalogLookup) (w Weight, d Dimensions, found bool, err error)
}

// weightsPerRun bounds catalog look-ups per import: getCatalogItem allows 2 a second.
const weightsPerRun = 60

// checkpoint is where the next import resumes. Token is set while a run is
// part-way through its pages, so a restart continues at the next page.
type checkpoint struct {
	After  time.Time `json:"after"`
	Before time.Time `json:"before,omitzero"`
	Token  string    `json:"token,omitempty"`
	// TokenAt: Amazon's pagination tokens live 24 hours.
	TokenAt time.Time `json:"tokenAt,omitzero"`
}

const checkpointSource = "orders"

// WithOrderSource attaches the Amazon order reader.
func (s *Station) WithOrderSource(src OrderSource) *Station {
	s.source = src
	return s
}

// StoreLocks is a repository that benches share: a store's import (or
// tracking pass) runs on one bench at a time. TryLockStore takes the
// store's lock for what, or reports that another bench holds it.
type StoreLocks interface {
	TryLockStore(ctx context.Context, storeID int64, what string) (unlock func(), ok bool, err error)
}

// ErrImportRunning means the store already has an import in progress.
var ErrImportRunning = errors.New("an import of this store is already running")

func (s *Station) storeLock(id int64) *sync.Mutex {
	m, _ := s.importLocks.LoadOrStore(id, &sync.Mutex{})
	return m.(*sync.Mutex)
}

// inScope is the import's filter for orders not seen before: merchant
// fulfilled, paid, Unshipped or PartiallyShipped, bought within days.
func inScope(o Order, since time.Time) bool {
	return (o.AmazonStatus == AmazonUnshipped || o.AmazonStatus == AmazonPartiallyShipped) && !o.PurchasedAt.Before(since)
}

// Import runs one import of a store: the report the first time, then the
// orders Amazon updated since the checkpoint. It records the run whatever
// happens; a failure leaves the checkpoint where the last saved page put it.
func (s *Station) Import(ctx context.Context, storeID int64, progress func(ImportProgress)) (ImportRun, error) {
	if s.source == nil {
		return ImportRun{}, errors.New("this build has no Amazon order source configured")
	}
	lock := s.storeLock(storeID)
	if !lock.TryLock() {
		return ImportRun{}, ErrImportRunning
	}
	defer lock.Unlock()
	if shared, ok := s.repo.(StoreLocks); ok {
		// Benches sharing a queue import each store on one bench at a
		// time: Amazon's rate limits are the seller's, not a bench's.
		unlock, got, err := shared.TryLockStore(ctx, storeID, "import")
		if err != nil {
			return ImportRun{}, fmt.Errorf("take the store's import lock: %w", err)
		}
		if !got {
			return ImportRun{}, fmt.Errorf("%w on another bench", ErrImportRunning)
		}
		defer unlock()
	}
	if progress == nil {
		progress = func(ImportProgress) {}
	}
	// A first import reports from two goroutines (the report, the first
	// pages): the caller is told one thing at a time.
	var progressMu sync.Mutex
	report := progress
	progress = func(p ImportProgress) {
		progressMu.Lock()
		defer progressMu.Unlock()
		report(p)
	}
	st, err := s.repo.GetStore(ctx, storeID)
	if err != nil {
		return ImportRun{}, err
	}
	run, err := s.repo.StartImportRun(ctx, storeID, s.now())
	if err != nil {
		return ImportRun{}, err
	}
	began := s.now()
	err = s.importStore(ctx, st, &run, progress)
	if err == nil {
		s.sweeps.mark(storeID, began)
	}
	run.FinishedAt = s.now()
	if err != nil {
		run.Error = err.Error()
	}
	if ferr := s.repo.FinishImportRun(ctx, run); ferr != nil {
		s.log.Error("import run not recorded", "store", storeID, "err", ferr)
	}
	transient := ""
	if err != nil {
		transient = "Import failing, retrying: " + err.Error()
	}
	health, reason := healthAfter(err, transient)
	if st.DisconnectedAt.IsZero() {
		_ = s.repo.SetStoreHealth(context.WithoutCancel(ctx), storeID, health, reason)
	}
	s.log.Info("import finished", "store", storeID, "new", run.New, "updated", run.Updated, "failed", err != nil)
	return run, err
}

func (s *Station) importStore(ctx context.Context, st Store, run *ImportRun, progress func(ImportProgress)) error {
	creds, err := s.StoreCredentials(st)
	if err != nil {
		return err
	}
	if len(st.MarketplaceIDs) == 0 {
		return fmt.Errorf("store %s sells in no marketplace Packbench knows: reauthorize it", st.Name)
	}
	since := s.now().Add(-time.Duration(st.Settings.ImportDays) * 24 * time.Hour)
	var cp checkpoint
	raw, err := s.repo.Checkpoint(ctx, st.ID, checkpointSource)
	switch {
	case errors.Is(err, ErrNotFound):
		// First import: the report, then incremental from its (stale)
		// snapshot. Amazon takes minutes to make the report; meanwhile the
		// first pages of searchOrders land, so the packer has work at once.
		type reportResult struct {
			orders []Order
			asOf   time.Time
			err    error
		}
		reported := make(chan reportResult, 1)
		early, stopEarly := context.WithCancel(ctx)
		go func() {
			orders, asOf, err := s.source.ReportOrders(ctx, creds, st.MarketplaceIDs, progress)
			stopEarly()
			reported <- reportResult{orders, asOf, err}
		}()
		s.firstPages(early, st, creds, since, run, progress)
		stopEarly()
		r := <-reported
		orders, asOf, rerr := r.orders, r.asOf, r.err
		if rerr != nil {
			s.log.Warn("report bootstrap failed, importing by search", "store", st.ID, "err", rerr)
			cp = checkpoint{After: since}
		} else {
			if err := s.savePage(ctx, st.ID, orders, since, run); err != nil {
				return err
			}
			cp = checkpoint{After: asOf.Add(-ReportStaleness)}
		}
		if err := s.saveCheckpoint(ctx, st.ID, cp); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if err := json.Unmarshal([]byte(raw), &cp); err != nil {
			cp = checkpoint{After: since}
		}
	}
	q := UpdatedQuery{MarketplaceIDs: st.MarketplaceIDs, After: cp.After.Add(-ImportOverlap)}
	if cp.Token != "" && s.now().Sub(cp.TokenAt) < 23*time.Hour {
		// Resume a run that stopped part-way: same window, next page.
		q = UpdatedQuery{MarketplaceIDs: st.MarketplaceIDs, After: cp.After, Before: cp.Before, Token: cp.Token}
	} else {
		cp.After = q.After
	}
	pages := 0
	defer func() {
		if st.Settings.ImportWeights && ctx.Err() == nil {
			s.fillWeights(ctx, st, creds)
		}
	}()
	err = s.source.SearchUpdated(ctx, creds, q, progress, func(p SearchPage) error {
		if err := s.savePage(ctx, st.ID, p.Orders, since, run); err != nil {
			return err
		}
		pages++
		progress(ImportProgress{StoreID: st.ID, Stage: "orders", Pages: pages, Orders: run.New + run.Updated})
		next := checkpoint{After: cp.After, Before: p.Before, Token: p.NextToken, TokenAt: s.now()}
		if p.NextToken == "" {
			next = checkpoint{After: p.Before}
		}
		return s.saveCheckpoint(ctx, st.ID, next)
	})
	return err
}

// firstPageBudget is how many searchOrders pages a first import reads
// while the report is made: the burst is 20 and a page a token, so the
// next incremental imports and sweeps keep tokens of their own.
const firstPageBudget = 10

// errEnoughPages stops the first pages at their budget.
var errEnoughPages = errors.New("enough first pages")

// firstPages saves the newest orders page by page while the report is
// being made, until the report is done (ctx ends) or the budget is spent.
// Whatever fails here, the report and the incremental import after it
// bring the orders; so it only logs.
func (s *Station) firstPages(ctx context.Context, st Store, creds Credentials, since time.Time, run *ImportRun, progress func(ImportProgress)) {
	pages := 0
	err := s.source.SearchUpdated(ctx, creds, UpdatedQuery{MarketplaceIDs: st.MarketplaceIDs, After: since}, progress, func(p SearchPage) error {
		if err := s.savePage(ctx, st.ID, p.Orders, since, run); err != nil {
			return err
		}
		pages++
		progress(ImportProgress{StoreID: st.ID, Stage: "orders", Pages: pages, Orders: run.New + run.Updated})
		if pages >= firstPageBudget {
			return errEnoughPages
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnoughPages) && ctx.Err() == nil {
		s.log.Info("first pages before the report failed; the report brings them", "store", st.ID, "err", err)
	}
}

func (s *Station) saveCheckpoint(ctx context.Context, storeID int64, cp checkpoint) error {
	raw, _ := json.Marshal(cp)
	return s.repo.SaveCheckpoint(ctx, storeID, checkpointSource, string(raw))
}

// savePage stores one page: orders already here are always updated (a
// cancellation or a shipment elsewhere must reach the bench); new ones only
// when they are in scope.
func (s *Station) savePage(ctx context.Context, storeID int64, orders []Order, since time.Time, run *ImportRun) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.AmazonOrderID
	}
	known, err := s.repo.KnownOrders(ctx, storeID, ids)
	if err != nil {
		return err
	}
	keep := orders[:0:0]
	for _, o := range orders {
		if known[o.AmazonOrderID] || inScope(o, since) {
			keep = append(keep, o)
		}
	}
	res, err := s.SaveOrders(ctx, storeID, keep)
	if err != nil {
		return err
	}
	run.New += res.New
	run.Updated += res.Updated
	return nil
}

// ImportRuns lists a store's latest import runs, newest first.
func (s *Station) ImportRuns(ctx context.Context, storeID int64, limit int) ([]ImportRun, error) {
	return s.repo.ImportRuns(ctx, storeID, limit)
}

// fillWeights asks the catalog for SKUs nobody has weighed yet. A packer's
// weight always wins over the catalog's; failures here never fail the import.
func (s *Station) fillWeights(ctx context.Context, st Store, creds Credentials) {
	missing, err := s.repo.SKUsWithoutWeight(ctx, st.ID, weightsPerRun)
	if err != nil {
		s.log.Warn("weights: listing SKUs failed", "store", st.ID, "err", err)
		return
	}
	for _, m := range missing {
		w, d, found, err := s.source.CatalogPackage(ctx, creds, m)
		if err != nil {
			s.log.Warn("weights: catalog look-up failed", "store", st.ID, "err", err)
			return
		}
		if !found || !w.Known() {
			continue
		}
		if err := s.repo.SaveSKUProfile(ctx, SKUProfile{StoreID: st.ID, SKU: m.SKU, Weight: w, Dimensions: d, Source: "catalog", UpdatedAt: s.now()}); err != nil {
			s.log.Warn("weights: saving failed", "store", st.ID, "err", err)
			return
		}
	}
}

// UpdateStoreSettings checks and saves a store's settings.
func (s *Station) UpdateStoreSettings(ctx context.Context, id int64, set StoreSettings) error {
	switch {
	case set.ImportEveryMinutes < 5 || set.ImportEveryMinutes > 24*60:
		return errors.New("import every 5 to 1440 minutes: Amazon allows searchOrders about once every 3 minutes per seller")
	case set.ImportDays < 1 || set.ImportDays > 30:
		return errors.New("import orders of the last 1 to 30 days")
	case set.RetentionDays < 0 || set.RetentionDays > MaxRetentionDays:
		return fmt.Errorf("keep buyers' data 0 to %d days after delivery: Amazon's Data Protection Policy allows no more", MaxRetentionDays)
	case set.Identifier != BySKU && set.Identifier != ByASIN:
		return errors.New("identify products by sku or asin")
	case set.Units != "" && set.Units != Metric && set.Units != Imperial:
		return errors.New("weigh and measure in metric (g, kg, cm) or imperial (oz, lb, in)")
	case set.Verify != VerifyOff && set.Verify != VerifyScan && set.Verify != VerifyShip:
		return fmt.Errorf("check items off, verify or ship, not %q", set.Verify)
	}
	if err := s.repo.SaveStoreSettings(ctx, id, set); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{StoreID: id, Action: "store settings changed"})
	return nil
}

// ImportAgain starts a store's import over from the Unshipped Orders report,
// rewriting its buyers' data: the way back after the data key was lost.
func (s *Station) ImportAgain(ctx context.Context, storeID int64, progress func(ImportProgress)) (ImportRun, error) {
	if err := s.repo.ResetImport(ctx, storeID); err != nil {
		return ImportRun{}, err
	}
	s.audit(ctx, AuditEntry{StoreID: storeID, Action: "import started over"})
	return s.Import(ctx, storeID, progress)
}
