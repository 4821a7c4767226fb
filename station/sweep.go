package station

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Before a label is bought, Packbench makes sure the buyer has not
// cancelled the order since it was imported. Asking Amazon order by order
// (getOrder) allows half an order a second: 200 labels would wait almost
// six minutes for it. So a batch first sweeps each store once (an
// incremental import: searchOrders for what changed since the last one),
// and within SweepFresh of a sweep a label is bought on the order's stored
// status. Amazon refuses to rate or sell a label for a cancelled order, so
// one cancelled in the last moments is caught there (docs/architecture.md,
// "Checking for cancellations").

// SweepFresh is how long a sweep vouches for its store's orders.
const SweepFresh = 2 * time.Minute

// ErrOrderCancelled marks an order the buyer cancelled: nothing was bought.
var ErrOrderCancelled = errors.New("was cancelled by the buyer: do not ship it")

// CallWaiter is a Shipper that can say how long a call would wait for the
// store's rate limit now, without making it.
type CallWaiter interface {
	CallWait(c Credentials, op string) time.Duration
}

// sweepLog remembers when each store was last swept (in memory: a restart
// sweeps again).
type sweepLog struct {
	mu sync.Mutex
	at map[int64]time.Time
}

func (l *sweepLog) mark(storeID int64, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = map[int64]time.Time{}
	}
	if at.After(l.at[storeID]) {
		l.at[storeID] = at
	}
}

func (l *sweepLog) last(storeID int64) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.at[storeID]
}

// fresh says whether a sweep of the store began within SweepFresh: this
// bench's, or on a shared queue any bench's (its last import that ended
// well, which brought the shared orders up to date).
func (s *Station) fresh(ctx context.Context, storeID int64) bool {
	at := s.sweeps.last(storeID)
	if !at.IsZero() && s.now().Sub(at) < SweepFresh {
		return true
	}
	if _, shared := s.repo.(StoreLocks); !shared || s.benchName == "" {
		return false
	}
	runs, err := s.repo.ImportRuns(ctx, storeID, 3)
	if err != nil {
		return false
	}
	for _, r := range runs {
		if !r.FinishedAt.IsZero() && r.Error == "" && s.now().Sub(r.StartedAt) < SweepFresh {
			s.sweeps.mark(storeID, r.StartedAt)
			return true
		}
	}
	return false
}

// sweepWait is how long a sweep waits for another bench's import of the
// store before it gives up on it (and orders are checked one by one).
const sweepWait = time.Minute

// Sweep brings a store's orders up to date with Amazon in one incremental
// import, unless a sweep began within SweepFresh. An import already
// running is waited for and counts.
func (s *Station) Sweep(ctx context.Context, storeID int64) error {
	for range 2 {
		if s.fresh(ctx, storeID) {
			return nil
		}
		_, err := s.Import(ctx, storeID, nil)
		if !errors.Is(err, ErrImportRunning) {
			return err
		}
		if s.benchName != "" {
			// Perhaps on another bench of the queue: its import serves
			// this bench too, once it ends.
			deadline := time.Now().Add(sweepWait)
			for !s.fresh(ctx, storeID) && time.Now().Before(deadline) {
				select {
				case <-time.After(250 * time.Millisecond):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
		// Another import (the scheduler's) is running: wait for it.
		lock := s.storeLock(storeID)
		done := make(chan struct{})
		go func() {
			lock.Lock()
			//lint:ignore SA2001 taking the lock only waits for the import that holds it
			lock.Unlock()
			close(done)
		}()
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if s.fresh(ctx, storeID) {
		return nil
	}
	return ErrImportRunning
}

// checkOrder makes sure an order can still be shipped before it is rated:
// on its stored status when its store was swept within SweepFresh,
// otherwise after asking Amazon, with getOrder, or with one sweep when
// orders queue up (getOrder's bucket is empty and searchOrders' is not).
func (s *Station) checkOrder(ctx context.Context, st Store, creds Credentials, o Order) (Order, error) {
	if !s.fresh(ctx, st.ID) {
		swept := false
		if w, ok := s.shipper.(CallWaiter); ok && w.CallWait(creds, "getOrder") > 0 && w.CallWait(creds, "searchOrders") == 0 {
			swept = s.Sweep(ctx, st.ID) == nil
		}
		if !swept {
			fresh, err := s.shipper.RefreshOrder(ctx, creds, o.AmazonOrderID)
			if err != nil {
				return o, fmt.Errorf("could not check the order with Amazon: %w", err)
			}
			if _, err := s.repo.UpsertOrders(ctx, st.ID, []Order{fresh}); err != nil {
				return o, err
			}
		}
		var err error
		if o, err = s.repo.GetOrder(ctx, o.ID); err != nil {
			return o, err
		}
	}
	return o, shippable(o)
}

func shippable(o Order) error {
	switch {
	case o.AmazonStatus == AmazonCancelled:
		return fmt.Errorf("order %s %w", o.AmazonOrderID, ErrOrderCancelled)
	case o.AmazonStatus != AmazonUnshipped && o.AmazonStatus != AmazonPartiallyShipped:
		return fmt.Errorf("order %s is %s on Amazon: nothing left to ship", o.AmazonOrderID, o.AmazonStatus)
	}
	return nil
}

// whyRefused explains a refused getRates or purchase: when the order was
// checked on its stored status, a refusal is most likely a cancellation
// since, so the order is asked for (one getOrder) and saved as Amazon has
// it. The refusal is returned as it was when the order is still shippable.
func (s *Station) whyRefused(ctx context.Context, orderID int64, refusal error) error {
	o, st, creds, err := s.shippingContext(ctx, orderID)
	if err != nil {
		return refusal
	}
	fresh, err := s.shipper.RefreshOrder(ctx, creds, o.AmazonOrderID)
	if err != nil {
		return refusal
	}
	if _, err := s.repo.UpsertOrders(ctx, st.ID, []Order{fresh}); err != nil {
		return refusal
	}
	if err := shippable(fresh); err != nil {
		return err
	}
	return refusal
}
