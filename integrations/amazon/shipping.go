package amazon

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/packbench/packbench/station"
)

// Shipping API v2 shapes (shippingV2.json).
type apiAmount struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

type apiTimeWindow struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type apiRate struct {
	RateID                           string    `json:"rateId"`
	CarrierID                        string    `json:"carrierId"`
	CarrierName                      string    `json:"carrierName"`
	ServiceID                        string    `json:"serviceId"`
	ServiceName                      string    `json:"serviceName"`
	TotalCharge                      apiAmount `json:"totalCharge"`
	PaymentType                      string    `json:"paymentType"`
	RequiresAdditionalInputs         bool      `json:"requiresAdditionalInputs"`
	AvailableValueAddedServiceGroups []struct {
		GroupID            string `json:"groupId"`
		IsRequired         bool   `json:"isRequired"`
		ValueAddedServices []struct {
			ID   string    `json:"id"`
			Cost apiAmount `json:"cost"`
		} `json:"valueAddedServices"`
	} `json:"availableValueAddedServiceGroups"`
	Promise struct {
		PickupWindow   apiTimeWindow `json:"pickupWindow"`
		DeliveryWindow apiTimeWindow `json:"deliveryWindow"`
	} `json:"promise"`
	Benefits *struct {
		IncludedBenefits []string `json:"includedBenefits"`
	} `json:"benefits"`
	SupportedDocumentSpecifications []struct {
		Format string `json:"format"`
	} `json:"supportedDocumentSpecifications"`
}

// shippingAddress is an Address for the Shipping API (ISO country codes).
func shippingAddress(a station.Address) map[string]any {
	country := a.CountryCode
	if country == "UK" {
		country = "GB"
	}
	m := map[string]any{"name": a.Name, "addressLine1": a.Line1, "city": a.City, "stateOrRegion": a.State,
		"postalCode": a.PostalCode, "countryCode": country}
	if a.Line2 != "" {
		m["addressLine2"] = a.Line2
	}
	if a.Company != "" {
		m["companyName"] = a.Company
	}
	if a.Phone != "" {
		m["phoneNumber"] = a.Phone
	}
	if a.Email != "" {
		m["email"] = a.Email
	}
	return m
}

// GetRates is Shipping API v2 getRates for an Amazon order.
func (c *Client) GetRates(ctx context.Context, req station.RateRequest) (station.RateQuote, error) {
	w := req.Package.Weight.In(station.Gram)
	d := req.Package.Dimensions
	items := []any{}
	for _, it := range req.Order.Items {
		if it.ToShip() == 0 {
			continue
		}
		item := map[string]any{"itemIdentifier": it.OrderItemID, "quantity": it.ToShip()}
		if it.UnitPrice.Currency != "" {
			item["itemValue"] = map[string]any{"value": it.UnitPrice.Decimal(), "unit": it.UnitPrice.Currency}
		}
		if it.Title != "" {
			item["description"] = truncate(it.Title, 100)
		}
		if it.UnitWeight.Known() {
			item["weight"] = map[string]any{"value": it.UnitWeight.In(station.Gram).Value, "unit": "GRAM"}
		}
		items = append(items, item)
	}
	insured := req.Package.InsuredValue
	if insured.Currency == "" {
		insured = req.Order.Total
	}
	if insured.Currency == "" {
		if mp, ok := station.MarketplaceByID(req.Order.MarketplaceID); ok {
			insured.Currency = mp.Currency
		}
	}
	body := map[string]any{
		"shipFrom": shippingAddress(req.ShipFrom),
		"packages": []any{map[string]any{
			"dimensions":               map[string]any{"length": d.Length, "width": d.Width, "height": d.Height, "unit": string(d.Unit)},
			"weight":                   map[string]any{"value": w.Value, "unit": "GRAM"},
			"insuredValue":             map[string]any{"value": insured.Decimal(), "unit": insured.Currency},
			"packageClientReferenceId": req.PackageRef,
			"items":                    items,
		}},
		"channelDetails": map[string]any{"channelType": "AMAZON", "amazonOrderDetails": map[string]any{"orderId": req.Order.AmazonOrderID}},
	}
	var resp struct {
		Payload struct {
			RequestToken    string    `json:"requestToken"`
			Rates           []apiRate `json:"rates"`
			IneligibleRates []struct {
				CarrierID, CarrierName, ServiceID, ServiceName string
				IneligibilityReasons                           []struct{ Code, Message string } `json:"ineligibilityReasons"`
			} `json:"ineligibleRates"`
		} `json:"payload"`
	}
	if err := c.Do(ctx, "getRates", http.MethodPost, "/shipping/v2/shipments/rates", nil, body, &resp); err != nil {
		return station.RateQuote{}, err
	}
	q := station.RateQuote{RequestToken: resp.Payload.RequestToken, At: time.Now().UTC()}
	for _, r := range resp.Payload.Rates {
		rate := station.Rate{RequestToken: q.RequestToken, RateID: r.RateID, CarrierID: r.CarrierID, CarrierName: r.CarrierName,
			ServiceID: r.ServiceID, ServiceName: r.ServiceName, Total: station.MoneyFromDecimal(r.TotalCharge.Value, r.TotalCharge.Unit),
			PickupBy:      station.Window{Earliest: parseAPITime(r.Promise.PickupWindow.Start), Latest: parseAPITime(r.Promise.PickupWindow.End)},
			DeliverBy:     station.Window{Earliest: parseAPITime(r.Promise.DeliveryWindow.Start), Latest: parseAPITime(r.Promise.DeliveryWindow.End)},
			PaidToCarrier: r.PaymentType == "PAY_DIRECT_TO_CARRIER", ExpiresAt: q.At.Add(10 * time.Minute)}
		if r.Benefits != nil {
			for _, b := range r.Benefits.IncludedBenefits {
				rate.Protected = rate.Protected || b == "CLAIMS_PROTECTED"
			}
		}
		for _, g := range r.AvailableValueAddedServiceGroups {
			for _, v := range g.ValueAddedServices {
				rate.Services = append(rate.Services, v.ID)
				if v.Cost.Unit != "" {
					if rate.ServiceCosts == nil {
						rate.ServiceCosts = map[string]station.Money{}
					}
					rate.ServiceCosts[v.ID] = station.MoneyFromDecimal(v.Cost.Value, v.Cost.Unit)
				}
			}
			rate.SignatureRequired = rate.SignatureRequired || (g.IsRequired && g.GroupID == "SIG_VERIFICATION")
		}
		q.Rates = append(q.Rates, rate)
	}
	for _, r := range resp.Payload.IneligibleRates {
		reason := ""
		for _, x := range r.IneligibilityReasons {
			reason = x.Code + ": " + x.Message
		}
		q.Ineligible = append(q.Ineligible, station.Rate{CarrierID: r.CarrierID, CarrierName: r.CarrierName,
			ServiceID: r.ServiceID, ServiceName: r.ServiceName, Ineligible: reason})
	}
	return q, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// labelSpec is the document Amazon is asked for: the station's printer format at 4×6 inches.
func labelSpec(f station.LabelFormat) map[string]any {
	spec := map[string]any{"size": map[string]any{"width": 4, "length": 6, "unit": "INCH"}, "needFileJoining": false,
		"requestedDocumentTypes": []string{"LABEL"}}
	switch f {
	case station.FormatZPL300:
		spec["format"], spec["dpi"] = "ZPL", 300
	case station.FormatPDF:
		spec["format"] = "PDF"
	case station.FormatPNG:
		spec["format"], spec["dpi"] = "PNG", 203
	default:
		spec["format"], spec["dpi"] = "ZPL", 203
	}
	return spec
}

type apiDocDetail struct {
	PackageClientReferenceID string `json:"packageClientReferenceId"`
	TrackingID               string `json:"trackingId"`
	PackageDocuments         []struct {
		Type, Format, Contents string
	} `json:"packageDocuments"`
}

func (d apiDocDetail) label() ([]byte, error) {
	for _, doc := range d.PackageDocuments {
		if doc.Type == "LABEL" {
			return base64.StdEncoding.DecodeString(doc.Contents)
		}
	}
	return nil, fmt.Errorf("Amazon sent no label document")
}

// Purchase is Shipping API v2 purchaseShipment with the intent's idempotency
// key: a retry, or a replay after a crash, returns the same shipment.
func (c *Client) Purchase(ctx context.Context, p station.PurchaseRequest) (station.Purchased, error) {
	body := map[string]any{"requestToken": p.Rate.RequestToken, "rateId": p.Rate.RateID,
		"requestedDocumentSpecification": labelSpec(p.Format)}
	if p.Service != "" {
		body["requestedValueAddedServices"] = []any{map[string]any{"id": p.Service}}
	}
	var resp struct {
		Payload struct {
			ShipmentID             string         `json:"shipmentId"`
			PackageDocumentDetails []apiDocDetail `json:"packageDocumentDetails"`
		} `json:"payload"`
	}
	err := c.DoWithHeaders(ctx, "purchaseShipment", http.MethodPost, "/shipping/v2/shipments", nil,
		http.Header{"x-amzn-IdempotencyKey": {p.IdempotencyKey}}, body, &resp)
	if err != nil {
		return station.Purchased{}, purchaseError(err)
	}
	if len(resp.Payload.PackageDocumentDetails) == 0 {
		return station.Purchased{}, fmt.Errorf("%w: Amazon's answer has no package", station.ErrPurchaseUnknown)
	}
	d := resp.Payload.PackageDocumentDetails[0]
	label, err := d.label()
	if err != nil {
		return station.Purchased{}, fmt.Errorf("%w: %v", station.ErrPurchaseUnknown, err)
	}
	return station.Purchased{ShipmentID: resp.Payload.ShipmentID, TrackingID: d.TrackingID, PackageRef: d.PackageClientReferenceID, Label: label}, nil
}

// purchaseError tells apart "Amazon refused, nothing bought" (4xx) from
// "no answer, a label may have been bought" (everything else).
func purchaseError(err error) error {
	var ae *APIError
	if asAPIError(err, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Status != http.StatusTooManyRequests {
		if ae.Code == "TOKEN_EXPIRED" {
			return fmt.Errorf("%w: %s", station.ErrRateExpired, ae.Message)
		}
		return fmt.Errorf("%w: %s", station.ErrPurchaseRefused, ae.Message)
	}
	return fmt.Errorf("%w: %v", station.ErrPurchaseUnknown, err)
}

// Documents is getShipmentDocuments: the label again, in a format.
func (c *Client) Documents(ctx context.Context, shipmentID, packageRef string, f station.LabelFormat) ([]byte, error) {
	spec := labelSpec(f)
	q := url.Values{"packageClientReferenceId": {packageRef}, "format": {spec["format"].(string)}}
	if dpi, ok := spec["dpi"]; ok {
		q.Set("dpi", fmt.Sprint(dpi))
	}
	var resp struct {
		Payload struct {
			PackageDocumentDetail apiDocDetail `json:"packageDocumentDetail"`
		} `json:"payload"`
	}
	if err := c.Do(ctx, "getShipmentDocuments", http.MethodGet, "/shipping/v2/shipments/"+url.PathEscape(shipmentID)+"/documents", q, nil, &resp); err != nil {
		return nil, err
	}
	return resp.Payload.PackageDocumentDetail.label()
}

// Cancel is cancelShipment: void a label the carrier has not picked up.
func (c *Client) Cancel(ctx context.Context, shipmentID string) error {
	err := c.Do(ctx, "cancelShipment", http.MethodPut, "/shipping/v2/shipments/"+url.PathEscape(shipmentID)+"/cancel", nil, nil, nil)
	var ae *APIError
	if asAPIError(err, &ae) && ae.Status == http.StatusBadRequest {
		return fmt.Errorf("%w: %s", station.ErrVoidRefused, ae.Message)
	}
	return err
}

// Tracking is Shipping API v2 getTracking: the summary status and the
// carrier's events, oldest first. Event locations are left out: near the
// end they are the buyer's town and postcode, which the bench has no need
// to keep.
func (c *Client) Tracking(ctx context.Context, trackingID, carrierID string) (station.Tracking, error) {
	var out struct {
		Payload struct {
			EventHistory []struct {
				EventCode string `json:"eventCode"`
				EventTime string `json:"eventTime"`
			} `json:"eventHistory"`
			PromisedDeliveryDate string `json:"promisedDeliveryDate"`
			Summary              struct {
				Status string `json:"status"`
			} `json:"summary"`
		} `json:"payload"`
	}
	q := url.Values{"trackingId": {trackingID}, "carrierId": {carrierID}}
	if err := c.Do(ctx, "getTracking", http.MethodGet, "/shipping/v2/tracking", q, nil, &out); err != nil {
		return station.Tracking{}, err
	}
	t := station.Tracking{Status: out.Payload.Summary.Status}
	if t.Status == "" {
		return station.Tracking{}, errors.New("getTracking answered without a status")
	}
	t.Promised, _ = time.Parse(time.RFC3339, out.Payload.PromisedDeliveryDate)
	for _, e := range out.Payload.EventHistory {
		at, err := time.Parse(time.RFC3339, e.EventTime)
		if err != nil {
			return station.Tracking{}, fmt.Errorf("getTracking: event %s at %q: %w", e.EventCode, e.EventTime, err)
		}
		t.Events = append(t.Events, station.TrackingEvent{Code: e.EventCode, At: at.UTC()})
	}
	sort.SliceStable(t.Events, func(i, j int) bool { return t.Events[i].At.Before(t.Events[j].At) })
	return t, nil
}
