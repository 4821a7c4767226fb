package cli

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/station"
)

func TestLabelPrinterConvertsAndSanitisesForAZPLPrinter(t *testing.T) {
	addr, jobs := printertest.Zebra(t)
	next := func() string { return string(printertest.WaitJob(t, jobs)) }
	lp := labelPrinter{log: slog.New(slog.DiscardHandler)}
	zebra := station.Printer{Kind: station.PrinterRaw9100, Address: addr}

	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 8))))
	_, err := lp.PrintLabel(context.Background(), zebra, "png", station.Label{Format: station.FormatPNG, Contents: buf.Bytes()})
	require.NoError(t, err)
	assert.Contains(t, next(), "^GFA,", "a PNG label reaches a ZPL printer as a ZPL graphic")

	_, err = lp.PrintLabel(context.Background(), zebra, "zpl", station.Label{Format: station.FormatZPL203, Contents: []byte("^XA^MMP~SD30^FDx^FS^XZ")})
	require.NoError(t, err)
	assert.Equal(t, "^XA^FDx^FS^XZ", strings.TrimSpace(next()), "carrier commands that change the printer are removed")

	zebra.KeepPrinterCommands = true
	_, err = lp.PrintLabel(context.Background(), zebra, "zpl", station.Label{Format: station.FormatZPL203, Contents: []byte("^XA^MMP^XZ")})
	require.NoError(t, err)
	assert.Equal(t, "^XA^MMP^XZ", next(), "unless the printer is set to keep them")
}
