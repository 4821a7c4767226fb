package station

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by repositories for a missing row.
var ErrNotFound = errors.New("not found")

// OrderFilter selects orders; zero fields select everything.
type OrderFilter struct {
	StoreID int64
	Status  OrderStatus
	// Search matches the order id, a SKU or an item title, case-insensitively.
	Search string
	// Marketplace keeps one marketplace's orders.
	Marketplace string
	// ShipByBefore keeps orders whose ship-by date is before it (today's, overdue).
	ShipByBefore time.Time
	// PrimeOnly keeps Prime orders.
	PrimeOnly bool
	// Weight keeps orders whose SKUs' weights are all known, or not.
	Weight WeightFilter
	// Attention keeps orders that need the packer: a label to void after a
	// cancellation, a failed print or purchase, no weight to rate with.
	Attention bool
}

// WeightFilter narrows orders by whether their weight is known.
type WeightFilter string

const (
	AnyWeight      WeightFilter = ""
	WeightsKnown   WeightFilter = "known"
	WeightsMissing WeightFilter = "missing"
)

// SortKey is what the list is sorted by.
type SortKey string

const (
	SortPurchased SortKey = ""         // purchase date, newest first
	SortShipBy    SortKey = "ship_by"  // most urgent first; orders without a ship-by date last
	SortOrderID   SortKey = "order_id" // A to Z
	SortMarket    SortKey = "market"   // marketplace id, A to Z
	SortStatus    SortKey = "status"   // the bench's order: ready, label bought, shipped, cancelled
	SortItems     SortKey = "items"    // most units first
	SortProducts  SortKey = "products" // SKUs, A to Z
)

// SortKeys lists every key the list can sort by.
func SortKeys() []SortKey {
	return []SortKey{SortPurchased, SortShipBy, SortOrderID, SortMarket, SortStatus, SortItems, SortProducts}
}

// OrderSort is the order of the list: a key in its natural direction, or
// reversed. The zero value is newest purchase first.
type OrderSort struct {
	Key     SortKey
	Reverse bool
}

// The sorts the packer uses most.
var (
	NewestFirst   = OrderSort{Key: SortPurchased}
	OldestFirst   = OrderSort{Key: SortPurchased, Reverse: true}
	ShipBySoonest = OrderSort{Key: SortShipBy}
)

// Cursor marks the last row of a page for keyset pagination: pages stay as
// fast at row 100,000 as at row 1, and rows inserted meanwhile never shift them.
type Cursor struct {
	Key any // the sort key's value at the last row
	ID  int64
}

// OrderQuery asks for one page of orders.
type OrderQuery struct {
	OrderFilter
	Sort  OrderSort
	After *Cursor
	Limit int
	// ShipToNames opens each row's ship-to name, for a list that shows
	// them; otherwise no buyer's data is decrypted for the page.
	ShipToNames bool
}

// OrderRow is what a list row shows: no item lines, and no personal data
// but the ship-to name when the query asked for it (display only).
type OrderRow struct {
	ID            int64        `json:"-"`
	StoreID       int64        `json:"storeId"`
	AmazonOrderID string       `json:"amazonOrderId"`
	MarketplaceID string       `json:"marketplaceId"`
	PurchasedAt   time.Time    `json:"purchasedAt"`
	ShipByLatest  time.Time    `json:"shipBy,omitzero"`
	Status        OrderStatus  `json:"status"`
	AmazonStatus  AmazonStatus `json:"amazonStatus"`
	ServiceLevel  string       `json:"serviceLevel,omitempty"`
	Prime         bool         `json:"prime"`
	ItemCount     int          `json:"itemCount"`
	SKUs          string       `json:"skus"`
	ASINs         string       `json:"asins,omitempty"`
	WeightKnown   bool         `json:"weightKnown"`
	// Attention says why the order needs the packer ("" when it does not).
	Attention string `json:"attention,omitempty"`
	// Parcel is where its parcel is ("" before its label is tracked).
	Parcel Parcel `json:"parcel,omitempty"`
	// ShipToName is the ship-to name, opened for display only when the
	// query asked (ShipToNames; "" once redacted); never in JSON, so
	// exports carry no personal data.
	ShipToName string `json:"-"`
	// Weight is the items' known weight (zero when an item has none).
	Weight Weight `json:"weight,omitzero"`
	// Tracking is the live label's tracking id.
	Tracking string `json:"tracking,omitempty"`
	// Total is what the buyer paid for the items.
	Total Money `json:"total,omitzero"`
}

// OrderPage is one page of rows and the cursor for the next (nil at the end).
type OrderPage struct {
	Rows []OrderRow
	Next *Cursor
}

// UpsertResult counts what an import page changed.
type UpsertResult struct {
	New       int
	Updated   int
	Unchanged int
}

// Orders is the order storage the workflows need.
type Orders interface {
	UpsertOrders(ctx context.Context, storeID int64, orders []Order) (UpsertResult, error)
	// KnownOrders reports which of these Amazon order ids the store already has.
	KnownOrders(ctx context.Context, storeID int64, amazonOrderIDs []string) (map[string]bool, error)
	ListOrders(ctx context.Context, q OrderQuery) (OrderPage, error)
	CountOrders(ctx context.Context, f OrderFilter) (map[OrderStatus]int, error)
	GetOrder(ctx context.Context, id int64) (Order, error)
}

// Stores is the store-account storage.
type Stores interface {
	CreateStore(ctx context.Context, s Store) (Store, error)
	ListStores(ctx context.Context) ([]Store, error)
	GetStore(ctx context.Context, id int64) (Store, error)
	// FindStore finds a store by seller and region (ErrNotFound if none).
	FindStore(ctx context.Context, sellingPartnerID string, region Region) (Store, error)
	// Reauthorize records a fresh authorization; settings, mappings and orders stay.
	Reauthorize(ctx context.Context, id int64, auth AuthKind, clientID string, marketplaceIDs []string, at time.Time) error
	SetStoreHealth(ctx context.Context, id int64, h Health, reason string) error
	SaveStoreSettings(ctx context.Context, id int64, s StoreSettings) error
	Disconnect(ctx context.Context, id int64, at time.Time) error
}

// SKUs remembers weights and dimensions per SKU.
type SKUs interface {
	SaveSKUProfile(ctx context.Context, p SKUProfile) error
	// SKUsWithoutWeight lists a store's SKUs that no profile weighs yet, with
	// an ASIN and marketplace seen on an order, for the catalog to fill.
	SKUsWithoutWeight(ctx context.Context, storeID int64, limit int) ([]CatalogLookup, error)
}

// CatalogLookup names a product to look up in Amazon's catalog.
type CatalogLookup struct {
	SKU, ASIN, MarketplaceID string
}

// Audit appends to the history log and reads an order's history.
type Audit interface {
	Audit(ctx context.Context, e AuditEntry) error
	History(ctx context.Context, orderID int64) ([]AuditEntry, error)
}

// Imports records import runs and checkpoints.
type Imports interface {
	StartImportRun(ctx context.Context, storeID int64, at time.Time) (ImportRun, error)
	// FinishImportRun records the outcome; a run without error also sets the
	// store's last successful import time.
	FinishImportRun(ctx context.Context, run ImportRun) error
	ImportRuns(ctx context.Context, storeID int64, limit int) ([]ImportRun, error)
	Checkpoint(ctx context.Context, storeID int64, source string) (string, error)
	// ResetImport makes the next import start over and rewrite buyers' data.
	ResetImport(ctx context.Context, storeID int64) error
	SaveCheckpoint(ctx context.Context, storeID int64, source, value string) error
}

// Repository is everything the station persists.
type Repository interface {
	Orders
	Stores
	SKUs
	Audit
	Imports
	Shipments
	Tracks
	Reports
	Forms
	Barcodes
	Mappings
	Presets
	Privacy
	Printers
	Claims
	// Damage is non-nil when the database failed its integrity check: it
	// says what is wrong and where the last good copy is.
	Damage() error
}

// Backups is a repository that keeps daily copies of itself; the scheduler
// makes today's when it is missing.
type Backups interface {
	BackupDaily(ctx context.Context, now time.Time) (path string, err error)
}
