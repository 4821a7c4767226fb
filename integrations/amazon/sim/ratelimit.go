package sim

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter holds Amazon's token buckets, one per (seller, operation): Amazon
// limits each selling partner and application pair apart. They refill in
// simulated time (golang.org/x/time/rate's ...At methods take the
// simulator's clock).
type limiter struct {
	mu      sync.Mutex
	plans   map[string]plan
	buckets map[[2]string]*rate.Limiter
}

type plan struct {
	rate  float64
	burst int
}

func newLimiter(plans map[string]plan) *limiter {
	return &limiter{plans: plans, buckets: map[[2]string]*rate.Limiter{}}
}

// allow reports whether the request may proceed and the documented rate.
func (l *limiter) allow(seller, op string, now time.Time) (ok bool, r float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, known := l.plans[op]
	if !known {
		return true, 0
	}
	key := [2]string{seller, op}
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(rate.Limit(p.rate), p.burst)
		l.buckets[key] = b
	}
	return b.AllowN(now, 1), p.rate
}
