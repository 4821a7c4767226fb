package sim

import (
	"sync"
	"time"
)

// Clock is the simulator's time: real time since start multiplied by the
// time scale, plus whatever tests and benchmarks advance it by. Every
// lifetime (codes, tokens, rate tokens, report processing, tracking) and
// every rate-limit refill runs on it, so they all scale together.
type Clock struct {
	mu        sync.Mutex
	realStart time.Time
	simStart  time.Time
	scale     float64
	offset    time.Duration
	realNow   func() time.Time
}

// NewClock starts simulated time at start, running scale times faster than real time.
func NewClock(start time.Time, scale float64) *Clock {
	if scale <= 0 {
		scale = 1
	}
	return &Clock{realStart: time.Now(), simStart: start.UTC(), scale: scale, realNow: time.Now}
}

// Now is the current simulated time (UTC).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := float64(c.realNow().Sub(c.realStart)) * c.scale
	return c.simStart.Add(time.Duration(elapsed) + c.offset).UTC()
}

// Advance jumps simulated time forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// Scale is how many simulated seconds pass per real second.
func (c *Clock) Scale() float64 { return c.scale }

// RealDuration converts a simulated duration to the real time a client
// experiences: a 3600 s token at scale 60 lives 60 real seconds.
func (c *Clock) RealDuration(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.scale)
}
