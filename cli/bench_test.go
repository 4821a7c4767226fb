package cli

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bench's own settings are read and changed headless, kept in its data
// folder, and bad values change nothing.
func TestBenchSettingsAreKeptPerBenchAndRefuseBadValues(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, nil, "--data-dir", dir, "bench")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "This bench: auto false, after an action keep, packing slip with every label false, no scale\n", out)

	code, _, stderr = run(t, nil, "--data-dir", dir, "bench", "--auto", "true", "--after-action", "next", "--slip-with-label", "true")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = run(t, nil, "--data-dir", dir, "bench", "--after-action", "sideways")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `"sideways"`)
	code, out, _ = run(t, nil, "--data-dir", dir, "bench")
	require.Equal(t, 0, code)
	assert.Equal(t, "This bench: auto true, after an action next, packing slip with every label true, no scale\n", out, "kept, and the bad value changed nothing")

	code, out, stderr = run(t, nil, "--data-dir", dir, "bench", "--scale", "/dev/ttyUSB0", "--scale-protocol", "NCI")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "scale on /dev/ttyUSB0 (nci)")
	code, _, stderr = run(t, nil, "--data-dir", dir, "bench", "--scale", "/dev/ttyUSB0", "--scale-protocol", "mettler")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `scale protocol "mettler"`)
	code, out, stderr = run(t, nil, "--data-dir", dir, "bench", "--scale", "/dev/hidraw3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "scale on /dev/hidraw3 (hid)", "a USB scale's device: hid")
	code, _, stderr = run(t, nil, "--data-dir", dir, "bench", "--scale", "/dev/hidraw3", "--scale-protocol", "cas")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "/dev/hidraw3 is a USB scale: its protocol is hid, not cas")
	code, out, _ = run(t, nil, "--data-dir", dir, "bench", "--scale", "none")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "no scale", "the bad protocol changed nothing, and none removes it")
}

// A scan, headless: where the order is, in any status; with --buy the
// label of a ready, weighed order is bought and printed, once.
func TestScanSaysWhereTheOrderIsAndBuysWhenAsked(t *testing.T) {
	_, _, pb := simCLI(t, 5, 40)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	code, out, _ := pb("orders", "--json", "--status", "ready")
	require.Equal(t, 0, code)
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
		WeightKnown   bool   `json:"weightKnown"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	var order string
	for _, r := range rows {
		if r.WeightKnown {
			order = r.AmazonOrderID
		}
	}
	require.NotEmpty(t, order, "the demo's catalog weighs most SKUs")

	// The demo store sells in the US: it weighs in ounces unless told otherwise.
	code, out, _ = pb("settings", "--store", "1")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "imperial units")
	code, out, _ = pb("settings", "--store", "1", "--units", "metric")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "metric units")
	code, _, _ = pb("settings", "--store", "1", "--units", "stones")
	assert.Equal(t, 2, code)

	code, out, stderr := pb("scan", order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Order "+order+" is ready to ship")
	folder := t.TempDir()
	require.Equal(t, 0, first(pb("printer", "add", "Labels", "--folder", folder, "--label-printer")))
	code, out, stderr = pb("scan", "--buy", order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, order+": bought ")
	assert.Contains(t, out, "Label printed.")

	code, out, stderr = pb("scan", order, "--buy")
	assert.Equal(t, 1, code, "bought already: nothing twice")
	assert.Contains(t, out, "already has a label: label bought")
	assert.Contains(t, stderr, "nothing to buy")

	code, _, stderr = pb("scan", "999-0000000-0000000")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "No order 999-0000000-0000000 in any store")
}
