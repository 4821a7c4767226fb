package station

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Tracking is where a parcel is, as getTracking (Shipping API v2) says:
// Amazon's summary status and the carrier's events, oldest first. Events
// keep no location: the places near the end are the buyer's.
type Tracking struct {
	Status    string // Amazon's summary status: PreTransit, InTransit, Delivered, Undeliverable...
	Events    []TrackingEvent
	Promised  time.Time // the promised delivery date
	CheckedAt time.Time
}

// TrackingEvent is one carrier event (getTracking's eventCode).
type TrackingEvent struct {
	Code string    `json:"code"` // ReadyForReceive, PickupDone, Departed, OutForDelivery, Delivered...
	At   time.Time `json:"at"`
}

// Parcel is where a parcel is in the bench's words: what the list shows
// and what moves an order to Shipped, Delivered or Needs attention.
type Parcel string

const (
	ParcelUnknown        Parcel = ""                 // not asked yet
	ParcelPreTransit     Parcel = "pre_transit"      // the label exists, no carrier scan yet
	ParcelInTransit      Parcel = "in_transit"       // the carrier has it
	ParcelOutForDelivery Parcel = "out_for_delivery" // on the van today
	ParcelDelivered      Parcel = "delivered"
	ParcelException      Parcel = "exception"     // a delivery attempt failed, or it waits for the buyer to collect it
	ParcelUndeliverable  Parcel = "undeliverable" // undeliverable, rejected by the buyer, or lost
	ParcelReturned       Parcel = "returned"      // on its way back to the seller
	ParcelCancelled      Parcel = "cancelled"     // the label was cancelled (voided)
)

// Title is how the bench says where a parcel is.
func (p Parcel) Title() string {
	switch p {
	case ParcelPreTransit:
		return "Waiting for the carrier"
	case ParcelInTransit:
		return "In transit"
	case ParcelOutForDelivery:
		return "Out for delivery"
	case ParcelDelivered:
		return "Delivered"
	case ParcelException:
		return "Delivery problem"
	case ParcelUndeliverable:
		return "Undeliverable"
	case ParcelReturned:
		return "Returning to you"
	case ParcelCancelled:
		return "Label cancelled"
	}
	return "Not tracked yet"
}

// NeedsAttention says whether someone must act on the parcel: the seller
// contacts the buyer or the carrier, or expects it back.
func (p Parcel) NeedsAttention() bool {
	return p == ParcelException || p == ParcelUndeliverable || p == ParcelReturned
}

// Parcel reads the tracking: the summary status, except that a parcel
// whose newest event starts a return is returning, whatever the summary.
func (t Tracking) Parcel() Parcel {
	if n := len(t.Events); n > 0 && t.Events[n-1].Code == "ReturnInitiated" {
		return ParcelReturned
	}
	switch t.Status {
	case "PreTransit":
		return ParcelPreTransit
	case "InTransit":
		return ParcelInTransit
	case "OutForDelivery":
		return ParcelOutForDelivery
	case "Delivered":
		return ParcelDelivered
	case "DeliveryAttempted", "AwaitingCustomerPickup":
		return ParcelException
	case "Undeliverable", "Rejected", "Lost":
		return ParcelUndeliverable
	case "PickupCancelled":
		return ParcelCancelled
	}
	return ParcelUnknown
}

// FirstScan is when the carrier first had the parcel: its first event
// after the label was made (zero before).
func (t Tracking) FirstScan() time.Time {
	for _, e := range t.Events {
		if e.Code != "ReadyForReceive" && e.Code != "PickupCancelled" {
			return e.At
		}
	}
	return time.Time{}
}

// DeliveredAt is when the carrier delivered the parcel (zero before).
func (t Tracking) DeliveredAt() time.Time {
	if t.Parcel() != ParcelDelivered {
		return time.Time{}
	}
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Code == "Delivered" {
			return t.Events[i].At
		}
	}
	return t.CheckedAt
}

// Tracks is the tracking storage.
type Tracks interface {
	// ShipmentsToTrack lists live labels whose parcel is not delivered
	// (or cancelled), last asked about before the time given, oldest first.
	ShipmentsToTrack(ctx context.Context, checkedBefore time.Time, limit int) ([]Shipment, error)
	// SaveTracking keeps a shipment's tracking and moves its order: to
	// shipped at the carrier's first scan, to delivered at delivery. It
	// returns where the parcel was before.
	SaveTracking(ctx context.Context, shipmentID int64, t Tracking) (before Parcel, err error)
	// ShipmentTracking is a shipment's kept tracking (zero if never asked).
	ShipmentTracking(ctx context.Context, shipmentID int64) (Tracking, error)
}

// TrackEvery is how often a parcel's tracking is asked for. Carriers scan
// a parcel a few times a day; getTracking allows 80 calls a second, so
// even thousands of parcels are asked about within a minute.
const TrackEvery = 30 * time.Minute

// trackBatch is how many parcels one pass of the scheduler asks about.
const trackBatch = 200

// TrackDue asks for the tracking of every parcel not asked about for
// TrackEvery, and moves their orders. The scheduler runs it.
func (s *Station) TrackDue(ctx context.Context) (moved int, err error) {
	if s.shipper == nil {
		return 0, nil
	}
	if shared, ok := s.repo.(StoreLocks); ok {
		// On a shared queue one bench tracks at a time (store 0: the whole
		// queue); the others find the parcels it asked about fresh.
		unlock, got, err := shared.TryLockStore(ctx, 0, "tracking")
		if err != nil || !got {
			return 0, err
		}
		defer unlock()
	}
	due, err := s.repo.ShipmentsToTrack(ctx, s.now().Add(-TrackEvery), trackBatch)
	if err != nil {
		return 0, err
	}
	var (
		mu    sync.Mutex
		errs  []error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, 8)
		creds = passCredentials{s: s, byStore: map[int64]Credentials{}}
	)
	for _, sh := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func(sh Shipment) {
			defer wg.Done()
			defer func() { <-sem }()
			changed, err := s.track(ctx, sh, creds.forOrder)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else if changed {
				moved++
			}
		}(sh)
	}
	wg.Wait()
	return moved, errors.Join(errs...)
}

// TrackOrder asks for an order's parcel's tracking now (the packer asked).
func (s *Station) TrackOrder(ctx context.Context, orderID int64) (Tracking, error) {
	if s.shipper == nil {
		return Tracking{}, errors.New("this build has no Buy Shipping configured")
	}
	sh, err := s.repo.LiveShipment(ctx, orderID)
	if err != nil {
		return Tracking{}, errors.New("this order has no label bought here, so nothing to track")
	}
	if _, err := s.track(ctx, sh, s.credsForOrder); err != nil {
		return Tracking{}, err
	}
	return s.repo.ShipmentTracking(ctx, sh.ID)
}

// OrderTracking is the tracking kept for an order's label, without asking
// Amazon (zero when it has no label or was never tracked).
func (s *Station) OrderTracking(ctx context.Context, orderID int64) (Shipment, Tracking, error) {
	sh, err := s.repo.LiveShipment(ctx, orderID)
	if err != nil {
		return Shipment{}, Tracking{}, nil
	}
	t, err := s.repo.ShipmentTracking(ctx, sh.ID)
	return sh, t, err
}

// passCredentials reads each store's credentials once for a pass over
// many parcels: a keychain read is a round trip to the system's keychain.
type passCredentials struct {
	s       *Station
	mu      sync.Mutex // held while a store's are read: the others wait for them
	byStore map[int64]Credentials
}

func (p *passCredentials) forOrder(ctx context.Context, orderID int64) (Credentials, error) {
	o, err := p.s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return Credentials{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.byStore[o.StoreID]; ok {
		return c, nil
	}
	st, err := p.s.repo.GetStore(ctx, o.StoreID)
	if err != nil {
		return Credentials{}, err
	}
	c, err := p.s.StoreCredentials(st)
	if err == nil {
		p.byStore[o.StoreID] = c
	}
	return c, err
}

// track asks Amazon about one parcel and keeps what it says; changed is
// true when the parcel moved on (and is written in the order's history).
func (s *Station) track(ctx context.Context, sh Shipment, credsFor func(context.Context, int64) (Credentials, error)) (changed bool, err error) {
	creds, err := credsFor(ctx, sh.OrderID)
	if err != nil {
		return false, err
	}
	t, err := s.shipper.Track(ctx, creds, sh)
	if err != nil {
		return false, fmt.Errorf("tracking %s: %w", sh.TrackingID, err)
	}
	t.CheckedAt = s.now()
	before, err := s.repo.SaveTracking(ctx, sh.ID, t)
	if err != nil || before == t.Parcel() {
		return false, err
	}
	o, err := s.repo.GetOrder(ctx, sh.OrderID)
	if err == nil {
		s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: o.ID, Action: "parcel " + string(t.Parcel()),
			Detail: fmt.Sprintf("%s %s: %s", sh.CarrierName, sh.TrackingID, t.Parcel().Title())})
	}
	return true, nil
}
