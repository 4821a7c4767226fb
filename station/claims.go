package station

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Claim is a bench (a process on a computer) working on an order: buying
// its label, settling, voiding or printing it. At most one at a time, so
// that two benches scanning one order never buy or print it twice.
type Claim struct {
	OrderID int64
	Host    string
	PID     int
	What    string // "buying a label", "voiding the label", ...
	At      time.Time
	// Bench names the bench where benches share one queue (empty on one bench).
	Bench string
	// SkipLocked: where benches share a queue, an order another bench is
	// claiming at this instant is not waited for; the claim returns not
	// taken, with a holder of no name (a bulk ship moves on).
	SkipLocked bool
}

// Claims stores who works on which order. ClaimOrder either takes the
// order for c or returns the claim that holds it (taken false); a stale
// claim (see claimIsStale) is taken over in the same transaction.
type Claims interface {
	ClaimOrder(ctx context.Context, c Claim, stale func(Claim) bool) (holder Claim, taken bool, err error)
	ReleaseOrder(ctx context.Context, orderID int64, host string, pid int) error
}

// ErrOrderBusy is wrapped by the error that says who is working on an order.
var ErrOrderBusy = errors.New("another bench is working on this order")

// otherBenchWait is how long a claim waits for another bench's, polling
// every otherBenchPoll.
const (
	otherBenchWait = 1500 * time.Millisecond
	otherBenchPoll = 50 * time.Millisecond
)

// ErrOtherBench is wrapped where another bench of a shared queue has the
// order, or bought its label: a bulk ship leaves it to that bench.
var ErrOtherBench = errors.New("another bench has this order")

// claimTimeout is how long a claim from another computer holds before it
// counts as abandoned: longer than any purchase call may take (the Amazon
// client gives up after a minute), so a live purchase is never taken over.
const claimTimeout = 3 * time.Minute

// thisProcess names this process in claims: the computer and its pid.
func thisProcess() (string, int) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "this computer"
	}
	return host, os.Getpid()
}

// claimIsStale says whether a claim was left by a process that is gone:
// on this computer, its pid no longer runs; on another, it is older than
// claimTimeout.
func (s *Station) claimIsStale(c Claim) bool {
	host, _ := thisProcess()
	if c.Host == host && !processAlive(c.PID) {
		return true
	}
	return s.now().Sub(c.At) > claimTimeout
}

// claimOrder takes an order for this process, or says who has it. The
// returned release gives it back; call it when the work is done.
func (s *Station) claimOrder(ctx context.Context, orderID int64, what string) (release func(), err error) {
	return s.claim(ctx, orderID, what, false)
}

// claimOrSkip is claimOrder for a bulk ship on a shared queue: an order
// another bench holds or is taking is left to it at once (ErrOtherBench),
// so benches shipping one list together split it instead of queueing.
func (s *Station) claimOrSkip(ctx context.Context, orderID int64, what string) (release func(), err error) {
	return s.claim(ctx, orderID, what, s.benchName != "")
}

func (s *Station) claim(ctx context.Context, orderID int64, what string, skip bool) (release func(), err error) {
	host, pid := thisProcess()
	var holder Claim
	taken := false
	// Another bench's claim is most often a moment's (it finds the label
	// bought, or prints it): waited for briefly, it answers better than
	// "busy" ("bought by Pack-2"), and a print is not failed for it.
	for wait := time.Duration(0); ; wait += otherBenchPoll {
		holder, taken, err = s.repo.ClaimOrder(ctx, Claim{OrderID: orderID, Host: host, PID: pid, What: what, At: s.now(),
			Bench: s.benchName, SkipLocked: skip}, s.claimIsStale)
		if err != nil {
			return nil, fmt.Errorf("claim the order: %w", err)
		}
		if skip && !taken && (holder.Bench != s.benchName || holder.Host == "") {
			return nil, fmt.Errorf("%w: another bench is %s", ErrOtherBench, what)
		}
		if taken || holder.Bench == "" || holder.Bench == s.benchName || wait >= otherBenchWait {
			break
		}
		select {
		case <-time.After(otherBenchPoll):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if !taken {
		who := fmt.Sprintf("%s (process %d)", holder.Host, holder.PID)
		switch {
		case holder.Host == host && holder.PID == pid:
			who = "this Packbench"
		case holder.Bench != "":
			who = "bench " + holder.Bench
		}
		busy := ErrOrderBusy
		if holder.Bench != "" && holder.Bench != s.benchName {
			busy = errors.Join(ErrOrderBusy, ErrOtherBench)
		}
		return nil, fmt.Errorf("%w: %s is %s since %s; try again when it is done",
			busy, who, holder.What, holder.At.Local().Format("15:04:05"))
	}
	return func() {
		if err := s.repo.ReleaseOrder(context.WithoutCancel(ctx), orderID, host, pid); err != nil {
			s.log.Warn("release an order", "order", orderID, "err", err)
		}
	}, nil
}
