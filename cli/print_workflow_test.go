package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/internal/printertest"
	"github.com/packbench/packbench/station"
)

// readyOrders lists the orders Ready to ship, as packbench orders --json says.
func readyOrders(t *testing.T, pb func(args ...string) (int, string, string)) []struct {
	AmazonOrderID string `json:"amazonOrderId"`
} {
	t.Helper()
	code, out, stderr := pb("orders", "--json", "--status", "ready")
	require.Equal(t, 0, code, stderr)
	var rows []struct {
		AmazonOrderID string `json:"amazonOrderId"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	return rows
}

// connectedDemo connects the demo store, imports it and returns the first
// order Ready to ship.
func connectedDemo(t *testing.T, pb func(args ...string) (int, string, string)) string {
	t.Helper()
	code, _, stderr := pb("connect", "--demo")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = pb("import")
	require.Equal(t, 0, code, stderr)
	rows := readyOrders(t, pb)
	require.NotEmpty(t, rows)
	return rows[0].AmazonOrderID
}

func pdfsIn(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	return files
}

func TestHeadlessPrintSlipsPickListsAndTestPrints(t *testing.T) {
	s, dir, pb := simCLI(t, 7, 30)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	rows := readyOrders(t, pb)
	require.GreaterOrEqual(t, len(rows), 3)

	zebra, jobs := printertest.Zebra(t)
	office := filepath.Join(dir, "office")
	code, out, stderr := pb("printer", "add", "Zebra", "--raw9100", zebra)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "packbench test-print")
	code, _, stderr = pb("printer", "add", "Office", "--folder", office, "--format", "PDF_LETTER", "--document-printer")
	require.Equal(t, 0, code, stderr)
	code, out, _ = pb("printers")
	require.Equal(t, 0, code)
	assert.Regexp(t, `\*\s+Zebra\s+raw9100.*labels`, out)
	assert.Regexp(t, `\*\s+Office\s+folder.*PDF_LETTER\s+slips, pick lists`, out)

	code, _, stderr = pb("printer", "add", "Bad", "--raw9100", zebra, "--format", "PDF")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "speaks ZPL")
	code, _, stderr = pb("printer", "add", "Win", "--windows", "HP LaserJet", "--format", "PNG")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "PDF_LETTER or PDF_A4 (an office printer: Windows draws the pages)")
	code, _, stderr = pb("printer", "add", "Win", "--windows", "HP LaserJet", "--format", "PDF_A4")
	assert.Equal(t, 0, code, "a Windows office printer: %s", stderr)
	code, _, stderr = pb("printer", "delete", "Win")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = pb("printer", "add", "Laser", "--cups", "HP LaserJet", "--format", "PDF_LETTER")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "queue name (no spaces")
	code, _, stderr = pb("printer", "add", "Laser", "--cups", "HP_LaserJet", "--format", "PNG")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "PDF_LETTER or PDF_A4")
	code, _, stderr = pb("printer", "add", "Twice", "--raw9100", zebra, "--folder", office)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "once")

	code, out, stderr = pb("printer", "status", "office")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Office: writable")

	// A test print on a sheet printer is the test label at true size on Letter.
	code, _, stderr = pb("test-print", "office")
	require.Equal(t, 0, code, stderr)
	require.Len(t, pdfsIn(t, office), 1)

	order := rows[0].AmazonOrderID
	code, _, stderr = pb("buy", order, "--weight", "700")
	require.Equal(t, 0, code, stderr)
	code, out, stderr = pb("print", order, "--slip")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Label of "+order+" printed")
	assert.Contains(t, out, "Packing slip of "+order+" printed")
	label := <-jobs
	assert.True(t, bytes.HasPrefix(label, []byte("^XA")), "the label goes to the Zebra as ZPL")
	assert.Len(t, pdfsIn(t, office), 2, "the slip goes to the office printer as a Letter PDF")

	// The label on the office printer instead: ZPL rendered, placed at true size.
	code, _, stderr = pb("print", order, "--printer", "Office")
	require.Equal(t, 0, code, stderr)
	assert.Len(t, pdfsIn(t, office), 3)

	code, out, stderr = pb("pick-list", rows[1].AmazonOrderID, rows[2].AmazonOrderID, order)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Pick list printed: 3 orders")
	assert.Len(t, pdfsIn(t, office), 4)

	// Pick lists need a sheet printer: with the Zebra as document printer the packer is told.
	require.Equal(t, 0, first(pb("printer", "document", "Zebra")))
	code, _, stderr = pb("pick-list", "--status", "ready")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "pick list prints on a PDF printer")
	// …while a slip on the Zebra is a ZPL label.
	code, _, stderr = pb("print", order, "--slip-only")
	require.Equal(t, 0, code, stderr)
	slip := <-jobs
	assert.Contains(t, string(slip), "Packing slip")
	assert.Len(t, s.Purchases(), 1, "printing never buys")
}

// A ZPL label's preview is Amazon's own image of it, which scans back to
// the tracking number Amazon gave.
func TestLabelPreviewScansToTheTrackingNumber(t *testing.T) {
	_, dir, url, pb := simCLIURL(t, 8, 10)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	rows := readyOrders(t, pb)
	require.NotEmpty(t, rows)
	for _, format := range []string{"ZPL203", "ZPL300"} {
		order := rows[0].AmazonOrderID
		code, out, stderr := pb("buy", order, "--weight", "500", "--format", format)
		require.Equal(t, 0, code, stderr)
		tracking := out[strings.LastIndex(out, "tracking ")+len("tracking "):]
		tracking = strings.TrimSpace(tracking)

		env, err := OpenEnv(context.Background(), dir, Options{AmazonSim: url, Amazon: true})
		require.NoError(t, err)
		r, err := env.Station.AllOrders(context.Background(), station.OrderFilter{Search: order})
		require.NoError(t, err)
		require.Len(t, r, 1)
		preview, err := env.Station.LabelPreview(context.Background(), r[0].ID)
		require.NoError(t, err)
		assert.True(t, preview.FromAmazon, "Amazon's image: %s", preview.Why)
		img, err := png.Decode(bytes.NewReader(preview.PNG))
		require.NoError(t, err)
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		require.NoError(t, err)
		res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
		require.NoError(t, err, "the preview's barcode scans")
		assert.Equal(t, tracking, res.GetText())
		env.Close()
		require.Equal(t, 0, first(pb("void", order)))
	}
}

// Through a real CUPS server: discover its queues, add one as the label
// printer and one as a Letter printer, and print a bought label on each.
func TestPrintingThroughARealCUPSServer(t *testing.T) {
	server := printertest.StartCUPS(t)
	zebra, zebraJobs := printertest.Zebra(t)
	laser, laserJobs := printertest.Zebra(t) // an office printer that takes PDF raw: it sees the bytes CUPS passes on
	printertest.AddRawQueue(t, server, "Zebra_ZD421", "socket://"+zebra)
	printertest.AddRawQueue(t, server, "Office_Laser", "socket://"+laser)

	_, dir, pb := simCLI(t, 9, 10)
	require.Equal(t, 0, first(pb("connect", "--demo")))
	require.Equal(t, 0, first(pb("import")))
	rows := readyOrders(t, pb)
	require.NotEmpty(t, rows)
	order := rows[0].AmazonOrderID

	code, out, stderr := pb("printer", "discover", "--server", server)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `Office_Laser\s+idle`, out)
	assert.Regexp(t, `Zebra_ZD421\s+idle`, out)

	code, _, stderr = pb("printer", "add", "Zebra", "--cups", "Zebra_ZD421@"+server, "--format", "ZPL203", "--label-printer")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = pb("printer", "add", "Office", "--cups", "Office_Laser@"+server, "--format", "PDF_LETTER", "--document-printer")
	require.Equal(t, 0, code, stderr)
	code, out, stderr = pb("printer", "status", "Zebra")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "CUPS queue idle")

	labels := filepath.Join(dir, "copy")
	code, _, stderr = pb("buy", order, "--weight", "800", "--print", labels)
	require.Equal(t, 0, code, stderr)
	files, _ := filepath.Glob(filepath.Join(labels, "*"))
	require.Len(t, files, 1)
	stored, _ := os.ReadFile(files[0])

	code, _, stderr = pb("print", order, "--slip")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, stored, printertest.WaitJob(t, zebraJobs), "the label reaches the Zebra through CUPS byte for byte")
	slip := printertest.WaitJob(t, laserJobs)
	assert.True(t, bytes.HasPrefix(slip, []byte("%PDF")), "the packing slip reaches the office printer as PDF")

	code, _, stderr = pb("print", order, "--printer", "Office")
	require.Equal(t, 0, code, stderr)
	onPaper := printertest.WaitJob(t, laserJobs)
	assert.True(t, bytes.HasPrefix(onPaper, []byte("%PDF")), "the ZPL label, rendered at true size on Letter")
}
