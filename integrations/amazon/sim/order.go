package sim

import (
	"fmt"
	"slices"
	"time"
)

// order is the simulator's ground truth of one Amazon order.
type order struct {
	SellerID      string
	ID            string
	SellerOrderID string
	MarketplaceID string
	Currency      string
	Created       time.Time
	LastUpdated   time.Time
	Status        string // FulfillmentStatus of the 2026-01-01 model
	FulfilledBy   string // MERCHANT or AMAZON
	ServiceLevel  string // Standard, Expedited, SecondDay, NextDay, Priority
	ShipBy        [2]time.Time
	DeliverBy     [2]time.Time
	Programs      []string
	Buyer         buyer
	Address       address
	Items         []*item
	Packages      []*pkg
}

type buyer struct {
	Name, Email, Company, PurchaseOrder string
}

type address struct {
	Name, Company, Line1, Line2, Line3, City, District, State, PostalCode, Country, Phone, Type string
}

type item struct {
	ID                string
	ASIN, SKU, Title  string
	Quantity, Shipped int
	UnitPrice         float64
	SignatureRequired bool
	GiftMessage       string
	CancelRequested   bool
	Cancelled         bool
}

// pkg is a package Amazon knows of: a label bought through Buy Shipping or a
// shipment confirmed by the seller.
type pkg struct {
	ReferenceID string
	Created     time.Time
	Status      string // PENDING IN_TRANSIT SHIPPED DELIVERED CANCELLED UNDELIVERABLE
	Carrier     string
	Service     string
	Tracking    string
	ShipTime    time.Time
	Items       map[string]int // orderItemId -> quantity
	shipment    *shipment      // set for labels bought through Buy Shipping
}

func (o *order) has(program string) bool { return slices.Contains(o.Programs, program) }

func money(amount float64, currency string) map[string]any {
	digits := 2
	if currency == "JPY" {
		digits = 0
	}
	// Decimal is a string in the 2026-01-01 model.
	return map[string]any{"amount": fmt.Sprintf("%.*f", digits, amount), "currencyCode": currency}
}

func window(w [2]time.Time) map[string]any {
	m := map[string]any{}
	if !w[0].IsZero() {
		m["earliestDateTime"] = w[0].Format(time.RFC3339)
	}
	if !w[1].IsZero() {
		m["latestDateTime"] = w[1].Format(time.RFC3339)
	}
	return m
}

func setIf(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

// render builds the Orders API 2026-01-01 Order, with the sections the
// caller asked for in includedData.
func (o *order) render(included map[string]bool, mpName string) map[string]any {
	out := map[string]any{
		"orderId":         o.ID,
		"createdTime":     o.Created.Format(time.RFC3339),
		"lastUpdatedTime": o.LastUpdated.Format(time.RFC3339),
		"salesChannel":    map[string]any{"channelName": "AMAZON", "marketplaceId": o.MarketplaceID, "marketplaceName": mpName},
	}
	if o.SellerOrderID != "" {
		out["orderAliases"] = []any{map[string]any{"aliasId": o.SellerOrderID, "aliasType": "SELLER_ORDER_ID"}}
	}
	if len(o.Programs) > 0 {
		out["programs"] = o.Programs
	}
	if included["BUYER"] {
		b := map[string]any{}
		setIf(b, "buyerName", o.Buyer.Name)
		setIf(b, "buyerEmail", o.Buyer.Email)
		setIf(b, "buyerCompanyName", o.Buyer.Company)
		setIf(b, "buyerPurchaseOrderNumber", o.Buyer.PurchaseOrder)
		out["buyer"] = b
	}
	if included["RECIPIENT"] && o.Status != "PENDING" && o.Status != "CANCELLED" {
		a := map[string]any{}
		setIf(a, "name", o.Address.Name)
		setIf(a, "companyName", o.Address.Company)
		setIf(a, "addressLine1", o.Address.Line1)
		setIf(a, "addressLine2", o.Address.Line2)
		setIf(a, "addressLine3", o.Address.Line3)
		setIf(a, "city", o.Address.City)
		setIf(a, "districtOrCounty", o.Address.District)
		setIf(a, "stateOrRegion", o.Address.State)
		setIf(a, "postalCode", o.Address.PostalCode)
		setIf(a, "countryCode", o.Address.Country)
		setIf(a, "phone", o.Address.Phone)
		setIf(a, "addressType", o.Address.Type)
		out["recipient"] = map[string]any{"deliveryAddress": a}
	}
	if included["FULFILLMENT"] {
		f := map[string]any{"fulfillmentStatus": o.Status, "fulfilledBy": o.FulfilledBy, "fulfillmentServiceLevel": o.ServiceLevel,
			"shipByWindow": window(o.ShipBy), "deliverByWindow": window(o.DeliverBy)}
		out["fulfillment"] = f
	}
	if included["PACKAGES"] {
		pkgs := []any{}
		for _, p := range o.Packages {
			items := []any{}
			for _, id := range slicesSortedKeys(p.Items) {
				items = append(items, map[string]any{"orderItemId": id, "quantity": p.Items[id]})
			}
			m := map[string]any{"packageReferenceId": p.ReferenceID, "createdTime": p.Created.Format(time.RFC3339),
				"packageStatus": map[string]any{"status": p.Status}, "packageItems": items}
			setIf(m, "carrier", p.Carrier)
			setIf(m, "shippingService", p.Service)
			setIf(m, "trackingNumber", p.Tracking)
			if !p.ShipTime.IsZero() {
				m["shipTime"] = p.ShipTime.Format(time.RFC3339)
			}
			pkgs = append(pkgs, m)
		}
		out["packages"] = pkgs
	}
	items := make([]any, 0, len(o.Items))
	for _, it := range o.Items {
		product := map[string]any{"asin": it.ASIN, "title": it.Title, "sellerSku": it.SKU,
			"condition": map[string]any{"conditionType": "New"}}
		if o.Status != "PENDING" {
			product["price"] = map[string]any{"unitPrice": money(it.UnitPrice, o.Currency)}
		}
		m := map[string]any{"orderItemId": it.ID, "quantityOrdered": it.Quantity, "product": product}
		if included["FULFILLMENT"] {
			f := map[string]any{"quantityFulfilled": it.Shipped, "quantityUnfulfilled": it.Quantity - it.Shipped}
			if it.SignatureRequired {
				f["shipping"] = map[string]any{"shippingConstraints": map[string]any{"signatureConfirmation": "MANDATORY"}}
			}
			if it.GiftMessage != "" && included["BUYER"] {
				f["packing"] = map[string]any{"giftOption": map[string]any{"giftMessage": it.GiftMessage}}
			}
			m["fulfillment"] = f
		}
		if included["CANCELLATION"] && (it.CancelRequested || it.Cancelled) {
			cancel := map[string]any{"cancellationRequest": map[string]any{"requester": "BUYER", "cancelReason": "Order placed by mistake"}}
			m["cancellation"] = cancel
		}
		items = append(items, m)
	}
	out["orderItems"] = items
	return out
}

// unshipped counts units still to ship.
func (o *order) unshipped() int {
	n := 0
	for _, it := range o.Items {
		if !it.Cancelled {
			n += it.Quantity - it.Shipped
		}
	}
	return n
}

// updateStatusFromItems moves the order to SHIPPED / PARTIALLY_SHIPPED /
// UNSHIPPED from its items' shipped quantities.
func (o *order) updateStatusFromItems() {
	if o.Status == "CANCELLED" {
		return
	}
	shipped := 0
	for _, it := range o.Items {
		shipped += it.Shipped
	}
	switch {
	case o.unshipped() == 0:
		o.Status = "SHIPPED"
	case shipped > 0:
		o.Status = "PARTIALLY_SHIPPED"
	default:
		o.Status = "UNSHIPPED"
	}
}
