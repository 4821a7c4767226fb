package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/packbench/packbench/internal/atomicfile"
)

// The built-in simulator keeps its state in a file (Config.StatePath), so
// the demo behaves like Amazon across restarts of the app: a store signed
// in stays authorized, a label bought yesterday can be voided or printed
// again today, a purchase replayed after a crash gets the label Amazon
// sold, and simulated time goes on while the app is closed. Rate requests,
// sign-in codes, access tokens and report downloads are short-lived and are
// not kept: a client gets new ones, as it would after Amazon's expire.

// stateVersion changes when the file's shape does; another version starts
// a fresh world.
const stateVersion = 1

type savedState struct {
	Version   int                  `json:"version"`
	Seed      uint64               `json:"seed"`
	SavedAt   time.Time            `json:"savedAt"` // real time
	SimNow    time.Time            `json:"simNow"`
	NextID    int                  `json:"nextId"`
	Orders    []*order             `json:"orders"`
	PkgShip   map[string]string    `json:"packageShipments"` // orderID/packageRef -> shipment id
	Shipments []savedShipment      `json:"shipments"`
	Forms     []*collectionForm    `json:"collectionForms,omitempty"`
	Purchases map[string]savedBuy  `json:"purchases"` // seller|idempotency key
	Refresh   map[string]savedAuth `json:"refreshTokens"`
	Reports   []savedReport        `json:"reports"`
}

type savedShipment struct {
	shipmentFields
	CarrierID, ServiceID string
	Label                savedLabel
	Offer                savedOffer
}

// shipmentFields are the exported fields of shipment, saved as they are.
type shipmentFields struct {
	ID, SellerID, OrderID, RefID, Tracking, Format string
	DPI                                            int
	Purchased, Delivery                            time.Time
	Cancelled                                      bool
	IdemKey                                        string
	Charged, Grams                                 float64
	From                                           shipFromAddress
	Manifest                                       string
}

type savedLabel struct {
	Carrier, Service, Tracking, OrderID string
	ShipFrom, ShipTo                    []string
	WeightText                          string
}

type savedOffer struct {
	RateID, Currency   string
	Total, VASCost     float64
	Promise, Pickup    [2]time.Time
	OnTime             bool
	SigGroup, SigReq   bool
	CarrierID, Service string
}

type savedBuy struct {
	Body       []byte
	ShipmentID string
}

type savedAuth struct {
	ClientID, SellerID string
	Revoked            bool
}

type savedReport struct {
	ID, SellerID, Type, Outcome, DocumentID string
	Marketplaces                            []string
	Created                                 time.Time
	Document                                []byte
}

// findService looks a carrier's service up in the simulator's table.
func findService(carrierID, serviceID string) (service, bool) {
	for _, svcs := range servicesByCountry {
		for _, sv := range svcs {
			if sv.carrierID == carrierID && sv.serviceID == serviceID {
				return sv, true
			}
		}
	}
	return service{}, false
}

// snapshotLocked copies the state to save; s.mu is held.
func (s *Sim) snapshotLocked() savedState {
	st := savedState{Version: stateVersion, Seed: s.cfg.Seed, SavedAt: time.Now(), SimNow: s.clock.Now(), NextID: s.nextID,
		Orders: s.orderSeq, PkgShip: map[string]string{}, Purchases: map[string]savedBuy{}, Refresh: map[string]savedAuth{}}
	for _, o := range s.orderSeq {
		for _, p := range o.Packages {
			if p.shipment != nil {
				st.PkgShip[o.ID+"/"+p.ReferenceID] = p.shipment.ID
			}
		}
	}
	for _, sh := range s.shipments {
		ss := savedShipment{shipmentFields: shipmentFields{ID: sh.ID, SellerID: sh.SellerID, OrderID: sh.OrderID, RefID: sh.RefID,
			Tracking: sh.Tracking, Format: sh.Format, DPI: sh.DPI, Purchased: sh.Purchased, Delivery: sh.Delivery,
			Cancelled: sh.Cancelled, IdemKey: sh.IdemKey, Charged: sh.Charged, Grams: sh.Grams, From: sh.From, Manifest: sh.Manifest},
			CarrierID: sh.Carrier.carrierID, ServiceID: sh.Carrier.serviceID, Label: savedLabel(sh.label)}
		if of := sh.offer; of != nil {
			ss.Offer = savedOffer{RateID: of.rateID, Currency: of.currency, Total: of.total, VASCost: of.vasCost, Promise: of.promise,
				Pickup: of.pickup, OnTime: of.onTime, SigGroup: of.sigGroup, SigReq: of.sigReq, CarrierID: of.svc.carrierID, Service: of.svc.serviceID}
		}
		st.Shipments = append(st.Shipments, ss)
	}
	st.Forms = s.forms
	for k, p := range s.idem {
		st.Purchases[k] = savedBuy{Body: p.body, ShipmentID: p.shipmentID}
	}
	for tok, g := range s.refresh {
		st.Refresh[tok] = savedAuth{ClientID: g.app.ClientID, SellerID: g.seller.ID, Revoked: g.revoked}
	}
	for _, r := range s.reports {
		st.Reports = append(st.Reports, savedReport{ID: r.ID, SellerID: r.SellerID, Type: r.Type, Outcome: r.Outcome,
			DocumentID: r.DocumentID, Marketplaces: r.Marketplaces, Created: r.Created, Document: r.document})
	}
	return st
}

// saveLocked writes the state file; s.mu is held, so saves never overlap
// and the newest state is the one on disk.
func (s *Sim) saveLocked() {
	if s.cfg.StatePath == "" {
		return
	}
	raw, err := json.Marshal(s.snapshotLocked())
	if err == nil {
		err = atomicfile.WriteFile(s.cfg.StatePath, raw, 0o600)
	}
	if err != nil {
		s.log.Warn("simulator: could not save its state", "err", err)
	}
}

// load restores a saved world; false when there is none to restore (no
// file, or one of another seed or version: the world starts fresh).
func (s *Sim) load() (bool, error) {
	raw, err := os.ReadFile(s.cfg.StatePath)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var st savedState
	if err := json.Unmarshal(raw, &st); err != nil {
		return false, fmt.Errorf("the simulator's state file %s is unreadable: %w", s.cfg.StatePath, err)
	}
	if st.Version != stateVersion || st.Seed != s.cfg.Seed {
		return false, nil
	}
	// Simulated time went on while the app was closed, as Amazon's does.
	away := max(0, time.Since(st.SavedAt))
	s.clock = NewClock(st.SimNow.Add(time.Duration(float64(away)*s.clock.Scale())), s.clock.Scale())
	s.nextID = st.NextID
	for _, o := range st.Orders {
		s.addOrder(o)
	}
	s.forms = st.Forms
	for _, ss := range st.Shipments {
		sh := &shipment{ID: ss.ID, SellerID: ss.SellerID, OrderID: ss.OrderID, RefID: ss.RefID, Tracking: ss.Tracking,
			Format: ss.Format, DPI: ss.DPI, Purchased: ss.Purchased, Delivery: ss.Delivery, Cancelled: ss.Cancelled,
			IdemKey: ss.IdemKey, label: labelData(ss.Label), Charged: ss.Charged, Grams: ss.Grams, From: ss.From, Manifest: ss.Manifest}
		sh.Carrier, _ = findService(ss.CarrierID, ss.ServiceID)
		svc, _ := findService(ss.Offer.CarrierID, ss.Offer.Service)
		sh.offer = &offer{rateID: ss.Offer.RateID, svc: svc, currency: ss.Offer.Currency, total: ss.Offer.Total,
			vasCost: ss.Offer.VASCost, promise: ss.Offer.Promise, pickup: ss.Offer.Pickup, onTime: ss.Offer.OnTime,
			sigGroup: ss.Offer.SigGroup, sigReq: ss.Offer.SigReq}
		s.shipments[sh.ID] = sh
	}
	for _, o := range s.orderSeq {
		for _, p := range o.Packages {
			if id, ok := st.PkgShip[o.ID+"/"+p.ReferenceID]; ok && s.shipments[id] != nil {
				p.shipment, s.shipments[id].pkg = s.shipments[id], p
			}
		}
	}
	for k, p := range st.Purchases {
		s.idem[k] = &purchase{body: p.Body, shipmentID: p.ShipmentID}
	}
	for tok, a := range st.Refresh {
		app, seller := s.apps[a.ClientID], s.sellers[a.SellerID]
		if app != nil && seller != nil {
			s.refresh[tok] = &refreshGrant{app: app, seller: seller, revoked: a.Revoked}
		}
	}
	for _, r := range st.Reports {
		s.reports[r.ID] = &report{ID: r.ID, SellerID: r.SellerID, Type: r.Type, Outcome: r.Outcome, DocumentID: r.DocumentID,
			Marketplaces: r.Marketplaces, Created: r.Created, document: r.Document}
	}
	return true, nil
}
