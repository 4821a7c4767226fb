package station

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ScaleMonitor keeps a bench's scale open and read for as long as the bench
// has one, so the window can show the weight live and a dialog can take
// the next stable weight without opening the port itself (a serial port
// opens once at a time). A scale unplugged or switched off is opened again
// every few seconds: plugging it back is all a packer does.
//
// A stable weight is used for one label only: after a label is bought
// with it, the next order waits until the scale moves or shows another
// weight, so a parcel left on the scale is never weighed for the next
// order.
type ScaleMonitor struct {
	open  ScaleOpener
	retry time.Duration

	mu   sync.Mutex
	stop context.CancelFunc // ends the reading of the scale now; nil: none
	// stopped is closed when the last scale read has closed its port (the
	// next one opens after it; Stop waits for it).
	stopped  chan struct{}
	reading  ScaleReading
	settled  uint64 // the stable weight shown now, counted; 0 when none
	count    uint64 // stable weights seen since the start
	used     uint64 // the stable weight a label was last bought with
	changed  chan struct{}
	watchers map[int]func(ScaleReading)
	nextID   int
}

// scaleRetry is how long an absent scale waits before it is opened again.
const scaleRetry = 3 * time.Second

func newScaleMonitor(open ScaleOpener) *ScaleMonitor {
	return &ScaleMonitor{open: open, retry: scaleRetry, changed: make(chan struct{}), watchers: map[int]func(ScaleReading){}}
}

// Use reads the scale cfg describes from now on, in place of the one read
// so far; an empty cfg (no scale) stops reading. Settings that cannot
// describe a scale are refused and change nothing. It does not wait for
// the scale read so far to close: the next is opened after it is.
func (m *ScaleMonitor) Use(ctx context.Context, cfg ScaleConfig) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	previous := m.stopped
	if m.stop != nil {
		m.stop()
	}
	m.stop = nil
	if cfg.Port == "" {
		m.reading, m.settled = ScaleReading{}, 0
		m.wakeLocked() // NextWeight: no scale now
		return nil
	}
	ctx, m.stop = context.WithCancel(ctx)
	m.stopped = make(chan struct{})
	m.setLocked(ScaleReading{Text: "opening " + cfg.Port + "…"})
	go m.run(ctx, cfg, previous, m.stopped)
	return nil
}

// Stop closes the scale and waits until it is closed.
func (m *ScaleMonitor) Stop() {
	m.mu.Lock()
	stop, stopped := m.stop, m.stopped
	m.stop = nil
	m.mu.Unlock()
	if stop != nil {
		stop()
	}
	if stopped != nil {
		<-stopped
	}
}

// On says whether a scale is being read.
func (m *ScaleMonitor) On() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stop != nil
}

// Reading is what the scale shows now.
func (m *ScaleMonitor) Reading() ScaleReading {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reading
}

// Watch calls f with every change of the reading, from the monitor's
// goroutine, until the returned stop is called.
func (m *ScaleMonitor) Watch(f func(ScaleReading)) (stop func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextID
	m.nextID++
	m.watchers[id] = f
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.watchers, id)
	}
}

// WaitingForNewWeight says whether the stable weight shown now was already
// used for a label: the next one waits for the scale to change.
func (m *ScaleMonitor) WaitingForNewWeight() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.settled != 0 && m.settled == m.used
}

// NextWeight waits for a stable weight of something on the scale that no
// label was bought with yet, until ctx ends. With no scale it is
// ErrNoScale at once.
func (m *ScaleMonitor) NextWeight(ctx context.Context) (Weight, error) {
	for {
		m.mu.Lock()
		if m.stop == nil {
			m.mu.Unlock()
			return Weight{}, ErrNoScale
		}
		if m.settled != 0 && m.settled != m.used {
			w := m.reading.Weight
			m.mu.Unlock()
			return w, nil
		}
		changed := m.changed
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return Weight{}, ctx.Err()
		case <-changed:
		}
	}
}

// labelBought marks the stable weight shown now as used when a label was
// bought with it.
func (m *ScaleMonitor) labelBought(w Weight) {
	m.mu.Lock()
	if m.settled == 0 || m.reading.Weight != w || m.used == m.settled {
		m.mu.Unlock()
		return
	}
	m.used = m.settled
	r, watchers := m.reading, m.watchersLocked()
	m.mu.Unlock()
	for _, f := range watchers { // the window says the weight was used
		f(r)
	}
}

func (m *ScaleMonitor) watchersLocked() []func(ScaleReading) {
	watchers := make([]func(ScaleReading), 0, len(m.watchers))
	for _, f := range m.watchers {
		watchers = append(watchers, f)
	}
	return watchers
}

// run opens the scale and reads it until ctx ends, opening it again after
// it fails.
func (m *ScaleMonitor) run(ctx context.Context, cfg ScaleConfig, previous, stopped chan struct{}) {
	defer close(stopped)
	if previous != nil {
		<-previous // the same port, maybe: it opens once at a time
	}
	for ctx.Err() == nil {
		sc, err := m.open(cfg)
		if err != nil {
			err = fmt.Errorf("cannot open it: %w", err)
		} else {
			for {
				var r ScaleReading
				if r, err = sc.Read(ctx); err != nil {
					break
				}
				m.set(ctx, r)
			}
			sc.Close()
		}
		if ctx.Err() != nil {
			break
		}
		m.set(ctx, ScaleReading{Offline: true, Text: err.Error() + " (trying again; type weights meanwhile)"})
		select {
		case <-ctx.Done():
		case <-time.After(m.retry):
		}
	}
}

// set keeps a reading of the scale read until ctx ends (a reading that
// comes after is the last scale's, not this one's).
func (m *ScaleMonitor) set(ctx context.Context, r ScaleReading) {
	m.mu.Lock()
	if ctx.Err() != nil || !m.setLocked(r) {
		m.mu.Unlock()
		return
	}
	watchers := m.watchersLocked()
	m.mu.Unlock()
	for _, f := range watchers {
		f(r)
	}
}

// setLocked keeps a reading and says whether it changed anything. A
// stable weight is counted once however long it stays: a different
// weight, or any reading between, starts another.
func (m *ScaleMonitor) setLocked(r ScaleReading) bool {
	if r == m.reading {
		return false
	}
	switch {
	case !r.Stable:
		m.settled = 0
	case !m.reading.Stable || m.reading.Weight != r.Weight:
		m.count++
		m.settled = m.count
	}
	m.reading = r
	m.wakeLocked()
	return true
}

// wakeLocked wakes those waiting for a change (NextWeight).
func (m *ScaleMonitor) wakeLocked() {
	close(m.changed)
	m.changed = make(chan struct{})
}
