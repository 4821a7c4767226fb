package amazon

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// UsagePlan is an operation's documented rate (requests per second) and burst.
type UsagePlan struct {
	Rate  float64
	Burst int
}

// DefaultPlans are Amazon's documented usage plans for the operations
// Packbench calls (amazon-api-notes.md §10, read from the models; a test
// keeps this table equal to the models).
var DefaultPlans = map[string]UsagePlan{
	"searchOrders":                 {0.0056, 20},
	"getOrder":                     {0.5, 30},
	"confirmShipment":              {2, 10},
	"createReport":                 {0.0167, 15},
	"getReport":                    {2, 15},
	"getReportDocument":            {0.0167, 15},
	"createRestrictedDataToken":    {1, 10},
	"getMarketplaceParticipations": {0.016, 15},
	"getCatalogItem":               {2, 2},
	"searchCatalogItems":           {2, 2},
	"getRates":                     {80, 100},
	"purchaseShipment":             {80, 100},
	"getShipmentDocuments":         {80, 100},
	"cancelShipment":               {80, 100},
	"getTracking":                  {80, 100},
}

// Limiter paces one store's calls: a token bucket per operation, seeded
// from DefaultPlans and retuned from x-amzn-RateLimit-Limit, so that calls
// wait here instead of being refused by Amazon.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*clientBucket
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
}

type clientBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// NewLimiter makes a limiter with Amazon's documented plans.
func NewLimiter() *Limiter {
	return &Limiter{buckets: map[string]*clientBucket{}, now: time.Now, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (l *Limiter) bucket(op string) *clientBucket {
	b := l.buckets[op]
	if b == nil {
		p, ok := DefaultPlans[op]
		if !ok {
			p = UsagePlan{Rate: 1, Burst: 5}
		}
		b = &clientBucket{rate: p.Rate, burst: float64(p.Burst), tokens: float64(p.Burst), last: l.now()}
		l.buckets[op] = b
	}
	return b
}

// Reserve takes a token for op and returns how long to wait before using it.
func (l *Limiter) Reserve(op string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(op)
	now := l.now()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// Wait blocks until op may be called.
func (l *Limiter) Wait(ctx context.Context, op string) (time.Duration, error) {
	d := l.Reserve(op)
	return d, l.sleep(ctx, d)
}

// Observe retunes op's rate from an x-amzn-RateLimit-Limit header.
func (l *Limiter) Observe(op, header string) {
	r, err := strconv.ParseFloat(header, 64)
	if err != nil || r <= 0 {
		return
	}
	l.mu.Lock()
	l.bucket(op).rate = r
	l.mu.Unlock()
}

// Throttled empties op's bucket after a 429: Amazon's bucket is empty too.
func (l *Limiter) Throttled(op string) {
	l.mu.Lock()
	b := l.bucket(op)
	b.tokens = math.Min(b.tokens, 0)
	l.mu.Unlock()
}

// Backoff is the wait before retry n (0-based): exponential from base, capped,
// with ±50% jitter so several benches do not retry in step.
func Backoff(n int, base, maxWait time.Duration) time.Duration {
	d := float64(base) * math.Pow(2, float64(n))
	d = math.Min(d, float64(maxWait))
	return time.Duration(d * (0.5 + rand.Float64()))
}
