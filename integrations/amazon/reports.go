package amazon

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/packbench/packbench/station"
)

// ActionableOrderReport is the Unshipped Orders report.
const ActionableOrderReport = "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"

// reportTimeout bounds the wait for Amazon to make the report.
var reportTimeout = 30 * time.Minute

// ReportOrders runs the Unshipped Orders report and returns its orders.
// asOf is when the report was asked for; its data may be older still.
func (c *Client) ReportOrders(ctx context.Context, marketplaceIDs []string, progress func(station.ImportProgress)) ([]station.Order, time.Time, error) {
	asOf := time.Now().UTC()
	var created struct {
		ReportID string `json:"reportId"`
	}
	if err := c.Do(ctx, "createReport", http.MethodPost, "/reports/2021-06-30/reports", nil,
		map[string]any{"reportType": ActionableOrderReport, "marketplaceIds": marketplaceIDs,
			"reportOptions": map[string]string{"ShowSalesChannel": "true"}}, &created); err != nil {
		return nil, asOf, err
	}
	deadline := time.Now().Add(reportTimeout)
	// getReport allows 2 requests a second, but reports take minutes: ask every 15 s.
	poll := c.ReportPoll
	if poll <= 0 {
		poll = 15 * time.Second
	}
	var report struct {
		ProcessingStatus string `json:"processingStatus"`
		ReportDocumentID string `json:"reportDocumentId"`
	}
	for polls := 0; ; polls++ {
		if err := c.Do(ctx, "getReport", http.MethodGet, "/reports/2021-06-30/reports/"+url.PathEscape(created.ReportID), nil, nil, &report); err != nil {
			return nil, asOf, err
		}
		switch report.ProcessingStatus {
		case "DONE":
		case "CANCELLED":
			// Amazon cancels a report that has no data: no unshipped orders.
			return nil, asOf, nil
		case "FATAL":
			return nil, asOf, errors.New("Amazon could not make the Unshipped Orders report (FATAL)")
		default:
			if time.Now().After(deadline) {
				return nil, asOf, errors.New("Amazon did not finish the Unshipped Orders report in 30 minutes")
			}
			// Short reports come back in seconds: ask soon, then every poll.
			wait := min(poll, (2*time.Second)<<min(polls, 4))
			progress(station.ImportProgress{Stage: "report", Waiting: wait})
			if err := sleepCtx(ctx, wait); err != nil {
				return nil, asOf, err
			}
			continue
		}
		break
	}
	raw, err := c.reportDocument(ctx, report.ReportDocumentID)
	if err != nil {
		return nil, asOf, err
	}
	orders, err := ParseActionableReport(raw)
	return orders, asOf, err
}

// reportDocument fetches a document that holds personal data: a restricted
// data token for its exact path, then the pre-signed URL (5 minutes), gunzipped.
func (c *Client) reportDocument(ctx context.Context, docID string) ([]byte, error) {
	path := "/reports/2021-06-30/documents/" + url.PathEscape(docID)
	var rdt struct {
		RestrictedDataToken string `json:"restrictedDataToken"`
		ExpiresIn           int    `json:"expiresIn"`
	}
	if err := c.Do(ctx, "createRestrictedDataToken", http.MethodPost, "/tokens/2021-03-01/restrictedDataToken", nil,
		map[string]any{"restrictedResources": []any{map[string]any{"method": "GET", "path": path}}}, &rdt); err != nil {
		return nil, err
	}
	restricted := *c
	restricted.Tokens = staticToken(Token{Access: rdt.RestrictedDataToken, Expiry: time.Now().Add(time.Duration(rdt.ExpiresIn) * time.Second)})
	var doc struct {
		URL                  string `json:"url"`
		CompressionAlgorithm string `json:"compressionAlgorithm"`
	}
	if err := restricted.Do(ctx, "getReportDocument", http.MethodGet, path, nil, nil, &doc); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, doc.URL, nil)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Minute}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading the report: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("downloading the report: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the report: HTTP %d (its address lives 5 minutes)", resp.StatusCode)
	}
	if doc.CompressionAlgorithm == "GZIP" && resp.Header.Get("Content-Encoding") != "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("the report is not the gzip Amazon announced: %w", err)
		}
		defer zr.Close()
		return io.ReadAll(io.LimitReader(zr, 4<<30))
	}
	return body, nil
}

type noRefresh struct{}

func (noRefresh) Refresh(context.Context, string) (Token, error) {
	return Token{}, errors.New("the restricted data token expired: run the import again")
}

// ParseActionableReport reads the Unshipped Orders report by column name,
// tolerating columns it does not know and missing optional ones; one row
// per order item, grouped into orders in file order.
func ParseActionableReport(raw []byte) ([]station.Order, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the report has no header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"order-id", "order-item-id", "quantity-to-ship"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("the report has no %q column: it is not the Unshipped Orders report", need)
		}
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	byID := map[string]*station.Order{}
	var order []string
	for line := 2; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("report line %d: %w", line, err)
		}
		id := get(row, "order-id")
		if id == "" {
			continue
		}
		o := byID[id]
		if o == nil {
			purchased := parseAPITime(get(row, "purchase-date"))
			o = &station.Order{AmazonOrderID: id, PurchasedAt: purchased, LastUpdatedAt: purchased,
				AmazonStatus: station.AmazonUnshipped, ServiceLevel: get(row, "ship-service-level"),
				ShipBy:    station.Window{Latest: parseAPITime(get(row, "promise-date"))},
				Prime:     get(row, "is-prime") == "true",
				Business:  get(row, "is-business-order") == "true",
				BuyerName: get(row, "buyer-name"),
				ShipTo: station.Address{Name: get(row, "recipient-name"), Line1: get(row, "ship-address-1"),
					Line2: get(row, "ship-address-2"), Line3: get(row, "ship-address-3"), City: get(row, "ship-city"),
					State: get(row, "ship-state"), PostalCode: get(row, "ship-postal-code"), CountryCode: get(row, "ship-country"),
					Phone: get(row, "buyer-phone-number")},
				MarketplaceID: marketplaceForCountry(get(row, "ship-country"), get(row, "sales-channel")),
			}
			byID[id] = o
			order = append(order, id)
		}
		qty, _ := strconv.Atoi(get(row, "quantity-purchased"))
		shipped, _ := strconv.Atoi(get(row, "quantity-shipped"))
		if shipped > 0 {
			o.AmazonStatus = station.AmazonPartiallyShipped
		}
		o.Items = append(o.Items, station.Item{OrderItemID: get(row, "order-item-id"), SKU: get(row, "sku"),
			Title: get(row, "product-name"), Quantity: qty, Shipped: shipped})
	}
	out := make([]station.Order, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out, nil
}

// marketplaceForCountry guesses the marketplace of a report row: the report
// has no marketplace column unless ShowSalesChannel is asked for.
func marketplaceForCountry(country, salesChannel string) string {
	if salesChannel != "" {
		domain := strings.ToLower(strings.TrimPrefix(salesChannel, "Amazon."))
		for _, mp := range station.Marketplaces() {
			if strings.TrimPrefix(mp.Domain, "amazon.") == domain {
				return mp.ID
			}
		}
	}
	if country == "GB" {
		country = "UK"
	}
	for _, mp := range station.Marketplaces() {
		if mp.Country == country {
			return mp.ID
		}
	}
	return ""
}
