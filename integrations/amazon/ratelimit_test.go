package amazon

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// A wait that is cancelled (Ctrl+C during a bulk ship) gives its token
// back: the next call waits as long as the cancelled one would have, not
// twice as long.
func TestACancelledWaitGivesItsTokenBack(t *testing.T) {
	l := NewLimiter()
	ctx := context.Background()
	burst := DefaultPlans["createReport"].Burst
	for range burst - headroom(burst) {
		d, err := l.Wait(ctx, "createReport")
		require.NoError(t, err)
		require.Zero(t, d)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	first, err := l.Wait(cancelled, "createReport")
	require.ErrorIs(t, err, context.Canceled)
	require.Greater(t, first, 50*time.Second, "the bucket is empty: about a minute to the next token")
	for range 5 {
		again, err := l.Wait(cancelled, "createReport")
		require.ErrorIs(t, err, context.Canceled)
		assert.InDelta(t, first.Seconds(), again.Seconds(), 1, "no token was kept by a cancelled wait")
	}

	// A 429 empties the bucket; Amazon's rate header retunes it.
	l.Throttled("getRates")
	d, err := l.Wait(cancelled, "getRates")
	require.ErrorIs(t, err, context.Canceled)
	assert.Positive(t, d)
	l.Observe("getReport", "0.5")
	for range DefaultPlans["getReport"].Burst - headroom(DefaultPlans["getReport"].Burst) {
		_, _ = l.Wait(ctx, "getReport")
	}
	d, _ = l.Wait(cancelled, "getReport")
	assert.InDelta(t, 2, d.Seconds(), 0.1, "one token every 2 s at 0.5 per second")
}

// Calls reach Amazon with the network's jitter, a few bunched together: the
// limiter keeps a few of the burst's tokens in hand, so a bunch never meets
// an empty bucket at Amazon (a 429), and the first wait comes one token early.
func TestTheLimiterKeepsHeadroomBelowAmazonsBurst(t *testing.T) {
	l := NewLimiter()
	ctx := context.Background()
	sent := 0
	for {
		d, err := l.Wait(ctx, "purchaseShipment")
		require.NoError(t, err)
		if d > 0 {
			break
		}
		sent++
	}
	assert.Equal(t, 95, sent, "5 of Amazon's 100 are spare")
	assert.Equal(t, 0, headroom(2), "a burst of 2 has none to spare")
	assert.Equal(t, 1, headroom(20))
}

// Four benches of one queue calling Amazon for one seller take a quarter
// each of what every bench calls (Amazon counts them together), and the
// import's operations, which run on one bench at a time, keep all of theirs.
func TestBenchesShareTheSellersLimits(t *testing.T) {
	ctx := context.Background()
	immediate := func(l *Limiter, op string) int {
		n := 0
		for {
			if l.Delay(op) > 0 {
				return n
			}
			_, err := l.Wait(ctx, op)
			require.NoError(t, err)
			n++
		}
	}
	alone := NewLimiter()
	four := NewLimiter()
	four.SetShare(0.25)
	assert.Equal(t, 95, immediate(alone, "purchaseShipment"), "Amazon's burst of 100, 5% kept in hand")
	assert.Equal(t, 23, immediate(four, "purchaseShipment"), "a quarter of the burst, its headroom kept")
	assert.InDelta(t, 20, float64(four.bucket("purchaseShipment").Limit()), 0.001, "a quarter of 80 a second")
	assert.Equal(t, immediate(alone, "searchOrders"), immediate(four, "searchOrders"), "the import's operations are one bench's")

	// A bench that joins later changes the share of buckets already made.
	f := &Flow{}
	lim := f.limiter(station.Credentials{Region: station.RegionNA, SellingPartnerID: "A1SELLER"})
	f.SetBenches(2)
	assert.InDelta(t, 40, float64(lim.bucket("getRates").Limit()), 0.001)
	f.SetBenches(1)
	assert.InDelta(t, 80, float64(lim.bucket("getRates").Limit()), 0.001)
}
