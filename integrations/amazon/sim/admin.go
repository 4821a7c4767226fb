package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// The admin API lives under /_sim/, apart from everything Amazon serves, for
// tests, demos and benchmarks. Every endpoint speaks JSON:
//
//	GET    /_sim/orders?seller=ID          ground truth of every order (or one seller's)
//	POST   /_sim/orders/{orderId}/cancel   the buyer cancels the order now
//	GET    /_sim/purchases                 every label bought, with its order and idempotency key
//	GET    /_sim/stats                     requests, throttles and faults per operation
//	POST   /_sim/faults                    {"operation": "getRates", "kind": "status", "status": 503, "times": 2}
//	                                       kinds: status, latency (before the operation), drop, malformed,
//	                                       answer_late with latencyMs (the operation takes effect, the answer
//	                                       comes N ms later), answer_lost (takes effect, connection dropped),
//	                                       report_fatal, report_cancelled
//	DELETE /_sim/faults                    clear every fault
//	POST   /_sim/advance                   {"seconds": 3600} moves simulated time forward
//	GET    /_sim/time                      the simulated time
//	POST   /_sim/self-authorize            {"clientId": "...", "sellerId": "..."} -> {"refreshToken": "..."}
//	POST   /_sim/revoke                    {"refreshToken": "..."} or {"sellerId": "..."}
//	POST   /_sim/expire-access-tokens      every access token and RDT expires now
//	POST   /_sim/new-orders                {"sellerId": "...", "count": 5} buyers order now
func (s *Sim) adminRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /_sim/orders", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, s.Orders(r.URL.Query().Get("seller")))
	})
	m.HandleFunc("POST /_sim/orders/{orderId}/cancel", func(w http.ResponseWriter, r *http.Request) {
		adminAnswer(w, s.CancelOrder(r.PathValue("orderId")), nil)
	})
	m.HandleFunc("GET /_sim/purchases", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Purchases()) })
	m.HandleFunc("GET /_sim/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Stats()) })
	m.HandleFunc("POST /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Operation string `json:"operation"`
			Fault
			LatencyMS int `json:"latencyMs"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Operation == "" || req.Kind == "" {
			writeJSON(w, 400, errorList("InvalidInput", "Send {\"operation\": ..., \"kind\": status|latency|drop|malformed|answer_late|answer_lost|report_fatal|report_cancelled}.", ""))
			return
		}
		switch req.Kind {
		case FaultStatus, FaultLatency, FaultDrop, FaultMalformed, FaultAnswerLate, FaultAnswerLost, FaultReportFatal, FaultReportCancelled:
		default:
			writeJSON(w, 400, errorList("InvalidInput", "Unknown fault kind "+string(req.Kind)+".", ""))
			return
		}
		if req.LatencyMS > 0 {
			req.Latency = time.Duration(req.LatencyMS) * time.Millisecond
		}
		s.SetFault(req.Operation, req.Fault)
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("DELETE /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /_sim/advance", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Seconds float64 `json:"seconds"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Seconds <= 0 {
			writeJSON(w, 400, errorList("InvalidInput", "Send {\"seconds\": N} with N > 0.", ""))
			return
		}
		s.clock.Advance(time.Duration(req.Seconds * float64(time.Second)))
		writeJSON(w, 200, map[string]any{"now": s.clock.Now()})
	})
	m.HandleFunc("GET /_sim/time", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"now": s.clock.Now(), "timeScale": s.clock.Scale()})
	})
	m.HandleFunc("POST /_sim/self-authorize", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ ClientID, SellerID string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		tok, err := s.SelfAuthorize(req.ClientID, req.SellerID)
		adminAnswer(w, err, map[string]any{"refreshToken": tok})
	})
	m.HandleFunc("POST /_sim/revoke", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ RefreshToken, SellerID string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		if req.SellerID != "" {
			writeJSON(w, 200, map[string]any{"revoked": s.RevokeSeller(req.SellerID)})
			return
		}
		adminAnswer(w, s.Revoke(req.RefreshToken), nil)
	})
	m.HandleFunc("POST /_sim/new-orders", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			SellerID string
			Count    int
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		if req.Count <= 0 || req.Count > 10000 {
			writeJSON(w, 400, errorList("InvalidInput", "count must be 1 to 10000.", ""))
			return
		}
		ids, err := s.NewOrders(req.SellerID, req.Count)
		adminAnswer(w, err, map[string]any{"orderIds": ids})
	})
	m.HandleFunc("POST /_sim/expire-access-tokens", func(w http.ResponseWriter, r *http.Request) {
		s.ExpireAccessTokens()
		w.WriteHeader(http.StatusNoContent)
	})
}

func adminAnswer(w http.ResponseWriter, err error, body any) {
	var nf notFoundError
	switch {
	case errors.As(err, &nf):
		writeJSON(w, 404, errorList("NotFound", err.Error(), ""))
	case err != nil:
		writeJSON(w, 400, errorList("InvalidInput", err.Error(), ""))
	case body == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, 200, body)
	}
}

// OrderTruth is the admin view of one order.
type OrderTruth struct {
	SellerID      string         `json:"sellerId"`
	OrderID       string         `json:"orderId"`
	MarketplaceID string         `json:"marketplaceId"`
	Status        string         `json:"status"`
	FulfilledBy   string         `json:"fulfilledBy"`
	Created       time.Time      `json:"createdTime"`
	LastUpdated   time.Time      `json:"lastUpdatedTime"`
	Units         int            `json:"units"`
	Unshipped     int            `json:"unshipped"`
	SKUs          []string       `json:"skus"`
	Packages      []PackageTruth `json:"packages"`
	// Items are the codes on the units still to ship, one per unit, as a
	// packer scans them: the product's UPC when Amazon's catalog knows it,
	// else its SKU label.
	Items []string `json:"items"`
}

// PackageTruth is one package Amazon knows for an order.
type PackageTruth struct {
	ReferenceID string `json:"packageReferenceId"`
	Status      string `json:"status"`
	Tracking    string `json:"trackingNumber"`
}

// Orders is the ground truth, oldest first; sellerID "" means every seller.
func (s *Sim) Orders(sellerID string) []OrderTruth {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []OrderTruth{}
	now := s.clock.Now()
	for _, o := range s.orderSeq {
		if sellerID != "" && o.SellerID != sellerID {
			continue
		}
		s.syncPackages(o, now)
		t := OrderTruth{SellerID: o.SellerID, OrderID: o.ID, MarketplaceID: o.MarketplaceID, Status: o.Status,
			FulfilledBy: o.FulfilledBy, Created: o.Created, LastUpdated: o.LastUpdated, Unshipped: o.unshipped(),
			SKUs: []string{}, Packages: []PackageTruth{}}
		for _, it := range o.Items {
			t.Units += it.Quantity
			t.SKUs = append(t.SKUs, it.SKU)
			code := it.SKU
			if p := s.products[it.ASIN]; p != nil && p.InCatalog {
				code = ProductUPC(it.ASIN)
			}
			for range it.Quantity - it.Shipped {
				if !it.Cancelled {
					t.Items = append(t.Items, code)
				}
			}
		}
		for _, p := range o.Packages {
			t.Packages = append(t.Packages, PackageTruth{ReferenceID: p.ReferenceID, Status: p.Status, Tracking: p.Tracking})
		}
		out = append(out, t)
	}
	return out
}

// CancelOrder plays a buyer cancelling: the order turns CANCELLED now, its
// lastUpdatedTime moves, so an incremental import sees it.
func (s *Sim) CancelOrder(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.saveLocked()
	o := s.orders[orderID]
	if o == nil {
		return errNotFound("unknown order " + orderID)
	}
	if o.Status == "SHIPPED" {
		return errors.New("order " + orderID + " has shipped and can no longer be cancelled")
	}
	o.Status = "CANCELLED"
	for _, it := range o.Items {
		it.CancelRequested, it.Cancelled = true, true
	}
	o.LastUpdated = s.clock.Now()
	return nil
}

// Purchase is one label the simulator sold.
type Purchase struct {
	ShipmentID     string    `json:"shipmentId"`
	SellerID       string    `json:"sellerId"`
	OrderID        string    `json:"orderId"`
	TrackingID     string    `json:"trackingId"`
	CarrierID      string    `json:"carrierId"`
	ServiceID      string    `json:"serviceId"`
	IdempotencyKey string    `json:"idempotencyKey,omitempty"`
	Cancelled      bool      `json:"cancelled"`
	PurchasedAt    time.Time `json:"purchasedAt"`
	Charged        float64   `json:"charged"` // the rate and its value-added services
	Currency       string    `json:"currency"`
	Grams          float64   `json:"grams"` // the package's weight
}

// Purchases lists every label sold, oldest first.
func (s *Sim) Purchases() []Purchase {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Purchase{}
	for _, id := range slicesSortedKeys(s.shipments) {
		sh := s.shipments[id]
		currency := ""
		if sh.offer != nil {
			currency = sh.offer.currency
		}
		out = append(out, Purchase{ShipmentID: sh.ID, SellerID: sh.SellerID, OrderID: sh.OrderID, TrackingID: sh.Tracking,
			CarrierID: sh.Carrier.carrierID, ServiceID: sh.Carrier.serviceID, IdempotencyKey: sh.IdemKey,
			Cancelled: sh.Cancelled, PurchasedAt: sh.Purchased, Charged: sh.Charged, Currency: currency, Grams: sh.Grams})
	}
	return out
}

// NewOrders plays buyers ordering now: n fresh unshipped orders for a seller.
func (s *Sim) NewOrders(sellerID string, n int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.saveLocked()
	seller := s.sellers[sellerID]
	if seller == nil {
		return nil, errNotFound("unknown seller " + sellerID)
	}
	s.nextID++
	gen := newGenerator(s.cfg.Seed + uint64(s.nextID)*7919)
	now := s.clock.Now().Truncate(time.Second)
	var ids []string
	for _, o := range gen.orders(*seller, n, now) {
		o.Created, o.LastUpdated = now, now
		o.ShipBy = [2]time.Time{now, now.Add(48 * time.Hour)}
		o.DeliverBy = [2]time.Time{now.Add(72 * time.Hour), now.Add(7 * 24 * time.Hour)}
		o.Status, o.FulfilledBy, o.Packages = "UNSHIPPED", "MERCHANT", nil
		for _, it := range o.Items {
			it.Shipped, it.Cancelled = 0, false
		}
		if s.orders[o.ID] != nil {
			continue
		}
		s.addOrder(o)
		ids = append(ids, o.ID)
	}
	return ids, nil
}

// ShipElsewhere plays the seller shipping an order outside Packbench (in
// Seller Central, say): every unit ships, the order turns SHIPPED now.
func (s *Sim) ShipElsewhere(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[orderID]
	if o == nil {
		return errNotFound("unknown order " + orderID)
	}
	now := s.clock.Now()
	items := map[string]int{}
	for _, it := range o.Items {
		if left := it.Quantity - it.Shipped; left > 0 && !it.Cancelled {
			items[it.ID] = left
			it.Shipped = it.Quantity
		}
	}
	o.Packages = append(o.Packages, &pkg{ReferenceID: fmt.Sprint(len(o.Packages) + 1), Created: now, Status: "SHIPPED",
		Carrier: "UPS", Service: "UPS Ground", Tracking: fmt.Sprintf("1Z999ELSE%09d", len(s.orders)), ShipTime: now, Items: items})
	o.updateStatusFromItems()
	o.LastUpdated = now
	return nil
}
