package ui

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/station"
)

// memRepo is an in-memory station.Repository for UI tests; the SQLite one is
// tested in package store.
type memRepo struct {
	mu       sync.Mutex
	stores   []station.Store
	rows     []station.OrderRow
	calls    int
	printers []station.Printer
	settings map[string]string
	shipFrom *station.Address
	presets  []station.PackagePreset
	mappings []station.ServiceMapping
	// shipments are the live labels, by order id.
	shipments map[int64]station.Shipment
}

func (m *memRepo) UpsertOrders(context.Context, int64, []station.Order) (station.UpsertResult, error) {
	return station.UpsertResult{}, nil
}

func (m *memRepo) match(f station.OrderFilter, r station.OrderRow) bool {
	return (f.StoreID == 0 || r.StoreID == f.StoreID) && (f.Status == "" || r.Status == f.Status) &&
		(f.Search == "" || strings.Contains(strings.ToLower(r.AmazonOrderID+" "+r.SKUs), strings.ToLower(f.Search))) &&
		(!f.PrimeOnly || r.Prime) && (!f.Attention || r.Attention != "") &&
		(f.Marketplace == "" || r.MarketplaceID == f.Marketplace)
}

func (m *memRepo) ListOrders(_ context.Context, q station.OrderQuery) (station.OrderPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	var all []station.OrderRow
	for _, r := range m.rows {
		if m.match(q.OrderFilter, r) {
			all = append(all, r)
		}
	}
	// The fake pages by id; ship-by first sorts that page's rows by date, which
	// is enough for a test with one page.
	sort.Slice(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	if q.Sort == station.ShipBySoonest && q.After == nil && len(all) <= q.Limit {
		sort.SliceStable(all, func(i, j int) bool { return all[i].ShipByLatest.Before(all[j].ShipByLatest) })
	}
	start := 0
	if q.After != nil {
		for start < len(all) && all[start].ID >= q.After.ID {
			start++
		}
	}
	end := min(start+q.Limit, len(all))
	page := station.OrderPage{Rows: all[start:end]}
	if end < len(all) {
		page.Next = &station.Cursor{ID: all[end-1].ID}
	}
	return page, nil
}

func (m *memRepo) CountOrders(_ context.Context, f station.OrderFilter) (map[station.OrderStatus]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[station.OrderStatus]int{}
	for _, r := range m.rows {
		if m.match(f, r) {
			out[r.Status]++
		}
	}
	return out, nil
}

func (m *memRepo) GetOrder(_ context.Context, id int64) (station.Order, error) {
	for _, r := range m.rows {
		if r.ID == id {
			return station.Order{ID: r.ID, StoreID: r.StoreID, AmazonOrderID: r.AmazonOrderID, MarketplaceID: r.MarketplaceID,
				Status: r.Status, PurchasedAt: r.PurchasedAt, ShipTo: station.Address{Name: "Zoë Example", Line1: "1 Main St", City: "Seattle"},
				Items: []station.Item{{OrderItemID: "1", SKU: "MUG", Title: "Mug", Quantity: 2, UnitWeight: station.Weight{Value: 300, Unit: station.Gram}}}}, nil
		}
	}
	return station.Order{}, station.ErrNotFound
}

func (m *memRepo) CreateStore(_ context.Context, s station.Store) (station.Store, error) {
	s.ID = int64(len(m.stores) + 1)
	m.stores = append(m.stores, s)
	return s, nil
}

func (m *memRepo) ListStores(context.Context) ([]station.Store, error) { return m.stores, nil }

func (m *memRepo) GetStore(_ context.Context, id int64) (station.Store, error) {
	for _, s := range m.stores {
		if s.ID == id {
			return s, nil
		}
	}
	return station.Store{}, station.ErrNotFound
}

func (m *memRepo) FindStore(context.Context, string, station.Region) (station.Store, error) {
	return station.Store{}, station.ErrNotFound
}

func (m *memRepo) Reauthorize(context.Context, int64, station.AuthKind, string, []string, time.Time) error {
	return nil
}

func (m *memRepo) SetStoreHealth(context.Context, int64, station.Health, string) error { return nil }

func (m *memRepo) Disconnect(_ context.Context, id int64, at time.Time) error {
	for i := range m.stores {
		if m.stores[i].ID == id {
			m.stores[i].DisconnectedAt, m.stores[i].Health, m.stores[i].HealthReason = at, station.HealthRed, "Disconnected"
		}
	}
	return nil
}

func (m *memRepo) KnownOrders(context.Context, int64, []string) (map[string]bool, error) {
	return map[string]bool{}, nil
}
func (m *memRepo) StartImportRun(_ context.Context, id int64, at time.Time) (station.ImportRun, error) {
	return station.ImportRun{StoreID: id, StartedAt: at}, nil
}
func (m *memRepo) FinishImportRun(context.Context, station.ImportRun) error { return nil }
func (m *memRepo) ImportRuns(context.Context, int64, int) ([]station.ImportRun, error) {
	return nil, nil
}
func (m *memRepo) Checkpoint(context.Context, int64, string) (string, error) {
	return "", station.ErrNotFound
}
func (m *memRepo) SaveStoreSettings(_ context.Context, id int64, set station.StoreSettings) error {
	for i := range m.stores {
		if m.stores[i].ID == id {
			m.stores[i].Settings = set
		}
	}
	return nil
}
func (m *memRepo) SKUsWithoutWeight(context.Context, int64, int) ([]station.CatalogLookup, error) {
	return nil, nil
}
func (m *memRepo) ResetImport(context.Context, int64) error                    { return nil }
func (m *memRepo) SaveCheckpoint(context.Context, int64, string, string) error { return nil }

func (m *memRepo) ShipFrom(context.Context, int64) (station.Address, error) {
	if m.shipFrom == nil {
		return station.Address{}, station.ErrNotFound
	}
	return *m.shipFrom, nil
}
func (m *memRepo) SetShipFrom(_ context.Context, _ int64, a station.Address) error {
	m.shipFrom = &a
	return nil
}
func (m *memRepo) CreateIntent(_ context.Context, in station.PurchaseIntent, _ string, _ station.LabelFormat, _ string) (station.PurchaseIntent, error) {
	return in, nil
}
func (m *memRepo) SetIntentState(context.Context, int64, station.IntentState, string) error {
	return nil
}
func (m *memRepo) OpenIntents(context.Context, int64) ([]station.OpenIntent, error) { return nil, nil }
func (m *memRepo) SavePurchase(context.Context, station.OpenIntent, station.Purchased, time.Time) (station.Shipment, error) {
	return station.Shipment{}, nil
}
func (m *memRepo) LiveShipment(_ context.Context, orderID int64) (station.Shipment, error) {
	if sh, ok := m.shipments[orderID]; ok {
		return sh, nil
	}
	return station.Shipment{}, station.ErrNotFound
}
func (m *memRepo) SaveVoid(context.Context, int64, time.Time) error { return nil }
func (m *memRepo) ShipmentsToTrack(context.Context, time.Time, int) ([]station.Shipment, error) {
	return nil, nil
}
func (m *memRepo) SaveTracking(context.Context, int64, station.Tracking) (station.Parcel, error) {
	return "", nil
}
func (m *memRepo) ShipmentTracking(context.Context, int64) (station.Tracking, error) {
	return station.Tracking{}, nil
}
func (m *memRepo) ShipmentsBought(context.Context, time.Time, time.Time) ([]station.Shipment, error) {
	return nil, nil
}
func (m *memRepo) StartCollectionForm(_ context.Context, f station.CollectionForm) (station.CollectionForm, error) {
	return f, nil
}
func (m *memRepo) FinishCollectionForm(context.Context, int64, []byte, time.Time) (station.CollectionForm, error) {
	return station.CollectionForm{}, nil
}
func (m *memRepo) PendingCollectionForms(context.Context) ([]station.CollectionForm, error) {
	return nil, nil
}
func (m *memRepo) UnmanifestedLabels(context.Context, int64, string, station.Address) (int, error) {
	return 0, nil
}
func (m *memRepo) CollectionForms(context.Context, time.Time) ([]station.CollectionForm, error) {
	return nil, nil
}
func (m *memRepo) CollectionFormPDF(context.Context, int64) ([]byte, error) {
	return nil, station.ErrNotFound
}
func (m *memRepo) Label(context.Context, int64) (station.Label, error) {
	return station.Label{}, station.ErrNotFound
}
func (m *memRepo) SaveLabel(context.Context, station.Label) error { return nil }
func (m *memRepo) LabelImage(context.Context, int64) (station.Label, error) {
	return station.Label{}, station.ErrNotFound
}
func (m *memRepo) SaveLabelImage(context.Context, station.Label) error { return nil }
func (m *memRepo) SetOrderStatus(context.Context, int64, station.OrderStatus) error {
	return nil
}

func (m *memRepo) ServiceMappings(context.Context, int64) ([]station.ServiceMapping, error) {
	return m.mappings, nil
}
func (m *memRepo) SaveServiceMapping(_ context.Context, sm station.ServiceMapping) (station.ServiceMapping, error) {
	sm.ID = int64(len(m.mappings) + 1)
	m.mappings = append(m.mappings, sm)
	return sm, nil
}
func (m *memRepo) DeleteServiceMapping(_ context.Context, _ int64, id int64) error {
	m.mappings = slices.DeleteFunc(m.mappings, func(sm station.ServiceMapping) bool { return sm.ID == id })
	return nil
}

func (m *memRepo) PackagePresets(context.Context) ([]station.PackagePreset, error) {
	return m.presets, nil
}
func (m *memRepo) SavePackagePreset(_ context.Context, p station.PackagePreset) (station.PackagePreset, error) {
	p.ID = int64(len(m.presets) + 1)
	m.presets = append(m.presets, p)
	return p, nil
}
func (m *memRepo) DeletePackagePreset(context.Context, int64) error { return nil }

func (m *memRepo) RedactOrder(context.Context, int64, time.Time) error { return nil }
func (m *memRepo) RedactionDue(context.Context, time.Time) ([]int64, error) {
	return nil, nil
}
func (m *memRepo) Compact(context.Context) error { return nil }

func (m *memRepo) Printers(context.Context) ([]station.Printer, error) { return m.printers, nil }
func (m *memRepo) SavePrinter(_ context.Context, p station.Printer) (station.Printer, error) {
	p.ID = int64(len(m.printers) + 1)
	m.printers = append(m.printers, p)
	return p, nil
}
func (m *memRepo) DeletePrinter(context.Context, int64) error { return nil }
func (m *memRepo) Setting(_ context.Context, key string) (string, error) {
	if v, ok := m.settings[key]; ok {
		return v, nil
	}
	return "", station.ErrNotFound
}
func (m *memRepo) SetSetting(_ context.Context, key, value string) error {
	if m.settings == nil {
		m.settings = map[string]string{}
	}
	m.settings[key] = value
	return nil
}
func (m *memRepo) EnqueuePrint(context.Context, int64, int64, string, time.Time) (station.PrintJob, error) {
	return station.PrintJob{}, nil
}
func (m *memRepo) StartPrint(context.Context, int64, time.Time) error { return nil }
func (m *memRepo) StalePrints(context.Context, time.Time) ([]station.PrintJob, error) {
	return nil, nil
}
func (m *memRepo) FinishPrint(context.Context, int64, station.PrintJobState, string, time.Time) error {
	return nil
}
func (m *memRepo) QueuedPrints(context.Context) ([]station.PrintJob, error) { return nil, nil }

// fakeAmazon accepts one own-app refresh token and the demo store.
type fakeAmazon struct{}

func (fakeAmazon) StartSignIn(context.Context, string, bool) (station.SignInAttempt, error) {
	return station.SignInAttempt{ID: "a1", ConsentURL: "http://127.0.0.1:1/consent", ExpiresAt: time.Now().Add(5 * time.Minute)}, nil
}
func (fakeAmazon) WaitSignIn(context.Context, string) (station.Credentials, error) {
	return station.Credentials{}, errors.New("the browser did not come back within 5 minutes")
}
func (fakeAmazon) CompleteSignIn(_ context.Context, _ string, pasted string) (station.Credentials, error) {
	if !strings.Contains(pasted, "state=") {
		return station.Credentials{}, errors.New("this is not the address Amazon sent you back to")
	}
	return station.Credentials{Auth: station.AuthBroker, Region: station.RegionEU, SellingPartnerID: "A2PASTED", RefreshToken: "Atzr|p"}, nil
}
func (fakeAmazon) CancelSignIn(string) {}
func (fakeAmazon) Participations(_ context.Context, c station.Credentials) ([]station.Participation, error) {
	if c.RefreshToken == "Atzr|bad" {
		return nil, station.ErrReauthorize
	}
	if c.Region == station.RegionEU {
		return []station.Participation{{MarketplaceID: "A1F83G8C2ARO7P", StoreName: "Pasted EU", Participating: true}}, nil
	}
	return []station.Participation{{MarketplaceID: "ATVPDKIKX0DER", StoreName: "Demo US", Participating: true}}, nil
}
func (fakeAmazon) DemoCredentials(context.Context, station.Region) (station.Credentials, error) {
	return station.Credentials{Auth: station.AuthDemo, Region: station.RegionNA, SellingPartnerID: "A2DEMO", RefreshToken: "Atzr|demo"}, nil
}
func (fakeAmazon) SignInIsSimulated() bool { return true }

type memSecrets struct{ m map[string]string }

func (s *memSecrets) Get(k string) (string, error) {
	v, ok := s.m[k]
	if !ok {
		return "", station.ErrSecretNotFound
	}
	return v, nil
}
func (s *memSecrets) Set(k, v string) error { s.m[k] = v; return nil }
func (s *memSecrets) Delete(k string) error { delete(s.m, k); return nil }

func (m *memRepo) SaveSKUProfile(context.Context, station.SKUProfile) error { return nil }

func (m *memRepo) Audit(context.Context, station.AuditEntry) error { return nil }

func (m *memRepo) History(context.Context, int64) ([]station.AuditEntry, error) { return nil, nil }

func (m *memRepo) ClaimOrder(_ context.Context, c station.Claim, _ func(station.Claim) bool) (station.Claim, bool, error) {
	return c, true, nil
}
func (m *memRepo) ReleaseOrder(context.Context, int64, string, int) error { return nil }
func (m *memRepo) RecordPrintedFile(context.Context, int64, string) error { return nil }
func (m *memRepo) PrintedFiles(context.Context, int64) ([]station.PrintedFile, error) {
	return nil, nil
}
func (m *memRepo) ForgetPrintedFile(context.Context, int64) error                   { return nil }
func (m *memRepo) Damage() error                                                    { return nil }
func (m *memRepo) StartVoid(context.Context, int64, time.Time) error                { return nil }
func (m *memRepo) EndVoid(context.Context, int64) error                             { return nil }
func (m *memRepo) VoidsInFlight(context.Context) ([]station.Shipment, error)        { return nil, nil }
func (m *memRepo) SKUOfBarcode(context.Context, int64, string) (string, error)      { return "", nil }
func (m *memRepo) SaveBarcode(context.Context, int64, string, string, string) error { return nil }
func (m *memRepo) SKUHasBarcodes(context.Context, int64, string) (bool, error)      { return false, nil }
func (m *memRepo) MarkItemsChecked(context.Context, int64, time.Time) error         { return nil }
func (m *memRepo) ItemsChecked(context.Context, int64) (bool, error)                { return false, nil }
