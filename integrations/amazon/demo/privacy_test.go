package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/printing"
	"github.com/packbench/packbench/station"
)

// folderPrinter writes every document into a folder, as the demo's
// default printer does, and says which file it wrote.
type folderPrinter struct{ dir string }

func (f folderPrinter) PrintLabel(ctx context.Context, _ station.Printer, name string, l station.Label) (string, error) {
	return printing.Folder{Dir: f.dir}.Write(ctx, printing.Document{Name: name, Format: printing.ZPL, Data: l.Contents})
}

// Erasing a buyer's data removes the label and packing slip files Packbench
// wrote for the order, and says which; printing the label again afterwards
// prints Amazon's copy without storing it.
func TestEraseRemovesThePrintedFilesAndAReprintStoresNothing(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	dir := filepath.Join(w.dir, "labels")
	w.station.WithLabelPrinter(folderPrinter{dir: dir}).WithDocuments(slipMaker{})
	order, other := rows[0], rows[1]
	sh, err := w.station.Buy(ctx, order.ID, station.BuyChoice{})
	require.NoError(t, err)
	require.NoError(t, w.station.PrintLabel(ctx, order.ID))
	require.NoError(t, w.station.PrintPackingSlip(ctx, order.ID))
	_, err = w.station.Buy(ctx, other.ID, station.BuyChoice{})
	require.NoError(t, err)
	require.NoError(t, w.station.PrintLabel(ctx, other.ID))
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	require.Len(t, files, 3)

	removed, err := w.station.Erase(ctx, order.ID)
	require.NoError(t, err)
	assert.Len(t, removed, 2, "its label and its slip")
	for _, f := range removed {
		assert.Contains(t, f, order.AmazonOrderID)
		_, err := os.Stat(f)
		assert.ErrorIs(t, err, os.ErrNotExist)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	require.Len(t, left, 1, "another order's label stays")
	assert.True(t, strings.Contains(left[0], other.AmazonOrderID))

	l, _, err := w.station.LabelFor(ctx, order.ID, "")
	require.NoError(t, err, "the label can still be printed")
	assert.Contains(t, string(l.Contents), sh.TrackingID)
	_, err = w.db.Label(ctx, sh.ID)
	assert.ErrorIs(t, err, station.ErrNotFound, "but Amazon's copy is not stored again")

	require.NoError(t, w.station.PrintLabel(ctx, order.ID))
	removed, err = w.station.Erase(ctx, order.ID)
	require.NoError(t, err)
	assert.Len(t, removed, 1, "erasing again removes the file printed since")
}
