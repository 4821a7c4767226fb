package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/packbench/packbench/station"
)

// BenchmarkUpsertPage saves pages of 100 new orders of two items each, as
// an import does; compare with BenchmarkRawInsertPage.
func BenchmarkUpsertPage(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, _ := db.CreateStore(context.Background(), station.Store{Name: "b", Region: station.RegionNA, SellingPartnerID: "B", Auth: station.AuthDemo})
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		page := make([]station.Order, 100)
		for j := range page {
			n++
			page[j] = order(fmt.Sprintf("111-%07d-0000000", n), t0.Add(time.Duration(n)*time.Second), station.AmazonUnshipped,
				item("1", "MUG", 1), item("2", "TEE", 2))
		}
		if _, err := db.UpsertOrders(context.Background(), s.ID, page); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "orders/s")
}
