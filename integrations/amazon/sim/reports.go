package sim

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ActionableOrderReport is the Unshipped Orders report, the import's bootstrap.
const ActionableOrderReport = "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"

// Report document URLs expire after 5 minutes (docs/amazon.md, "Importing orders").
const downloadLifetime = 5 * time.Minute

type report struct {
	ID           string
	SellerID     string
	Type         string
	Marketplaces []string
	Created      time.Time
	Outcome      string // DONE, FATAL or CANCELLED once processing ends
	DocumentID   string
	document     []byte // gzip of the TSV
}

type download struct {
	docID       string
	expires     time.Time
	contentGzip bool
}

// actionableColumns are the report's columns in Amazon's order
// (D:order-reports-attributes) plus ones real files carry.
var actionableColumns = []string{"order-id", "order-item-id", "purchase-date", "payments-date", "reporting-date",
	"promise-date", "days-past-promise", "buyer-email", "buyer-name", "buyer-phone-number", "sku", "product-name",
	"quantity-purchased", "quantity-shipped", "quantity-to-ship", "ship-service-level", "recipient-name",
	"ship-address-1", "ship-address-2", "ship-address-3", "ship-city", "ship-state", "ship-postal-code",
	"ship-country", "is-business-order", "purchase-order-number", "price-designation", "is-prime",
	"verge-of-cancellation", "verge-of-lateShipment", "sales-channel"}

// createReport is Reports API createReport.
func (s *Sim) createReport(c *call) result {
	var req struct {
		ReportType     string   `json:"reportType"`
		MarketplaceIDs []string `json:"marketplaceIds"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || req.ReportType == "" || len(req.MarketplaceIDs) == 0 {
		return fail(400, "InvalidInput", "reportType and marketplaceIds are required.")
	}
	if req.ReportType != ActionableOrderReport {
		return fail(400, "InvalidInput", "The simulator only makes "+ActionableOrderReport+" reports.")
	}
	if len(req.MarketplaceIDs) > 25 {
		return fail(400, "InvalidInput", "At most 25 marketplaceIds are allowed.")
	}
	for _, mp := range req.MarketplaceIDs {
		if !slices.Contains(c.seller.Marketplaces, mp) {
			return fail(400, "InvalidInput", "Invalid marketplace: "+mp)
		}
	}
	r := &report{ID: fmt.Sprintf("%d", 50000000000+s.id()), SellerID: c.seller.ID, Type: req.ReportType,
		Marketplaces: req.MarketplaceIDs, Created: c.now}
	if f := s.takeFault("createReport", FaultReportFatal, FaultReportCancelled); f != nil {
		r.Outcome = map[FaultKind]string{FaultReportFatal: "FATAL", FaultReportCancelled: "CANCELLED"}[f.Kind]
	}
	s.reports[r.ID] = r
	return result{http.StatusAccepted, map[string]any{"reportId": r.ID}}
}

// progress moves a report along in simulated time and builds its document
// when it finishes.
func (s *Sim) progress(r *report, now time.Time) string {
	age := now.Sub(r.Created)
	switch {
	case age < s.cfg.ReportDelay/3:
		return "IN_QUEUE"
	case age < s.cfg.ReportDelay:
		return "IN_PROGRESS"
	}
	if r.Outcome == "" {
		rows := s.actionableRows(r, now)
		if len(rows) == 0 {
			// Amazon cancels a report that has no data.
			r.Outcome = "CANCELLED"
		} else {
			var tsv bytes.Buffer
			tsv.WriteString(strings.Join(actionableColumns, "\t") + "\n")
			for _, row := range rows {
				tsv.WriteString(strings.Join(row, "\t") + "\n")
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			_, _ = zw.Write(tsv.Bytes())
			_ = zw.Close()
			r.Outcome, r.DocumentID, r.document = "DONE", "amzn1.spdoc.1.4.na."+newUUID(), gz.Bytes()
		}
	}
	return r.Outcome
}

func clean(v string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(v) }

func (s *Sim) actionableRows(r *report, now time.Time) [][]string {
	var rows [][]string
	for _, o := range s.orderSeq {
		if o.SellerID != r.SellerID || o.FulfilledBy != "MERCHANT" || !slices.Contains(r.Marketplaces, o.MarketplaceID) ||
			(o.Status != "UNSHIPPED" && o.Status != "PARTIALLY_SHIPPED") {
			continue
		}
		late := "false"
		if now.After(o.ShipBy[1]) {
			late = "true"
		}
		for _, it := range o.Items {
			toShip := it.Quantity - it.Shipped
			if it.Cancelled || toShip <= 0 {
				continue
			}
			bool01 := func(b bool) string {
				if b {
					return "true"
				}
				return "false"
			}
			rows = append(rows, []string{o.ID, it.ID, o.Created.Format(time.RFC3339), o.Created.Add(time.Minute).Format(time.RFC3339),
				o.LastUpdated.Format(time.RFC3339), o.ShipBy[1].Format(time.RFC3339), "0", o.Buyer.Email, clean(o.Buyer.Name),
				o.Address.Phone, it.SKU, clean(it.Title), fmt.Sprint(it.Quantity), fmt.Sprint(it.Shipped), fmt.Sprint(toShip),
				o.ServiceLevel, clean(o.Address.Name), clean(o.Address.Line1), clean(o.Address.Line2), clean(o.Address.Line3),
				clean(o.Address.City), clean(o.Address.State), o.Address.PostalCode, o.Address.Country, bool01(o.has("AMAZON_BUSINESS")),
				o.Buyer.PurchaseOrder, "", bool01(o.has("PRIME")), "false", late, marketplaceName(o.MarketplaceID)})
		}
	}
	return rows
}

// getReport is Reports API getReport.
func (s *Sim) getReport(c *call) result {
	r := s.reports[c.r.PathValue("reportId")]
	if r == nil || r.SellerID != c.seller.ID {
		return fail(404, "NotFound", "Report "+c.r.PathValue("reportId")+" was not found.")
	}
	status := s.progress(r, c.now)
	body := map[string]any{"reportId": r.ID, "reportType": r.Type, "marketplaceIds": r.Marketplaces,
		"createdTime": r.Created.Format(time.RFC3339), "processingStatus": status}
	if status != "IN_QUEUE" {
		body["processingStartTime"] = r.Created.Add(s.cfg.ReportDelay / 3).Format(time.RFC3339)
	}
	if status == "DONE" || status == "FATAL" || status == "CANCELLED" {
		body["processingEndTime"] = r.Created.Add(s.cfg.ReportDelay).Format(time.RFC3339)
	}
	if r.DocumentID != "" {
		body["reportDocumentId"] = r.DocumentID
	}
	return ok(body)
}

// getReportDocument is Reports API getReportDocument; the actionable order
// report holds personal data, so authorize() has demanded an RDT for it.
func (s *Sim) getReportDocument(c *call) result {
	id := c.r.PathValue("reportDocumentId")
	var r *report
	for _, candidate := range s.reports {
		if candidate.DocumentID == id && candidate.SellerID == c.seller.ID {
			r = candidate
		}
	}
	if r == nil {
		return fail(404, "NotFound", "Report document "+id+" was not found.")
	}
	tok := randomToken(24)
	s.downloads[tok] = &download{docID: id, expires: c.now.Add(downloadLifetime),
		contentGzip: c.r.URL.Query().Get("enableContentEncodingUrlHeader") == "true"}
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return ok(map[string]any{"reportDocumentId": id, "url": scheme + "://" + c.r.Host + "/_download/" + tok,
		"compressionAlgorithm": "GZIP"})
}

// downloadDocument plays the pre-signed S3 URL: no SP-API token, expires in 5 minutes.
func (s *Sim) downloadDocument(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d := s.downloads[r.PathValue("token")]
	var doc []byte
	expired := d == nil || s.clock.Now().After(d.expires)
	if !expired {
		for _, rep := range s.reports {
			if rep.DocumentID == d.docID {
				doc = rep.document
			}
		}
	}
	s.mu.Unlock()
	if expired || doc == nil {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`)
		return
	}
	if d.contentGzip {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/tab-separated-values; charset=UTF-8")
	} else {
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	_, _ = w.Write(doc)
}
