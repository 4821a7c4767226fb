package sim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
)

// App is an LWA application registered with the simulated Amazon.
type App struct {
	ApplicationID string   // amzn1.sp.solution.… (the consent URL's application_id)
	ClientID      string   // amzn1.application-oa2-client.…
	ClientSecret  string   // amzn1.oa2-cs.v1.…
	RedirectURIs  []string // the first is the default
	Draft         bool     // a draft app needs version=beta on the consent URL
}

// Seller is a selling partner account in one region.
type Seller struct {
	ID           string // selling_partner_id
	StoreName    string
	Region       string // NA, EU, FE
	Marketplaces []string
	// DeclinedCarriers are carriers whose terms this seller has not accepted in
	// Seller Central; their rates come back ineligible.
	DeclinedCarriers []string
}

// Config shapes a simulator. Zero values give the demo world.
type Config struct {
	Seed      uint64
	Orders    int       // generated orders per seller (default 60)
	TimeScale float64   // simulated seconds per real second (default 1)
	Start     time.Time // simulated start time (default now)
	Apps      []App
	Sellers   []Seller
	Logger    *slog.Logger
	// ReportDelay is how long (simulated) a report takes to reach DONE (default 45 s).
	ReportDelay time.Duration
	// StatePath, when set, is a file the simulator keeps its world in: it
	// starts from it and saves every change (see persist.go).
	StatePath string
}

// Demo credentials: the simulator's built-in public app and sellers. They
// are not secrets: nothing but the simulator accepts them.
const (
	DemoApplicationID = "amzn1.sp.solution.00000000-0000-0000-0000-00000000demo"
	DemoClientID      = "amzn1.application-oa2-client.packbenchdemo"
	DemoClientSecret  = "amzn1.oa2-cs.v1.0000000000000000000000000000000000000000000000000000000000000000"
	DemoRedirectURI   = "https://auth.packbench.invalid/amazon/callback"
	DemoSellerNA      = "A2SIMSELLERNA01"
	DemoSellerEU      = "A2SIMSELLEREU01"
	DemoSellerFE      = "A2SIMSELLERFE01"
)

// DemoRefreshToken is the demo app's fixed refresh token for a seller. It
// is no secret: only a simulator accepts it.
func DemoRefreshToken(sellerID string) string { return "Atzr|packbench-demo-" + sellerID }

// DemoSeller is the demo world's seller for a region ("NA", "EU", "FE").
func DemoSeller(region string) string {
	return map[string]string{"NA": DemoSellerNA, "EU": DemoSellerEU, "FE": DemoSellerFE}[region]
}

// DefaultSellers is the demo world: one seller per region.
func DefaultSellers() []Seller {
	return []Seller{
		{ID: DemoSellerNA, StoreName: "Demo Home & Kitchen", Region: "NA",
			Marketplaces: []string{"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"}, DeclinedCarriers: []string{"FEDEX"}},
		{ID: DemoSellerEU, StoreName: "Demo Home Europe", Region: "EU",
			Marketplaces: []string{"A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS"}},
		{ID: DemoSellerFE, StoreName: "Demo Home Japan", Region: "FE",
			Marketplaces: []string{"A1VC38T7YXB528", "A39IBJ37TRP1C6"}},
	}
}

// Sim is the simulated Amazon: an http.Handler serving Seller Central's
// consent page, LWA and the SP-API operations Packbench uses.
type Sim struct {
	cfg     Config
	clock   *Clock
	limiter *limiter
	log     *slog.Logger
	mux     *http.ServeMux

	mu        sync.Mutex
	apps      map[string]*App // by client id
	sellers   map[string]*Seller
	orders    map[string]*order
	orderSeq  []*order // by creation time
	products  map[string]*product
	codes     map[string]*authCode
	refresh   map[string]*refreshGrant
	access    map[string]*accessGrant
	reports   map[string]*report
	downloads map[string]*download
	rateReqs  map[string]*rateRequest
	offers    map[string]*offer
	shipments map[string]*shipment
	idem      map[string]*purchase
	faults    map[string][]*Fault
	sentBack  map[string]bool // tracking numbers SendBack made undeliverable
	forms     []*collectionForm
	stats     map[string]*OpStats
	nextID    int
}

// New builds a simulator with generated orders.
func New(cfg Config) (*Sim, error) {
	if cfg.TimeScale <= 0 {
		cfg.TimeScale = 1
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Now()
	}
	if cfg.Orders == 0 {
		cfg.Orders = 60
	}
	if cfg.ReportDelay == 0 {
		cfg.ReportDelay = 45 * time.Second
	}
	if cfg.Apps == nil {
		cfg.Apps = []App{{ApplicationID: DemoApplicationID, ClientID: DemoClientID, ClientSecret: DemoClientSecret,
			RedirectURIs: []string{DemoRedirectURI}}}
	}
	if cfg.Sellers == nil {
		cfg.Sellers = DefaultSellers()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	// Amazon's documented usage plans, the table the client paces itself
	// by; a test keeps it equal to the models' (integrations/amazon).
	plans := map[string]plan{}
	for op, p := range amazon.DefaultPlans {
		plans[op] = plan{rate: p.Rate, burst: p.Burst}
	}
	var err error
	s := &Sim{
		cfg: cfg, clock: NewClock(cfg.Start, cfg.TimeScale), limiter: newLimiter(plans), log: cfg.Logger,
		apps: map[string]*App{}, sellers: map[string]*Seller{}, orders: map[string]*order{},
		products: map[string]*product{}, codes: map[string]*authCode{}, refresh: map[string]*refreshGrant{},
		access: map[string]*accessGrant{}, reports: map[string]*report{}, downloads: map[string]*download{},
		rateReqs: map[string]*rateRequest{}, offers: map[string]*offer{}, shipments: map[string]*shipment{},
		idem: map[string]*purchase{}, faults: map[string][]*Fault{}, sentBack: map[string]bool{}, stats: map[string]*OpStats{},
	}
	for i := range cfg.Apps {
		s.apps[cfg.Apps[i].ClientID] = &cfg.Apps[i]
	}
	for i := range cfg.Sellers {
		s.sellers[cfg.Sellers[i].ID] = &cfg.Sellers[i]
		// The demo app's token for each seller is fixed, so a demo store
		// survives a restart of an in-process simulator.
		if app := s.apps[DemoClientID]; app != nil {
			s.refresh[DemoRefreshToken(cfg.Sellers[i].ID)] = &refreshGrant{app: app, seller: &cfg.Sellers[i]}
		}
	}
	gen := newGenerator(cfg.Seed)
	for _, p := range gen.catalog() {
		s.products[p.ASIN] = p
	}
	restored := false
	if cfg.StatePath != "" {
		if restored, err = s.load(); err != nil {
			return nil, err
		}
	}
	if !restored {
		now := s.clock.Now()
		for _, seller := range cfg.Sellers {
			for _, o := range gen.orders(seller, cfg.Orders, now) {
				s.addOrder(o)
			}
		}
	}
	s.routes()
	return s, nil
}

// Clock is the simulator's clock.
func (s *Sim) Clock() *Clock { return s.clock }

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
	if r.Method != http.MethodGet && s.cfg.StatePath != "" && !isAPIPath(r.URL.Path) {
		// Sign-ins, admin changes: anything that may have changed the world
		// (SP-API operations save themselves, in api, when they change it).
		s.mu.Lock()
		s.saveLocked()
		s.mu.Unlock()
	}
}

func (s *Sim) addOrder(o *order) {
	s.orders[o.ID] = o
	i, _ := slices.BinarySearchFunc(s.orderSeq, o, func(a, b *order) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	s.orderSeq = slices.Insert(s.orderSeq, i, o)
}

func (s *Sim) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /apps/authorize/consent", s.consentPage)
	m.HandleFunc("POST /apps/authorize/confirm", s.consentConfirm)
	m.HandleFunc("POST /auth/o2/token", s.token)

	m.Handle("GET /orders/2026-01-01/orders", s.api("searchOrders", s.searchOrders))
	m.Handle("GET /orders/2026-01-01/orders/{orderId}", s.api("getOrder", s.getOrder))
	m.Handle("POST /orders/v0/orders/{orderId}/shipmentConfirmation", s.api("confirmShipment", s.confirmShipment))
	m.Handle("POST /reports/2021-06-30/reports", s.api("createReport", s.createReport))
	m.Handle("GET /reports/2021-06-30/reports/{reportId}", s.api("getReport", s.getReport))
	m.Handle("GET /reports/2021-06-30/documents/{reportDocumentId}", s.api("getReportDocument", s.getReportDocument))
	m.HandleFunc("GET /_download/{token}", s.downloadDocument)
	m.HandleFunc("GET /_images/{file}", s.serveProductImage)
	m.Handle("POST /tokens/2021-03-01/restrictedDataToken", s.api("createRestrictedDataToken", s.createRDT))
	m.Handle("GET /sellers/v1/marketplaceParticipations", s.api("getMarketplaceParticipations", s.participations))
	m.Handle("GET /catalog/2022-04-01/items/{asin}", s.api("getCatalogItem", s.getCatalogItem))
	m.Handle("GET /catalog/2022-04-01/items", s.api("searchCatalogItems", s.searchCatalogItems))
	m.Handle("POST /shipping/v2/shipments/rates", s.api("getRates", s.getRates))
	m.Handle("POST /shipping/v2/shipments", s.api("purchaseShipment", s.purchaseShipment))
	m.Handle("GET /shipping/v2/shipments/{shipmentId}/documents", s.api("getShipmentDocuments", s.getShipmentDocuments))
	m.Handle("PUT /shipping/v2/shipments/{shipmentId}/cancel", s.api("cancelShipment", s.cancelShipment))
	m.Handle("GET /shipping/v2/tracking", s.api("getTracking", s.getTracking))
	m.Handle("PUT /shipping/v2/unmanifestedShipments", s.api("getUnmanifestedShipments", s.getUnmanifestedShipments))
	m.Handle("POST /shipping/v2/collectionForms", s.api("generateCollectionForm", s.generateCollectionForm))
	m.Handle("PUT /shipping/v2/collectionForms/history", s.api("getCollectionFormHistory", s.getCollectionFormHistory))
	m.Handle("GET /shipping/v2/collectionForms/{collectionFormId}", s.api("getCollectionForm", s.getCollectionForm))

	s.adminRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorList("NotFound", "The simulator does not serve "+r.Method+" "+r.URL.Path+".", ""))
	})
	s.mux = m
}

// OpStats counts what one operation saw, for tests and benchmarks.
type OpStats struct {
	Requests  int `json:"requests"`
	Throttled int `json:"throttled"`
	Faulted   int `json:"faulted"`
}

// Stats returns a copy of the per-operation counters.
func (s *Sim) Stats() map[string]OpStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]OpStats{}
	for k, v := range s.stats {
		out[k] = *v
	}
	return out
}

func (s *Sim) stat(op string) *OpStats {
	st := s.stats[op]
	if st == nil {
		st = &OpStats{}
		s.stats[op] = st
	}
	return st
}

// call is one authenticated SP-API request.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	op     string
	seller *Seller
	token  *accessGrant
	now    time.Time
	body   []byte
}

// result is what a handler answers: a status and a JSON body (nil for none).
type result struct {
	status int
	body   any
}

func ok(body any) result { return result{http.StatusOK, body} }

func fail(status int, code, message string) result {
	return result{status, errorList(code, message, "")}
}

func errorList(code, message, details string) map[string]any {
	e := map[string]any{"code": code, "message": message}
	if details != "" {
		e["details"] = details
	}
	return map[string]any{"errors": []any{e}}
}

const maxBody = 1 << 20

// api wraps an operation: request id, faults, authentication, rate limit,
// then the handler under the state lock.
func (s *Sim) api(op string, h func(c *call) result) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-RequestId", newUUID())
		if s.applyFault(op, w, r) {
			return
		}
		body, err := readBody(r)
		if err != nil {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorList("RequestEntityTooLarge", "The request is too large.", ""))
			return
		}
		s.mu.Lock()
		locked := true
		defer func() {
			if locked {
				s.mu.Unlock()
			}
		}()
		now := s.clock.Now()
		st := s.stat(op)
		st.Requests++
		tok := r.Header.Get("x-amz-access-token")
		grant, seller, denial := s.authorize(tok, r, now)
		if denial != "" {
			writeJSON(w, http.StatusForbidden, errorList("Unauthorized", "Access to requested resource is denied.", denial))
			return
		}
		allowed, rate := s.limiter.allow(seller.ID, op, now)
		if !allowed {
			st.Throttled++
			writeJSON(w, http.StatusTooManyRequests, errorList("QuotaExceeded", "You exceeded your quota for the requested resource.", ""))
			return
		}
		res := h(&call{w: w, r: r, op: op, seller: seller, token: grant, now: now, body: body})
		if changesWorld[op] && res.status < 300 {
			s.saveLocked() // before the answer leaves: a label sold is on disk first
		}
		// Faults after the operation took effect: the purchase is made, its
		// answer comes late or never (the client cannot tell which).
		if f := s.takeFault(op, FaultAnswerLate, FaultAnswerLost); f != nil {
			st.Faulted++
			s.mu.Unlock()
			locked = false
			if f.Kind == FaultAnswerLost {
				dropConnection(w)
				return
			}
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return // the client gave up (or died) first
			}
		}
		if rate > 0 && (res.status < 300 || res.status == 400 || res.status == 404) {
			// Reported in real requests per second, so a client's real-time bucket matches.
			w.Header().Set("x-amzn-RateLimit-Limit", formatRate(rate*s.clock.Scale()))
		}
		if res.status == http.StatusNoContent || res.body == nil {
			w.WriteHeader(res.status)
			return
		}
		writeJSON(w, res.status, res.body)
	})
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("body over %d bytes", maxBody)
	}
	return b, nil
}

func formatRate(r float64) string {
	s := fmt.Sprintf("%.4f", r)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// id makes readable sequential ids (report ids, shipment refs).
func (s *Sim) id() int {
	s.nextID++
	return s.nextID
}

// Sellers lists the simulated sellers.
func (s *Sim) Sellers() []Seller {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Seller, 0, len(s.sellers))
	for _, k := range slices.Sorted(maps.Keys(s.sellers)) {
		out = append(out, *s.sellers[k])
	}
	return out
}

func slicesSortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// changesWorld are the operations whose effect the state file keeps (rates
// and tokens are short-lived and not kept: see persist.go).
var changesWorld = map[string]bool{"purchaseShipment": true, "cancelShipment": true, "confirmShipment": true, "createReport": true,
	"generateCollectionForm": true}

// isAPIPath says whether a path is an SP-API operation's (served by api),
// as against sign-in, LWA and the admin API.
func isAPIPath(p string) bool {
	return !strings.HasPrefix(p, "/auth/") && !strings.HasPrefix(p, "/apps/") && !strings.HasPrefix(p, "/_sim/")
}
