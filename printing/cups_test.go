package printing

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
)

func TestCUPSPrintsZPLRawAndPDFUnscaledThroughARealServer(t *testing.T) {
	server := printertest.StartCUPS(t)
	zebra, jobs := printertest.Zebra(t)
	printertest.AddRawQueue(t, server, "Zebra_Bench_1", "socket://"+zebra)
	ctx := context.Background()
	p := CUPS{Server: server, Queue: "Zebra_Bench_1"}

	queues, err := p.Queues(ctx)
	require.NoError(t, err)
	require.Len(t, queues, 1)
	assert.Equal(t, "Zebra_Bench_1", queues[0].Name)
	assert.Equal(t, "socket://"+zebra, queues[0].Device)
	assert.True(t, queues[0].Accepts)
	assert.Equal(t, "idle", queues[0].State)

	zpl := []byte("^XA^CI28^PW812^FO50,50^A0N,40,40^FDZoë Ångström^FS^BY3^BCN,200,Y,N,N^FD9400111899560000000042^FS^XZ\n")
	require.NoError(t, p.Print(ctx, Document{Name: "label-113-1", Format: ZPL, Data: zpl}))
	assert.Equal(t, zpl, printertest.WaitJob(t, jobs), "CUPS passes the ZPL to the printer byte for byte, never as text")

	pdf, err := ImageToPDF(testLabelPNG(t, 203), Paper4x6)
	require.NoError(t, err)
	require.NoError(t, p.Print(ctx, Document{Name: "label-113-2", Format: PDF, Data: pdf}))
	assert.Equal(t, pdf, printertest.WaitJob(t, jobs), "a raw queue passes the PDF untouched")
}

func TestCUPSSaysWhatIsWrong(t *testing.T) {
	server := printertest.StartCUPS(t)
	ctx := context.Background()
	doc := Document{Name: "l", Format: ZPL, Data: []byte("^XA^XZ")}

	err := CUPS{Server: server, Queue: "No_Such_Queue"}.Print(ctx, doc)
	assert.ErrorContains(t, err, `no queue "No_Such_Queue"`)
	assert.NotErrorIs(t, err, ErrPrinterOffline, "a wrong name is not an offline printer: retrying will not help")

	down := printertest.OfflineAddr(t)
	err = CUPS{Server: down, Queue: "Zebra", Timeout: 2 * time.Second}.Print(ctx, doc)
	assert.ErrorIs(t, err, ErrPrinterOffline, "a CUPS server that is down keeps the job queued")

	err = CUPS{Server: server, Queue: "Zebra"}.Print(ctx, Document{Format: PNG, Data: []byte{1}})
	assert.ErrorContains(t, err, "set the printer's format")
}
