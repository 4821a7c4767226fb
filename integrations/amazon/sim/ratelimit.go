package sim

import (
	"math"
	"sync"
	"time"
)

// bucket is Amazon's token bucket: rate tokens per second up to burst, one per
// request, refilled in simulated time.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func (b *bucket) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens, b.last = b.burst, now
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = math.Min(b.burst, b.tokens+dt*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// limiter holds one bucket per (seller, operation): Amazon limits each
// selling partner and application pair apart.
type limiter struct {
	mu      sync.Mutex
	plans   map[string]plan
	buckets map[[2]string]*bucket
}

type plan struct {
	rate  float64
	burst int
}

func newLimiter(plans map[string]plan) *limiter {
	return &limiter{plans: plans, buckets: map[[2]string]*bucket{}}
}

// allow reports whether the request may proceed and the documented rate.
func (l *limiter) allow(seller, op string, now time.Time) (ok bool, rate float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, known := l.plans[op]
	if !known {
		return true, 0
	}
	key := [2]string{seller, op}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{rate: p.rate, burst: float64(p.burst)}
		l.buckets[key] = b
	}
	return b.take(now), p.rate
}
