package station

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ScanResult is what a scanned code names: one order, wherever it is (any
// tab, any store), with its label when it has one; or how many orders the
// code matched when it names none exactly.
type ScanResult struct {
	Code string
	// Order is the order the code names; nil when none or several match.
	Order *OrderRow
	// Matches counts the orders whose id, SKU, title or buyer's name the
	// code matched, when it names no order exactly; More: and others too.
	Matches int
	More    bool
	// Shipment is the order's live label (bought or shipped), if any.
	Shipment *Shipment
}

// scanMatchLimit is how many search matches a scan reads to tell "one
// order" from "several"; more than one is enough to say "several".
const scanMatchLimit = 20

// Scan finds the order a scanned code (an Amazon order id, or any text the
// search understands) names across every store and status, so a scan on
// the wrong tab still finds its order and says where it is.
func (s *Station) Scan(ctx context.Context, code string) (ScanResult, error) {
	code = strings.TrimSpace(code)
	res := ScanResult{Code: code}
	if code == "" {
		return res, errors.New("nothing was scanned")
	}
	page, err := s.repo.ListOrders(ctx, OrderQuery{OrderFilter: OrderFilter{Search: code}, Sort: NewestFirst, Limit: scanMatchLimit})
	if err != nil {
		return res, fmt.Errorf("find the scanned order: %w", err)
	}
	var pick *OrderRow
	for i, r := range page.Rows {
		if strings.EqualFold(r.AmazonOrderID, code) {
			pick = &page.Rows[i]
			break
		}
	}
	if pick == nil && len(page.Rows) == 1 {
		pick = &page.Rows[0]
	}
	if pick == nil {
		res.Matches, res.More = len(page.Rows), page.Next != nil
		return res, nil
	}
	res.Order, res.Matches = pick, 1
	if pick.Status == StatusLabelBought || pick.Status == StatusShipped || pick.Status == StatusDelivered {
		sh, err := s.repo.LiveShipment(ctx, pick.ID)
		switch {
		case err == nil:
			res.Shipment = &sh
		case !errors.Is(err, ErrNotFound):
			return res, fmt.Errorf("read the scanned order's label: %w", err)
		}
	}
	return res, nil
}

// Where says where the scanned order is and what a packer can do with it,
// in one line ("already shipped: label bought Nov 30 10:41, UPS Ground,
// tracking 1Z…").
func (r ScanResult) Where(loc *time.Location) string {
	if r.Order == nil {
		if r.Matches == 0 {
			return fmt.Sprintf("No order %s in any store: check the label, or import now (Ctrl+I).", r.Code)
		}
		more := ""
		if r.More {
			more = " or more"
		}
		return fmt.Sprintf("%s matches %s%s: scan the whole order id.", r.Code, Plural(r.Matches, "order", "orders"), more)
	}
	o := r.Order
	label := ""
	if sh := r.Shipment; sh != nil {
		by := ""
		if sh.Bench != "" {
			by = " by " + sh.Bench
		}
		label = fmt.Sprintf("label bought%s %s, %s, tracking %s", by, sh.PurchasedAt.In(loc).Format("Jan 2 15:04"),
			ServiceLabel(sh.CarrierName, sh.ServiceName), sh.TrackingID)
	}
	switch {
	case NeedsVoid(o.Status, o.AmazonStatus):
		return fmt.Sprintf("Order %s was cancelled by the buyer: void its label (%s), do not ship.", o.AmazonOrderID, label)
	case o.Status == StatusCancelled:
		return fmt.Sprintf("Order %s was cancelled: do not ship.", o.AmazonOrderID)
	case o.Status == StatusDelivered && label != "":
		return fmt.Sprintf("Order %s was delivered: %s.", o.AmazonOrderID, label)
	case label != "" && o.Parcel.NeedsAttention():
		return fmt.Sprintf("Order %s: %s (%s).", o.AmazonOrderID, strings.ToLower(o.Parcel.Title()), label)
	case o.Status == StatusShipped && label != "" && (o.Parcel == ParcelPreTransit || o.Parcel == ParcelUnknown):
		return fmt.Sprintf("Order %s already has a label, waiting for the carrier: %s.", o.AmazonOrderID, label)
	case o.Status == StatusShipped && label != "":
		return fmt.Sprintf("Order %s is already shipped (%s): %s.", o.AmazonOrderID, strings.ToLower(o.Parcel.Title()), label)
	case o.Status == StatusShipped:
		return fmt.Sprintf("Order %s is already shipped.", o.AmazonOrderID)
	case o.Status == StatusLabelBought && label != "":
		return fmt.Sprintf("Order %s already has a label: %s.", o.AmazonOrderID, label)
	case o.Status == StatusReady && o.Attention != "":
		return fmt.Sprintf("Order %s is ready to ship (%s).", o.AmazonOrderID, o.Attention)
	}
	return fmt.Sprintf("Order %s is %s.", o.AmazonOrderID, strings.ToLower(o.Status.Title()))
}

// Plural is "1 order", "2 orders".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ServiceLabel names a shipping service as a person writes it: "USPS
// Priority Mail", not "USPS USPS Priority Mail" when Amazon's service name
// already carries the carrier's.
func ServiceLabel(carrier, service string) string {
	carrier, service = strings.TrimSpace(carrier), strings.TrimSpace(service)
	switch {
	case carrier == "":
		return service
	case service == "":
		return carrier
	case strings.HasPrefix(strings.ToLower(service), strings.ToLower(carrier)):
		return service
	}
	return carrier + " " + service
}

// Shipped is what ShipOrder did: the label bought, and what printed.
type Shipped struct {
	Shipment     Shipment
	LabelPrinted bool
	SlipPrinted  bool
}

// Say is the one line a packer reads after a label is bought and printed.
func (s Shipped) Say(orderID string) string {
	sh := s.Shipment
	msg := fmt.Sprintf("%s: bought %s for %s, tracking %s.", orderID, ServiceLabel(sh.CarrierName, sh.ServiceName), sh.Cost, sh.TrackingID)
	switch {
	case s.LabelPrinted && s.SlipPrinted:
		msg += " Label and packing slip printed."
	case s.LabelPrinted:
		msg += " Label printed."
	}
	return msg
}

// ShipOrder is the bench's one action on a ready order: buy its label (c
// chooses, or the order's rule or default rate), print it on the label
// printer and, when slip is set, print its packing slip. An error after the
// purchase says what was bought: the label is saved and can be printed again.
func (s *Station) ShipOrder(ctx context.Context, orderID int64, c BuyChoice, slip bool) (Shipped, error) {
	var done Shipped
	sh, err := s.Buy(ctx, orderID, c)
	if err != nil {
		return done, err
	}
	done.Shipment = sh
	s.scale.labelBought(c.Package.Weight)
	bought := fmt.Sprintf("bought %s for %s, tracking %s", ServiceLabel(sh.CarrierName, sh.ServiceName), sh.Cost, sh.TrackingID)
	if err := s.PrintLabel(ctx, orderID); err != nil {
		return done, fmt.Errorf("label %s, but it did not print: %w", bought, err)
	}
	done.LabelPrinted = true
	if slip {
		if err := s.PrintPackingSlip(ctx, orderID); err != nil {
			return done, fmt.Errorf("label %s and printed, but the packing slip did not print: %w", bought, err)
		}
		done.SlipPrinted = true
	}
	return done, nil
}
