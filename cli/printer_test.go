package cli

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

func TestLabelPrinterConvertsAndSanitisesForAZPLPrinter(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	got := make(chan string, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			got <- string(b)
		}
	}()
	lp := labelPrinter{log: slog.New(slog.DiscardHandler)}
	zebra := station.Printer{Kind: station.PrinterRaw9100, Address: ln.Addr().String()}

	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 8))))
	require.NoError(t, lp.PrintLabel(context.Background(), zebra, "png", station.Label{Format: station.FormatPNG, Contents: buf.Bytes()}))
	assert.Contains(t, <-got, "^GFA,", "a PNG label reaches a ZPL printer as a ZPL graphic")

	require.NoError(t, lp.PrintLabel(context.Background(), zebra, "zpl", station.Label{Format: station.FormatZPL203, Contents: []byte("^XA^MMP~SD30^FDx^FS^XZ")}))
	assert.Equal(t, "^XA^FDx^FS^XZ", strings.TrimSpace(<-got), "carrier commands that change the printer are removed")

	zebra.KeepPrinterCommands = true
	require.NoError(t, lp.PrintLabel(context.Background(), zebra, "zpl", station.Label{Format: station.FormatZPL203, Contents: []byte("^XA^MMP^XZ")}))
	assert.Equal(t, "^XA^MMP^XZ", <-got, "unless the printer is set to keep them")
}
