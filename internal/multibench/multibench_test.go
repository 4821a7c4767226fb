package multibench

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/internal/pgtest"
)

func TestMain(m *testing.M) {
	RunChildIfAsked()
	os.Exit(pgtest.Run(m))
}

// Four bench processes on one PostgreSQL queue and one Amazon scan the
// same orders in their own order, buying and printing each ready one, then
// bulk ship the rest together: every order gets exactly one label, each
// bench's printer prints exactly the labels that bench bought.
func TestFourBenchesShipFourHundredOrdersOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("four processes and 400 purchases: not in -short")
	}
	t.Setenv("PACKBENCH_KEYCHAIN", "file")
	ctx := context.Background()
	s, err := sim.New(sim.Config{Seed: 40, Orders: 520, TimeScale: 1, ReportDelay: time.Second})
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	queue := pgtest.NewDatabase(t)
	q, err := Prepare(queue, srv.URL, t.TempDir(), 4)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(q.Ready), 400, "the simulator's world has enough ready orders")
	ready := q.Ready[:400]
	dir := func(i int) string { return q.Dirs[i-1] }

	// Half the orders are scanned by every bench (they race for each);
	// the other half are bulk shipped by all four together.
	configs := q.Configs(ready[:200], ready[200:], time.Now().Add(2*time.Second)) // every process open and waiting
	summaries, err := Start(ctx, []string{"-test.run=^$"}, configs)
	require.NoError(t, err)

	bought := 0
	for _, sm := range summaries {
		assert.Empty(t, sm.Failures, "bench %s", sm.Bench)
		assert.Equal(t, 200, sm.Scans, "bench %s scanned every order of the pile", sm.Bench)
		bought += sm.Bought + sm.BulkBought
		t.Logf("%s: %d scans (%d bought, %d another bench's), bulk %d bought (%d left to others), scan p50 %.0f ms p99 %.0f ms",
			sm.Bench, sm.Scans, sm.Bought, sm.Elsewhere, sm.BulkBought, sm.BulkElsewhere,
			Percentile(sm.ScanTimes, 50), Percentile(sm.ScanTimes, 99))
	}
	assert.Equal(t, 400, bought, "one label for each order")

	// Amazon sold one label per order, never two.
	perOrder := map[string]int{}
	for _, p := range s.Purchases() {
		if !p.Cancelled {
			perOrder[p.OrderID]++
		}
	}
	assert.Len(t, perOrder, 400)
	for id, n := range perOrder {
		assert.Equal(t, 1, n, "order %s bought %d times", id, n)
	}

	// Each bench's printer got exactly the labels that bench bought.
	db, err := sql.Open("pgx", queue)
	require.NoError(t, err)
	defer db.Close()
	for i := 1; i <= 4; i++ {
		bench := fmt.Sprint("Pack-", i)
		var labels int
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM shipments WHERE status = 'purchased' AND bench = $1`, bench).Scan(&labels))
		files, _ := os.ReadDir(filepath.Join(dir(i), "printed"))
		assert.Len(t, files, labels, "%s printed its own labels, once each", bench)
		var foreign int
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM print_queue q JOIN shipments s ON s.order_id = q.order_id AND s.status = 'purchased'
			WHERE q.bench = $1 AND s.bench <> $1`, bench).Scan(&foreign))
		assert.Zero(t, foreign, "%s's print queue holds only its own labels", bench)
	}
	var stillReady int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM orders WHERE status = 'ready'`).Scan(&stillReady))
	assert.Equal(t, len(q.Ready)-400, stillReady, "the orders not given to the benches are untouched")
	var dup int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM (SELECT order_id FROM shipments WHERE status = 'purchased' GROUP BY order_id HAVING count(*) > 1) d`).Scan(&dup))
	assert.Zero(t, dup, "no order has two live labels")
}
