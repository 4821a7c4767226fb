package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/packbench/packbench/station"
)

// Rates must be bought within 10 minutes of getRates (shippingV2.json purchaseShipment).
const rateLifetime = 10 * time.Minute

// cancelWindow is how long after purchase a label can still be voided if the
// carrier has not picked it up. Carriers vary; the simulator uses one day.
const cancelWindow = 24 * time.Hour

// service is one carrier service the simulated Buy Shipping offers.
type service struct {
	carrierID, carrierName, serviceID, serviceName string
	days                                           int     // transit days
	maxKg, maxCM                                   float64 // limits per package
	baseUSD, perKgUSD                              float64
	protected                                      bool // Amazon's claims protection applies
	directToCarrier                                bool // on the seller's own carrier contract
}

var servicesByCountry = map[string][]service{
	"US": {
		{"USPS", "USPS", "USPS_GROUND_ADVANTAGE", "USPS Ground Advantage", 4, 31.7, 150, 4.6, 2.1, true, false},
		{"USPS", "USPS", "USPS_PRIORITY", "USPS Priority Mail", 2, 31.7, 150, 8.4, 2.9, true, false},
		{"USPS", "USPS", "USPS_PRIORITY_EXPRESS", "USPS Priority Mail Express", 1, 31.7, 150, 27.5, 4.4, true, false},
		{"UPS", "UPS", "UPS_GROUND", "UPS Ground", 4, 68, 270, 9.1, 1.6, true, false},
		{"UPS", "UPS", "UPS_2ND_DAY_AIR", "UPS 2nd Day Air", 2, 68, 270, 19.8, 3.8, true, false},
		{"UPS", "UPS (your account)", "UPS_GROUND_OWN", "UPS Ground, your UPS account", 4, 68, 270, 7.9, 1.4, false, true},
		{"FEDEX", "FedEx", "FEDEX_HOME_DELIVERY", "FedEx Home Delivery", 4, 68, 270, 9.4, 1.7, true, false},
		{"AMZN_US", "Amazon Shipping", "SWA_US_GROUND", "Amazon Shipping Ground", 3, 22.6, 150, 5.2, 1.9, true, false},
	},
	"CA": {
		{"CANADA_POST", "Canada Post", "CP_EXPEDITED", "Canada Post Expedited Parcel", 3, 30, 200, 11, 2.5, true, false},
		{"UPS", "UPS", "UPS_STANDARD_CA", "UPS Standard", 3, 68, 270, 13, 2.2, true, false},
	},
	"MX": {
		{"ESTAFETA", "Estafeta", "ESTAFETA_STANDARD", "Estafeta Día Siguiente", 2, 70, 200, 6, 1.5, true, false},
		{"DHL", "DHL Express", "DHL_EXPRESS_MX", "DHL Express Nacional", 1, 70, 200, 12, 2.8, true, false},
	},
	"UK": {
		{"ROYAL_MAIL", "Royal Mail", "RM_TRACKED_48", "Royal Mail Tracked 48", 3, 20, 100, 3.5, 0.9, true, false},
		{"ROYAL_MAIL", "Royal Mail", "RM_TRACKED_24", "Royal Mail Tracked 24", 1, 20, 100, 4.6, 1.1, true, false},
		{"ROYAL_MAIL", "Royal Mail", "RM_SPECIAL_DELIVERY", "Royal Mail Special Delivery Guaranteed by 1pm", 1, 20, 100, 9.9, 1.5, true, false},
		{"DPD", "DPD", "DPD_NEXT_DAY", "DPD Next Day", 1, 30, 175, 6.2, 0.8, true, false},
		{"EVRI", "Evri", "EVRI_48", "Evri 48", 3, 15, 120, 2.9, 0.7, false, false},
	},
	"DE": {
		{"DHL", "DHL", "DHL_PAKET", "DHL Paket", 2, 31.5, 120, 4.9, 0.6, true, false},
		{"HERMES", "Hermes", "HERMES_PAKET", "Hermes Päckchen", 3, 25, 120, 3.9, 0.5, true, false},
		{"DPD", "DPD", "DPD_CLASSIC", "DPD Classic", 2, 31.5, 175, 5.4, 0.7, true, false},
	},
	"JP": {
		{"YAMATO", "Yamato Transport", "YAMATO_TAQBIN", "宅急便 TA-Q-BIN", 1, 25, 160, 6.5, 0.9, true, false},
		{"JAPAN_POST", "Japan Post", "JP_YUPACK", "ゆうパック Yu-Pack", 2, 25, 170, 5.8, 0.8, true, false},
	},
	"AU": {
		{"AUSPOST", "Australia Post", "AP_PARCEL_POST", "Parcel Post", 4, 22, 105, 9.5, 2.1, true, false},
		{"AUSPOST", "Australia Post", "AP_EXPRESS_POST", "Express Post", 1, 22, 105, 14.5, 3.2, true, false},
	},
}

func servicesFor(country string) []service {
	if s, ok := servicesByCountry[country]; ok {
		return s
	}
	switch country {
	case "FR", "IT", "ES", "NL", "BE", "PL", "SE", "IE":
		return servicesByCountry["DE"]
	}
	return servicesByCountry["US"]
}

// shippingCountry is the ISO code the Shipping API uses (UK is GB there).
func shippingCountry(amazonCountry string) string {
	if amazonCountry == "UK" {
		return "GB"
	}
	return amazonCountry
}

type rateRequest struct {
	token    string
	sellerID string
	orderID  string
	created  time.Time
	grams    float64
	dimsCM   [3]float64
	refID    string
	items    map[string]int
	shipFrom []string
	from     shipFromAddress
	offers   map[string]*offer
}

type offer struct {
	rateID   string
	svc      service
	currency string
	total    float64
	vasCost  float64
	promise  [2]time.Time // delivery window
	pickup   [2]time.Time
	onTime   bool
	sigGroup bool // signature group offered
	sigReq   bool // and required
}

type shipment struct {
	ID        string
	Charged   float64         // what the seller paid: the rate and its value-added services
	Grams     float64         // the package's weight, as rated
	From      shipFromAddress // where it was rated from
	Manifest  string          // the collection form it is on
	SellerID  string
	OrderID   string
	RefID     string
	Tracking  string
	Carrier   service
	Format    string
	DPI       int
	Purchased time.Time
	Delivery  time.Time
	Cancelled bool
	pkg       *pkg
	label     labelData
	offer     *offer
	IdemKey   string
}

type purchase struct {
	body       []byte
	shipmentID string
}

func currencyRound(v float64, currency string) float64 {
	if currency == "JPY" {
		return math.Round(v)
	}
	return math.Round(v*100) / 100
}

func amount(v float64, currency string) map[string]any {
	return map[string]any{"value": currencyRound(v, currency), "unit": currency}
}

func toGrams(value float64, unit string) float64 {
	switch unit {
	case "KILOGRAM":
		return value * 1000
	case "OUNCE":
		return value * 28.349523125
	case "POUND":
		return value * 453.59237
	}
	return value
}

type moneyIn struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

type getRatesBody struct {
	ShipFrom struct {
		Name, AddressLine1, City, StateOrRegion, PostalCode, CountryCode string
	} `json:"shipFrom"`
	ShipDate string `json:"shipDate"`
	Packages []struct {
		Dimensions struct {
			Length, Width, Height float64
			Unit                  string
		} `json:"dimensions"`
		Weight struct {
			Value float64
			Unit  string
		} `json:"weight"`
		InsuredValue             moneyIn `json:"insuredValue"`
		PackageClientReferenceID string  `json:"packageClientReferenceId"`
		Items                    []struct {
			ItemIdentifier string `json:"itemIdentifier"`
			Quantity       int    `json:"quantity"`
		} `json:"items"`
	} `json:"packages"`
	ChannelDetails struct {
		ChannelType        string `json:"channelType"`
		AmazonOrderDetails *struct {
			OrderID string `json:"orderId"`
		} `json:"amazonOrderDetails"`
	} `json:"channelDetails"`
}

// getRates is Shipping API v2 getRates for Amazon orders.
func (s *Sim) getRates(c *call) result {
	var req getRatesBody
	if err := json.Unmarshal(c.body, &req); err != nil {
		return fail(400, "InvalidInput", "The request body is not valid JSON.")
	}
	if req.ChannelDetails.ChannelType != "AMAZON" || req.ChannelDetails.AmazonOrderDetails == nil {
		return fail(400, "InvalidInput", "The simulator rates Amazon orders only: channelType AMAZON with amazonOrderDetails.orderId.")
	}
	o := s.sellerOrder(c, req.ChannelDetails.AmazonOrderDetails.OrderID)
	if o == nil {
		return fail(400, "InvalidInput", "Order "+req.ChannelDetails.AmazonOrderDetails.OrderID+" is not an order of this seller.")
	}
	if o.Status != "UNSHIPPED" && o.Status != "PARTIALLY_SHIPPED" {
		return fail(400, "InvalidInput", fmt.Sprintf("Order %s is %s and cannot be shipped.", o.ID, o.Status))
	}
	if len(req.Packages) != 1 {
		return fail(400, "InvalidInput", "Exactly one package per shipment is supported.")
	}
	p := req.Packages[0]
	grams := toGrams(p.Weight.Value, p.Weight.Unit)
	f := 1.0
	if p.Dimensions.Unit == "INCH" {
		f = 2.54
	}
	dims := [3]float64{p.Dimensions.Length * f, p.Dimensions.Width * f, p.Dimensions.Height * f}
	if grams <= 0 || dims[0] <= 0 || dims[1] <= 0 || dims[2] <= 0 {
		return fail(400, "InvalidInput", "Package weight and dimensions must be greater than zero.")
	}
	if p.PackageClientReferenceID == "" {
		return fail(400, "InvalidInput", "packageClientReferenceId is required.")
	}
	items := map[string]int{}
	for _, it := range p.Items {
		found := false
		for _, oi := range o.Items {
			found = found || oi.ID == it.ItemIdentifier
		}
		if !found {
			return fail(400, "InvalidInput", "itemIdentifier "+it.ItemIdentifier+" is not an order item of "+o.ID+".")
		}
		items[it.ItemIdentifier] += it.Quantity
	}
	if len(items) == 0 {
		for _, oi := range o.Items {
			if left := oi.Quantity - oi.Shipped; left > 0 && !oi.Cancelled {
				items[oi.ID] = left
			}
		}
	}
	shipDate := c.now
	if t, ok := parseTime(req.ShipDate); ok && !t.IsZero() {
		shipDate = t
	}
	sigRequired := false
	for _, it := range o.Items {
		sigRequired = sigRequired || it.SignatureRequired
	}
	mp, _ := station.MarketplaceByID(o.MarketplaceID)
	rr := &rateRequest{token: "amzn1.rq." + randomToken(16), sellerID: c.seller.ID, orderID: o.ID, created: c.now,
		grams: grams, dimsCM: dims, refID: p.PackageClientReferenceID, items: items, offers: map[string]*offer{},
		shipFrom: []string{req.ShipFrom.Name, req.ShipFrom.AddressLine1, req.ShipFrom.City + " " + req.ShipFrom.StateOrRegion + " " + req.ShipFrom.PostalCode},
		from:     shipFromAddress(req.ShipFrom)}

	volumetricKg := dims[0] * dims[1] * dims[2] / 5000
	billedKg := math.Max(grams/1000, volumetricKg)
	longest := slices.Max(dims[:])
	zone := zoneFactor(o.Address.PostalCode)
	factor := currencyFactor[mp.Currency]
	if factor == 0 {
		factor = 1
	}
	rates, ineligible := []any{}, []any{}
	for _, svc := range servicesFor(mp.Country) {
		reason, msg := "", ""
		switch {
		case slices.Contains(c.seller.DeclinedCarriers, svc.carrierID):
			reason, msg = "TERMS_AND_CONDITIONS_NOT_ACCEPTED", svc.carrierName+"'s terms and conditions have not been accepted. Accept them in Seller Central: Settings > Shipping Settings > Buy Shipping."
		case grams/1000 > svc.maxKg:
			reason, msg = "WEIGHT_RESTRICTIONS", fmt.Sprintf("The package is over %s's weight limit of %.1f kg.", svc.serviceName, svc.maxKg)
		case longest > svc.maxCM:
			reason, msg = "SIZE_RESTRICTIONS", fmt.Sprintf("The package is over %s's size limit of %.0f cm.", svc.serviceName, svc.maxCM)
		}
		if reason != "" {
			ineligible = append(ineligible, map[string]any{"serviceId": svc.serviceID, "serviceName": svc.serviceName,
				"carrierId": svc.carrierID, "carrierName": svc.carrierName,
				"ineligibilityReasons": []any{map[string]any{"code": reason, "message": msg}}})
			continue
		}
		pickup := [2]time.Time{shipDate, shipDate.Add(8 * time.Hour)}
		delivery := [2]time.Time{shipDate.Add(time.Duration(svc.days) * 24 * time.Hour), shipDate.Add(time.Duration(svc.days+1) * 24 * time.Hour)}
		total := (svc.baseUSD + svc.perKgUSD*billedKg) * zone * factor
		of := &offer{rateID: "amzn1.rate." + randomToken(12), svc: svc, currency: mp.Currency, total: currencyRound(total, mp.Currency),
			promise: delivery, pickup: pickup, onTime: !delivery[1].After(o.DeliverBy[1]), sigGroup: true, sigReq: sigRequired,
			vasCost: currencyRound(3.2*factor, mp.Currency)}
		rr.offers[of.rateID] = of
		rates = append(rates, s.renderRate(of))
	}
	s.rateReqs[rr.token] = rr
	return ok(map[string]any{"payload": map[string]any{"requestToken": rr.token, "rates": rates, "ineligibleRates": ineligible}})
}

// zoneFactor prices farther destinations higher, stably per postal code.
func zoneFactor(postal string) float64 {
	h := fnv.New32a()
	h.Write([]byte(postal))
	return 1 + float64(h.Sum32()%25)/100
}

func (s *Sim) renderRate(of *offer) map[string]any {
	docs := []any{}
	for _, f := range []string{"ZPL", "PNG", "PDF"} {
		po := map[string]any{"supportedPageLayouts": []string{"DEFAULT"}, "supportedFileJoiningOptions": []bool{false},
			"supportedDocumentDetails": []any{map[string]any{"name": "LABEL", "isMandatory": true}}}
		if f != "PDF" {
			po["supportedDPIs"] = []int{203, 300}
		}
		docs = append(docs, map[string]any{"format": f, "size": map[string]any{"width": 4, "length": 6, "unit": "INCH"},
			"printOptions": []any{po}})
	}
	benefits := map[string]any{"includedBenefits": []string{}, "excludedBenefits": []any{}}
	switch {
	case of.svc.protected && of.onTime:
		benefits["includedBenefits"] = []string{"CLAIMS_PROTECTED"}
	case of.svc.protected:
		benefits["excludedBenefits"] = []any{map[string]any{"benefit": "CLAIMS_PROTECTED", "reasonCodes": []string{"LATE_DELIVERY_RISK"}}}
	default:
		benefits["excludedBenefits"] = []any{map[string]any{"benefit": "CLAIMS_PROTECTED", "reasonCodes": []string{"CARRIER_NOT_ELIGIBLE"}}}
	}
	payment := "PAY_THROUGH_AMAZON"
	if of.svc.directToCarrier {
		payment = "PAY_DIRECT_TO_CARRIER"
	}
	rate := map[string]any{
		"rateId": of.rateID, "carrierId": of.svc.carrierID, "carrierName": of.svc.carrierName,
		"serviceId": of.svc.serviceID, "serviceName": of.svc.serviceName,
		"totalCharge": amount(of.total, of.currency),
		"promise": map[string]any{
			"pickupWindow":   map[string]any{"start": of.pickup[0].Format(time.RFC3339), "end": of.pickup[1].Format(time.RFC3339)},
			"deliveryWindow": map[string]any{"start": of.promise[0].Format(time.RFC3339), "end": of.promise[1].Format(time.RFC3339)},
		},
		"supportedDocumentSpecifications": docs,
		"requiresAdditionalInputs":        false,
		"rateItemList": []any{map[string]any{"rateItemID": "BASE_RATE", "rateItemType": "MANDATORY",
			"rateItemCharge": amount(of.total, of.currency), "rateItemNameLocalization": "Base rate"}},
		"paymentType": payment,
		"benefits":    benefits,
	}
	if of.sigGroup {
		rate["availableValueAddedServiceGroups"] = []any{map[string]any{
			"groupId": "SIG_VERIFICATION", "groupDescription": "Signature on delivery", "isRequired": of.sigReq,
			"valueAddedServices": []any{
				map[string]any{"id": "SIGNATURE_CONFIRMATION", "name": "Signature confirmation", "cost": amount(of.vasCost, of.currency)},
				map[string]any{"id": "ADULT_SIGNATURE_CONFIRMATION", "name": "Adult signature confirmation", "cost": amount(of.vasCost*1.6, of.currency)},
			}}}
	}
	return rate
}

type docSpec struct {
	Format string `json:"format"`
	Size   struct {
		Width, Length float64
		Unit          string
	} `json:"size"`
	DPI                    int      `json:"dpi"`
	NeedFileJoining        bool     `json:"needFileJoining"`
	RequestedDocumentTypes []string `json:"requestedDocumentTypes"`
}

func checkDocSpec(format string, dpi int) string {
	switch format {
	case "ZPL", "PNG":
		if dpi != 0 && dpi != 203 && dpi != 300 {
			return fmt.Sprintf("%s labels come at 203 or 300 dpi, not %d.", format, dpi)
		}
	case "PDF":
	default:
		return "format must be ZPL, PNG or PDF."
	}
	return ""
}

// purchaseShipment is Shipping API v2 purchaseShipment. A replayed
// x-amzn-IdempotencyKey returns the first answer: never a second label.
func (s *Sim) purchaseShipment(c *call) result {
	key := c.r.Header.Get("x-amzn-IdempotencyKey")
	if key != "" {
		if p := s.idem[c.seller.ID+"|"+key]; p != nil {
			return result{http.StatusOK, json.RawMessage(p.body)}
		}
	}
	var req struct {
		RequestToken                   string  `json:"requestToken"`
		RateID                         string  `json:"rateId"`
		RequestedDocumentSpecification docSpec `json:"requestedDocumentSpecification"`
		RequestedValueAddedServices    []struct {
			ID string `json:"id"`
		} `json:"requestedValueAddedServices"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return fail(400, "InvalidInput", "The request body is not valid JSON.")
	}
	rr := s.rateReqs[req.RequestToken]
	if rr == nil || rr.sellerID != c.seller.ID {
		return fail(400, "InvalidInput", "The requestToken is not valid. Call getRates again.")
	}
	if c.now.Sub(rr.created) > rateLifetime {
		return fail(400, "TOKEN_EXPIRED", "The rates expired 10 minutes after getRates. Call getRates again.")
	}
	of := rr.offers[req.RateID]
	if of == nil {
		return fail(400, "InvalidInput", "The rateId does not belong to this requestToken.")
	}
	spec := req.RequestedDocumentSpecification
	if spec.Size.Width != 4 || spec.Size.Length != 6 || spec.Size.Unit != "INCH" {
		return fail(400, "InvalidInput", "The requested document size must be one getRates offered: 4 x 6 INCH.")
	}
	if msg := checkDocSpec(spec.Format, spec.DPI); msg != "" {
		return fail(400, "InvalidInput", msg)
	}
	if !slices.Contains(spec.RequestedDocumentTypes, "LABEL") {
		return fail(400, "InvalidInput", "requestedDocumentTypes must include LABEL.")
	}
	signature := ""
	for _, v := range req.RequestedValueAddedServices {
		if v.ID != "SIGNATURE_CONFIRMATION" && v.ID != "ADULT_SIGNATURE_CONFIRMATION" {
			return fail(400, "InvalidInput", "Value-added service "+v.ID+" is not offered with this rate.")
		}
		signature = v.ID
	}
	if of.sigReq && signature == "" {
		return fail(400, "InvalidInput", "This order requires a signature: request a service of group SIG_VERIFICATION.")
	}
	o := s.orders[rr.orderID]
	if o.Status != "UNSHIPPED" && o.Status != "PARTIALLY_SHIPPED" {
		return fail(400, "InvalidInput", fmt.Sprintf("Order %s is %s and cannot be shipped.", o.ID, o.Status))
	}
	for id, q := range rr.items {
		for _, it := range o.Items {
			if it.ID == id && (it.Cancelled || it.Shipped+q > it.Quantity) {
				return fail(400, "InvalidInput", "Order item "+id+" has no units left to ship.")
			}
		}
	}
	sh := &shipment{ID: fmt.Sprintf("%014d", 87000000000000+s.id()), SellerID: c.seller.ID, OrderID: o.ID, RefID: rr.refID,
		Tracking: trackingNumber(of.svc.carrierID, s.id()), Carrier: of.svc, Format: spec.Format, DPI: spec.DPI,
		Purchased: c.now, Delivery: of.promise[0], offer: of, IdemKey: key, Charged: of.total, From: rr.from, Grams: rr.grams}
	switch signature {
	case "SIGNATURE_CONFIRMATION":
		sh.Charged += of.vasCost
	case "ADULT_SIGNATURE_CONFIRMATION":
		sh.Charged += of.vasCost * 1.6
	}
	sh.Charged = currencyRound(sh.Charged, of.currency)
	sh.label = labelData{Carrier: of.svc.carrierName, Service: of.svc.serviceName, Tracking: sh.Tracking, OrderID: o.ID,
		ShipFrom: rr.shipFrom, ShipTo: shipToLines(o.Address), WeightText: fmt.Sprintf("%.2f kg", rr.grams/1000)}
	doc, err := renderLabel(spec.Format, spec.DPI, sh.label)
	if err != nil {
		return fail(500, "InternalFailure", "Could not render the label.")
	}
	sh.pkg = &pkg{ReferenceID: strconv.Itoa(len(o.Packages) + 1), Created: c.now, Status: "PENDING",
		Carrier: of.svc.carrierName, Service: of.svc.serviceName, Tracking: sh.Tracking, ShipTime: c.now, Items: rr.items, shipment: sh}
	o.Packages = append(o.Packages, sh.pkg)
	for id, q := range rr.items {
		for _, it := range o.Items {
			if it.ID == id {
				it.Shipped += q
			}
		}
	}
	o.updateStatusFromItems()
	o.LastUpdated = c.now
	s.shipments[sh.ID] = sh

	body := map[string]any{"payload": map[string]any{
		"shipmentId": sh.ID,
		"packageDocumentDetails": []any{map[string]any{"packageClientReferenceId": sh.RefID, "trackingId": sh.Tracking,
			"packageDocuments": []any{map[string]any{"type": "LABEL", "format": spec.Format, "contents": base64.StdEncoding.EncodeToString(doc)}}}},
		"promise": map[string]any{
			"pickupWindow":   map[string]any{"start": of.pickup[0].Format(time.RFC3339), "end": of.pickup[1].Format(time.RFC3339)},
			"deliveryWindow": map[string]any{"start": of.promise[0].Format(time.RFC3339), "end": of.promise[1].Format(time.RFC3339)},
		},
		"benefits": s.renderRate(of)["benefits"],
	}}
	raw, _ := json.Marshal(body)
	if key != "" {
		s.idem[c.seller.ID+"|"+key] = &purchase{body: raw, shipmentID: sh.ID}
	}
	return result{http.StatusOK, json.RawMessage(raw)}
}

func shipToLines(a address) []string {
	lines := []string{a.Name}
	if a.Company != "" {
		lines = append(lines, a.Company)
	}
	for _, l := range []string{a.Line1, a.Line2, a.Line3} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return append(lines, a.City+" "+a.State+" "+a.PostalCode, a.Country)
}

// trackingNumber makes a carrier-shaped tracking number (Code 128 safe).
func trackingNumber(carrier string, n int) string {
	switch carrier {
	case "USPS":
		return fmt.Sprintf("9400111899%012d", 560000000000+n)
	case "UPS":
		return fmt.Sprintf("1Z999AA1%010d", 100000000+n)
	case "FEDEX":
		return fmt.Sprintf("7946%08d", 10000000+n)
	case "ROYAL_MAIL":
		return fmt.Sprintf("RM%09dGB", 100000000+n)
	}
	return fmt.Sprintf("TBA%012d", 300000000000+n)
}

func (s *Sim) sellerShipment(c *call) *shipment {
	sh := s.shipments[c.r.PathValue("shipmentId")]
	if sh == nil || sh.SellerID != c.seller.ID {
		return nil
	}
	return sh
}

// getShipmentDocuments is Shipping API v2 getShipmentDocuments (a reprint).
func (s *Sim) getShipmentDocuments(c *call) result {
	sh := s.sellerShipment(c)
	if sh == nil {
		return fail(404, "NotFound", "Shipment "+c.r.PathValue("shipmentId")+" was not found.")
	}
	q := c.r.URL.Query()
	if q.Get("packageClientReferenceId") != sh.RefID {
		return fail(400, "InvalidInput", "packageClientReferenceId does not match this shipment.")
	}
	format, dpi := sh.Format, sh.DPI
	if f := q.Get("format"); f != "" {
		format = f
	}
	if d := q.Get("dpi"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return fail(400, "InvalidInput", "dpi must be a number.")
		}
		dpi = n
	}
	if msg := checkDocSpec(format, dpi); msg != "" {
		return fail(400, "InvalidInput", msg)
	}
	doc, err := renderLabel(format, dpi, sh.label)
	if err != nil {
		return fail(500, "InternalFailure", "Could not render the label.")
	}
	return ok(map[string]any{"payload": map[string]any{"shipmentId": sh.ID,
		"packageDocumentDetail": map[string]any{"packageClientReferenceId": sh.RefID, "trackingId": sh.Tracking,
			"packageDocuments": []any{map[string]any{"type": "LABEL", "format": format, "contents": base64.StdEncoding.EncodeToString(doc)}}},
		"benefits": s.renderRate(sh.offer)["benefits"]}})
}

// cancelShipment is Shipping API v2 cancelShipment: the label is voided and
// the order is open to ship again.
func (s *Sim) cancelShipment(c *call) result {
	sh := s.sellerShipment(c)
	if sh == nil {
		return fail(404, "NotFound", "Shipment "+c.r.PathValue("shipmentId")+" was not found.")
	}
	if sh.Cancelled {
		return fail(400, "InvalidInput", "The shipment is already cancelled.")
	}
	if st, _ := s.trackingState(sh, c.now); st != "PreTransit" || c.now.Sub(sh.Purchased) > cancelWindow {
		return fail(400, "InvalidInput", "The carrier has picked up this shipment or its cancellation window has passed; it can no longer be cancelled.")
	}
	sh.Cancelled = true
	sh.pkg.Status = "CANCELLED"
	o := s.orders[sh.OrderID]
	for id, q := range sh.pkg.Items {
		for _, it := range o.Items {
			if it.ID == id {
				it.Shipped -= q
			}
		}
	}
	o.updateStatusFromItems()
	o.LastUpdated = c.now
	return ok(map[string]any{"payload": map[string]any{}})
}

type trackEvent struct {
	code string
	at   time.Time
}

// trackingState is where a shipment is in simulated time, with its events so far.
func (s *Sim) trackingState(sh *shipment, now time.Time) (string, []trackEvent) {
	events := []trackEvent{{"ReadyForReceive", sh.Purchased}}
	if sh.Cancelled {
		return "PickupCancelled", append(events, trackEvent{"PickupCancelled", sh.Purchased.Add(time.Minute)})
	}
	deliver := sh.Purchased.Add(time.Duration(sh.Carrier.days)*24*time.Hour - 4*time.Hour)
	steps := []trackEvent{
		{"PickupDone", sh.Purchased.Add(6 * time.Hour)},
		{"ArrivedAtCarrierFacility", sh.Purchased.Add(10 * time.Hour)},
		{"Departed", sh.Purchased.Add(14 * time.Hour)},
		{"OutForDelivery", deliver.Add(-5 * time.Hour)},
	}
	day := 24 * time.Hour
	f := parcelFate(sh.Tracking)
	if s.sentBack[sh.Tracking] {
		f = fateReturned
	}
	switch f {
	case fateDelivered:
		steps = append(steps, trackEvent{"Delivered", deliver})
	case fateAttempted: // nobody home: delivered the next day
		steps = append(steps, trackEvent{"DeliveryAttempted", deliver}, trackEvent{"OutForDelivery", deliver.Add(day - 5*time.Hour)},
			trackEvent{"Delivered", deliver.Add(day)})
	case fateReturned: // two attempts, undeliverable, sent back
		steps = append(steps, trackEvent{"DeliveryAttempted", deliver}, trackEvent{"DeliveryAttempted", deliver.Add(day)},
			trackEvent{"Undeliverable", deliver.Add(2 * day)}, trackEvent{"ReturnInitiated", deliver.Add(3 * day)})
	}
	status := "PreTransit"
	for _, e := range steps {
		if e.at.After(now) {
			break
		}
		events = append(events, e)
		switch e.code {
		case "PickupDone", "ReturnInitiated":
			status = "InTransit"
		default:
			if e.code != "ArrivedAtCarrierFacility" && e.code != "Departed" {
				status = e.code // OutForDelivery, DeliveryAttempted, Undeliverable, Delivered: the summary says the same
			}
		}
	}
	return status, events
}

// A parcel's fate, fixed by its tracking number so that every run of a
// seeded world tells the same story: most are delivered on the promised
// day, about 4 in 100 after a failed attempt, 1 in 100 are undeliverable
// and return to the seller.
type fate int

const (
	fateDelivered fate = iota
	fateAttempted
	fateReturned
)

// SendBack makes a label's parcel undeliverable, to be returned: for a
// test that must meet one whatever the seed.
func (s *Sim) SendBack(tracking string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sentBack[tracking] = true
}

func parcelFate(tracking string) fate {
	h := fnv.New32a()
	h.Write([]byte(tracking))
	switch n := h.Sum32() % 100; {
	case n < 4:
		return fateAttempted
	case n == 4:
		return fateReturned
	}
	return fateDelivered
}

// getTracking is Shipping API v2 getTracking.
func (s *Sim) getTracking(c *call) result {
	q := c.r.URL.Query()
	id, carrier := q.Get("trackingId"), q.Get("carrierId")
	if id == "" || carrier == "" {
		return fail(400, "InvalidInput", "trackingId and carrierId are required.")
	}
	var sh *shipment
	for _, candidate := range s.shipments {
		if candidate.Tracking == id && candidate.SellerID == c.seller.ID {
			sh = candidate
		}
	}
	if sh == nil || sh.Carrier.carrierID != carrier {
		return fail(404, "NotFound", "No shipment with tracking "+id+" for carrier "+carrier+".")
	}
	status, events := s.trackingState(sh, c.now)
	o := s.orders[sh.OrderID]
	history := []any{}
	for _, e := range events {
		ev := map[string]any{"eventCode": e.code, "eventTime": e.at.Format(time.RFC3339), "shipmentType": "FORWARD"}
		if e.code == "Delivered" || e.code == "OutForDelivery" {
			ev["location"] = map[string]any{"city": o.Address.City, "postalCode": o.Address.PostalCode,
				"countryCode": shippingCountry(o.Address.Country)}
		}
		history = append(history, ev)
	}
	return ok(map[string]any{"payload": map[string]any{"trackingId": sh.Tracking, "alternateLegTrackingId": "",
		"eventHistory": history, "promisedDeliveryDate": sh.offer.promise[1].Format(time.RFC3339),
		"summary": map[string]any{"status": status}}})
}

// syncPackages moves Buy Shipping packages along with their tracking.
func (s *Sim) syncPackages(o *order, now time.Time) {
	for _, p := range o.Packages {
		if p.shipment == nil || p.shipment.Cancelled {
			continue
		}
		switch st, _ := s.trackingState(p.shipment, now); st {
		case "PreTransit":
			p.Status = "PENDING"
		case "Delivered":
			p.Status = "DELIVERED"
		case "Undeliverable":
			p.Status = "UNDELIVERABLE"
		default:
			p.Status = "IN_TRANSIT"
		}
	}
}
