package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

type rawLabelPrinter struct{}

func (rawLabelPrinter) PrintLabel(ctx context.Context, p station.Printer, name string, l station.Label) (string, error) {
	data, _ := printing.SanitizeZPL(l.Contents)
	return "", printing.Raw9100{Addr: p.Address}.Print(ctx, printing.Document{Name: name, Format: printing.ZPL, Data: data})
}

// scanToPrintBench times what a scan of a bought order costs: finding the
// order by its id, then sending its stored label through the print queue
// to a raw 9100 printer on loopback, until the printer has the last byte.
func scanToPrintBench(runs int) ([]Figure, error) {
	w, err := newBenchWorld("scan", sim.Config{Seed: 12, Orders: 1, TimeScale: 50, ReportDelay: 10 * time.Second}, 10*time.Millisecond, true)
	if err != nil {
		return nil, err
	}
	defer w.close()
	ctx := context.Background()
	env := w.env
	st := w.st.WithLabelPrinter(rawLabelPrinter{})
	s, err := st.ConnectDemo(ctx, station.RegionNA)
	if err != nil {
		return nil, err
	}
	if _, err := env.Sim.NewOrders(sim.DemoSellerNA, 1); err != nil {
		return nil, err
	}
	env.Sim.Clock().Advance(3 * time.Minute)
	if _, err := st.Import(ctx, s.ID, nil); err != nil {
		return nil, err
	}
	rows, err := st.AllOrders(ctx, station.OrderFilter{StoreID: s.ID, Status: station.StatusReady})
	if err != nil || len(rows) == 0 {
		return nil, fmt.Errorf("no order to buy: %v", err)
	}
	order := rows[0]
	if _, err := st.Buy(ctx, order.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 500, Unit: station.Gram}}}); err != nil {
		return nil, err
	}

	done, closePrinter, err := loopbackLabelPrinter(ctx, st)
	if err != nil {
		return nil, err
	}
	defer closePrinter()
	times := make([]time.Duration, runs)
	for i := range runs {
		start := time.Now()
		found, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: order.AmazonOrderID}, Limit: 10})
		if err != nil || len(found.Rows) != 1 {
			return nil, fmt.Errorf("scan found %d orders: %v", len(found.Rows), err)
		}
		if err := st.PrintLabel(ctx, found.Rows[0].ID); err != nil {
			return nil, err
		}
		times[i] = (<-done).Sub(start)
	}
	p50, p99 := percentilesMS(times)
	return []Figure{{Name: fmt.Sprintf("scan to print: find the scanned order, print its label on a loopback 9100 printer (p99; p50 %.2f ms, %d runs)", p50, runs),
		Value: p99, Unit: "ms", Reference: 50, RefName: "goal", Ratio: round2(p99 / 50), Goal: "p99 <= 50 ms", Met: p99 <= 50}}, nil
}

// loopbackLabelPrinter makes a raw 9100 printer on loopback the station's
// label printer; printed says when it has each label's last byte.
func loopbackLabelPrinter(ctx context.Context, st *station.Station) (printed <-chan time.Time, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	done := make(chan time.Time, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, c)
			c.Close()
			done <- time.Now() // the printer has the last byte
		}
	}()
	pr, err := st.SavePrinter(ctx, station.Printer{Name: "bench", Kind: station.PrinterRaw9100, Address: ln.Addr().String()})
	if err == nil {
		err = st.SetLabelPrinter(ctx, pr.ID)
	}
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	return done, func() { ln.Close() }, nil
}

// percentilesMS sorts the times and gives their p50 and p99 in
// milliseconds.
func percentilesMS(times []time.Duration) (p50, p99 float64) {
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }
	return ms(times[len(times)/2]), ms(times[len(times)*99/100])
}
