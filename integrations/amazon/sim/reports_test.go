package sim

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func createReport(t *testing.T, h *harness, tok string) string {
	t.Helper()
	r := h.do("POST", "/reports/2021-06-30/reports", tok, map[string]any{"reportType": ActionableOrderReport,
		"marketplaceIds": []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"}})
	require.Equal(t, 202, r.status, string(r.body))
	return r.json(t)["reportId"].(string)
}

func TestUnshippedOrdersReportEndToEnd(t *testing.T) {
	h := newHarness(t, Config{Seed: 11, Orders: 80})
	tok := h.accessToken(DemoSellerNA)
	id := createReport(t, h, tok)

	r := h.do("GET", "/reports/2021-06-30/reports/"+id, tok, nil)
	require.Equal(t, 200, r.status)
	assert.Equal(t, "IN_QUEUE", r.json(t)["processingStatus"])
	h.sim.Clock().Advance(20 * time.Second)
	assert.Equal(t, "IN_PROGRESS", h.do("GET", "/reports/2021-06-30/reports/"+id, tok, nil).json(t)["processingStatus"])
	h.sim.Clock().Advance(30 * time.Second)
	rep := h.do("GET", "/reports/2021-06-30/reports/"+id, tok, nil).json(t)
	require.Equal(t, "DONE", rep["processingStatus"])
	docID := rep["reportDocumentId"].(string)

	// The document holds buyers' addresses: an LWA token is not enough.
	r = h.do("GET", "/reports/2021-06-30/documents/"+docID, tok, nil)
	assert.Equal(t, 403, r.status)

	rdt := h.do("POST", "/tokens/2021-03-01/restrictedDataToken", tok, map[string]any{
		"restrictedResources": []any{map[string]any{"method": "GET", "path": "/reports/2021-06-30/documents/" + docID}}}).json(t)["restrictedDataToken"].(string)
	r = h.do("GET", "/reports/2021-06-30/documents/"+docID, rdt, nil)
	require.Equal(t, 200, r.status, string(r.body))
	doc := r.json(t)
	assert.Equal(t, "GZIP", doc["compressionAlgorithm"])
	// The RDT opens this document only.
	assert.Equal(t, 403, h.do("GET", "/sellers/v1/marketplaceParticipations", rdt, nil).status)

	resp, err := http.Get(doc["url"].(string))
	require.NoError(t, err)
	gz, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	tsv := csv.NewReader(zr)
	tsv.Comma, tsv.LazyQuotes = '\t', true
	rows, err := tsv.ReadAll()
	require.NoError(t, err)
	header := map[string]int{}
	for i, name := range rows[0] {
		header[name] = i
	}
	for _, col := range []string{"order-id", "order-item-id", "sku", "quantity-to-ship", "recipient-name", "ship-postal-code", "is-prime"} {
		assert.Contains(t, header, col)
	}

	wantUnits := map[string]int{}
	for _, o := range h.sim.Orders(DemoSellerNA) {
		if o.FulfilledBy == "MERCHANT" && (o.Status == "UNSHIPPED" || o.Status == "PARTIALLY_SHIPPED") {
			wantUnits[o.OrderID] = o.Unshipped
		}
	}
	gotUnits := map[string]int{}
	for _, row := range rows[1:] {
		n, err := strconv.Atoi(row[header["quantity-to-ship"]])
		require.NoError(t, err)
		gotUnits[row[header["order-id"]]] += n
	}
	assert.Equal(t, wantUnits, gotUnits, "one row per unshipped item, exactly the actionable orders")

	// The pre-signed URL expires after five minutes.
	h.sim.Clock().Advance(5*time.Minute + time.Second)
	resp, err = http.Get(doc["url"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode)
}

func TestReportFaultsAndErrors(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerNA)
	h.sim.SetFault("createReport", Fault{Kind: FaultReportFatal, Times: 1})
	id := createReport(t, h, tok)
	h.sim.Clock().Advance(time.Minute)
	rep := h.do("GET", "/reports/2021-06-30/reports/"+id, tok, nil).json(t)
	assert.Equal(t, "FATAL", rep["processingStatus"])
	assert.Nil(t, rep["reportDocumentId"])

	h.sim.SetFault("createReport", Fault{Kind: FaultReportCancelled, Times: 1})
	id = createReport(t, h, tok)
	h.sim.Clock().Advance(time.Minute)
	assert.Equal(t, "CANCELLED", h.do("GET", "/reports/2021-06-30/reports/"+id, tok, nil).json(t)["processingStatus"])

	assert.Equal(t, 404, h.do("GET", "/reports/2021-06-30/reports/12345", tok, nil).status)
	r := h.do("POST", "/reports/2021-06-30/reports", tok, map[string]any{"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": []string{"ATVPDKIKX0DER"}})
	assert.Equal(t, 400, r.status)
	rdt := h.do("POST", "/tokens/2021-03-01/restrictedDataToken", tok, map[string]any{
		"restrictedResources": []any{map[string]any{"method": "GET", "path": "/reports/2021-06-30/documents/nope"}}}).json(t)["restrictedDataToken"].(string)
	assert.Equal(t, 404, h.do("GET", "/reports/2021-06-30/documents/nope", rdt, nil).status)
}

func TestSellersAndCatalog(t *testing.T) {
	h := newHarness(t, Config{})
	tok := h.accessToken(DemoSellerEU)
	p := h.do("GET", "/sellers/v1/marketplaceParticipations", tok, nil).json(t)["payload"].([]any)
	require.Len(t, p, 5)
	uk := p[0].(map[string]any)["marketplace"].(map[string]any)
	assert.Equal(t, "A1F83G8C2ARO7P", uk["id"])
	assert.Equal(t, "GB", uk["countryCode"])
	assert.Equal(t, "GBP", uk["defaultCurrencyCode"])

	var known, unknown *product
	for _, pr := range h.sim.products {
		if pr.InCatalog && known == nil {
			known = pr
		}
		if !pr.InCatalog && unknown == nil {
			unknown = pr
		}
	}
	r := h.do("GET", "/catalog/2022-04-01/items/"+known.ASIN+"?marketplaceIds=A1F83G8C2ARO7P&includedData=dimensions,summaries", tok, nil)
	require.Equal(t, 200, r.status, string(r.body))
	dims := r.json(t)["dimensions"].([]any)
	require.Len(t, dims, 1)
	weight := dims[0].(map[string]any)["package"].(map[string]any)["weight"].(map[string]any)
	assert.Equal(t, "pounds", weight["unit"])
	assert.InDelta(t, known.Grams/453.59237, weight["value"], 0.01)

	r = h.do("GET", "/catalog/2022-04-01/items/"+unknown.ASIN+"?marketplaceIds=A1F83G8C2ARO7P&includedData=dimensions", tok, nil)
	require.Equal(t, 200, r.status)
	assert.Empty(t, r.json(t)["dimensions"], "some products have no dimensions in the catalog")
	// getCatalogItem allows 2 requests per second, burst 2.
	h.sim.Clock().Advance(time.Second)
	assert.Equal(t, 404, h.do("GET", "/catalog/2022-04-01/items/B0NOTHERE0?marketplaceIds=A1F83G8C2ARO7P", tok, nil).status)
	h.sim.Clock().Advance(time.Second)
	h.invalidRequests = true
	assert.Equal(t, 400, h.do("GET", "/catalog/2022-04-01/items/"+known.ASIN, tok, nil).status, "marketplaceIds is required")
	h.invalidRequests = false

	// Images: a MAIN image whose link serves a PNG, as Amazon's media host does.
	h.sim.Clock().Advance(time.Second)
	r = h.do("GET", "/catalog/2022-04-01/items/"+known.ASIN+"?marketplaceIds=A1F83G8C2ARO7P&includedData=images", tok, nil)
	require.Equal(t, 200, r.status, string(r.body))
	images := r.json(t)["images"].([]any)
	require.Len(t, images, 1)
	main := images[0].(map[string]any)["images"].([]any)[0].(map[string]any)
	assert.Equal(t, "MAIN", main["variant"])
	resp, err := http.Get(main["link"].(string))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	img, err := png.Decode(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, productImageSize, img.Bounds().Dx())
	h.sim.Clock().Advance(time.Second)
	r = h.do("GET", "/catalog/2022-04-01/items/"+unknown.ASIN+"?marketplaceIds=A1F83G8C2ARO7P&includedData=images", tok, nil)
	require.Equal(t, 200, r.status)
	assert.Empty(t, r.json(t)["images"], "not every product has an image")
}
