package amazon

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// UsagePlan is an operation's documented rate (requests per second) and burst.
type UsagePlan struct {
	Rate  float64
	Burst int
}

// DefaultPlans are Amazon's documented usage plans for the operations
// Packbench calls (docs/amazon.md, "Rate limits", read from the models; a test
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
	"getUnmanifestedShipments":     {80, 100},
	"generateCollectionForm":       {80, 100},
	"getCollectionFormHistory":     {80, 100},
	"getCollectionForm":            {80, 100},
}

// Limiter paces one store's calls: a token bucket per operation
// (golang.org/x/time/rate), seeded from DefaultPlans and retuned from
// x-amzn-RateLimit-Limit, so that calls wait here instead of being refused
// by Amazon. A wait that is cancelled gives its token back: a stopped bulk
// ship does not starve the next call.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	now     func() time.Time
	// share is this bench's part of the seller's limits (SetShare).
	share float64
}

// NewLimiter makes a limiter with Amazon's documented plans.
func NewLimiter() *Limiter {
	return &Limiter{buckets: map[string]*rate.Limiter{}, now: time.Now, share: 1}
}

// oneBenchOps are the operations that run on one bench at a time where
// benches share an order queue (a store's import: its reports and
// searchOrders, under the queue's import lock); every other operation may
// be called by every bench at once.
var oneBenchOps = map[string]bool{"searchOrders": true, "createReport": true, "getReport": true, "getReportDocument": true}

// SetShare gives this bench a part (0 < share <= 1) of the seller's limits
// for the operations every bench calls: Amazon counts the calls of all the
// benches of a seller together (docs/amazon.md, "Rate limits"), so n
// benches each take 1/n of each bucket's rate and burst.
func (l *Limiter) SetShare(share float64) {
	if share <= 0 || share > 1 {
		share = 1
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.share = share
	now := l.now()
	for op, b := range l.buckets {
		r, burst := l.planLocked(op)
		b.SetLimitAt(now, r)
		b.SetBurstAt(now, burst)
	}
}

// planLocked is op's rate and burst for this bench, its share applied and
// headroom kept; l.mu is held.
func (l *Limiter) planLocked(op string) (rate.Limit, int) {
	p, ok := DefaultPlans[op]
	if !ok {
		p = UsagePlan{Rate: 1, Burst: 5}
	}
	if !oneBenchOps[op] && l.share < 1 {
		p.Rate *= l.share
		p.Burst = max(1, int(float64(p.Burst)*l.share))
	}
	return rate.Limit(p.Rate), p.Burst - headroom(p.Burst)
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

func (l *Limiter) bucket(op string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[op]
	if b == nil {
		b = rate.NewLimiter(l.planLocked(op))
		l.buckets[op] = b
	}
	return b
}

// headroom is how many of Amazon's burst tokens are left unused: calls
// leave here exactly paced, but reach Amazon with the network's jitter, a
// few bunched together; with none to spare Amazon's bucket would answer
// the bunch with a 429. 5% of the burst, at least one when it is above 2.
func headroom(burst int) int {
	if burst <= 2 {
		return 0
	}
	return min(burst-1, (burst+19)/20)
}

// Wait blocks until op may be called and says how long it waited. When ctx
// ends first, the token taken is given back.
func (l *Limiter) Wait(ctx context.Context, op string) (time.Duration, error) {
	now := l.now()
	r := l.bucket(op).ReserveN(now, 1)
	if !r.OK() {
		return 0, fmt.Errorf("rate limit of %s cannot be met", op)
	}
	d := r.DelayFrom(now)
	if err := sleepCtx(ctx, d); err != nil {
		r.CancelAt(l.now())
		return d, err
	}
	return d, nil
}

// Delay is how long a call of op would wait now, without taking a token.
func (l *Limiter) Delay(op string) time.Duration {
	b, now := l.bucket(op), l.now()
	if tokens := b.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(b.Limit()) * float64(time.Second))
	}
	return 0
}

// Observe retunes op's rate from an x-amzn-RateLimit-Limit header.
func (l *Limiter) Observe(op, header string) {
	r, err := strconv.ParseFloat(header, 64)
	if err != nil || r <= 0 {
		return
	}
	l.mu.Lock()
	if !oneBenchOps[op] {
		r *= l.share // the seller's rate: this bench's part of it
	}
	l.mu.Unlock()
	l.bucket(op).SetLimitAt(l.now(), rate.Limit(r))
}

// Throttled empties op's bucket after a 429: Amazon's bucket is empty too.
func (l *Limiter) Throttled(op string) {
	b, now := l.bucket(op), l.now()
	if n := int(math.Floor(b.TokensAt(now))); n > 0 {
		b.AllowN(now, n)
	}
}

// Backoff is the wait before retry n (0-based): exponential from base, capped,
// with ±50% jitter so several benches do not retry in step.
func Backoff(n int, base, maxWait time.Duration) time.Duration {
	d := float64(base) * math.Pow(2, float64(n))
	d = math.Min(d, float64(maxWait))
	return time.Duration(d * (0.5 + rand.Float64()))
}
