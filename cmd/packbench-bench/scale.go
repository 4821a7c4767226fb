package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/creack/pty"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/scale"
	"github.com/packbench/packbench/station"
)

// scaleToPrintBench times what a bench with a scale waits for: from the
// moment a serial scale (simulated MT-SICS on a pty, read by Packbench's
// serial reader) first shows the parcel's weight at rest, to the last byte
// of its label at a loopback 9100 printer: the read, the purchase at the
// simulator, the print queue.
func scaleToPrintBench(runs int) ([]Figure, error) {
	w, err := newBenchWorld("scale", sim.Config{Seed: 14, Orders: 1, TimeScale: 50, ReportDelay: 10 * time.Second}, 10*time.Millisecond, true)
	if err != nil {
		return nil, err
	}
	defer w.close()
	ctx := context.Background()
	st := w.st.WithLabelPrinter(rawLabelPrinter{}).WithScales(scale.Open, nil)
	s, err := st.ConnectDemo(ctx, station.RegionNA)
	if err != nil {
		return nil, err
	}
	if _, err := w.env.Sim.NewOrders(sim.DemoSellerNA, runs); err != nil {
		return nil, err
	}
	w.env.Sim.Clock().Advance(3 * time.Minute)
	if _, err := st.Import(ctx, s.ID, nil); err != nil {
		return nil, err
	}
	rows, err := st.AllOrders(ctx, station.OrderFilter{StoreID: s.ID, Status: station.StatusReady})
	if err != nil || len(rows) < runs {
		return nil, fmt.Errorf("%d orders to ship, %d asked: %v", len(rows), runs, err)
	}

	printed, closePrinter, err := loopbackLabelPrinter(ctx, st)
	if err != nil {
		return nil, err
	}
	defer closePrinter()

	ptmx, tty, err := pty.Open()
	if err != nil {
		return nil, err
	}
	defer ptmx.Close()
	defer tty.Close()
	// Each parcel moves for three readings, then rests; the first answer
	// at rest is when the clock starts.
	var mu sync.Mutex
	var looks int
	var rested time.Time
	simScale := scale.Sim{Protocol: scale.SICS, Now: func() scale.Reading {
		mu.Lock()
		defer mu.Unlock()
		looks++
		if looks <= 3 {
			return scale.Reading{Weight: station.Weight{Value: 1.3, Unit: station.Kilogram}, State: scale.Motion}
		}
		if rested.IsZero() {
			rested = time.Now()
		}
		return scale.Reading{Weight: station.Weight{Value: 1.234, Unit: station.Kilogram}, State: scale.Stable}
	}}
	simCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = simScale.Serve(simCtx, ptmx) }()
	cfg := station.ScaleConfig{Port: tty.Name(), Protocol: "sics"}

	// The window's way: the bench's scale read all along, the next stable
	// weight taken for the next label.
	monitor := st.Scale()
	if err := monitor.Use(ctx, cfg); err != nil {
		return nil, err
	}
	defer monitor.Stop()
	times := make([]time.Duration, runs)
	for i := range runs {
		mu.Lock()
		looks, rested = 0, time.Time{}
		mu.Unlock()
		weight, err := monitor.NextWeight(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := st.ShipOrder(ctx, rows[i].ID, station.BuyChoice{Package: station.Package{Weight: weight}}, false); err != nil {
			return nil, err
		}
		end := <-printed
		mu.Lock()
		times[i] = end.Sub(rested)
		mu.Unlock()
	}
	p50, p99 := percentilesMS(times)
	return []Figure{{Name: fmt.Sprintf("stable reading to label at the printer: a serial scale at rest, the label bought and printed on a loopback 9100 printer (p99; p50 %.2f ms, %d runs)", p50, runs),
		Value: p99, Unit: "ms", Reference: 1000, RefName: "a packer lifting the parcel onto the printer's side (1 s)", Ratio: round2(p99 / 1000),
		Goal: "p99 <= 1 s", Met: p99 <= 1000,
		Note: "the simulator answers at once: Amazon's purchaseShipment adds its own answer time (about 1 s)"}}, nil
}
