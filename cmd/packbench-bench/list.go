package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// listBench fills a database with n orders and times what the order list
// does: the first page, a later page, a search keystroke, the tab counts.
func listBench(n int) ([]Figure, error) {
	dir, err := os.MkdirTemp("", "packbench-list-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	key := make([]byte, 32)
	sealer, err := keychain.NewSealer(key)
	if err != nil {
		return nil, err
	}
	db.UseSealer(sealer)
	s, err := db.CreateStore(ctx, station.Store{Name: "bench", Region: station.RegionNA, SellingPartnerID: "B", Auth: station.AuthDemo})
	if err != nil {
		return nil, err
	}
	st := station.New(db, slog.New(slog.DiscardHandler))
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Alex Johnson", "Maria Garcia", "Chen Wei", "Zoë Ångström", "Sam Lee", "Priya Patel"}
	skus := []string{"MUG-CER-12", "TEA-TIN-100", "KNF-CHF-8", "PAN-CI-10", "SCL-DIG-5", "CND-SOY-3"}
	base := time.Now().UTC().Add(-30 * 24 * time.Hour)
	statuses := []station.AmazonStatus{station.AmazonUnshipped, station.AmazonUnshipped, station.AmazonUnshipped, station.AmazonShipped, station.AmazonCancelled}
	var ids []string
	for i := 0; i < n; i += 500 {
		page := make([]station.Order, 0, 500)
		for j := i; j < min(i+500, n); j++ {
			at := base.Add(time.Duration(j) * 20 * time.Second)
			id := fmt.Sprintf("%03d-%07d-%07d", 111+rng.IntN(3), rng.IntN(1e7), j)
			ids = append(ids, id)
			page = append(page, station.Order{AmazonOrderID: id, MarketplaceID: "ATVPDKIKX0DER", PurchasedAt: at, LastUpdatedAt: at,
				ShipBy: station.Window{Latest: at.Add(time.Duration(24+rng.IntN(72)) * time.Hour)}, Prime: rng.IntN(3) == 0,
				AmazonStatus: statuses[rng.IntN(len(statuses))], BuyerName: names[rng.IntN(len(names))],
				ShipTo: station.Address{Name: "x", Line1: "1 Main St", City: "Seattle", CountryCode: "US"},
				Items:  []station.Item{{OrderItemID: "1", SKU: skus[rng.IntN(len(skus))], Title: "Item", Quantity: 1}}})
		}
		if _, err := db.UpsertOrders(ctx, s.ID, page); err != nil {
			return nil, err
		}
	}
	measure := func(runs int, f func(i int) error) (p50, p99 time.Duration, err error) {
		times := make([]time.Duration, runs)
		for i := range runs {
			t0 := time.Now()
			if err := f(i); err != nil {
				return 0, 0, err
			}
			times[i] = time.Since(t0)
		}
		slices.Sort(times)
		return times[runs/2], times[runs*99/100], nil
	}
	var cursors []*station.Cursor
	q := station.OrderQuery{Limit: 100}
	for range 50 {
		page, err := st.Orders(ctx, q)
		if err != nil || page.Next == nil {
			break
		}
		cursors = append(cursors, page.Next)
		q.After = page.Next
	}
	firstP50, firstP99, err := measure(200, func(int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Status: station.StatusReady}, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	nextP50, nextP99, err := measure(200, func(i int) error {
		_, err := st.Orders(ctx, station.OrderQuery{After: cursors[i%len(cursors)], Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	// A packer types an order id: each keystroke is one search.
	searchP50, searchP99, err := measure(100, func(i int) error {
		id := ids[(i*7919)%len(ids)]
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Search: id[:4+i%8]}, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	// The tabs' counts, as the window asks for them after every change:
	// each status and Needs attention.
	countP50, countP99, err := measure(200, func(int) error {
		if _, err := st.StatusCounts(ctx, station.OrderFilter{}); err != nil {
			return err
		}
		_, err := st.AttentionCount(ctx, station.OrderFilter{})
		return err
	})
	if err != nil {
		return nil, err
	}
	// A click on any column's header, in each scope the packer can be in:
	// Ready to ship (a status tab), All, Needs attention (no weight: every
	// ready order here, the worst case), both directions; first page, then
	// the next.
	type scope struct {
		name string
		f    station.OrderFilter
	}
	scopes := []scope{{"Ready to ship", station.OrderFilter{Status: station.StatusReady}}, {"All", station.OrderFilter{}},
		{"Needs attention", station.OrderFilter{Attention: true}}}
	var sorts []station.OrderQuery
	for _, sc := range scopes {
		for _, key := range station.SortKeys() {
			for _, rev := range []bool{false, true} {
				sorts = append(sorts, station.OrderQuery{OrderFilter: sc.f, Sort: station.OrderSort{Key: key, Reverse: rev}, Limit: 100})
			}
		}
	}
	worstSort, worstP99 := "", time.Duration(0)
	var sortTimes []time.Duration
	for _, q := range sorts {
		times := make([]time.Duration, 0, 20)
		for range 10 {
			t0 := time.Now()
			page, err := st.Orders(ctx, q)
			if err != nil {
				return nil, err
			}
			times = append(times, time.Since(t0))
			if page.Next != nil {
				next := q
				next.After = page.Next
				t0 = time.Now()
				if _, err := st.Orders(ctx, next); err != nil {
					return nil, err
				}
				times = append(times, time.Since(t0))
			}
		}
		slices.Sort(times)
		if p := times[len(times)-1]; p > worstP99 {
			scopeName := "All"
			switch {
			case q.Attention:
				scopeName = "Needs attention"
			case q.Status != "":
				scopeName = "Ready to ship"
			}
			worstSort, worstP99 = fmt.Sprintf("%s by %s", scopeName, sortName(q.Sort)), p
		}
		sortTimes = append(sortTimes, times...)
	}
	slices.Sort(sortTimes)
	sortP50, sortP99 := sortTimes[len(sortTimes)/2], sortTimes[len(sortTimes)*99/100]
	// The packer's usual view: Ready to ship, most urgent first.
	shipByP50, shipByP99, err := measure(200, func(int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Status: station.StatusReady}, Sort: station.ShipBySoonest, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	attentionP50, attentionP99, err := measure(100, func(int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Attention: true}, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	// Scrolling to the end of the All tab: every page, one after another.
	t0 := time.Now()
	pages, q := 0, station.OrderQuery{Limit: 100}
	for {
		page, err := st.Orders(ctx, q)
		if err != nil {
			return nil, err
		}
		pages++
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	scroll := time.Since(t0)
	ms := func(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }
	fig := func(name string, p50, p99 time.Duration, goal float64) Figure {
		return Figure{Name: fmt.Sprintf("%s, %d orders (p99; p50 %.2f ms)", name, n, ms(p50)), Value: ms(p99), Unit: "ms",
			Reference: goal, RefName: "one frame at 60 Hz", Ratio: round2(ms(p99) / goal), Goal: fmt.Sprintf("p99 <= %g ms", goal), Met: ms(p99) <= goal}
	}
	const frame = 16
	sorted := fig(fmt.Sprintf("order list: sort by any column (%d sorts: 7 columns x 2 directions x Ready to ship, All, Needs attention; first and next page)", len(sorts)),
		sortP50, sortP99, frame)
	sorted.Note = fmt.Sprintf("slowest single sort: %s, %.2f ms; Needs attention holds every ready order here (none weighed), the worst case", worstSort, ms(worstP99))
	return []Figure{
		fig("order list: first page of a tab", firstP50, firstP99, frame),
		fig("order list: a later page (keyset)", nextP50, nextP99, frame),
		fig("order list: search keystroke", searchP50, searchP99, frame),
		fig("order list: tab counts (every status and Needs attention)", countP50, countP99, frame),
		fig("order list: first page of Ready to ship by ship-by date", shipByP50, shipByP99, frame),
		sorted,
		fig("order list: first page of Needs attention", attentionP50, attentionP99, frame),
		{Name: fmt.Sprintf("order list: scroll to the end, %d orders in %d pages of 100", n, pages), Value: ms(scroll), Unit: "ms",
			Reference: float64(pages) * frame, RefName: "one frame a page", Ratio: round2(ms(scroll) / (float64(pages) * frame)), Goal: "<= 16 ms a page", Met: ms(scroll) <= float64(pages)*frame},
	}, nil
}

func sortName(s station.OrderSort) string {
	name := map[station.SortKey]string{station.SortPurchased: "purchase date", station.SortShipBy: "ship-by date", station.SortOrderID: "order id",
		station.SortMarket: "market", station.SortStatus: "status", station.SortItems: "items", station.SortProducts: "products"}[s.Key]
	if s.Reverse {
		name += " (reversed)"
	}
	return name
}
