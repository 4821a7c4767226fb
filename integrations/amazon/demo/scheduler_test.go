package demo

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/station"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The scheduler on the station's clock: a store imports every N minutes
// (not sooner), queued labels go out when their printer is back, and
// buyers' data past retention is redacted, hour after hour of simulated
// time in milliseconds.
func TestTheSchedulerImportsOnTimeRetriesPrintsAndRedacts(t *testing.T) {
	w, st := importWorld(t, 20)
	ctx, stop := context.WithCancel(context.Background())
	clock := &testClock{t: time.Now().UTC()}
	ticks := make(chan time.Time)
	w.station.WithClock(clock.now, ticks).WithLabelPrinter(rawPrinter{})
	set := st.Settings
	set.ImportEveryMinutes = 15
	require.NoError(t, w.station.UpdateStoreSettings(ctx, st.ID, set))

	runs := make(chan station.ImportEvent, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.station.RunScheduler(ctx, func(e station.ImportEvent) {
			if e.Run != nil {
				runs <- e
			}
		})
	}()
	tick := func() { ticks <- clock.now() }
	imported := func() bool {
		select {
		case e := <-runs:
			require.NoError(t, e.Err)
			return true
		case <-time.After(300 * time.Millisecond):
			return false
		}
	}
	waitImport := func() {
		select {
		case e := <-runs:
			require.NoError(t, e.Err)
		case <-time.After(20 * time.Second):
			t.Fatal("no import ran")
		}
	}
	waitImport() // a store that never imported is due at once

	clock.advance(10 * time.Minute)
	tick()
	assert.False(t, imported(), "not due before 15 minutes")
	clock.advance(6 * time.Minute)
	tick()
	waitImport()

	// A label waits for its printer; the next tick after it is back prints it.
	rows, err := w.station.AllOrders(ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	order := rows[0]
	_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 400, Unit: station.Gram}}})
	require.NoError(t, err)
	addr := printertest.OfflineAddr(t)
	pr, err := w.station.SavePrinter(ctx, station.Printer{Name: "Zebra", Kind: station.PrinterRaw9100, Address: addr})
	require.NoError(t, err)
	require.NoError(t, w.station.SetLabelPrinter(ctx, pr.ID))
	require.ErrorIs(t, w.station.PrintLabel(ctx, order.ID), station.ErrQueued)
	_, jobs := printertest.ZebraAt(t, addr)
	tick()
	assert.Contains(t, string(printertest.WaitJob(t, jobs)), "^XA", "the queued label printed on the next tick")

	// Sixty days on: every order is past its delivery and the retention.
	clock.advance(60 * 24 * time.Hour)
	tick()
	waitImport()
	require.Eventually(t, func() bool {
		o, err := w.station.Order(ctx, order.ID)
		return err == nil && !o.RedactedAt.IsZero()
	}, 10*time.Second, 20*time.Millisecond, "the buyer's data is redacted on the hour")

	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler did not stop with its context")
	}
}
