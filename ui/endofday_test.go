package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// After the labels: an order's detail says where its parcel is and asks
// again on demand; End of day shows what the day's labels cost and makes
// and prints the collection forms of the carriers that take them.
func TestTheParcelAndTheEndOfDayOnTheRealStation(t *testing.T) {
	u, w, s, dir := realUI(t)
	importedDemo(t, u)
	rows, err := u.station.AllOrders(u.ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	var bought []station.OrderRow
	for _, r := range rows[:min(len(rows), 8)] {
		if _, err := u.station.Buy(u.ctx, r.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 700, Unit: station.Gram}}}); err == nil {
			bought = append(bought, r)
		}
	}
	require.GreaterOrEqual(t, len(bought), 4)

	u.showOrderDetail(bought[0].ID)
	d := topDialog(w)
	assert.Contains(t, d.text, "Waiting for the carrier", "asked when the detail opens: no carrier scan yet")
	assert.Contains(t, d.text, "Label made, waiting for the carrier")
	s.Clock().Advance(7 * time.Hour) // picked up
	test.Tap(d.buttons["Track now"])
	d = topDialog(w)
	assert.Contains(t, d.text, "In transit")
	assert.Contains(t, d.text, "Picked up by the carrier")
	assert.Contains(t, u.status.Text, "in transit")
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())

	u.showEndOfDay()
	d = topDialog(w)
	from, to, err := station.ParseReportDays("", "", time.Now(), time.Local)
	require.NoError(t, err)
	rep, err := u.station.CostReport(u.ctx, from, to, time.Local)
	require.NoError(t, err)
	require.NotEmpty(t, rep.Rows)
	for _, r := range rep.Rows {
		assert.Contains(t, d.text, r.Service, "a row per service")
	}
	for _, tot := range rep.Totals {
		assert.Contains(t, d.text, tot.String(), "a total per currency")
	}
	assert.Regexp(t, `USPS from Demo Warehouse, Seattle, \d+ labels? on no form`, d.text, "a carrier that takes a collection form waits for one")
	test.Tap(d.buttons["Make the collection forms and print them"])
	assert.Contains(t, u.status.Text, "Collection forms printed")
	forms, _ := filepath.Glob(filepath.Join(dir, "labels", "*collection-form*"))
	assert.NotEmpty(t, forms, "printed on the document printer (here the labels folder)")
	d = topDialog(w)
	assert.Contains(t, d.text, "Nothing to close")
}
