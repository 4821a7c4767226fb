package station

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// feedScale is an open scale whose readings a test sends one by one.
type feedScale struct {
	readings chan ScaleReading
	closed   func()
}

func (f *feedScale) Read(ctx context.Context) (ScaleReading, error) {
	select {
	case r, ok := <-f.readings:
		if !ok {
			return ScaleReading{}, errors.New("unplugged")
		}
		return r, nil
	case <-ctx.Done():
		return ScaleReading{}, ctx.Err()
	}
}

func (f *feedScale) Close() error { f.closed(); return nil }

// bench is a scale opener that opens the scale plugged in now (none: the
// port is not there) and fails a test that opens the port twice.
type bench struct {
	t       *testing.T
	mu      sync.Mutex
	plugged chan ScaleReading
	open    bool
	opened  int
}

func (b *bench) openScale(ScaleConfig) (Scale, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.plugged == nil {
		return nil, errors.New("open /dev/ttyUSB0: no such file or directory")
	}
	if b.open {
		b.t.Error("the port was opened while still open")
	}
	b.open = true
	b.opened++
	return &feedScale{readings: b.plugged, closed: func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.open = false
	}}, nil
}

// plug plugs a scale in: its readings are sent on the channel.
func (b *bench) plug() chan ScaleReading {
	readings := make(chan ScaleReading)
	b.mu.Lock()
	b.plugged = readings
	b.mu.Unlock()
	return readings
}

func kg(v float64, stable bool) ScaleReading {
	w := Weight{Value: v, Unit: Kilogram}
	text := w.String() + " (unstable: hold still)"
	if stable {
		text = w.String() + " (stable)"
	}
	return ScaleReading{Weight: w, Stable: stable, Text: text}
}

var usbScale = ScaleConfig{Port: "/dev/ttyUSB0", Protocol: "sics"}

// waitFor waits until the monitor shows want.
func waitFor(t *testing.T, m *ScaleMonitor, want func(ScaleReading) bool) ScaleReading {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if r := m.Reading(); want(r) {
			return r
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the monitor still shows %+v", m.Reading())
	return ScaleReading{}
}

// The window shows every change of the weight as it happens; the next
// order takes the next stable weight, not a moving one; and a parcel
// left on the scale after its label is never weighed for the next order:
// it waits until the scale moves.
func TestTheScaleIsReadLiveAndEachStableWeightShipsOneLabel(t *testing.T) {
	b := &bench{t: t}
	sc := b.plug()
	m := newScaleMonitor(b.openScale)
	var seen []string
	var mu sync.Mutex
	m.Watch(func(r ScaleReading) { mu.Lock(); seen = append(seen, r.Text); mu.Unlock() })
	require.NoError(t, m.Use(t.Context(), usbScale))
	defer m.Stop()

	sc <- kg(1.31, false)
	sc <- kg(1.31, false) // the same again: no change to show
	sc <- kg(1.234, true)
	w, err := m.NextWeight(t.Context())
	require.NoError(t, err)
	assert.Equal(t, Weight{Value: 1.234, Unit: Kilogram}, w)
	mu.Lock()
	assert.Equal(t, []string{"1.31 kg (unstable: hold still)", "1.234 kg (stable)"}, seen)
	mu.Unlock()

	m.labelBought(w)
	assert.True(t, m.WaitingForNewWeight())
	mu.Lock()
	assert.Len(t, seen, 3, "watchers are told the weight was used")
	mu.Unlock()
	sc <- kg(1.234, true) // the parcel still there
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = m.NextWeight(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the last label's parcel is not weighed again")

	sc <- ScaleReading{Text: "0 (nothing on the scale)"}
	sc <- kg(0.5, false)
	sc <- kg(1.234, true) // another parcel, the same weight
	w, err = m.NextWeight(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1.234, w.Value, "a new parcel of the same weight is weighed")
	assert.False(t, m.WaitingForNewWeight())

	// A label bought with a typed weight leaves the scale's weight unused.
	m.labelBought(Weight{Value: 2, Unit: Kilogram})
	assert.False(t, m.WaitingForNewWeight())
}

// A scale that is not there, or is unplugged, says so and is opened again
// until it is back; then its readings flow.
func TestAnUnpluggedScaleIsOpenedAgainWhenItIsBack(t *testing.T) {
	b := &bench{t: t}
	m := newScaleMonitor(b.openScale)
	m.retry = 10 * time.Millisecond
	require.NoError(t, m.Use(t.Context(), usbScale))
	defer m.Stop()
	r := waitFor(t, m, func(r ScaleReading) bool { return r.Offline })
	assert.Equal(t, "cannot open it: open /dev/ttyUSB0: no such file or directory (trying again; type weights meanwhile)", r.Text)
	assert.False(t, r.Stable)

	sc := b.plug()
	sc <- kg(2.5, true)
	waitFor(t, m, func(r ScaleReading) bool { return r.Stable && r.Weight.Value == 2.5 })

	close(sc) // the cable pulled
	r = waitFor(t, m, func(r ScaleReading) bool { return r.Offline })
	assert.Equal(t, "unplugged (trying again; type weights meanwhile)", r.Text, "the reader's own words")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	_, err := m.NextWeight(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "no weight from a scale that is gone")

	again := b.plug()
	again <- kg(0.75, true)
	w, err := m.NextWeight(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 0.75, w.Value)
}

// Choosing the scale again (the same port, as the settings do while typed)
// closes the port before it is opened again; no scale stops reading, and
// settings that name no protocol are refused and change nothing.
func TestChoosingTheScaleAgainClosesThePortFirst(t *testing.T) {
	b := &bench{t: t}
	b.plug()
	m := newScaleMonitor(b.openScale)
	for range 20 {
		require.NoError(t, m.Use(t.Context(), usbScale))
	}
	waitFor(t, m, func(ScaleReading) bool { b.mu.Lock(); defer b.mu.Unlock(); return b.opened >= 1 })
	assert.ErrorContains(t, m.Use(t.Context(), ScaleConfig{Port: "COM3", Protocol: "morse"}), "scale protocol")
	assert.ErrorContains(t, m.Use(t.Context(), ScaleConfig{Port: "/dev/hidraw2", Protocol: "sics"}), "is a USB scale: its protocol is hid")
	assert.ErrorContains(t, m.Use(t.Context(), ScaleConfig{Port: `\\?\HID#VID_0922&PID_8003#7&1`, Protocol: "nci"}), "is a USB scale")
	assert.True(t, m.On(), "a refused change leaves the scale read")

	require.NoError(t, m.Use(t.Context(), ScaleConfig{}))
	assert.False(t, m.On())
	_, err := m.NextWeight(t.Context())
	assert.ErrorIs(t, err, ErrNoScale)
	m.Stop() // waits for the port to close, though no scale is read now
	b.mu.Lock()
	assert.False(t, b.open, "the port is closed")
	b.mu.Unlock()
	// A scale chosen again once none was: still one open at a time.
	require.NoError(t, m.Use(t.Context(), usbScale))
	require.NoError(t, m.Use(t.Context(), ScaleConfig{}))
	require.NoError(t, m.Use(t.Context(), usbScale))
	m.Stop()
}
