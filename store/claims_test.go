package store

import (
	"context"
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
