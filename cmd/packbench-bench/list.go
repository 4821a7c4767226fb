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
	countP50, countP99, err := measure(100, func(int) error {
		_, err := st.StatusCounts(ctx, station.OrderFilter{})
		return err
	})
	if err != nil {
		return nil, err
	}
	// The packer's usual view: Ready to ship, most urgent first.
	shipByP50, shipByP99, err := measure(200, func(int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Status: station.StatusReady}, Sort: station.ShipBySoonest, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	// A column without an index (order id): the tab's rows are sorted per page.
	byIDP50, byIDP99, err := measure(50, func(i int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Status: station.StatusReady},
			Sort: station.OrderSort{Key: station.SortOrderID, Reverse: i%2 == 1}, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	attentionP50, attentionP99, err := measure(20, func(int) error {
		_, err := st.Orders(ctx, station.OrderQuery{OrderFilter: station.OrderFilter{Attention: true}, Limit: 100})
		return err
	})
	if err != nil {
		return nil, err
	}
	attentionCountP50, attentionCountP99, err := measure(10, func(int) error {
		_, err := st.StatusCounts(ctx, station.OrderFilter{Attention: true})
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
			Reference: goal, RefName: "goal", Ratio: round2(ms(p99) / goal), Goal: fmt.Sprintf("p99 <= %g ms", goal), Met: ms(p99) <= goal}
	}
	search := fig("order list: search keystroke", searchP50, searchP99, 30)
	search.Note = "p99 is the short prefixes (4-5 characters of an order id match a third of the orders); on this shared 2-core machine it ranges 16-34 ms from run to run"
	byID := fig("order list: first page of Ready to ship sorted by order id (no index: sorted per page)", byIDP50, byIDP99, 10)
	byID.Note = "purchase and ship-by dates, the sorts a packer works by, page by index; an index for every column would slow every import, so the other columns sort the tab's rows per page"
	return []Figure{
		fig("order list: first page of a tab", firstP50, firstP99, 10),
		fig("order list: a later page (keyset)", nextP50, nextP99, 10),
		search,
		fig("order list: count by status (tabs)", countP50, countP99, 30),
		fig("order list: first page of Ready to ship by ship-by date", shipByP50, shipByP99, 10),
		byID,
		fig("order list: first page of Needs attention (no weight: every ready order here)", attentionP50, attentionP99, 100),
		fig("order list: Needs attention count (its tab)", attentionCountP50, attentionCountP99, 1000),
		{Name: fmt.Sprintf("order list: scroll to the end, %d orders in %d pages of 100", n, pages), Value: ms(scroll), Unit: "ms",
			Reference: float64(pages) * 10, RefName: "10 ms a page", Ratio: round2(ms(scroll) / (float64(pages) * 10)), Goal: "<= 10 ms a page", Met: ms(scroll) <= float64(pages)*10},
	}, nil
}
