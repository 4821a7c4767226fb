package amazon

import (
	"context"
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

// The Orders API 2026-01-01 shapes Packbench reads (orders_2026-01-01.json).
type apiMoney struct {
	Amount       string `json:"amount"` // Decimal is a string in this model
	CurrencyCode string `json:"currencyCode"`
}

type apiWindow struct {
	Earliest string `json:"earliestDateTime"`
	Latest   string `json:"latestDateTime"`
}

type apiOrder struct {
	OrderID         string   `json:"orderId"`
	CreatedTime     string   `json:"createdTime"`
	LastUpdatedTime string   `json:"lastUpdatedTime"`
	Programs        []string `json:"programs"`
	SalesChannel    struct {
		MarketplaceID string `json:"marketplaceId"`
	} `json:"salesChannel"`
	Buyer *struct {
		BuyerName string `json:"buyerName"`
	} `json:"buyer"`
	Recipient *struct {
		DeliveryAddress struct {
			Name, CompanyName, AddressLine1, AddressLine2, AddressLine3 string
			City, DistrictOrCounty, StateOrRegion, PostalCode           string
			CountryCode, Phone, AddressType                             string
		} `json:"deliveryAddress"`
	} `json:"recipient"`
	Fulfillment *struct {
		FulfillmentStatus       string    `json:"fulfillmentStatus"`
		FulfilledBy             string    `json:"fulfilledBy"`
		FulfillmentServiceLevel string    `json:"fulfillmentServiceLevel"`
		ShipByWindow            apiWindow `json:"shipByWindow"`
		DeliverByWindow         apiWindow `json:"deliverByWindow"`
	} `json:"fulfillment"`
	OrderItems []struct {
		OrderItemID     string `json:"orderItemId"`
		QuantityOrdered int    `json:"quantityOrdered"`
		Product         struct {
			ASIN      string `json:"asin"`
			Title     string `json:"title"`
			SellerSKU string `json:"sellerSku"`
			Price     *struct {
				UnitPrice *apiMoney `json:"unitPrice"`
			} `json:"price"`
		} `json:"product"`
		Fulfillment *struct {
			QuantityFulfilled int `json:"quantityFulfilled"`
			Packing           *struct {
				GiftOption *struct {
					GiftMessage string `json:"giftMessage"`
				} `json:"giftOption"`
			} `json:"packing"`
		} `json:"fulfillment"`
		Cancellation *struct{} `json:"cancellation"`
	} `json:"orderItems"`
}

func parseAPITime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func money(m *apiMoney) station.Money {
	if m == nil {
		return station.Money{}
	}
	v, err := strconv.ParseFloat(m.Amount, 64)
	if err != nil {
		return station.Money{}
	}
	return station.MoneyFromDecimal(v, m.CurrencyCode)
}

// toOrder maps Amazon's order onto the bench's.
func (a apiOrder) toOrder() station.Order {
	o := station.Order{AmazonOrderID: a.OrderID, MarketplaceID: a.SalesChannel.MarketplaceID,
		PurchasedAt: parseAPITime(a.CreatedTime), LastUpdatedAt: parseAPITime(a.LastUpdatedTime)}
	for _, p := range a.Programs {
		switch p {
		case "PRIME":
			o.Prime = true
		case "AMAZON_BUSINESS":
			o.Business = true
		}
	}
	if f := a.Fulfillment; f != nil {
		o.AmazonStatus = station.AmazonStatus(f.FulfillmentStatus)
		o.ServiceLevel = f.FulfillmentServiceLevel
		o.ShipBy = station.Window{Earliest: parseAPITime(f.ShipByWindow.Earliest), Latest: parseAPITime(f.ShipByWindow.Latest)}
		o.DeliverBy = station.Window{Earliest: parseAPITime(f.DeliverByWindow.Earliest), Latest: parseAPITime(f.DeliverByWindow.Latest)}
	}
	if a.Buyer != nil {
		o.BuyerName = a.Buyer.BuyerName
	}
	if r := a.Recipient; r != nil {
		d := r.DeliveryAddress
		o.ShipTo = station.Address{Name: d.Name, Company: d.CompanyName, Line1: d.AddressLine1, Line2: d.AddressLine2,
			Line3: d.AddressLine3, City: d.City, District: d.DistrictOrCounty, State: d.StateOrRegion, PostalCode: d.PostalCode,
			CountryCode: d.CountryCode, Phone: d.Phone, Residential: d.AddressType == "RESIDENTIAL"}
	}
	var total int64
	for _, it := range a.OrderItems {
		item := station.Item{OrderItemID: it.OrderItemID, SKU: it.Product.SellerSKU, ASIN: it.Product.ASIN,
			Title: it.Product.Title, Quantity: it.QuantityOrdered, Cancelled: it.Cancellation != nil}
		if it.Product.Price != nil {
			item.UnitPrice = money(it.Product.Price.UnitPrice)
			total += item.UnitPrice.Minor * int64(it.QuantityOrdered)
			o.Total.Currency = item.UnitPrice.Currency
		}
		if f := it.Fulfillment; f != nil {
			item.Shipped = f.QuantityFulfilled
			if f.Packing != nil && f.Packing.GiftOption != nil {
				item.GiftMessage = f.Packing.GiftOption.GiftMessage
			}
		}
		o.Items = append(o.Items, item)
	}
	o.Total.Minor = total
	return o
}

// includedData asks for what the bench needs: the address, the buyer's
// name (for the packing slip), fulfillment status and windows, cancellations.
const includedData = "RECIPIENT,BUYER,FULFILLMENT,CANCELLATION"

// SearchUpdated pages through searchOrders(lastUpdatedAfter): merchant
// orders of any status, so cancellations and shipments made elsewhere reach
// the bench too.
func (c *Client) SearchUpdated(ctx context.Context, q station.UpdatedQuery, page func(station.SearchPage) error) error {
	params := url.Values{
		"lastUpdatedAfter":  {q.After.UTC().Format(time.RFC3339)},
		"marketplaceIds":    {strings.Join(q.MarketplaceIDs, ",")},
		"fulfilledBy":       {"MERCHANT"},
		"maxResultsPerPage": {"100"},
		"includedData":      {includedData},
	}
	// No lastUpdatedBefore: Amazon picks it (two minutes ago) and returns it,
	// and a pagination token carries it, so a resumed run sends exactly the
	// parameters of its first page, as Amazon requires.
	token := q.Token
	for {
		if token != "" {
			params.Set("paginationToken", token)
		}
		var resp struct {
			Orders     []apiOrder `json:"orders"`
			Pagination *struct {
				NextToken string `json:"nextToken"`
			} `json:"pagination"`
			LastUpdatedBefore string `json:"lastUpdatedBefore"`
		}
		if err := c.Do(ctx, "searchOrders", http.MethodGet, "/orders/2026-01-01/orders", params, nil, &resp); err != nil {
			return err
		}
		p := station.SearchPage{Before: parseAPITime(resp.LastUpdatedBefore)}
		if p.Before.IsZero() {
			p.Before = q.Before
		}
		for _, o := range resp.Orders {
			p.Orders = append(p.Orders, o.toOrder())
		}
		if resp.Pagination != nil {
			p.NextToken = resp.Pagination.NextToken
		}
		if err := page(p); err != nil {
			return err
		}
		if p.NextToken == "" {
			return nil
		}
		token = p.NextToken
	}
}

// GetOrder is Orders API 2026-01-01 getOrder: the fresh state of one order.
func (c *Client) GetOrder(ctx context.Context, orderID string) (station.Order, error) {
	var resp struct {
		Order apiOrder `json:"order"`
	}
	err := c.Do(ctx, "getOrder", http.MethodGet, "/orders/2026-01-01/orders/"+url.PathEscape(orderID),
		url.Values{"includedData": {includedData + ",PACKAGES"}}, nil, &resp)
	return resp.Order.toOrder(), err
}

// catalogDims is the dimensions part of a catalog item.
type catalogDims []struct {
	MarketplaceID string `json:"marketplaceId"`
	Package       *struct {
		Height, Length, Width, Weight *struct {
			Unit  string  `json:"unit"`
			Value float64 `json:"value"`
		}
	} `json:"package"`
}

// pack is the first package weight (and size) the dimensions name.
func (dims catalogDims) pack() (station.Weight, station.Dimensions, bool) {
	for _, d := range dims {
		p := d.Package
		if p == nil || p.Weight == nil {
			continue
		}
		w := station.Weight{Value: p.Weight.Value, Unit: catalogWeightUnit(p.Weight.Unit)}
		var size station.Dimensions
		if p.Length != nil && p.Width != nil && p.Height != nil {
			size = station.Dimensions{Length: p.Length.Value, Width: p.Width.Value, Height: p.Height.Value, Unit: catalogLengthUnit(p.Length.Unit)}
		}
		return w, size, w.Known()
	}
	return station.Weight{}, station.Dimensions{}, false
}

// CatalogPackage is Catalog Items 2022-04-01 getCatalogItem with
// includedData=dimensions: the package's weight and size.
func (c *Client) CatalogPackage(ctx context.Context, marketplaceID, asin string) (station.Weight, station.Dimensions, bool, error) {
	var item struct {
		Dimensions catalogDims `json:"dimensions"`
	}
	err := c.Do(ctx, "getCatalogItem", http.MethodGet, "/catalog/2022-04-01/items/"+url.PathEscape(asin),
		url.Values{"marketplaceIds": {marketplaceID}, "includedData": {"dimensions"}}, nil, &item)
	var ae *APIError
	if asAPIError(err, &ae) && ae.Status == http.StatusNotFound {
		return station.Weight{}, station.Dimensions{}, false, nil
	}
	if err != nil {
		return station.Weight{}, station.Dimensions{}, false, err
	}
	w, d, found := item.Dimensions.pack()
	return w, d, found, nil
}

// CatalogPackageBySKU is searchCatalogItems by the seller's own SKU
// (identifiersType=SKU needs the seller's id) with includedData=dimensions:
// one call, where the SKU's ASIN is not known (orders from the report).
func (c *Client) CatalogPackageBySKU(ctx context.Context, marketplaceID, sellerID, sku string) (station.Weight, station.Dimensions, bool, error) {
	var resp struct {
		Items []struct {
			Dimensions catalogDims `json:"dimensions"`
		} `json:"items"`
	}
	q := url.Values{"identifiers": {sku}, "identifiersType": {"SKU"}, "sellerId": {sellerID},
		"marketplaceIds": {marketplaceID}, "includedData": {"dimensions"}}
	if err := c.Do(ctx, "searchCatalogItems", http.MethodGet, "/catalog/2022-04-01/items", q, nil, &resp); err != nil {
		return station.Weight{}, station.Dimensions{}, false, err
	}
	for _, it := range resp.Items {
		if w, d, found := it.Dimensions.pack(); found {
			return w, d, true, nil
		}
	}
	return station.Weight{}, station.Dimensions{}, false, nil
}

func catalogWeightUnit(u string) station.WeightUnit {
	switch strings.ToLower(u) {
	case "pounds", "pound", "lb", "lbs":
		return station.Pound
	case "ounces", "ounce", "oz":
		return station.Ounce
	case "kilograms", "kilogram", "kg":
		return station.Kilogram
	case "grams", "gram", "g":
		return station.Gram
	}
	return ""
}

func catalogLengthUnit(u string) station.LengthUnit {
	switch strings.ToLower(u) {
	case "inches", "inch", "in":
		return station.Inch
	case "centimeters", "centimeter", "cm":
		return station.Centimeter
	}
	return ""
}

// ConfirmShipment is Orders v0 confirmShipment: a package the seller
// shipped outside Buy Shipping, with the tracking they typed. Re-sending the
// same packageReferenceId edits that package (docs/amazon.md, "Confirming a shipment made elsewhere").
func (c *Client) ConfirmShipment(ctx context.Context, o station.Order, s station.ManualShipment) error {
	var items []any
	for _, it := range o.Items {
		if n := it.ToShip(); n > 0 {
			items = append(items, map[string]any{"orderItemId": it.OrderItemID, "quantity": n})
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("order %s has nothing left to ship", o.AmazonOrderID)
	}
	detail := map[string]any{"packageReferenceId": s.PackageReferenceID, "carrierCode": s.CarrierCode,
		"trackingNumber": s.TrackingNumber, "shipDate": s.ShipDate.UTC().Format(time.RFC3339), "orderItems": items}
	if s.CarrierName != "" {
		detail["carrierName"] = s.CarrierName
	}
	if s.ShippingMethod != "" {
		detail["shippingMethod"] = s.ShippingMethod
	}
	return c.Do(ctx, "confirmShipment", http.MethodPost, "/orders/v0/orders/"+url.PathEscape(o.AmazonOrderID)+"/shipmentConfirmation",
		nil, map[string]any{"marketplaceId": o.MarketplaceID, "packageDetail": detail}, nil)
}

// maxImageBytes bounds a product image download: a thumbnail, not a poster.
const maxImageBytes = 2 << 20

// CatalogImage is the product's MAIN image from Catalog Items 2022-04-01
// getCatalogItem (includedData=images), downloaded from the link Amazon
// gives; found is false when the catalog has no image of it.
func (c *Client) CatalogImage(ctx context.Context, marketplaceID, asin string) (img []byte, found bool, err error) {
	var item struct {
		Images []struct {
			MarketplaceID string `json:"marketplaceId"`
			Images        []struct {
				Variant string `json:"variant"`
				Link    string `json:"link"`
				Width   int    `json:"width"`
			} `json:"images"`
		} `json:"images"`
	}
	err = c.Do(ctx, "getCatalogItem", http.MethodGet, "/catalog/2022-04-01/items/"+url.PathEscape(asin),
		url.Values{"marketplaceIds": {marketplaceID}, "includedData": {"images"}}, nil, &item)
	var ae *APIError
	if asAPIError(err, &ae) && ae.Status == http.StatusNotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	// The MAIN image, the smallest that is at least thumbnail size.
	link, width := "", 0
	for _, byMarket := range item.Images {
		for _, im := range byMarket.Images {
			if im.Variant != "MAIN" || im.Link == "" {
				continue
			}
			if link == "" || (im.Width >= 75 && (width < 75 || im.Width < width)) {
				link, width = im.Link, im.Width
			}
		}
	}
	if link == "" {
		return nil, false, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, false, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, false, fmt.Errorf("downloading the product image: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, false, fmt.Errorf("downloading the product image: HTTP %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
		return nil, false, fmt.Errorf("the product image link answered %q, not an image", ct)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxImageBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("downloading the product image: %w", err)
	}
	if len(b) > maxImageBytes {
		return nil, false, errors.New("the product image is larger than 2 MB: skipped")
	}
	return b, true, nil
}

// CatalogIdentifiers is the product's barcodes in Amazon's catalog
// (getCatalogItem, includedData=identifiers: UPC, EAN, ISBN, JAN, GTIN),
// for checking the items packed; none when the catalog does not know it.
func (c *Client) CatalogIdentifiers(ctx context.Context, marketplaceID, asin string) ([]string, error) {
	var item struct {
		Identifiers []struct {
			Identifiers []struct {
				Type       string `json:"identifierType"`
				Identifier string `json:"identifier"`
			} `json:"identifiers"`
		} `json:"identifiers"`
	}
	err := c.Do(ctx, "getCatalogItem", http.MethodGet, "/catalog/2022-04-01/items/"+url.PathEscape(asin),
		url.Values{"marketplaceIds": {marketplaceID}, "includedData": {"identifiers"}}, nil, &item)
	var ae *APIError
	if asAPIError(err, &ae) && ae.Status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, byMarket := range item.Identifiers {
		for _, id := range byMarket.Identifiers {
			if id.Identifier != "" {
				codes = append(codes, id.Identifier)
			}
		}
	}
	return codes, nil
}
