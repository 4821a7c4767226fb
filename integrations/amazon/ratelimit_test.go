package amazon

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
