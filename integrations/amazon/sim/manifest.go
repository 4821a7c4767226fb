package sim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// manifestCarriers take parcels against a collection form, one per day
// and ship-from address (USPS calls it a SCAN form, Canada Post and Royal
// Mail a manifest): getUnmanifestedShipments lists what is not yet on one,
// generateCollectionForm makes it.
var manifestCarriers = map[string]bool{"USPS": true, "CANADA_POST": true, "ROYAL_MAIL": true, "AUSPOST": true}

// shipFromAddress is the getRates shipFrom a label was rated from.
type shipFromAddress struct {
	Name, AddressLine1, City, StateOrRegion, PostalCode, CountryCode string
}

func (a shipFromAddress) api() map[string]any {
	return map[string]any{"name": a.Name, "addressLine1": a.AddressLine1, "city": a.City,
		"stateOrRegion": a.StateOrRegion, "postalCode": a.PostalCode, "countryCode": a.CountryCode}
}

// collectionForm is a generated form and the parcels on it.
type collectionForm struct {
	ID, SellerID, CarrierID, CarrierName string
	From                                 shipFromAddress
	Created                              time.Time
	Tracking                             []string
	PDF                                  []byte
	IdemKey                              string
}

// unmanifested lists a seller's live labels of manifest carriers that no
// form carries yet, oldest first.
func (s *Sim) unmanifested(sellerID string) []*shipment {
	var out []*shipment
	for _, id := range slicesSortedKeys(s.shipments) {
		sh := s.shipments[id]
		if sh.SellerID == sellerID && !sh.Cancelled && sh.Manifest == "" && manifestCarriers[sh.Carrier.carrierID] {
			out = append(out, sh)
		}
	}
	return out
}

// getUnmanifestedShipments is Shipping API v2 getUnmanifestedShipments:
// each carrier with parcels not on a form, and the addresses they left from.
func (s *Sim) getUnmanifestedShipments(c *call) result {
	type place struct {
		carrier string
		from    shipFromAddress
	}
	var order []place
	names := map[string]string{}
	seen := map[place]bool{}
	for _, sh := range s.unmanifested(c.seller.ID) {
		p := place{sh.Carrier.carrierID, sh.From}
		names[p.carrier] = sh.Carrier.carrierName
		if !seen[p] {
			seen[p] = true
			order = append(order, p)
		}
	}
	list := []any{}
	byCarrier := map[string]map[string]any{}
	for _, p := range order {
		info := byCarrier[p.carrier]
		if info == nil {
			info = map[string]any{"carrierId": p.carrier, "carrierName": names[p.carrier], "unmanifestedShipmentLocationList": []any{}}
			byCarrier[p.carrier] = info
			list = append(list, info)
		}
		loc := map[string]any{"address": p.from.api()}
		if last := s.lastForm(c.seller.ID, p.carrier, p.from); last != nil {
			loc["lastManifestDate"] = last.Created.Format(time.RFC3339)
		}
		info["unmanifestedShipmentLocationList"] = append(info["unmanifestedShipmentLocationList"].([]any), loc)
	}
	return ok(map[string]any{"unmanifestedCarrierInformationList": list})
}

func (s *Sim) lastForm(sellerID, carrier string, from shipFromAddress) *collectionForm {
	var last *collectionForm
	for _, f := range s.forms {
		if f.SellerID == sellerID && f.CarrierID == carrier && f.From == from && (last == nil || f.Created.After(last.Created)) {
			last = f
		}
	}
	return last
}

type addressIn struct {
	Name          string `json:"name"`
	AddressLine1  string `json:"addressLine1"`
	City          string `json:"city"`
	StateOrRegion string `json:"stateOrRegion"`
	PostalCode    string `json:"postalCode"`
	CountryCode   string `json:"countryCode"`
}

func (a *addressIn) from() (shipFromAddress, bool) {
	if a == nil {
		return shipFromAddress{}, false
	}
	return shipFromAddress{a.Name, a.AddressLine1, a.City, a.StateOrRegion, a.PostalCode, a.CountryCode}, true
}

// generateCollectionForm is Shipping API v2 generateCollectionForm: the
// carrier's parcels not yet on a form (from the address given, or from
// every address) go on a new one, a PDF the driver signs at pickup. The
// same idempotency key returns the same form.
func (s *Sim) generateCollectionForm(c *call) result {
	var req struct {
		CarrierID       string     `json:"carrierId"`
		ShipFromAddress *addressIn `json:"shipFromAddress"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || req.CarrierID == "" {
		return fail(400, "InvalidInput", "carrierId is required.")
	}
	key := c.r.Header.Get("x-amzn-IdempotencyKey")
	if key != "" {
		for _, f := range s.forms {
			if f.SellerID == c.seller.ID && f.IdemKey == key {
				return ok(formDocument(f))
			}
		}
	}
	if !manifestCarriers[req.CarrierID] {
		return fail(400, "InvalidInput", "Carrier "+req.CarrierID+" does not use collection forms.")
	}
	from, only := req.ShipFromAddress.from()
	var on []*shipment
	for _, sh := range s.unmanifested(c.seller.ID) {
		if sh.Carrier.carrierID == req.CarrierID && (!only || sh.From == from) {
			on = append(on, sh)
		}
	}
	if len(on) == 0 {
		return fail(400, "InvalidInput", "There are no unmanifested shipments for carrier "+req.CarrierID+" from this address.")
	}
	f := &collectionForm{ID: fmt.Sprintf("CF-%010d", s.id()),
		SellerID: c.seller.ID, CarrierID: req.CarrierID, CarrierName: on[0].Carrier.carrierName, From: on[0].From, Created: c.now, IdemKey: key}
	for _, sh := range on {
		sh.Manifest = f.ID
		f.Tracking = append(f.Tracking, sh.Tracking)
	}
	pdf, err := renderCollectionForm(f)
	if err != nil {
		return fail(500, "InternalFailure", "Could not render the collection form.")
	}
	f.PDF = pdf
	s.forms = append(s.forms, f)
	return ok(formDocument(f))
}

func formDocument(f *collectionForm) map[string]any {
	return map[string]any{"collectionsFormDocument": map[string]any{
		"base64EncodedContent": base64.StdEncoding.EncodeToString(f.PDF), "documentFormat": "application/pdf"}}
}

// getCollectionFormHistory is Shipping API v2 getCollectionFormHistory:
// the seller's forms, newest first, filtered by carrier, address and dates.
func (s *Sim) getCollectionFormHistory(c *call) result {
	var req struct {
		MaxResults      int        `json:"maxResults"`
		CarrierID       string     `json:"carrierId"`
		ShipFromAddress *addressIn `json:"shipFromAddress"`
		DateRange       *struct {
			StartDate string `json:"startDate"`
			EndDate   string `json:"endDate"`
		} `json:"dateRange"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return fail(400, "InvalidInput", "The request body is not valid JSON.")
	}
	from, only := req.ShipFromAddress.from()
	var start, end time.Time
	if req.DateRange != nil {
		start, _ = time.Parse(time.RFC3339, req.DateRange.StartDate)
		end, _ = time.Parse(time.RFC3339, req.DateRange.EndDate)
	}
	var forms []*collectionForm
	for _, f := range s.forms {
		if f.SellerID != c.seller.ID || (req.CarrierID != "" && f.CarrierID != req.CarrierID) || (only && f.From != from) ||
			(!start.IsZero() && f.Created.Before(start)) || (!end.IsZero() && f.Created.After(end)) {
			continue
		}
		forms = append(forms, f)
	}
	slices.SortFunc(forms, func(a, b *collectionForm) int { return b.Created.Compare(a.Created) })
	if req.MaxResults > 0 && len(forms) > req.MaxResults {
		forms = forms[:req.MaxResults]
	}
	list := []any{}
	for _, f := range forms {
		list = append(list, map[string]any{"carrierName": f.CarrierName, "creationDate": f.Created.Format(time.RFC3339),
			"generationStatus": "Completed", "collectionFormId": f.ID, "shipFromAddress": f.From.api()})
	}
	return ok(map[string]any{"collectionFormsHistoryRecordList": list, "lastRefreshedDate": c.now.Format(time.RFC3339)})
}

// getCollectionForm is Shipping API v2 getCollectionForm: a form again.
func (s *Sim) getCollectionForm(c *call) result {
	id := c.r.PathValue("collectionFormId")
	for _, f := range s.forms {
		if f.SellerID == c.seller.ID && f.ID == id {
			return ok(formDocument(f))
		}
	}
	return fail(404, "NotFound", "No collection form "+id+".")
}

// renderCollectionForm draws the form: carrier, address, date, and every
// parcel's tracking number with a line for the driver's signature.
func renderCollectionForm(f *collectionForm) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetCreator("Packbench Amazon simulator", true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.Cell(0, 10, "Collection form: "+f.CarrierName)
	pdf.Ln(12)
	pdf.SetFont("Helvetica", "", 10)
	for _, l := range []string{"Form " + f.ID, "Created " + f.Created.Format("2006-01-02 15:04 MST"),
		fmt.Sprintf("From %s, %s, %s %s %s", f.From.Name, f.From.AddressLine1, f.From.City, f.From.StateOrRegion, f.From.PostalCode),
		fmt.Sprintf("%d parcels", len(f.Tracking))} {
		pdf.Cell(0, 6, l)
		pdf.Ln(6)
	}
	pdf.Ln(4)
	for i, t := range f.Tracking {
		pdf.Cell(0, 6, fmt.Sprintf("%3d  %s", i+1, t))
		pdf.Ln(6)
	}
	pdf.Ln(10)
	pdf.Cell(0, 6, "Driver's signature: ______________________   Time: ________")
	var out bytes.Buffer
	err := pdf.Output(&out)
	return out.Bytes(), err
}
