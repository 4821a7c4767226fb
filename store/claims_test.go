package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

func TestAnOrderIsClaimedByOneProcessAtATime(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	st := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, st.ID, []station.Order{order("111-0000001-0000001", t0, station.AmazonUnshipped)})
	require.NoError(t, err)
	rows, err := db.ListOrders(ctx, station.OrderQuery{Limit: 10})
	require.NoError(t, err)
	id := rows.Rows[0].ID
	never := func(station.Claim) bool { return false }
	always := func(station.Claim) bool { return true }

	a := station.Claim{OrderID: id, Host: "bench-1", PID: 10, What: "buying a label", At: t0}
	b := station.Claim{OrderID: id, Host: "bench-2", PID: 20, What: "voiding the label", At: t0.Add(time.Second)}
	_, taken, err := db.ClaimOrder(ctx, a, never)
	require.NoError(t, err)
	require.True(t, taken)
	holder, taken, err := db.ClaimOrder(ctx, b, never)
	require.NoError(t, err)
	assert.False(t, taken)
	assert.Equal(t, a, holder, "the second is told who holds it, and since when")

	require.NoError(t, db.ReleaseOrder(ctx, id, "bench-2", 20), "only the holder releases")
	_, taken, _ = db.ClaimOrder(ctx, b, never)
	assert.False(t, taken)

	_, taken, err = db.ClaimOrder(ctx, b, always)
	require.NoError(t, err)
	assert.True(t, taken, "a stale claim (its process is gone) is taken over")
	require.NoError(t, db.ReleaseOrder(ctx, id, "bench-2", 20))
	_, taken, _ = db.ClaimOrder(ctx, a, never)
	assert.True(t, taken, "released: free again")
}

// Benches scanning one order at the same moment, each with its own
// connection to the database: exactly one takes it, the others are told
// which bench has it.
func TestBenchesRacingForOneOrderOneTakesIt(t *testing.T) {
	ctx := context.Background()
	location := testLocation(t)
	first, err := Open(ctx, location)
	require.NoError(t, err)
	defer first.Close()
	st := demoStore(t, first)
	_, err = first.UpsertOrders(ctx, st.ID, []station.Order{order("111-0000001-0000001", t0, station.AmazonUnshipped)})
	require.NoError(t, err)
	const benches = 8
	dbs := []*DB{first}
	for len(dbs) < benches {
		db, err := Open(ctx, location)
		require.NoError(t, err)
		defer db.Close()
		dbs = append(dbs, db)
	}
	never := func(station.Claim) bool { return false }
	for round := range 5 {
		id := int64(1)
		type outcome struct {
			taken  bool
			holder station.Claim
			err    error
		}
		results := make([]outcome, benches)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				c := station.Claim{OrderID: id, Host: "pc", PID: 100 + i, What: "buying a label", At: t0, Bench: fmt.Sprint("Pack-", i)}
				holder, taken, err := db.ClaimOrder(ctx, c, never)
				results[i] = outcome{taken, holder, err}
			})
		}
		wg.Wait()
		winner := -1
		for i, r := range results {
			require.NoError(t, r.err, "bench %d", i)
			if r.taken {
				require.Equal(t, -1, winner, "round %d: two benches took the order", round)
				winner = i
			}
		}
		require.NotEqual(t, -1, winner, "round %d: nobody took the order", round)
		for i, r := range results {
			if i != winner {
				assert.Equal(t, fmt.Sprint("Pack-", winner), r.holder.Bench, "bench %d is told who has it", i)
			}
		}
		require.NoError(t, first.ReleaseOrder(ctx, id, "pc", 100+winner))
	}
}

// A bulk ship's claim skips an order whose row another bench is locking
// at this instant (FOR UPDATE SKIP LOCKED) instead of waiting for it; a
// packer's claim waits, to say what the other bench did.
func TestABulkClaimSkipsAnOrderAnotherBenchIsTaking(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only (row locks between benches); this run is on SQLite")
	}
	ctx := context.Background()
	db := openTemp(t)
	st := demoStore(t, db)
	_, err := db.UpsertOrders(ctx, st.ID, []station.Order{order("111-0000001-0000001", t0, station.AmazonUnshipped)})
	require.NoError(t, err)
	other, err := db.w.BeginTx(ctx, nil) // another bench, mid-claim
	require.NoError(t, err)
	defer other.Rollback()
	_, err = other.ExecContext(ctx, `SELECT id FROM orders WHERE id = 1 FOR UPDATE`)
	require.NoError(t, err)

	never := func(station.Claim) bool { return false }
	c := station.Claim{OrderID: 1, Host: "pc", PID: 1, What: "buying a label", At: t0, Bench: "Pack-2", SkipLocked: true}
	began := time.Now()
	holder, taken, err := db.ClaimOrder(ctx, c, never)
	require.NoError(t, err)
	assert.False(t, taken)
	assert.Empty(t, holder.Bench, "nobody's claim yet: the other bench is taking it")
	assert.Less(t, time.Since(began), time.Second, "skipped, not waited for")

	c.SkipLocked = false
	wait, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, _, err = db.ClaimOrder(wait, c, never)
	assert.Error(t, err, "a packer's claim waits for the other bench's")
	require.NoError(t, other.Rollback())
	_, taken, err = db.ClaimOrder(ctx, c, never)
	require.NoError(t, err)
	assert.True(t, taken, "free once the other bench let go")
}
