package station

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// Purchase outcomes the UI must tell apart: was money spent?
var (
	// ErrPurchaseRefused: Amazon said no; nothing was bought.
	ErrPurchaseRefused = errors.New("Amazon refused the purchase; no label was bought and nothing was charged")
	// ErrRateExpired: the rate was older than 10 minutes; nothing was bought.
	ErrRateExpired = errors.New("the rate expired (rates live 10 minutes); nothing was bought: get rates again")
	// ErrPurchaseUnknown: no answer; a label may have been bought. The
	// intent stays open and is settled with Amazon before anything is bought again.
	ErrPurchaseUnknown = errors.New("Amazon did not answer the purchase: a label may have been bought. Packbench settles it with Amazon before buying again")
	// ErrVoidRefused: the carrier's cancellation window has passed.
	ErrVoidRefused = errors.New("Amazon refused to void the label")
)

// RateRequest is what getRates needs for one order.
type RateRequest struct {
	Order      Order
	Package    Package
	ShipFrom   Address
	PackageRef string
}

// RateQuote is getRates' answer.
type RateQuote struct {
	RequestToken string
	At           time.Time
	Rates        []Rate
	Ineligible   []Rate
}

// PurchaseRequest buys one rate under an intent's idempotency key.
type PurchaseRequest struct {
	Rate           Rate
	IdempotencyKey string
	Format         LabelFormat
	Service        string // value-added service id, e.g. SIGNATURE_CONFIRMATION
}

// Purchased is what Amazon returns for a bought label.
type Purchased struct {
	ShipmentID string
	TrackingID string
	PackageRef string
	Label      []byte
}

// Shipper is Buy Shipping; integrations/amazon implements it.
type Shipper interface {
	RefreshOrder(ctx context.Context, c Credentials, amazonOrderID string) (Order, error)
	Rates(ctx context.Context, c Credentials, req RateRequest) (RateQuote, error)
	Purchase(ctx context.Context, c Credentials, p PurchaseRequest) (Purchased, error)
	Documents(ctx context.Context, c Credentials, shipmentID, packageRef string, f LabelFormat) ([]byte, error)
	Cancel(ctx context.Context, c Credentials, shipmentID string) error
	// Track is getTracking: where the parcel is. Its PickupCancelled also
	// settles a void cut short by a crash.
	Track(ctx context.Context, c Credentials, sh Shipment) (Tracking, error)
	// ConfirmShipment tells Amazon about a package shipped outside Buy Shipping.
	ConfirmShipment(ctx context.Context, c Credentials, o Order, s ManualShipment) error
}

// ManualShipment is tracking a packer typed for a package shipped without
// Buy Shipping (labels bought through Amazon confirm the order themselves).
type ManualShipment struct {
	PackageReferenceID string // a positive number; the same one edits that package
	CarrierCode        string // Amazon's carrier code, e.g. USPS, UPS, FedEx, DHL, Royal Mail, Other
	CarrierName        string // required when CarrierCode is Other
	ShippingMethod     string
	TrackingNumber     string
	ShipDate           time.Time
}

// Shipments is the purchase storage.
type Shipments interface {
	ShipFrom(ctx context.Context, storeID int64) (Address, error)
	SetShipFrom(ctx context.Context, storeID int64, a Address) error
	// CreateIntent commits a purchase intent before Amazon is called.
	CreateIntent(ctx context.Context, in PurchaseIntent, packageRef string, format LabelFormat, service string) (PurchaseIntent, error)
	SetIntentState(ctx context.Context, id int64, state IntentState, reason string) error
	// OpenIntents lists pending and unknown intents (orderID 0: all orders).
	OpenIntents(ctx context.Context, orderID int64) ([]OpenIntent, error)
	// SavePurchase stores the shipment and label, closes the intent and marks
	// the order label-bought, in one transaction.
	SavePurchase(ctx context.Context, intent OpenIntent, p Purchased, at time.Time) (Shipment, error)
	LiveShipment(ctx context.Context, orderID int64) (Shipment, error)
	SaveVoid(ctx context.Context, shipmentID int64, at time.Time) error
	// StartVoid marks a void begun before cancelShipment; EndVoid clears
	// it when Amazon did not cancel; VoidsInFlight lists the marked.
	StartVoid(ctx context.Context, shipmentID int64, at time.Time) error
	EndVoid(ctx context.Context, shipmentID int64) error
	VoidsInFlight(ctx context.Context) ([]Shipment, error)
	Label(ctx context.Context, shipmentID int64) (Label, error)
	SaveLabel(ctx context.Context, l Label) error
	// LabelImage and SaveLabelImage keep Amazon's PNG of a label for the
	// preview; it is never printed.
	LabelImage(ctx context.Context, shipmentID int64) (Label, error)
	SaveLabelImage(ctx context.Context, l Label) error
	SetOrderStatus(ctx context.Context, orderID int64, status OrderStatus) error
}

// OpenIntent is an intent with what is needed to replay it.
type OpenIntent struct {
	PurchaseIntent
	PackageRef string
	Format     LabelFormat
	Service    string
}

// WithShipper attaches Buy Shipping.
func (s *Station) WithShipper(sh Shipper) *Station {
	s.shipper = sh
	s.manifests, _ = sh.(Manifests)
	return s
}

// WithPurchaseHook runs hook at each step of a purchase ("intent", "answer",
// "saved"); an error stops the purchase there, as a crash would. For crash tests.
func (s *Station) WithPurchaseHook(hook func(step string) error) *Station {
	s.purchaseHook = hook
	return s
}

func (s *Station) hook(step string) error {
	if s.purchaseHook == nil {
		return nil
	}
	return s.purchaseHook(step)
}

// DefaultBox is the box used when an order has no preset: 10 × 8 × 4 inches.
var DefaultBox = Dimensions{Length: 10, Width: 8, Height: 4, Unit: Inch}

// ErrNoWeight: an order's items are not all weighed and no package weight was given.
var ErrNoWeight = errors.New("has items with no known weight")

// RateChoice is the rates of an order and the one Packbench would buy.
type RateChoice struct {
	Quote   RateQuote
	Package Package
	Pick    *Rate
	Why     string
	// Confirmation is what the matching service mapping asks for, if any.
	Confirmation Confirmation
}

func (s *Station) shippingContext(ctx context.Context, orderID int64) (Order, Store, Credentials, error) {
	if s.shipper == nil {
		return Order{}, Store{}, Credentials{}, errors.New("this build has no Buy Shipping configured")
	}
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return Order{}, Store{}, Credentials{}, err
	}
	st, err := s.repo.GetStore(ctx, o.StoreID)
	if err != nil {
		return Order{}, Store{}, Credentials{}, err
	}
	creds, err := s.StoreCredentials(st)
	return o, st, creds, err
}

// Rates refreshes the order from Amazon (a cancellation since import stops
// here) and returns its rates with the default pick: the cheapest protected
// rate, else the cheapest.
func (s *Station) Rates(ctx context.Context, orderID int64, pkg Package) (RateChoice, error) {
	if err := pkg.Check(); err != nil {
		return RateChoice{}, err
	}
	o, st, creds, err := s.shippingContext(ctx, orderID)
	if err != nil {
		return RateChoice{}, err
	}
	if o, err = s.checkOrder(ctx, st, creds, o); err != nil {
		return RateChoice{}, err
	}
	fromItems := !pkg.Weight.Known()
	if fromItems {
		w, complete := o.Weight()
		if !complete {
			return RateChoice{}, fmt.Errorf("order %s %w: weigh the package or its SKUs first", o.AmazonOrderID, ErrNoWeight)
		}
		pkg.Weight = w
	}
	if pkg, err = s.applyPreset(ctx, pkg, fromItems); err != nil {
		return RateChoice{}, err
	}
	if !pkg.Dimensions.Known() {
		pkg.Dimensions = DefaultBox
	}
	from, err := s.repo.ShipFrom(ctx, st.ID)
	if err != nil {
		return RateChoice{}, fmt.Errorf("store %s has no ship-from address: set it first (packbench ship-from)", st.Name)
	}
	q, err := s.shipper.Rates(ctx, creds, RateRequest{Order: o, Package: pkg, ShipFrom: from, PackageRef: packageRef(o)})
	if err != nil {
		return RateChoice{}, s.whyRefused(ctx, orderID, err)
	}
	choice := RateChoice{Quote: q, Package: pkg}
	choice.Pick, choice.Why = pickRate(q.Rates)
	rules, err := s.repo.ServiceMappings(ctx, st.ID)
	if err != nil {
		return RateChoice{}, err
	}
	if m := mappingFor(rules, o, pkg.Weight); m != nil {
		found := false
		for i := range q.Rates {
			if q.Rates[i].ServiceID == m.ServiceID {
				choice.Pick, choice.Why, choice.Confirmation, found = &q.Rates[i], "your "+m.String(), m.Confirmation, true
			}
		}
		if !found {
			choice.Why = fmt.Sprintf("your %s, but %s is not offered for this package; instead the %s", m, m.ServiceID, choice.Why)
		}
	}
	return choice, nil
}

// plannedOrNewRates is the planned choice when it is young enough and the
// order can still be shipped, else the order's rates now.
func (s *Station) plannedOrNewRates(ctx context.Context, orderID int64, pkg Package, planned *RateChoice) (RateChoice, error) {
	if planned == nil || pkg != (Package{}) || s.now().Sub(planned.Quote.At) >= plannedRateLife {
		return s.Rates(ctx, orderID, pkg)
	}
	o, st, creds, err := s.shippingContext(ctx, orderID)
	if err != nil {
		return RateChoice{}, err
	}
	if _, err := s.checkOrder(ctx, st, creds, o); err != nil {
		return RateChoice{}, err
	}
	return *planned, nil
}

func packageRef(o Order) string { return o.AmazonOrderID + "-1" }

// pickRate is the default: the cheapest rate Amazon's claims protection
// covers (it is only offered when the promise is met), else the cheapest.
func pickRate(rates []Rate) (*Rate, string) {
	if len(rates) == 0 {
		return nil, "no carrier offers a rate for this package"
	}
	sorted := slices.Clone(rates)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Price().Minor < sorted[j].Price().Minor })
	for i := range sorted {
		if sorted[i].Protected && !sorted[i].PaidToCarrier {
			return &sorted[i], "cheapest rate with Amazon's claims protection (it meets the delivery promise)"
		}
	}
	return &sorted[0], "cheapest rate: none has Amazon's claims protection"
}

// BuyChoice says what to buy.
type BuyChoice struct {
	ServiceID    string // empty: the default pick
	Package      Package
	Format       LabelFormat
	Confirmation Confirmation
}

// Check says what is wrong with a choice before anything is bought.
func (c BuyChoice) Check() error {
	if c.Format != "" {
		if _, err := ParseLabelFormat(string(c.Format)); err != nil {
			return err
		}
		if f := LabelFormat(strings.ToUpper(string(c.Format))); f != c.Format {
			return fmt.Errorf("label format %q: write it as %s", c.Format, f)
		}
	}
	if c.Confirmation != "" {
		if got, err := ParseConfirmation(string(c.Confirmation)); err != nil {
			return err
		} else if got != c.Confirmation {
			return fmt.Errorf("delivery confirmation %q: write it as %s", c.Confirmation, got)
		}
	}
	return c.Package.Check()
}

// Check says what is wrong with a package's weight or size: each is either
// not given (zero) or a positive, finite number in a known unit.
func (p Package) Check() error {
	w := p.Weight
	if w.Value != 0 || w.Unit != "" {
		switch {
		case math.IsNaN(w.Value) || math.IsInf(w.Value, 0):
			return fmt.Errorf("package weight %v is not a number", w.Value)
		case w.Value <= 0:
			return fmt.Errorf("package weight %g must be more than 0", w.Value)
		case !w.Known():
			return fmt.Errorf("package weight %g has no known unit (%q)", w.Value, w.Unit)
		}
	}
	d := p.Dimensions
	if d != (Dimensions{}) {
		for _, v := range []float64{d.Length, d.Width, d.Height} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				return fmt.Errorf("box size %g × %g × %g: each side must be a number more than 0", d.Length, d.Width, d.Height)
			}
		}
		if !d.Known() {
			return fmt.Errorf("box size has no known unit (%q)", d.Unit)
		}
	}
	return nil
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Buy buys a label, crash-safe: an open intent of the order is settled with
// Amazon first; a new intent with a fresh idempotency key is committed
// before purchaseShipment; the shipment and label are saved together.
//
// Everything the caller chose is checked before any of that: a purchase
// intent holds only values the database stores, so a label Amazon sold can
// always be saved. The order is claimed first: a second bench (or process)
// buying, voiding or printing it at the same time is told who has it.
func (s *Station) Buy(ctx context.Context, orderID int64, c BuyChoice) (Shipment, error) {
	return s.buy(ctx, orderID, c, nil, false)
}

// boughtElsewhere says whether another bench of a shared queue bought sh.
func (s *Station) boughtElsewhere(sh Shipment) bool { return sh.Bench != "" && sh.Bench != s.benchName }

// hasLabel is the refusal to buy a second label, naming the bench that
// bought the first when it is another (ErrOtherBench).
func (s *Station) hasLabel(sh Shipment) error {
	if s.boughtElsewhere(sh) {
		return fmt.Errorf("%w: order already has a label: bought by %s at %s (%s %s); void it first to buy another",
			ErrOtherBench, sh.Bench, sh.PurchasedAt.Local().Format("15:04"), sh.CarrierName, sh.TrackingID)
	}
	return fmt.Errorf("order already has a label (%s %s): void it first to buy another", sh.CarrierName, sh.TrackingID)
}

// plannedRateLife is how long a bulk ship buys at the rates its plan got:
// Amazon's live 10 minutes, and a purchase must reach Amazon before that.
const plannedRateLife = 8 * time.Minute

// buy is Buy at planned rates, when they are given and young enough. A
// bulk ship's buy leaves an order another bench is taking at once
// (SkipLocked) instead of waiting to hear what it did.
func (s *Station) buy(ctx context.Context, orderID int64, c BuyChoice, planned *RateChoice, bulk bool) (Shipment, error) {
	if err := c.Check(); err != nil {
		return Shipment{}, err
	}
	if err := s.repo.Damage(); err != nil {
		// A label bought now might not be saved: nothing is bought until
		// the database is restored.
		return Shipment{}, fmt.Errorf("no label is bought: %w", err)
	}
	if s.shipper == nil {
		return Shipment{}, errors.New("this build has no Buy Shipping configured")
	}
	if err := s.itemsChecked(ctx, orderID); err != nil {
		return Shipment{}, err
	}
	if sh, err := s.repo.LiveShipment(ctx, orderID); err == nil && s.boughtElsewhere(sh) {
		// Bought on another bench of the queue: said without claiming it.
		return Shipment{}, s.hasLabel(sh)
	}
	claim := s.claimOrder
	if bulk {
		claim = s.claimOrSkip
	}
	release, err := claim(ctx, orderID, "buying a label")
	if err != nil {
		return Shipment{}, err
	}
	defer release()
	if sh, settled, err := s.settleOrder(ctx, orderID); err != nil || settled {
		return sh, err
	}
	if sh, err := s.repo.LiveShipment(ctx, orderID); err == nil {
		return Shipment{}, s.hasLabel(sh)
	}
	choice, err := s.plannedOrNewRates(ctx, orderID, c.Package, planned)
	if err != nil {
		return Shipment{}, err
	}
	rate := choice.Pick
	if c.ServiceID != "" {
		rate = nil
		for i := range choice.Quote.Rates {
			if choice.Quote.Rates[i].ServiceID == c.ServiceID {
				rate = &choice.Quote.Rates[i]
			}
		}
		if rate == nil {
			return Shipment{}, fmt.Errorf("no rate for service %s on this order: packbench rates lists what is offered", c.ServiceID)
		}
	}
	if rate == nil {
		return Shipment{}, errors.New(choice.Why)
	}
	confirmation := c.Confirmation
	if confirmation == "" {
		confirmation = choice.Confirmation
	}
	service, err := valueAddedService(*rate, confirmation)
	if err != nil {
		return Shipment{}, err
	}
	format := c.Format
	if format == "" {
		// Ask Amazon for what the label printer takes.
		format = FormatZPL203
		if pr, ok, err := s.LabelPrinterConfig(ctx); err == nil && ok && pr.Format != "" {
			format = pr.Format.Purchase()
		}
	}
	if !format.Sold() {
		return Shipment{}, fmt.Errorf("label format %q is not one Amazon sells: set the label printer's format again", format)
	}
	o, _ := s.repo.GetOrder(ctx, orderID)
	if err := ctx.Err(); err != nil {
		return Shipment{}, err // stopped before the intent: nothing is bought
	}
	// From the intent on, a stop no longer cuts the purchase short (see purchase).
	ctx = context.WithoutCancel(ctx)
	// The label costs the rate and its value-added service: that is what
	// the shipment records and the cost report sums.
	paid := *rate
	paid.Total = rate.Charge(service)
	intent, err := s.repo.CreateIntent(ctx, PurchaseIntent{OrderID: orderID, IdempotencyKey: newKey(), Rate: paid,
		State: IntentPending, CreatedAt: s.now(), UpdatedAt: s.now()}, packageRef(o), format, service)
	if err != nil {
		return Shipment{}, err
	}
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: orderID, Action: "label purchase started",
		Detail: ServiceLabel(rate.CarrierName, rate.ServiceName) + " " + paid.Total.String()})
	if err := s.hook("intent"); err != nil {
		return Shipment{}, err
	}
	sh, err := s.purchase(ctx, OpenIntent{PurchaseIntent: intent, PackageRef: packageRef(o), Format: format, Service: service})
	if err == nil {
		s.learnWeight(ctx, o, c.Package)
	}
	return sh, err
}

// learnWeight remembers the weight the packer weighed for an order of one
// SKU whose weight was unknown: the next order of that SKU is rated without
// asking, and leaves Needs attention. The box's empty weight, when its
// preset has one, is taken off; a known weight is never overwritten.
func (s *Station) learnWeight(ctx context.Context, o Order, pkg Package) {
	if !pkg.Weight.Known() {
		return
	}
	sku, units := "", 0
	for _, it := range o.Items {
		if it.ToShip() == 0 {
			continue
		}
		if (sku != "" && it.SKU != sku) || it.UnitWeight.Known() {
			return
		}
		sku, units = it.SKU, units+it.ToShip()
	}
	if sku == "" || units == 0 {
		return
	}
	grams := pkg.Weight.Grams()
	if pkg.PresetID != 0 {
		presets, err := s.repo.PackagePresets(ctx)
		if err != nil {
			return
		}
		for _, p := range presets {
			if p.ID == pkg.PresetID && p.Tare.Known() {
				grams -= p.Tare.Grams()
			}
		}
	}
	if grams <= 0 {
		return
	}
	w := Weight{Value: math.Round(grams/float64(units)*10) / 10, Unit: Gram}
	if err := s.RememberWeight(ctx, o.StoreID, sku, w); err != nil {
		s.log.Warn("remember a weighed SKU", "err", err)
		return
	}
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: o.ID, Action: "weight remembered", Detail: sku + " " + w.String() + " a unit"})
}

func valueAddedService(r Rate, c Confirmation) (string, error) {
	want := map[Confirmation]string{ConfirmSignature: "SIGNATURE_CONFIRMATION", ConfirmAdultSignature: "ADULT_SIGNATURE_CONFIRMATION"}[c]
	if want == "" && r.SignatureRequired {
		want = "SIGNATURE_CONFIRMATION" // the order requires one
	}
	if want != "" && !slices.Contains(r.Services, want) {
		return "", fmt.Errorf("%s %s does not offer %s: choose another service", r.CarrierName, r.ServiceName, c)
	}
	return want, nil
}

// purchaseGrace bounds a purchase call that a stop does not cut short:
// the Amazon client's own timeouts and retries end well before it.
const purchaseGrace = 3 * time.Minute

// purchase calls Amazon for an intent and records the outcome.
func (s *Station) purchase(ctx context.Context, in OpenIntent) (Shipment, error) {
	// Money in flight: once the intent is written, a stop (Ctrl+C, the
	// window closing) lets the purchase finish and its label be saved,
	// within purchaseGrace; an intent is never left half-way by a stop.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), purchaseGrace)
	defer cancel()
	creds, err := s.credsForOrder(ctx, in.OrderID)
	if err != nil {
		return Shipment{}, err
	}
	p, err := s.shipper.Purchase(ctx, creds, PurchaseRequest{Rate: in.Rate, IdempotencyKey: in.IdempotencyKey, Format: in.Format, Service: in.Service})
	if err != nil {
		state := IntentUnknown
		if errors.Is(err, ErrPurchaseRefused) || errors.Is(err, ErrRateExpired) {
			state = IntentFailed
		}
		_ = s.repo.SetIntentState(ctx, in.ID, state, err.Error())
		if errors.Is(err, ErrPurchaseRefused) {
			err = s.whyRefused(ctx, in.OrderID, err)
		}
		return Shipment{}, err
	}
	if err := s.hook("answer"); err != nil {
		return Shipment{}, err
	}
	sh, err := s.repo.SavePurchase(ctx, in, p, s.now())
	if err != nil {
		return Shipment{}, fmt.Errorf("the label was bought (tracking %s) but could not be saved: %w; it is recovered at the next start", p.TrackingID, err)
	}
	s.audit(ctx, AuditEntry{OrderID: in.OrderID, Action: "label bought", Detail: sh.CarrierName + " " + sh.TrackingID})
	if err := s.hook("saved"); err != nil {
		return sh, err
	}
	return sh, nil
}

func (s *Station) credsForOrder(ctx context.Context, orderID int64) (Credentials, error) {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return Credentials{}, err
	}
	st, err := s.repo.GetStore(ctx, o.StoreID)
	if err != nil {
		return Credentials{}, err
	}
	return s.StoreCredentials(st)
}

// settleOrder replays an order's open intents with their own keys: Amazon
// returns the label it sold, or refuses (nothing was sold).
func (s *Station) settleOrder(ctx context.Context, orderID int64) (Shipment, bool, error) {
	open, err := s.repo.OpenIntents(ctx, orderID)
	if err != nil {
		return Shipment{}, false, err
	}
	for _, in := range open {
		sh, err := s.purchase(ctx, in)
		switch {
		case err == nil:
			return sh, true, nil
		case errors.Is(err, ErrPurchaseRefused), errors.Is(err, ErrRateExpired):
			continue // nothing was sold under that key
		default:
			return Shipment{}, false, err
		}
	}
	return Shipment{}, false, nil
}

// Reconcile settles every unfinished purchase that no other bench is
// working on; the app runs it at start-up and every headless command that
// reaches Amazon runs it first, so a label sold but not saved is never
// left unknown.
func (s *Station) Reconcile(ctx context.Context) (recovered int, err error) {
	if s.shipper == nil {
		return 0, nil
	}
	open, err := s.repo.OpenIntents(ctx, 0)
	if err != nil {
		return 0, err
	}
	seen := map[int64]bool{}
	var errs []error
	if _, err := s.settleVoids(ctx); err != nil {
		errs = append(errs, err)
	}
	for _, in := range open {
		if seen[in.OrderID] {
			continue
		}
		seen[in.OrderID] = true
		release, err := s.claimOrder(ctx, in.OrderID, "settling a label purchase")
		if errors.Is(err, ErrOrderBusy) {
			continue // the bench that holds it settles it
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		_, settled, err := s.settleOrder(ctx, in.OrderID)
		release()
		if err != nil {
			errs = append(errs, err)
		}
		if settled {
			recovered++
		}
	}
	return recovered, errors.Join(errs...)
}

// settledFirst claims an order and settles its unfinished purchases with
// Amazon before what would touch it: voiding, printing, confirming by hand.
// A label Amazon sold but Packbench did not save is saved first; when
// Amazon cannot be asked, the action is refused with the reason.
func (s *Station) settledFirst(ctx context.Context, orderID int64, what string) (release func(), err error) {
	release, err = s.claimOrder(ctx, orderID, what)
	if err != nil {
		return nil, err
	}
	if s.shipper == nil {
		return release, nil
	}
	if _, _, err := s.settleOrder(ctx, orderID); err != nil {
		release()
		return nil, fmt.Errorf("a label purchase of this order is unsettled and Amazon could not be asked about it (%w): try again when Amazon answers", err)
	}
	return release, nil
}

// Void cancels an order's label and puts the order back to Ready to Pick.
func (s *Station) Void(ctx context.Context, orderID int64) error {
	if s.shipper == nil {
		return errors.New("this build has no Buy Shipping configured")
	}
	release, err := s.settledFirst(ctx, orderID, "voiding the label")
	if err != nil {
		return err
	}
	defer release()
	sh, err := s.repo.LiveShipment(ctx, orderID)
	if err != nil {
		return errors.New("this order has no label to void")
	}
	creds, err := s.credsForOrder(ctx, orderID)
	if err != nil {
		return err
	}
	// Marked first: if this process dies after Amazon cancelled the label
	// and before the void is saved, the next start asks Amazon and saves it.
	if err := s.repo.StartVoid(ctx, sh.ID, s.now()); err != nil {
		return err
	}
	// Like a purchase, a void in flight finishes when the app is stopped.
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), purchaseGrace)
	defer cancel()
	if err := s.shipper.Cancel(vctx, creds, sh.AmazonShipmentID); err != nil {
		if !errors.Is(err, ErrVoidRefused) {
			return err // no answer: the mark stays, settled with Amazon later
		}
		// Refused: maybe because an earlier void, cut short, did cancel it.
		if gone, cerr := s.cancelled(vctx, creds, sh); cerr == nil && gone {
			return s.saveVoid(ctx, sh)
		}
		_ = s.repo.EndVoid(ctx, sh.ID)
		return fmt.Errorf("%w: the carrier has picked it up or its window to cancel has passed; ask %s for a refund in Seller Central", err, sh.CarrierName)
	}
	return s.saveVoid(ctx, sh)
}

func (s *Station) saveVoid(ctx context.Context, sh Shipment) error {
	if err := s.repo.SaveVoid(context.WithoutCancel(ctx), sh.ID, s.now()); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{OrderID: sh.OrderID, Action: "label voided", Detail: sh.TrackingID})
	return nil
}

// settleVoids asks Amazon about voids a stopped Packbench left marked: a
// label Amazon cancelled is saved as voided, one it did not stays live.
func (s *Station) settleVoids(ctx context.Context) (settled int, err error) {
	marked, err := s.repo.VoidsInFlight(ctx)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, sh := range marked {
		release, err := s.claimOrder(ctx, sh.OrderID, "settling a void")
		if errors.Is(err, ErrOrderBusy) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		creds, err := s.credsForOrder(ctx, sh.OrderID)
		var gone bool
		if err == nil {
			gone, err = s.cancelled(ctx, creds, sh)
		}
		switch {
		case err != nil:
			errs = append(errs, err)
		case gone:
			if err := s.saveVoid(ctx, sh); err != nil {
				errs = append(errs, err)
			} else {
				settled++
			}
		default:
			if err := s.repo.EndVoid(ctx, sh.ID); err != nil {
				errs = append(errs, err)
			}
		}
		release()
	}
	return settled, errors.Join(errs...)
}

// LabelFor returns an order's live label: the stored one, or Amazon's again
// (getShipmentDocuments) when the stored one is gone.
func (s *Station) LabelFor(ctx context.Context, orderID int64, f LabelFormat) (Label, Shipment, error) {
	release, err := s.settledFirst(ctx, orderID, "printing the label")
	if err != nil {
		return Label{}, Shipment{}, err
	}
	defer release()
	return s.labelFor(ctx, orderID, f)
}

// labelFor is LabelFor for a caller that holds the order.
func (s *Station) labelFor(ctx context.Context, orderID int64, f LabelFormat) (Label, Shipment, error) {
	sh, err := s.repo.LiveShipment(ctx, orderID)
	if err != nil {
		return Label{}, Shipment{}, errors.New("this order has no label")
	}
	if l, err := s.repo.Label(ctx, sh.ID); err == nil && len(l.Contents) > 0 && (f == "" || l.Format == f) {
		return l, sh, nil
	}
	if f == "" {
		f = FormatZPL203
	}
	creds, err := s.credsForOrder(ctx, orderID)
	if err != nil {
		return Label{}, sh, err
	}
	doc, err := s.shipper.Documents(ctx, creds, sh.AmazonShipmentID, sh.PackageClientRefID, f)
	if err != nil {
		return Label{}, sh, fmt.Errorf("the stored label is gone and Amazon could not send it again: %w", err)
	}
	l := Label{ShipmentID: sh.ID, Format: f, Contents: doc, CreatedAt: s.now()}
	if o, err := s.repo.GetOrder(ctx, orderID); err != nil || !o.RedactedAt.IsZero() {
		// The buyer's data was erased or redacted: the label Amazon sent
		// again is printed, never stored.
		return l, sh, nil
	}
	if err := s.repo.SaveLabel(ctx, l); err != nil {
		return Label{}, sh, err
	}
	return l, sh, nil
}

// ShipFrom is a store's ship-from address (ErrNotFound when none is set).
func (s *Station) ShipFrom(ctx context.Context, storeID int64) (Address, error) {
	return s.repo.ShipFrom(ctx, storeID)
}

// SetShipFrom saves a store's ship-from address.
func (s *Station) SetShipFrom(ctx context.Context, storeID int64, a Address) error {
	if a.Name == "" || a.Line1 == "" || a.City == "" || a.PostalCode == "" || a.CountryCode == "" {
		return errors.New("a ship-from address needs a name, a street, a city, a postal code and a country")
	}
	a.CountryCode = strings.ToUpper(strings.TrimSpace(a.CountryCode))
	if !isCountryCode(a.CountryCode) {
		return fmt.Errorf("country %q is not an ISO 3166 country code: give two letters such as US, GB (the United Kingdom) or DE", a.CountryCode)
	}
	return s.repo.SetShipFrom(ctx, storeID, a)
}

// ErrNotStarted marks an order a stopped bulk ship did not get to.
var ErrNotStarted = errors.New("not started: the bulk ship was stopped")

// BulkResult is one order's outcome in a bulk ship.
type BulkResult struct {
	OrderID  int64
	Shipment Shipment
	Err      error
}

// BulkConcurrency is how many purchases a bulk ship keeps in flight. The
// store's rate limiter paces the calls (getRates and purchaseShipment allow
// 80 a second each, in bursts of 100); enough purchases are in flight to
// keep those buckets busy while Amazon answers, a few hundred milliseconds
// each.
const BulkConcurrency = 32

// BuyAll buys labels for many orders at once: each store's orders are
// swept for cancellations first (one searchOrders, see Sweep), then bought
// concurrently. Each order gets its own result; one failure never stops
// the others. concurrency 0 means BulkConcurrency.
func (s *Station) BuyAll(ctx context.Context, orderIDs []int64, c BuyChoice, concurrency int) []BulkResult {
	return s.buyAll(ctx, orderIDs, c, concurrency, nil, nil)
}

// sweepStores sweeps the stores of the orders, each once. A store whose
// sweep fails has its orders checked one by one (getOrder) instead.
func (s *Station) sweepStores(ctx context.Context, orderIDs []int64) {
	stores := map[int64]bool{}
	for _, id := range orderIDs {
		if o, err := s.repo.GetOrder(ctx, id); err == nil {
			stores[o.StoreID] = true
		}
	}
	for id := range stores {
		if err := s.Sweep(ctx, id); err != nil {
			s.log.Warn("bulk ship: sweeping the store's orders failed; checking them one by one", "store", id, "err", err)
		}
	}
}

// buyAll is BuyAll at planned rates (when given) that reports each order as
// it ends (from any goroutine).
func (s *Station) buyAll(ctx context.Context, orderIDs []int64, c BuyChoice, concurrency int, planned map[int64]RateChoice, ended func(BulkResult)) []BulkResult {
	if concurrency <= 0 {
		concurrency = BulkConcurrency
	}
	if s.shipper != nil && s.source != nil {
		s.sweepStores(ctx, orderIDs)
	}
	results := make([]BulkResult, len(orderIDs))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	// Benches bulk shipping one queue together split the orders: each
	// starts at its own place in the list (by its name), takes what no
	// other bench has claimed and leaves the rest (ErrOtherBench).
	start := 0
	if s.benchName != "" && len(orderIDs) > 0 {
		h := fnv.New32a()
		h.Write([]byte(s.benchName))
		start = int(h.Sum32() % uint32(len(orderIDs)))
	}
	for k := range orderIDs {
		i := (start + k) % len(orderIDs)
		id := orderIDs[i]
		// Stopped (Ctrl+C, the window closed): the orders not started are
		// left alone; those in flight finish their purchase.
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			results[i] = BulkResult{OrderID: id, Err: fmt.Errorf("%w: %w", ErrNotStarted, ctx.Err())}
			continue
		}
		var plan *RateChoice
		if p, ok := planned[id]; ok {
			plan = &p
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			sh, err := s.buy(ctx, id, c, plan, true)
			results[i] = BulkResult{OrderID: id, Shipment: sh, Err: err}
			if ended != nil {
				ended(results[i])
			}
		}()
	}
	wg.Wait()
	return results
}

// LabelPrinter sends a label to a printer (p is zero when none is set up:
// the default folder). For a folder printer it returns the file written,
// which erase and redaction remove.
type LabelPrinter interface {
	PrintLabel(ctx context.Context, p Printer, name string, l Label) (file string, err error)
}

// WithLabelPrinter attaches the label printer.
func (s *Station) WithLabelPrinter(p LabelPrinter) *Station {
	s.printer = p
	return s
}

// PrintLabel queues an order's live label for the label printer and sends
// it. A printer that is off keeps the job queued (ErrQueued): it prints when
// the printer is back, once. Printing again is always an explicit new job.
//
// On a shared queue that cannot be reached, the label this bench printed
// last is printed again from its cache (ReprintCached); the error says the
// queue is away and that it printed.
func (s *Station) PrintLabel(ctx context.Context, orderID int64) error {
	pr, _, err := s.LabelPrinterConfig(ctx)
	if err == nil {
		err = s.PrintLabelOn(ctx, orderID, pr)
	}
	if err == nil {
		return nil
	}
	if away := s.unreachable(ctx); away != nil {
		if cerr := s.ReprintCached(ctx, orderID, ""); cerr != nil {
			return fmt.Errorf("%w; no label of this order in this bench's cache to reprint (%v)", away, cerr)
		}
		return fmt.Errorf("%w: %w", ErrPrintedFromCache, away)
	}
	return err
}

// ErrPrintedFromCache: the label printed, from this bench's cache, the
// shared queue being unreachable.
var ErrPrintedFromCache = errors.New("printed from this bench's label cache")

// PrintLabelOn prints an order's label on a given printer (the zero
// Printer is the default labels folder), through the queue like PrintLabel.
func (s *Station) PrintLabelOn(ctx context.Context, orderID int64, pr Printer) error {
	if s.printer == nil {
		return errors.New("no label printer is set up")
	}
	release, err := s.settledFirst(ctx, orderID, "printing the label")
	if err != nil {
		return err
	}
	defer release()
	if _, err := s.repo.LiveShipment(ctx, orderID); err != nil {
		return errors.New("this order has no label")
	}
	return s.queueAndPrint(ctx, orderID, pr, DocLabel)
}

// MarkShipped confirms on Amazon an order shipped outside Buy Shipping and
// moves it to Shipped here. It is refused for an order with a Buy Shipping
// label: Amazon confirmed that one already.
func (s *Station) MarkShipped(ctx context.Context, orderID int64, m ManualShipment) error {
	o, _, creds, err := s.shippingContext(ctx, orderID)
	if err != nil {
		return err
	}
	release, err := s.settledFirst(ctx, orderID, "confirming the shipment")
	if err != nil {
		return err
	}
	defer release()
	if sh, err := s.repo.LiveShipment(ctx, orderID); err == nil {
		return fmt.Errorf("this order has a label bought through Amazon (%s %s), which confirmed the shipment already: void it first to ship another way", sh.CarrierName, sh.TrackingID)
	}
	m.TrackingNumber, m.CarrierCode = strings.TrimSpace(m.TrackingNumber), strings.TrimSpace(m.CarrierCode)
	switch {
	case m.TrackingNumber == "" || m.CarrierCode == "":
		return errors.New("a carrier and a tracking number are needed to confirm a shipment")
	case m.CarrierCode == "Other" && strings.TrimSpace(m.CarrierName) == "":
		return errors.New("with carrier Other, give the carrier's name")
	case o.AmazonStatus == AmazonCancelled:
		return fmt.Errorf("order %s %w", o.AmazonOrderID, ErrOrderCancelled)
	}
	if m.PackageReferenceID == "" {
		m.PackageReferenceID = "1"
	}
	if m.ShipDate.IsZero() {
		m.ShipDate = s.now()
	}
	if err := s.shipper.ConfirmShipment(ctx, creds, o, m); err != nil {
		return fmt.Errorf("Amazon did not take the shipment confirmation: %w", err)
	}
	if err := s.repo.SetOrderStatus(ctx, orderID, StatusShipped); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: orderID, Action: "shipment confirmed", Detail: m.CarrierCode + " " + m.TrackingNumber})
	return nil
}

// isCountryCode says whether s is an ISO 3166-1 alpha-2 code of a country
// (not a reserved or user-assigned one such as ZZ or XA).
func isCountryCode(s string) bool {
	if len(s) != 2 || strings.ToUpper(s) != s || s == "UK" { // the United Kingdom is GB
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry() && r.String() == s
}

// cancelled asks Amazon whether a label was cancelled (getTracking's
// PickupCancelled).
func (s *Station) cancelled(ctx context.Context, c Credentials, sh Shipment) (bool, error) {
	t, err := s.shipper.Track(ctx, c, sh)
	return t.Parcel() == ParcelCancelled, err
}
