package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packbench/packbench/station"
)

// Pagination tokens of searchOrders live 24 hours (docs/amazon.md, "Importing orders").
const paginationLifetime = 24 * time.Hour

type pageToken struct {
	Offset int    `json:"o"`
	Hash   string `json:"h"`
	Issued int64  `json:"t"`
	Before int64  `json:"b"` // the first page's upper bound, so later pages see the same window
}

func included(values []string) map[string]bool {
	out := map[string]bool{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out[part] = true
			}
		}
	}
	return out
}

func list(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339, v)
	return t.UTC(), err == nil
}

// searchOrders is Orders API 2026-01-01 searchOrders.
func (s *Sim) searchOrders(c *call) result {
	q := c.r.URL.Query()
	createdAfter, ok1 := parseTime(q.Get("createdAfter"))
	createdBefore, ok2 := parseTime(q.Get("createdBefore"))
	updatedAfter, ok3 := parseTime(q.Get("lastUpdatedAfter"))
	updatedBefore, ok4 := parseTime(q.Get("lastUpdatedBefore"))
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return fail(400, "InvalidInput", "Dates must be in ISO 8601 format, e.g. 2026-11-20T08:00:00Z.")
	}
	byCreated := !createdAfter.IsZero()
	if byCreated == !updatedAfter.IsZero() {
		return fail(400, "InvalidInput", "Exactly one of createdAfter and lastUpdatedAfter is required.")
	}
	if (byCreated && !updatedBefore.IsZero()) || (!byCreated && !createdBefore.IsZero()) {
		return fail(400, "InvalidInput", "createdBefore goes with createdAfter and lastUpdatedBefore with lastUpdatedAfter; they cannot be mixed.")
	}
	after, before := createdAfter, createdBefore
	if !byCreated {
		after, before = updatedAfter, updatedBefore
	}
	latest := c.now.Add(-2 * time.Minute)
	if before.IsZero() {
		before = latest
	}
	if before.After(latest) {
		return fail(400, "InvalidInput", "The Before date must be at least two minutes before the current time.")
	}
	if before.Before(after) {
		return fail(400, "InvalidInput", "The Before date must be later than or equal to the After date.")
	}
	limit := 100
	if v := q.Get("maxResultsPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return fail(400, "InvalidInput", "maxResultsPerPage must be between 1 and 100.")
		}
		limit = n
	}
	mps := list(q, "marketplaceIds")
	if len(mps) > 50 {
		return fail(400, "InvalidInput", "At most 50 marketplaceIds are allowed.")
	}
	for _, mp := range mps {
		if !slices.Contains(c.seller.Marketplaces, mp) {
			return fail(400, "InvalidInput", "Invalid marketplace: "+mp+" is not a marketplace this seller participates in.")
		}
	}
	statuses, fulfilledBy := list(q, "fulfillmentStatuses"), list(q, "fulfilledBy")

	// The token binds every filter except maxResultsPerPage and includedData.
	filterKey := url.Values{}
	for k, v := range q {
		if k != "maxResultsPerPage" && k != "includedData" && k != "paginationToken" {
			filterKey[k] = v
		}
	}
	sum := sha256.Sum256([]byte(c.seller.ID + "|" + filterKey.Encode()))
	hash := hex.EncodeToString(sum[:8])
	offset := 0
	if tok := q.Get("paginationToken"); tok != "" {
		var pt pageToken
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || json.Unmarshal(raw, &pt) != nil {
			return fail(400, "InvalidInput", "Invalid paginationToken.")
		}
		if c.now.Sub(time.Unix(pt.Issued, 0)) > paginationLifetime {
			return fail(400, "InvalidInput", "The paginationToken has expired; start the search again.")
		}
		if pt.Hash != hash {
			return fail(400, "InvalidInput", "A paginationToken must be sent with the same filters as the first request.")
		}
		offset, before = pt.Offset, time.Unix(pt.Before, 0).UTC()
	}

	var matched []*order
	for _, o := range s.orderSeq {
		if o.SellerID != c.seller.ID {
			continue
		}
		t := o.Created
		if !byCreated {
			t = o.LastUpdated
		}
		if t.Before(after) || t.After(before) {
			continue
		}
		if len(mps) > 0 && !slices.Contains(mps, o.MarketplaceID) {
			continue
		}
		if len(statuses) > 0 && !slices.Contains(statuses, o.Status) {
			continue
		}
		if len(fulfilledBy) > 0 && !slices.Contains(fulfilledBy, o.FulfilledBy) {
			continue
		}
		matched = append(matched, o)
	}
	if !byCreated {
		slices.SortStableFunc(matched, func(a, b *order) int { return a.LastUpdated.Compare(b.LastUpdated) })
	}
	inc := included(q["includedData"])
	page := []any{}
	end := min(offset+limit, len(matched))
	for _, o := range matched[min(offset, len(matched)):end] {
		s.syncPackages(o, c.now)
		page = append(page, o.render(inc, marketplaceName(o.MarketplaceID)))
	}
	body := map[string]any{"orders": page}
	if end < len(matched) {
		raw, _ := json.Marshal(pageToken{Offset: end, Hash: hash, Issued: c.now.Unix(), Before: before.Unix()})
		body["pagination"] = map[string]any{"nextToken": base64.RawURLEncoding.EncodeToString(raw)}
	}
	if byCreated {
		body["createdBefore"] = before.Format(time.RFC3339)
	} else {
		body["lastUpdatedBefore"] = before.Format(time.RFC3339)
	}
	return ok(body)
}

func marketplaceName(id string) string {
	if mp, ok := station.MarketplaceByID(id); ok {
		return "Amazon." + strings.TrimPrefix(mp.Domain, "amazon.")
	}
	return id
}

func (s *Sim) sellerOrder(c *call, id string) *order {
	o := s.orders[id]
	if o == nil || o.SellerID != c.seller.ID {
		return nil
	}
	return o
}

// getOrder is Orders API 2026-01-01 getOrder.
func (s *Sim) getOrder(c *call) result {
	o := s.sellerOrder(c, c.r.PathValue("orderId"))
	if o == nil {
		return fail(404, "NotFound", "Order "+c.r.PathValue("orderId")+" was not found for this seller.")
	}
	s.syncPackages(o, c.now)
	return ok(map[string]any{"order": o.render(included(c.r.URL.Query()["includedData"]), marketplaceName(o.MarketplaceID))})
}

// confirmShipment is Orders API v0 confirmShipment: a shipment the seller
// bought elsewhere, one call per package.
func (s *Sim) confirmShipment(c *call) result {
	o := s.sellerOrder(c, c.r.PathValue("orderId"))
	if o == nil {
		return fail(404, "NotFound", "Order "+c.r.PathValue("orderId")+" was not found for this seller.")
	}
	var req struct {
		MarketplaceID string `json:"marketplaceId"`
		PackageDetail struct {
			PackageReferenceID string `json:"packageReferenceId"`
			CarrierCode        string `json:"carrierCode"`
			CarrierName        string `json:"carrierName"`
			ShippingMethod     string `json:"shippingMethod"`
			TrackingNumber     string `json:"trackingNumber"`
			ShipDate           string `json:"shipDate"`
			OrderItems         []struct {
				OrderItemID string `json:"orderItemId"`
				Quantity    int    `json:"quantity"`
			} `json:"orderItems"`
		} `json:"packageDetail"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return fail(400, "InvalidInput", "The request body is not valid JSON.")
	}
	pd := req.PackageDetail
	if req.MarketplaceID != o.MarketplaceID {
		return fail(400, "InvalidInput", "marketplaceId does not match the order's marketplace.")
	}
	if n, err := strconv.Atoi(pd.PackageReferenceID); err != nil || n <= 0 {
		return fail(400, "InvalidInput", "packageReferenceId must be a positive number.")
	}
	if pd.CarrierCode == "" || pd.TrackingNumber == "" || len(pd.OrderItems) == 0 {
		return fail(400, "InvalidInput", "carrierCode, trackingNumber and orderItems are required.")
	}
	if pd.CarrierCode == "Other" && pd.CarrierName == "" {
		return fail(400, "InvalidInput", "carrierName is required when carrierCode is Other.")
	}
	shipDate, okDate := parseTime(pd.ShipDate)
	if !okDate || shipDate.IsZero() {
		return fail(400, "InvalidInput", "shipDate must be an ISO 8601 date-time.")
	}
	if o.has("FBM_SHIP_PLUS") {
		return fail(400, "InvalidInput", "Ship+ orders do not support confirmShipment.")
	}
	if o.Status != "UNSHIPPED" && o.Status != "PARTIALLY_SHIPPED" && o.Status != "SHIPPED" {
		return fail(400, "InvalidInput", "The order is "+o.Status+" and cannot be confirmed.")
	}
	// Re-sending a packageReferenceId edits that package: its old quantities
	// are given back before the new ones are checked, and nothing changes
	// unless every line is valid.
	var p *pkg
	for _, existing := range o.Packages {
		if existing.ReferenceID == pd.PackageReferenceID {
			p = existing
		}
	}
	shipped := map[string]int{}
	for _, it := range o.Items {
		shipped[it.ID] = it.Shipped
		if p != nil {
			shipped[it.ID] -= p.Items[it.ID]
		}
	}
	lines := map[string]int{}
	for _, want := range pd.OrderItems {
		var it *item
		for _, candidate := range o.Items {
			if candidate.ID == want.OrderItemID {
				it = candidate
			}
		}
		if it == nil || want.Quantity <= 0 || shipped[it.ID]+lines[it.ID]+want.Quantity > it.Quantity {
			return fail(400, "InvalidInput", "orderItems: unknown order item "+want.OrderItemID+" or quantity above what is left to ship.")
		}
		lines[it.ID] += want.Quantity
	}
	if p == nil {
		p = &pkg{ReferenceID: pd.PackageReferenceID, Created: c.now}
		o.Packages = append(o.Packages, p)
	}
	for _, it := range o.Items {
		it.Shipped = shipped[it.ID] + lines[it.ID]
	}
	p.Items = lines
	carrier := pd.CarrierCode
	if carrier == "Other" {
		carrier = pd.CarrierName
	}
	p.Carrier, p.Service, p.Tracking, p.ShipTime, p.Status = carrier, pd.ShippingMethod, pd.TrackingNumber, shipDate, "SHIPPED"
	o.updateStatusFromItems()
	o.LastUpdated = c.now
	return result{status: 204}
}
