package amazon

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/packbench/packbench/station"
)

// apiAddress is an Address as the Shipping API answers it.
type apiAddress struct {
	Name          string `json:"name"`
	AddressLine1  string `json:"addressLine1"`
	AddressLine2  string `json:"addressLine2"`
	CompanyName   string `json:"companyName"`
	City          string `json:"city"`
	StateOrRegion string `json:"stateOrRegion"`
	PostalCode    string `json:"postalCode"`
	CountryCode   string `json:"countryCode"`
}

func (a apiAddress) station() station.Address {
	return station.Address{Name: a.Name, Line1: a.AddressLine1, Line2: a.AddressLine2, Company: a.CompanyName, City: a.City,
		State: a.StateOrRegion, PostalCode: a.PostalCode, CountryCode: a.CountryCode}
}

// Unmanifested is Shipping API v2 getUnmanifestedShipments: the carriers
// whose labels are on no collection form yet, by ship-from address.
func (c *Client) Unmanifested(ctx context.Context) ([]station.Unmanifested, error) {
	var out struct {
		List []struct {
			CarrierID   string `json:"carrierId"`
			CarrierName string `json:"carrierName"`
			Locations   []struct {
				Address          apiAddress `json:"address"`
				LastManifestDate string     `json:"lastManifestDate"`
			} `json:"unmanifestedShipmentLocationList"`
		} `json:"unmanifestedCarrierInformationList"`
	}
	if err := c.Do(ctx, "getUnmanifestedShipments", http.MethodPut, "/shipping/v2/unmanifestedShipments", nil, map[string]any{}, &out); err != nil {
		return nil, err
	}
	var list []station.Unmanifested
	for _, cr := range out.List {
		for _, l := range cr.Locations {
			last, _ := time.Parse(time.RFC3339, l.LastManifestDate)
			list = append(list, station.Unmanifested{CarrierID: cr.CarrierID, CarrierName: cr.CarrierName, From: l.Address.station(), LastForm: last})
		}
	}
	return list, nil
}

// GenerateCollectionForm is Shipping API v2 generateCollectionForm: the
// carrier's form for the labels from the address that are on none yet, a
// PDF. The idempotency key makes asking again after a crash safe.
func (c *Client) GenerateCollectionForm(ctx context.Context, key, carrierID string, from station.Address) ([]byte, error) {
	var out struct {
		Document struct {
			Content string `json:"base64EncodedContent"`
			Format  string `json:"documentFormat"`
		} `json:"collectionsFormDocument"`
	}
	body := map[string]any{"carrierId": carrierID, "shipFromAddress": shippingAddress(from)}
	if err := c.DoWithHeaders(ctx, "generateCollectionForm", http.MethodPost, "/shipping/v2/collectionForms", nil,
		http.Header{"x-amzn-IdempotencyKey": {key}}, body, &out); err != nil {
		return nil, err
	}
	pdf, err := base64.StdEncoding.DecodeString(out.Document.Content)
	if err != nil {
		return nil, fmt.Errorf("generateCollectionForm: the form is not base64: %w", err)
	}
	if len(pdf) < 5 || string(pdf[:5]) != "%PDF-" {
		return nil, errors.New("generateCollectionForm: the form is not a PDF")
	}
	return pdf, nil
}

// Unmanifested is getUnmanifestedShipments for a store.
func (f *Flow) Unmanifested(ctx context.Context, c station.Credentials) ([]station.Unmanifested, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, err
	}
	return cl.Unmanifested(ctx)
}

// GenerateCollectionForm is generateCollectionForm for a store.
func (f *Flow) GenerateCollectionForm(ctx context.Context, c station.Credentials, key, carrierID string, from station.Address) ([]byte, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, err
	}
	return cl.GenerateCollectionForm(ctx, key, carrierID, from)
}
