package station

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Checking the items packed: after an order is scanned, the packer scans
// each item (its UPC, EAN or ISBN from Amazon's catalog, its SKU, or a
// barcode attached to the SKU once) and the order's lines count down. A
// store may require it before a label is bought (VerifyMode).

// VerifyMode is whether a store's orders are checked item by item.
type VerifyMode string

const (
	VerifyOff  VerifyMode = ""       // labels bought without checking the items
	VerifyScan VerifyMode = "verify" // every item scanned before the label is bought
	VerifyShip VerifyMode = "ship"   // every item scanned, then the label is bought and printed by itself
)

// ParseVerifyMode reads off, verify or ship.
func ParseVerifyMode(s string) (VerifyMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "":
		return VerifyOff, nil
	case "verify":
		return VerifyScan, nil
	case "ship":
		return VerifyShip, nil
	}
	return "", fmt.Errorf("%q: check items off, verify (scan every item before the label) or ship (scan every item, then buy and print by itself)", s)
}

// Barcodes is the barcode and item-check storage.
type Barcodes interface {
	SKUOfBarcode(ctx context.Context, storeID int64, code string) (string, error)
	SaveBarcode(ctx context.Context, storeID int64, code, sku, source string) error
	SKUHasBarcodes(ctx context.Context, storeID int64, sku string) (bool, error)
	MarkItemsChecked(ctx context.Context, orderID int64, at time.Time) error
	ItemsChecked(ctx context.Context, orderID int64) (bool, error)
}

// CatalogIdentifiers is Amazon's catalog's barcodes of a product.
type CatalogIdentifiers interface {
	CatalogIdentifiers(ctx context.Context, c Credentials, marketplaceID, asin string) ([]string, error)
}

// PackLine is one line of the order being checked.
type PackLine struct {
	SKU, Title    string
	Want, Scanned int
}

// PackCheck is an order's items being checked.
type PackCheck struct {
	OrderID       int64
	AmazonOrderID string
	StoreID       int64
	Lines         []PackLine
}

// Done says every item is scanned.
func (p *PackCheck) Done() bool {
	for _, l := range p.Lines {
		if l.Scanned < l.Want {
			return false
		}
	}
	return true
}

// Missing says what is still to scan ("2 × MUG-RED, 1 × TEA-01").
func (p *PackCheck) Missing() string {
	var parts []string
	for _, l := range p.Lines {
		if n := l.Want - l.Scanned; n > 0 {
			parts = append(parts, fmt.Sprintf("%d × %s", n, l.SKU))
		}
	}
	return strings.Join(parts, ", ")
}

// ItemScan is what one item scan did.
type ItemScan struct {
	Line *PackLine // the line it counted on (nil: none)
	// Problem says why it did not count: an item of another order, one
	// too many, or a barcode nobody knows (empty when it counted).
	Problem string
	// Unknown: no SKU is known for the code; AttachBarcode makes it one.
	Unknown bool
}

// StartPackCheck opens an order's items for checking, learning their
// barcodes from Amazon's catalog when none is known yet.
func (s *Station) StartPackCheck(ctx context.Context, orderID int64) (*PackCheck, error) {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p := &PackCheck{OrderID: o.ID, AmazonOrderID: o.AmazonOrderID, StoreID: o.StoreID}
	for _, it := range o.Items {
		if it.ToShip() == 0 {
			continue
		}
		found := false
		for i := range p.Lines {
			if p.Lines[i].SKU == it.SKU {
				p.Lines[i].Want += it.ToShip()
				found = true
			}
		}
		if !found {
			p.Lines = append(p.Lines, PackLine{SKU: it.SKU, Title: it.Title, Want: it.ToShip()})
		}
	}
	if len(p.Lines) == 0 {
		return nil, errors.New("this order has nothing left to pack")
	}
	s.learnBarcodes(ctx, o)
	return p, nil
}

// learnBarcodes asks Amazon's catalog for the barcodes of the order's
// products not known yet. A help, not a need: a catalog that does not
// answer leaves the SKU (and barcodes attached by packers).
func (s *Station) learnBarcodes(ctx context.Context, o Order) {
	source, ok := s.source.(CatalogIdentifiers)
	if !ok {
		return
	}
	var asins map[string]string
	var creds *Credentials
	for _, it := range o.Items {
		if known, err := s.repo.SKUHasBarcodes(ctx, o.StoreID, it.SKU); err != nil || known {
			continue
		}
		if asins == nil {
			asins, creds = s.itemASINs(ctx, o)
		}
		if it.ASIN = asins[it.SKU]; it.ASIN == "" {
			continue
		}
		if creds == nil {
			c, err := s.credsForOrder(ctx, o.ID)
			if err != nil {
				return
			}
			creds = &c
		}
		codes, err := source.CatalogIdentifiers(ctx, *creds, o.MarketplaceID, it.ASIN)
		if err != nil {
			s.log.Warn("catalog barcodes not read", "err", err)
			return
		}
		for _, code := range codes {
			if err := s.repo.SaveBarcode(ctx, o.StoreID, NormalizeBarcode(code), it.SKU, "catalog"); err != nil {
				s.log.Warn("barcode not kept", "err", err)
			}
		}
	}
}

// ScanItem counts one scanned item on the order being checked: its SKU,
// or a barcode known as a SKU's. One too many, or another order's item,
// counts nothing and says so.
func (s *Station) ScanItem(ctx context.Context, p *PackCheck, code string) (ItemScan, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return ItemScan{Problem: "an empty scan"}, nil
	}
	sku := ""
	for _, l := range p.Lines {
		if strings.EqualFold(l.SKU, code) {
			sku = l.SKU
		}
	}
	for _, c := range []string{NormalizeBarcode(code), code} { // a barcode, or a SKU as written
		if sku != "" {
			break
		}
		var err error
		if sku, err = s.repo.SKUOfBarcode(ctx, p.StoreID, c); err != nil {
			return ItemScan{}, err
		}
	}
	if sku == "" {
		return ItemScan{Unknown: true, Problem: fmt.Sprintf("%s is no product Packbench knows: attach it to its SKU once, and it is known from then on", code)}, nil
	}
	for i := range p.Lines {
		l := &p.Lines[i]
		if l.SKU != sku {
			continue
		}
		if l.Scanned >= l.Want {
			return ItemScan{Line: l, Problem: fmt.Sprintf("one %s too many: the order has %d", sku, l.Want)}, nil
		}
		l.Scanned++
		if p.Done() {
			if err := s.repo.MarkItemsChecked(ctx, p.OrderID, s.now()); err != nil {
				return ItemScan{}, err
			}
			s.audit(ctx, AuditEntry{StoreID: p.StoreID, OrderID: p.OrderID, Action: "items checked", Detail: "every item scanned"})
		}
		return ItemScan{Line: l}, nil
	}
	return ItemScan{Problem: fmt.Sprintf("wrong item: %s is not in order %s", sku, p.AmazonOrderID)}, nil
}

// AttachBarcode makes a barcode a SKU's for the store, from now on.
func (s *Station) AttachBarcode(ctx context.Context, storeID int64, code, sku string) error {
	code, sku = strings.TrimSpace(code), strings.TrimSpace(sku)
	if code == "" || sku == "" {
		return errors.New("attach which barcode to which SKU?")
	}
	// A SKU of the store's orders: a typo would teach the bench a barcode
	// of nothing.
	if known, err := s.repo.SKUOfBarcode(ctx, storeID, sku); err != nil {
		return err
	} else if known != sku {
		return fmt.Errorf("no order of this store has SKU %q: attach the barcode to a SKU as its orders write it", sku)
	}
	if err := s.repo.SaveBarcode(ctx, storeID, NormalizeBarcode(code), sku, "packer"); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{StoreID: storeID, Action: "barcode attached", Detail: sku})
	return nil
}

// itemsChecked says whether an order may have its label bought under its
// store's VerifyMode.
func (s *Station) itemsChecked(ctx context.Context, orderID int64) error {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return err
	}
	st, err := s.repo.GetStore(ctx, o.StoreID)
	if err != nil {
		return err
	}
	if st.Settings.Verify == VerifyOff {
		return nil
	}
	if ok, err := s.repo.ItemsChecked(ctx, orderID); err != nil || ok {
		return err
	}
	return fmt.Errorf("%w: scan every item of %s first (packbench verify %s --scan CODE…)", ErrItemsNotChecked, o.AmazonOrderID, o.AmazonOrderID)
}

// ErrItemsNotChecked is a label asked for before the items were scanned,
// in a store that checks them.
var ErrItemsNotChecked = errors.New("the items are not checked")

// NormalizeBarcode keeps a GTIN (UPC-A, EAN-8/13, GTIN-14, an ISBN-13) as
// its 14 digits, so the same product scanned as UPC or EAN is one code;
// anything else as it is, in capitals.
func NormalizeBarcode(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if n := len(code); (n == 8 || n == 12 || n == 13 || n == 14) && strings.Trim(code, "0123456789") == "" {
		return strings.Repeat("0", 14-n) + code
	}
	return code
}
