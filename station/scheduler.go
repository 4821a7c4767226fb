package station

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ImportEvent is what the scheduler tells the UI: progress of a running
// import, or its end (Run set, Err on failure).
type ImportEvent struct {
	StoreID  int64
	Progress *ImportProgress
	Run      *ImportRun
	Err      error
}

// schedulerTick is how often the scheduler looks for stores that are due.
const schedulerTick = 20 * time.Second

// nextAttempt is when a store is due: its interval after a success; after
// failures, sooner, backing off from a minute (never later than the
// interval): a failing store keeps retrying and never switches itself off.
func nextAttempt(last time.Time, interval time.Duration, failures int) time.Time {
	if failures == 0 {
		return last.Add(interval)
	}
	wait := time.Minute << min(failures-1, 10)
	return last.Add(min(wait, interval))
}

// RunScheduler imports every connected store every ImportEveryMinutes,
// tracks parcels (TrackDue), redacts buyers' data past retention and makes
// the day's backup (when the repository keeps backups) every hour, and
// retries the print queue, until ctx ends. Stores that need reauthorizing are left alone (no retry loop
// against a revoked authorization); one run per store at a time.
func (s *Station) RunScheduler(ctx context.Context, events func(ImportEvent)) {
	if events == nil {
		events = func(ImportEvent) {}
	}
	type state struct {
		last     time.Time
		failures int
	}
	var mu sync.Mutex
	states := map[int64]*state{}
	// Imports started here end before RunScheduler returns: the app closes
	// the database after it, never under a running import.
	var running sync.WaitGroup
	defer running.Wait()
	check := func() {
		stores, err := s.repo.ListStores(ctx)
		if err != nil {
			s.log.Warn("scheduler could not list stores", "err", err)
			return
		}
		now := s.now()
		for _, st := range stores {
			if !st.DisconnectedAt.IsZero() || st.Health == HealthRed {
				continue
			}
			mu.Lock()
			stt := states[st.ID]
			if stt == nil {
				stt = &state{last: st.LastImportAt}
				states[st.ID] = stt
			}
			// On a shared queue another bench may have imported the store
			// since: the interval counts from the latest import, anyone's.
			if st.LastImportAt.After(stt.last) && stt.failures == 0 {
				stt.last = st.LastImportAt
			}
			interval := time.Duration(max(1, st.Settings.ImportEveryMinutes)) * time.Minute
			due := !now.Before(nextAttempt(stt.last, interval, stt.failures))
			if due {
				stt.last = now
			}
			mu.Unlock()
			if !due {
				continue
			}
			running.Add(1)
			go func(id int64) {
				defer running.Done()
				run, err := s.Import(ctx, id, func(p ImportProgress) {
					p.StoreID = id
					events(ImportEvent{StoreID: id, Progress: &p})
				})
				if errors.Is(err, ErrImportRunning) || ctx.Err() != nil {
					return
				}
				mu.Lock()
				if err != nil {
					states[id].failures++
				} else {
					states[id].failures = 0
				}
				mu.Unlock()
				events(ImportEvent{StoreID: id, Run: &run, Err: err})
			}(st.ID)
		}
	}
	var lastRedact time.Time
	redact := func() {
		if !lastRedact.IsZero() && s.now().Sub(lastRedact) < time.Hour {
			return
		}
		lastRedact = s.now()
		if n, err := s.RedactDue(ctx); err != nil {
			s.log.Warn("redaction failed; it runs again within the hour", "err", err)
		} else if n > 0 {
			s.log.Info("buyers' data redacted", "orders", n)
		}
	}
	var lastBackup time.Time
	backup := func() {
		b, ok := s.repo.(Backups)
		if !ok || (!lastBackup.IsZero() && s.now().Sub(lastBackup) < time.Hour) {
			return
		}
		lastBackup = s.now()
		if path, err := b.BackupDaily(ctx, s.now()); err != nil {
			s.log.Warn("daily backup failed; tried again within the hour", "err", err)
		} else if path != "" {
			s.log.Info("daily backup written", "file", path)
		}
	}
	// Parcels are tracked beside the imports, one pass at a time.
	var tracking sync.Mutex
	track := func() {
		if !tracking.TryLock() {
			return
		}
		running.Add(1)
		go func() {
			defer running.Done()
			defer tracking.Unlock()
			if n, err := s.TrackDue(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("tracking parcels", "err", err)
			} else if n > 0 {
				s.log.Info("parcels moved on", "parcels", n)
			}
		}()
	}
	check()
	redact()
	backup()
	track()
	ticks, stop := s.ticker(schedulerTick)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			check()
			track()
			redact()
			backup()
			if n, err := s.RetryPrintQueue(ctx); err != nil {
				s.log.Warn("print queue", "err", err)
			} else if n > 0 {
				s.log.Info("queued labels printed", "labels", n)
			}
		}
	}
}
