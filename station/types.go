package station

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// AuthKind is how a store was connected (docs/architecture.md, "Connecting stores").
type AuthKind string

const (
	AuthBroker AuthKind = "broker"  // Login with Amazon through our auth broker
	AuthOwnApp AuthKind = "own_app" // the seller's own developer app and refresh token
	AuthDemo   AuthKind = "demo"    // the built-in Amazon simulator
)

// Health is the traffic light a store shows in the sidebar.
type Health string

const (
	HealthGreen Health = "green" // connected, last import succeeded
	HealthAmber Health = "amber" // connected, last import failed or is overdue
	HealthRed   Health = "red"   // authorization lost: reauthorize
)

// ProductIdentifier chooses what the store shows and maps by.
type ProductIdentifier string

const (
	BySKU  ProductIdentifier = "sku"
	ByASIN ProductIdentifier = "asin"
)

// Store is one connected Amazon seller account in one region. Its secrets
// (refresh token, client secret) never live here: they are in the keychain.
type Store struct {
	ID               int64         `json:"id"`
	Name             string        `json:"name"`
	Region           Region        `json:"region"`
	SellingPartnerID string        `json:"sellingPartnerId"`
	Auth             AuthKind      `json:"auth"`
	Health           Health        `json:"health"`
	HealthReason     string        `json:"healthReason,omitempty"`
	ClientID         string        `json:"clientId,omitempty"` // own app's LWA client id (not a secret)
	MarketplaceIDs   []string      `json:"marketplaceIds"`
	Settings         StoreSettings `json:"settings"`
	LastImportAt     time.Time     `json:"lastImportAt,omitzero"` // last successful import
	LastImportError  string        `json:"lastImportError,omitempty"`
	CreatedAt        time.Time     `json:"createdAt"`
	AuthorizedAt     time.Time     `json:"authorizedAt,omitzero"`
	DisconnectedAt   time.Time     `json:"disconnectedAt,omitzero"`
}

// ReauthorizeBy is when a public app's authorization runs out (365 days
// after it was granted); zero for own-app and demo stores.
func (s Store) ReauthorizeBy() time.Time {
	if s.Auth != AuthBroker || s.AuthorizedAt.IsZero() {
		return time.Time{}
	}
	return s.AuthorizedAt.Add(ReauthorizeAfter)
}

// StoreSettings are the per-store choices a seller makes; every field has a
// documented default (DefaultStoreSettings) so a new store works at once.
type StoreSettings struct {
	ImportEveryMinutes int               `json:"importEveryMinutes"`
	ImportDays         int               `json:"importDays"`
	ImportWeights      bool              `json:"importWeights"`
	Identifier         ProductIdentifier `json:"identifier"`
	RetentionDays      int               `json:"retentionDays"` // days after delivery; DPP caps it at 30
	// Units the bench weighs and measures in; "" chooses by marketplace (Store.Units).
	Units Units `json:"units,omitempty"`
	// Verify is whether the packer scans every item before the label.
	Verify VerifyMode `json:"verify,omitempty"`
}

// MaxRetentionDays is Amazon's Data Protection Policy ceiling.
const MaxRetentionDays = 30

// DefaultStoreSettings are the defaults the README promises.
func DefaultStoreSettings() StoreSettings {
	return StoreSettings{ImportEveryMinutes: 15, ImportDays: 7, ImportWeights: true, Identifier: BySKU, RetentionDays: MaxRetentionDays}
}

// Address is a postal address. Ship-to addresses are buyers' personal data:
// LogValue keeps them out of logs whatever a caller passes to slog.
type Address struct {
	Name        string `json:"name,omitempty"`
	Company     string `json:"company,omitempty"`
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	Line3       string `json:"line3,omitempty"`
	City        string `json:"city,omitempty"`
	District    string `json:"district,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Email       string `json:"email,omitempty"`
	Residential bool   `json:"residential,omitempty"`
}

// LogValue implements slog.LogValuer: only the country is ever logged.
func (a Address) LogValue() slog.Value {
	return slog.GroupValue(slog.String("country", a.CountryCode), slog.String("detail", "[redacted]"))
}

// AmazonStatus is the order's fulfillment status on Amazon (Orders API 2026-01-01).
type AmazonStatus string

const (
	AmazonPendingAvailability AmazonStatus = "PENDING_AVAILABILITY"
	AmazonPending             AmazonStatus = "PENDING"
	AmazonUnshipped           AmazonStatus = "UNSHIPPED"
	AmazonPartiallyShipped    AmazonStatus = "PARTIALLY_SHIPPED"
	AmazonShipped             AmazonStatus = "SHIPPED"
	AmazonCancelled           AmazonStatus = "CANCELLED"
	AmazonUnfulfillable       AmazonStatus = "UNFULFILLABLE"
)

// OrderStatus is where the order is on this bench.
type OrderStatus string

const (
	StatusReady       OrderStatus = "ready"        // Ready to Pick / ship
	StatusLabelBought OrderStatus = "label_bought" // a live label exists
	StatusShipped     OrderStatus = "shipped"      // with the carrier (its first scan), or shipped on Amazon
	StatusDelivered   OrderStatus = "delivered"    // the carrier delivered it
	StatusCancelled   OrderStatus = "cancelled"    // cancelled on Amazon
)

// OrderStatuses lists the bench statuses in the order the tabs show them.
func OrderStatuses() []OrderStatus {
	return []OrderStatus{StatusReady, StatusLabelBought, StatusShipped, StatusDelivered, StatusCancelled}
}

// Title is the word the UI and the CLI show for a status.
func (s OrderStatus) Title() string {
	switch s {
	case StatusReady:
		return "Ready to ship"
	case StatusLabelBought:
		return "Label bought"
	case StatusShipped:
		return "Shipped"
	case StatusDelivered:
		return "Delivered"
	case StatusCancelled:
		return "Cancelled"
	}
	return string(s)
}

// Window is a time range Amazon promises or requires (ship-by, deliver-by).
type Window struct {
	Earliest time.Time `json:"earliest,omitzero"`
	Latest   time.Time `json:"latest,omitzero"`
}

// Order is an Amazon order as the bench sees it. Times are UTC.
type Order struct {
	ID            int64        `json:"-"` // local row id
	StoreID       int64        `json:"storeId"`
	AmazonOrderID string       `json:"amazonOrderId"`
	MarketplaceID string       `json:"marketplaceId"`
	PurchasedAt   time.Time    `json:"purchasedAt"`
	LastUpdatedAt time.Time    `json:"lastUpdatedAt"` // Amazon's lastUpdatedTime
	AmazonStatus  AmazonStatus `json:"amazonStatus"`
	Status        OrderStatus  `json:"status"`
	ServiceLevel  string       `json:"serviceLevel,omitempty"` // Amazon's fulfillmentServiceLevel
	ShipBy        Window       `json:"shipBy,omitzero"`
	DeliverBy     Window       `json:"deliverBy,omitzero"`
	Prime         bool         `json:"prime"`
	Business      bool         `json:"business"`
	Total         Money        `json:"total,omitzero"`
	Items         []Item       `json:"items"`
	// Personal data: kept apart so redaction (docs/architecture.md, "Buyers' data") can wipe it in one place.
	BuyerName string  `json:"-"`
	ShipTo    Address `json:"-"`
	// RedactedAt is set once the buyer's personal data has been wiped.
	RedactedAt time.Time `json:"redactedAt,omitzero"`
	// PIIUnreadable: the buyer's data is stored but its key is lost.
	PIIUnreadable bool `json:"piiUnreadable,omitempty"`
}

// LogValue implements slog.LogValuer: an order is logged by its ids and
// states, never its buyer, address or items.
func (o Order) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", o.ID), slog.String("amazonOrderId", o.AmazonOrderID),
		slog.String("marketplace", o.MarketplaceID), slog.String("status", string(o.Status)))
}

// ToShip is how many units of the item are still to ship.
func (it Item) ToShip() int {
	if it.Cancelled {
		return 0
	}
	return max(0, it.Quantity-it.Shipped)
}

// Weight is the sum of the known weights of the units still to ship, and
// whether every such item had one.
func (o Order) Weight() (total Weight, complete bool) {
	units := 0
	complete = true
	var grams float64
	for _, it := range o.Items {
		if it.ToShip() == 0 {
			continue
		}
		units += it.ToShip()
		if !it.UnitWeight.Known() {
			complete = false
			continue
		}
		grams += it.UnitWeight.Grams() * float64(it.ToShip())
	}
	complete = complete && units > 0
	if grams == 0 {
		return Weight{}, false
	}
	return Weight{Value: grams, Unit: Gram}, complete
}

// Item is one order line.
type Item struct {
	OrderItemID string    `json:"orderItemId"`
	SKU         string    `json:"sku"`
	ASIN        string    `json:"asin,omitempty"`
	Title       string    `json:"title"`
	Quantity    int       `json:"quantity"`
	Shipped     int       `json:"shipped,omitempty"` // units already shipped
	UnitPrice   Money     `json:"unitPrice,omitzero"`
	UnitWeight  Weight    `json:"unitWeight,omitzero"` // from the SKU table, when known
	GiftMessage string    `json:"-"`                   // personal data
	Cancelled   bool      `json:"cancelled,omitempty"`
	UpdatedAt   time.Time `json:"-"`
}

// Confirmation is the delivery confirmation a seller asks for.
type Confirmation string

const (
	ConfirmNone           Confirmation = "none"
	ConfirmSignature      Confirmation = "signature"
	ConfirmAdultSignature Confirmation = "adult_signature"
)

// ParseConfirmation reads a delivery confirmation: none, signature or
// adult_signature (any case; "" is none).
func ParseConfirmation(s string) (Confirmation, error) {
	c := Confirmation(strings.ToLower(strings.TrimSpace(s)))
	switch c {
	case "":
		return ConfirmNone, nil
	case ConfirmNone, ConfirmSignature, ConfirmAdultSignature:
		return c, nil
	}
	return "", fmt.Errorf("unknown delivery confirmation %q: choose none, signature or adult_signature", s)
}

// Package is the box a label is bought for (Shipping API v2: one package per shipment).
type Package struct {
	Weight       Weight       `json:"weight"`
	Dimensions   Dimensions   `json:"dimensions"`
	Confirmation Confirmation `json:"confirmation"`
	InsuredValue Money        `json:"insuredValue,omitzero"`
	PresetID     int64        `json:"presetId,omitempty"`
}

// PackagePreset is a box the seller defines once and picks by name.
type PackagePreset struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Dimensions Dimensions `json:"dimensions"`
	Tare       Weight     `json:"tare,omitzero"`
}

// SKUProfile remembers what a packer (or the catalog) said about a SKU.
type SKUProfile struct {
	StoreID    int64      `json:"storeId"`
	SKU        string     `json:"sku"`
	Weight     Weight     `json:"weight,omitzero"`
	Dimensions Dimensions `json:"dimensions,omitzero"`
	Source     string     `json:"source"` // "packer" or "catalog"
	UpdatedAt  time.Time  `json:"updatedAt"`
}

// Rate is one price Amazon offers for a package (Shipping API v2 getRates).
type Rate struct {
	RequestToken  string    `json:"requestToken"`
	RateID        string    `json:"rateId"`
	CarrierID     string    `json:"carrierId"`
	CarrierName   string    `json:"carrierName"`
	ServiceID     string    `json:"serviceId"`
	ServiceName   string    `json:"serviceName"`
	Total         Money     `json:"total"`
	PickupBy      Window    `json:"pickupBy,omitzero"`
	DeliverBy     Window    `json:"deliverBy,omitzero"`
	Protected     bool      `json:"protected"`     // CLAIMS_PROTECTED included
	PaidToCarrier bool      `json:"paidToCarrier"` // seller's own carrier contract
	ExpiresAt     time.Time `json:"expiresAt"`     // rate tokens live 10 minutes
	Ineligible    string    `json:"ineligible,omitempty"`
	// Services are the value-added services (signature...) this rate allows,
	// and ServiceCosts what each adds to Total.
	Services     []string         `json:"services,omitempty"`
	ServiceCosts map[string]Money `json:"serviceCosts,omitempty"`
	// SignatureRequired: the order needs a signature service with this rate.
	SignatureRequired bool `json:"signatureRequired,omitempty"`
}

// Charge is what buying the rate with a value-added service ("" for none)
// costs: its total and the service's cost.
func (r Rate) Charge(service string) Money {
	m := r.Total
	if c, ok := r.ServiceCosts[service]; ok && c.Currency == m.Currency {
		m.Minor += c.Minor
	}
	return m
}

// Price is what the label costs bought as the order needs it: the rate,
// and the signature it requires, if it does. Rates are shown, compared and
// summed at this price.
func (r Rate) Price() Money {
	if r.SignatureRequired {
		return r.Charge("SIGNATURE_CONFIRMATION")
	}
	return r.Total
}

// IntentState tracks a label purchase across a crash (docs/architecture.md, "Buying a label").
type IntentState string

const (
	IntentPending   IntentState = "pending"   // written before purchaseShipment is called
	IntentPurchased IntentState = "purchased" // Amazon answered with a shipment
	IntentFailed    IntentState = "failed"    // Amazon said no: no money spent
	IntentUnknown   IntentState = "unknown"   // outcome unknown: reconcile before buying again
)

// PurchaseIntent is committed before money may be spent.
type PurchaseIntent struct {
	ID             int64       `json:"id"`
	OrderID        int64       `json:"orderId"`
	IdempotencyKey string      `json:"idempotencyKey"`
	Rate           Rate        `json:"rate"`
	State          IntentState `json:"state"`
	Error          string      `json:"error,omitempty"`
	CreatedAt      time.Time   `json:"createdAt"`
	UpdatedAt      time.Time   `json:"updatedAt"`
}

// ShipmentStatus is the life of a bought label.
type ShipmentStatus string

const (
	ShipmentPurchased ShipmentStatus = "purchased"
	ShipmentVoided    ShipmentStatus = "voided"
)

// Shipment is a label bought through Amazon.
type Shipment struct {
	ID                 int64          `json:"id"`
	OrderID            int64          `json:"orderId"`
	IntentID           int64          `json:"intentId"`
	AmazonShipmentID   string         `json:"amazonShipmentId"`
	PackageClientRefID string         `json:"packageClientReferenceId"`
	TrackingID         string         `json:"trackingId"`
	CarrierID          string         `json:"carrierId"`
	CarrierName        string         `json:"carrierName"`
	ServiceID          string         `json:"serviceId"`
	ServiceName        string         `json:"serviceName"`
	Cost               Money          `json:"cost"`
	Status             ShipmentStatus `json:"status"`
	PurchasedAt        time.Time      `json:"purchasedAt"`
	VoidedAt           time.Time      `json:"voidedAt,omitzero"`
	// Bench is the bench that bought it, where benches share one queue.
	Bench string `json:"bench,omitempty"`
}

// LabelFormat is what a printer takes.
type LabelFormat string

const (
	FormatZPL203 LabelFormat = "ZPL203"
	FormatZPL300 LabelFormat = "ZPL300"
	FormatPDF    LabelFormat = "PDF" // a 4x6 page
	FormatPNG    LabelFormat = "PNG"
	// Printer formats only: office printers get the 4x6 label at true size
	// on a sheet, and packing slips and pick lists laid out for the sheet.
	FormatPDFLetter LabelFormat = "PDF_LETTER"
	FormatPDFA4     LabelFormat = "PDF_A4"
	// A document format only: whole sheets as images, which Windows draws
	// for an office printer (a pick list; Packbench ships no PDF renderer
	// to hand Windows a PDF). Never stored, never a printer's setting.
	FormatPages LabelFormat = "PAGES"
)

// Purchase is the format to ask Amazon for so that a printer of format f
// needs no conversion, or the least: a sheet printer gets a PNG, which is
// placed at true size on the page.
func (f LabelFormat) Purchase() LabelFormat {
	switch f {
	case FormatPDFLetter, FormatPDFA4:
		return FormatPNG
	case "":
		return FormatZPL203
	}
	return f
}

// PurchaseFormats are the label formats Amazon sells (and the database
// stores); printer-only formats are turned into one of these by Purchase.
var PurchaseFormats = []LabelFormat{FormatZPL203, FormatZPL300, FormatPDF, FormatPNG}

// PrinterFormats are the formats a printer can be set to take.
var PrinterFormats = []LabelFormat{FormatZPL203, FormatZPL300, FormatPDF, FormatPDFLetter, FormatPDFA4, FormatPNG}

// Sold says whether Amazon sells labels in this format.
func (f LabelFormat) Sold() bool { return slices.Contains(PurchaseFormats, f) }

// ParseLabelFormat reads a label format to buy (any case): ZPL203, ZPL300,
// PDF or PNG. A printer's format (PDF_LETTER, PDF_A4) is not one: Amazon
// sells the label, the printer setting lays it on a sheet.
func ParseLabelFormat(s string) (LabelFormat, error) {
	f := LabelFormat(strings.ToUpper(strings.TrimSpace(s)))
	if f.Sold() {
		return f, nil
	}
	if slices.Contains(PrinterFormats, f) {
		return "", fmt.Errorf("label format %q is a printer setting, not a label Amazon sells: buy ZPL203, ZPL300, PDF or PNG (a sheet printer prints the PNG)", s)
	}
	return "", fmt.Errorf("unknown label format %q: choose ZPL203, ZPL300, PDF or PNG", s)
}

// ParsePrinterFormat reads the format a printer takes (any case).
func ParsePrinterFormat(s string) (LabelFormat, error) {
	f := LabelFormat(strings.ToUpper(strings.TrimSpace(s)))
	if slices.Contains(PrinterFormats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown printer format %q: choose ZPL203, ZPL300, PDF, PDF_LETTER, PDF_A4 or PNG", s)
}

// IsSheet says whether the format is an office sheet (Letter or A4).
func (f LabelFormat) IsSheet() bool { return f == FormatPDFLetter || f == FormatPDFA4 }

// IsZPL says whether a printer of this format speaks ZPL.
func (f LabelFormat) IsZPL() bool { return f == FormatZPL203 || f == FormatZPL300 }

// DPI is a ZPL format's resolution (203 for anything else).
func (f LabelFormat) DPI() int {
	if f == FormatZPL300 {
		return 300
	}
	return 203
}

// Label is a label document; its bytes carry the buyer's address.
type Label struct {
	ID         int64       `json:"id"`
	ShipmentID int64       `json:"shipmentId"`
	Format     LabelFormat `json:"format"`
	Contents   []byte      `json:"-"`
	CreatedAt  time.Time   `json:"createdAt"`
}

// PrinterKind names how bytes reach a printer (docs/architecture.md, "Printing").
type PrinterKind string

const (
	PrinterCUPS    PrinterKind = "cups"
	PrinterRaw9100 PrinterKind = "raw9100"
	PrinterWindows PrinterKind = "windows"
	PrinterFolder  PrinterKind = "folder"
)

// Printer is a configured printer.
type Printer struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	Kind    PrinterKind `json:"kind"`
	Address string      `json:"address"` // queue name, host:port, or folder path
	Format  LabelFormat `json:"format"`
	// KeepPrinterCommands leaves carrier ZPL that changes printer state untouched.
	KeepPrinterCommands bool `json:"keepPrinterCommands"`
}

// PrintJobState is where a job is in the persistent queue.
type PrintJobState string

const (
	JobQueued  PrintJobState = "queued"
	JobSending PrintJobState = "sending" // bytes on their way; never re-sent by itself
	JobPrinted PrintJobState = "printed"
	JobFailed  PrintJobState = "failed"
)

// PrintJob is one document on its way to a printer; it survives restarts.
type PrintJob struct {
	ID        int64         `json:"id"`
	OrderID   int64         `json:"orderId"`
	PrinterID int64         `json:"printerId"` // 0: the default labels folder
	LabelID   int64         `json:"labelId,omitempty"`
	Document  string        `json:"document"` // "label", "packing_slip", "pick_list", "test"
	State     PrintJobState `json:"state"`
	Attempts  int           `json:"attempts"`
	Error     string        `json:"error,omitempty"`
	CreatedAt time.Time     `json:"createdAt"`
	PrintedAt time.Time     `json:"printedAt,omitzero"`
}

// ImportRun records one import attempt, success or not, so none is silent.
type ImportRun struct {
	ID         int64     `json:"id"`
	StoreID    int64     `json:"storeId"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	New        int       `json:"new"`
	Updated    int       `json:"updated"`
	Error      string    `json:"error,omitempty"`
}

// AuditEntry is one line of an order's history. Detail never holds personal data.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	StoreID int64     `json:"storeId,omitempty"`
	OrderID int64     `json:"orderId,omitempty"`
	Action  string    `json:"action"`
	Detail  string    `json:"detail,omitempty"`
	// Bench did it, where benches share one queue (empty on one bench).
	Bench string `json:"bench,omitempty"`
}

// Text is the line as the history shows it: what, its detail, and on a
// shared queue which bench ("label printed Zebra (Pack-2)").
func (e AuditEntry) Text() string {
	t := e.Action
	if e.Detail != "" {
		t += " " + e.Detail
	}
	if e.Bench != "" {
		t += " (" + e.Bench + ")"
	}
	return t
}
