package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Headless: track says where an order's parcel is and moves the order;
// report says what the day's labels cost, as a table or CSV.
func TestHeadlessTrackAndReport(t *testing.T) {
	s, _, pb := simCLI(t, 5, 20)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	rows := readyOrders(t, pb)
	require.GreaterOrEqual(t, len(rows), 2)
	order := rows[0].AmazonOrderID

	code, _, stderr := pb("track", order)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no label bought here")

	code, _, stderr = pb("buy", order, "--weight", "700")
	require.Equal(t, 0, code, stderr)
	code, out, stderr := pb("track", order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, order+": Waiting for the carrier")
	assert.Contains(t, out, "ReadyForReceive")

	s.Clock().Advance(7 * time.Hour)
	code, out, stderr = pb("track", order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, order+": In transit")
	assert.Contains(t, out, "PickupDone")
	code, out, _ = pb("orders", "--status", "shipped")
	require.Equal(t, 0, code)
	assert.Contains(t, out, order, "the carrier's first scan shipped it")

	code, out, stderr = pb("report")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Labels bought "+time.Now().Format("2006-01-02"))
	assert.Contains(t, out, "Total: 1 label, spent ")
	code, out, stderr = pb("report", "--csv")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, "day,carrier,service,labels,voided,currency,spent,refund_due", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], time.Now().Format("2006-01-02")+","), lines[1])
	code, _, stderr = pb("report", "--from", "30/11/2026")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `from date "30/11/2026": write it as 2026-11-30`)
	code, out, _ = pb("report", "--from", "2020-01-01", "--to", "2020-01-31")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "No labels bought 2020-01-01 to 2020-01-31.")
}

// Headless end of day: close-day lists what waits for a collection form,
// makes the forms (written as PDFs here), and lists them afterwards.
func TestHeadlessCloseDay(t *testing.T) {
	_, _, pb := simCLI(t, 5, 30)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	code, out, _ := pb("close-day")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Nothing to close")
	for _, r := range readyOrders(t, pb)[:10] {
		code, _, stderr := pb("buy", r.AmazonOrderID, "--weight", "700")
		require.Equal(t, 0, code, stderr)
	}
	code, _, stderr := pb("close-day", "--carrier", "NOPE")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no labels of "NOPE" wait for a collection form; these do: `)
	assert.Contains(t, stderr, "Canada Post", "the carriers whose labels wait")
	code, out, stderr = pb("close-day", "--list")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `Canada Post from Demo Warehouse, Seattle: \d+ labels? on no form \(last form: never\)`, out)
	dir := t.TempDir()
	code, out, stderr = pb("close-day", "--print", dir)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `Collection form for Canada Post: \d+ labels?, written to `, out)
	files, _ := filepath.Glob(filepath.Join(dir, "*collection-form-CANADA_POST*.pdf"))
	assert.Len(t, files, 1)
	code, out, _ = pb("close-day", "--list")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Every label is on a collection form")
	code, out, _ = pb("close-day", "--history")
	require.Equal(t, 0, code)
	assert.Regexp(t, `Canada Post: \d+ labels?`, out)
}
