package amazon

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/station"
)

// SignInLifetime is how long a sign-in waits: Amazon's code lives 5 minutes.
const SignInLifetime = 5 * time.Minute

// Flow implements station.Amazon: signing in, own-app and demo credentials,
// and the calls that test a connection.
type Flow struct {
	// Endpoints serve broker and own-app stores: Amazon's hosts, or one
	// simulator URL when the app is pointed at one.
	Endpoints Endpoints
	// DemoEndpoints serve demo stores: the built-in or an external simulator.
	DemoEndpoints Endpoints
	// SignInDemo makes the sign-in produce demo stores: the consent page and
	// broker are the simulator's, refreshed with DemoClient straight at its LWA.
	SignInDemo bool
	DemoClient struct{ ID, Secret string }

	ApplicationID string // the public app's id on the consent URL
	Draft         bool   // adds version=beta while the public app is a draft
	Broker        BrokerClient
	HTTP          *http.Client
	UserAgent     string
	Log           *slog.Logger
	// Demo returns the simulator's credentials for a region's demo seller; nil without a simulator.
	Demo func(ctx context.Context, region station.Region) (station.Credentials, error)

	mu       sync.Mutex
	attempts map[string]*attempt
	now      func() time.Time
	// ReportPoll is how often a report's status is asked (default 15 s).
	ReportPoll time.Duration
	// RetryBase is the first back-off after a failed call (default 1 s).
	RetryBase time.Duration
	// limiters are shared by every client of one seller account: Amazon's
	// buckets are per selling partner and application.
	limiters map[string]*Limiter
	// benches is how many benches share the seller's limits (SetBenches).
	benches int
	// tokens are shared the same way, per refresh token: an access token
	// lives an hour, and asking Login with Amazon for one on every call
	// would put a sign-in round trip in front of every label.
	tokens map[string]*TokenSource
}

type attempt struct {
	id, state, verifier string
	region              station.Region
	expires             time.Time
	loopback            *Loopback
	used                bool
}

var _ station.Amazon = (*Flow)(nil)

// SetClock replaces the flow's clock (tests of expiry).
func (f *Flow) SetClock(now func() time.Time) { f.now = now }

func (f *Flow) clock() time.Time {
	if f.now != nil {
		return f.now()
	}
	return time.Now()
}

// StartSignIn makes a consent URL (and, for loopback, the listener).
func (f *Flow) StartSignIn(_ context.Context, marketplaceID string, loopback bool) (station.SignInAttempt, error) {
	mp, ok := station.MarketplaceByID(marketplaceID)
	if !ok {
		return station.SignInAttempt{}, fmt.Errorf("unknown marketplace %q", marketplaceID)
	}
	if f.ApplicationID == "" || f.Broker.BaseURL == "" {
		return station.SignInAttempt{}, errors.New("this build has no Amazon app registered for sign-in: use your own developer app, or the demo store")
	}
	verifier, challenge := NewVerifier()
	a := &attempt{id: randomString(12), verifier: verifier, region: mp.Region, expires: f.clock().Add(SignInLifetime)}
	st := State{Nonce: randomString(16), Challenge: challenge}
	if loopback {
		l, err := ListenLoopback()
		if err != nil {
			return station.SignInAttempt{}, err
		}
		a.loopback, st.Port = l, l.Port()
	}
	a.state = st.Encode()
	if a.loopback != nil {
		a.loopback.Serve(a.state)
	}
	f.mu.Lock()
	if f.attempts == nil {
		f.attempts = map[string]*attempt{}
	}
	f.attempts[a.id] = a
	f.mu.Unlock()
	sc := f.Endpoints.SellerCentralURL(marketplaceID)
	if f.SignInDemo {
		sc = f.DemoEndpoints.SellerCentralURL(marketplaceID)
	}
	return station.SignInAttempt{ID: a.id, ConsentURL: ConsentURL(sc, f.ApplicationID, a.state, f.Draft),
		ExpiresAt: a.expires, Loopback: loopback}, nil
}

func (f *Flow) attempt(id string) (*attempt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.attempts[id]
	if a == nil {
		return nil, errors.New("this sign-in is no longer open: start it again")
	}
	return a, nil
}

// WaitSignIn waits (at most until the attempt expires) for the browser.
func (f *Flow) WaitSignIn(ctx context.Context, id string) (station.Credentials, error) {
	a, err := f.attempt(id)
	if err != nil {
		return station.Credentials{}, err
	}
	if a.loopback == nil {
		return station.Credentials{}, errors.New("this sign-in waits for a pasted address, not for the browser")
	}
	defer f.CancelSignIn(id)
	wctx, cancel := context.WithDeadline(ctx, a.expires)
	defer cancel()
	cb, err := a.loopback.Wait(wctx)
	if err != nil {
		return station.Credentials{}, err
	}
	return f.exchange(ctx, a, cb)
}

// CompleteSignIn finishes an attempt with the address the seller pasted.
func (f *Flow) CompleteSignIn(ctx context.Context, id, pasted string) (station.Credentials, error) {
	cb, err := ParseCallback(pasted)
	if err != nil {
		return station.Credentials{}, err
	}
	a, err := f.attempt(id)
	if err != nil {
		return station.Credentials{}, err
	}
	f.mu.Lock()
	switch {
	case cb.State != a.state:
		f.mu.Unlock()
		return station.Credentials{}, errors.New("this address is from another sign-in attempt: paste the address from the sign-in you started last, or start again")
	case a.used:
		f.mu.Unlock()
		return station.Credentials{}, errors.New("this address was used already: start the sign-in again")
	case f.clock().After(a.expires):
		f.mu.Unlock()
		return station.Credentials{}, errors.New("this address is older than 5 minutes and Amazon's code in it has expired: start the sign-in again")
	}
	a.used = true
	f.mu.Unlock()
	defer f.CancelSignIn(id)
	return f.exchange(ctx, a, cb)
}

func (f *Flow) exchange(ctx context.Context, a *attempt, cb Callback) (station.Credentials, error) {
	tok, err := f.Broker.ExchangeCode(ctx, cb.Code, a.verifier, cb.State)
	if err != nil {
		return station.Credentials{}, err
	}
	if tok.Refresh == "" {
		return station.Credentials{}, errors.New("Amazon sent no refresh token: sign in again")
	}
	c := station.Credentials{Auth: station.AuthBroker, Region: a.region, SellingPartnerID: cb.SellingPartnerID, RefreshToken: tok.Refresh}
	if f.SignInDemo {
		c.Auth, c.ClientID, c.ClientSecret = station.AuthDemo, f.DemoClient.ID, f.DemoClient.Secret
	}
	return c, nil
}

// CancelSignIn closes the listener and forgets the attempt.
func (f *Flow) CancelSignIn(id string) {
	f.mu.Lock()
	a := f.attempts[id]
	delete(f.attempts, id)
	f.mu.Unlock()
	if a != nil && a.loopback != nil {
		a.loopback.Close()
	}
}

var sellerIDPattern = regexp.MustCompile(`^[A-Z0-9]{8,20}$`)

// refresher picks who refreshes a store's tokens: the broker for the
// public app, LWA itself for an own app or the demo store.
func (f *Flow) refresher(c station.Credentials) (Refresher, error) {
	switch c.Auth {
	case station.AuthBroker:
		return f.Broker, nil
	case station.AuthOwnApp:
		return LWA{TokenURL: f.Endpoints.LWATokenURL, ClientID: c.ClientID, ClientSecret: c.ClientSecret, HTTP: f.HTTP}, nil
	case station.AuthDemo:
		return LWA{TokenURL: f.DemoEndpoints.LWATokenURL, ClientID: c.ClientID, ClientSecret: c.ClientSecret, HTTP: f.HTTP}, nil
	}
	return nil, fmt.Errorf("unknown connection kind %q", c.Auth)
}

// NewClient makes an SP-API client for a store's credentials.
func (f *Flow) NewClient(c station.Credentials) (*Client, error) {
	r, err := f.refresher(c)
	if err != nil {
		return nil, err
	}
	base := f.Endpoints.SPAPI[c.Region]
	if c.Auth == station.AuthDemo {
		base = f.DemoEndpoints.SPAPI[c.Region]
	}
	if base == "" {
		return nil, fmt.Errorf("no Selling Partner API endpoint for region %s", c.Region)
	}
	lim := f.limiter(c)
	key := tokenKey(base, r, c)
	f.mu.Lock()
	if f.tokens == nil {
		f.tokens = map[string]*TokenSource{}
	}
	ts := f.tokens[key]
	if ts == nil {
		ts = NewTokenSource(r, c.RefreshToken)
		f.tokens[key] = ts
	}
	f.mu.Unlock()
	return &Client{Base: base, Tokens: ts, HTTP: f.HTTP, UserAgent: f.UserAgent, Log: f.Log,
		Limiter: lim, ReportPoll: f.ReportPoll, RetryBase: f.RetryBase}, nil
}

// tokenKey names a store's token source: the same seller, app, refresh
// token and hosts share one; anything changed (a reauthorization, a fixed
// secret, a restarted simulator) gets a new one. Hashed: the map holds no
// secret.
func tokenKey(base string, r Refresher, c station.Credentials) string {
	via := ""
	switch r := r.(type) {
	case LWA:
		via = r.TokenURL
	case BrokerClient:
		via = r.BaseURL
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{base, via, limiterKey(c), c.ClientID, c.ClientSecret, c.RefreshToken}, "\x00")))
	return string(sum[:])
}

func limiterKey(c station.Credentials) string {
	return string(c.Region) + "/" + c.SellingPartnerID + "/" + string(c.Auth)
}

// limiter is the seller account's rate limiter, made on first use.
func (f *Flow) limiter(c station.Credentials) *Limiter {
	key := limiterKey(c)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limiters == nil {
		f.limiters = map[string]*Limiter{}
	}
	lim := f.limiters[key]
	if lim == nil {
		lim = NewLimiter()
		if f.benches > 1 {
			lim.SetShare(1 / float64(f.benches))
		}
		f.limiters[key] = lim
	}
	return lim
}

// SetBenches says how many benches of a shared order queue call Amazon for
// the same sellers: each takes its part of the limits every bench uses.
func (f *Flow) SetBenches(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.benches = max(1, n)
	for _, lim := range f.limiters {
		lim.SetShare(1 / float64(f.benches))
	}
}

// CallWait is how long a call of op for this seller would wait for its
// rate limit now (0: it goes at once).
func (f *Flow) CallWait(c station.Credentials, op string) time.Duration {
	return f.limiter(c).Delay(op)
}

var _ station.OrderSource = (*Flow)(nil)

func withProgress(cl *Client, progress func(station.ImportProgress)) {
	if progress != nil {
		cl.OnWait = func(op string, d time.Duration) { progress(station.ImportProgress{Stage: "waiting", Waiting: d}) }
	}
}

// ReportOrders bootstraps a store from the Unshipped Orders report.
func (f *Flow) ReportOrders(ctx context.Context, c station.Credentials, marketplaceIDs []string, progress func(station.ImportProgress)) ([]station.Order, time.Time, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, time.Time{}, err
	}
	withProgress(cl, progress)
	return cl.ReportOrders(ctx, marketplaceIDs, progress)
}

// SearchUpdated pages through the orders updated in a window.
func (f *Flow) SearchUpdated(ctx context.Context, c station.Credentials, q station.UpdatedQuery, progress func(station.ImportProgress), page func(station.SearchPage) error) error {
	cl, err := f.NewClient(c)
	if err != nil {
		return err
	}
	withProgress(cl, progress)
	return cl.SearchUpdated(ctx, q, page)
}

// Participations tests credentials with getMarketplaceParticipations.
// Participations also checks that the credentials are the named seller's
// (VerifySeller): a store is never recorded under another seller's id.
func (f *Flow) Participations(ctx context.Context, c station.Credentials) ([]station.Participation, error) {
	if c.Auth == station.AuthOwnApp && !sellerIDPattern.MatchString(c.SellingPartnerID) {
		return nil, errors.New("the seller id (merchant token) is 8 to 20 capital letters and digits: find it in Seller Central under Settings > Account Info > Merchant Token")
	}
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, err
	}
	// A connection test proves the refresh token still works: it gets an
	// access token of its own rather than the one the store's calls share.
	cl.Tokens = NewTokenSource(cl.Tokens.refresher, c.RefreshToken)
	parts, err := cl.MarketplaceParticipations(ctx)
	if err != nil {
		return nil, err
	}
	// The seller id came with the redirect (or was typed): check with Amazon
	// that the token is that seller's before anything is stored under it.
	for _, p := range parts {
		if p.Participating {
			if err := cl.VerifySeller(ctx, c.SellingPartnerID, p.MarketplaceID); err != nil {
				return nil, err
			}
			break
		}
	}
	return parts, nil
}

// DemoCredentials are the simulator's, when the app runs one.
func (f *Flow) DemoCredentials(ctx context.Context, region station.Region) (station.Credentials, error) {
	if f.Demo == nil {
		return station.Credentials{}, errors.New("no Amazon simulator is running: start Packbench with --demo or --amazon-sim URL")
	}
	return f.Demo(ctx, region)
}

// SignInIsSimulated reports that sign-in goes to the simulator.
func (f *Flow) SignInIsSimulated() bool { return f.SignInDemo }

// CatalogPackage looks a product's package up in Amazon's catalog.
func (f *Flow) CatalogPackage(ctx context.Context, c station.Credentials, p station.CatalogLookup) (station.Weight, station.Dimensions, bool, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return station.Weight{}, station.Dimensions{}, false, err
	}
	if p.ASIN == "" {
		return cl.CatalogPackageBySKU(ctx, p.MarketplaceID, c.SellingPartnerID, p.SKU)
	}
	return cl.CatalogPackage(ctx, p.MarketplaceID, p.ASIN)
}

var _ station.Shipper = (*Flow)(nil)

// RefreshOrder is getOrder: the order's state on Amazon now.
func (f *Flow) RefreshOrder(ctx context.Context, c station.Credentials, amazonOrderID string) (station.Order, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return station.Order{}, err
	}
	return cl.GetOrder(ctx, amazonOrderID)
}

// Rates is getRates.
func (f *Flow) Rates(ctx context.Context, c station.Credentials, req station.RateRequest) (station.RateQuote, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return station.RateQuote{}, err
	}
	return cl.GetRates(ctx, req)
}

// Purchase is purchaseShipment under the intent's idempotency key.
func (f *Flow) Purchase(ctx context.Context, c station.Credentials, p station.PurchaseRequest) (station.Purchased, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return station.Purchased{}, err
	}
	return cl.Purchase(ctx, p)
}

// Documents is getShipmentDocuments.
func (f *Flow) Documents(ctx context.Context, c station.Credentials, shipmentID, packageRef string, format station.LabelFormat) ([]byte, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, err
	}
	return cl.Documents(ctx, shipmentID, packageRef, format)
}

// Cancel is cancelShipment.
func (f *Flow) Cancel(ctx context.Context, c station.Credentials, shipmentID string) error {
	cl, err := f.NewClient(c)
	if err != nil {
		return err
	}
	return cl.Cancel(ctx, shipmentID)
}

// Track is getTracking: where the parcel is.
func (f *Flow) Track(ctx context.Context, c station.Credentials, sh station.Shipment) (station.Tracking, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return station.Tracking{}, err
	}
	return cl.Tracking(ctx, sh.TrackingID, sh.CarrierID)
}

// ConfirmShipment is confirmShipment for a package shipped outside Buy Shipping.
func (f *Flow) ConfirmShipment(ctx context.Context, c station.Credentials, o station.Order, s station.ManualShipment) error {
	cl, err := f.NewClient(c)
	if err != nil {
		return err
	}
	return cl.ConfirmShipment(ctx, o, s)
}

// CatalogImage is a product's MAIN image from Amazon's catalog.
func (f *Flow) CatalogImage(ctx context.Context, c station.Credentials, marketplaceID, asin string) ([]byte, bool, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, false, err
	}
	return cl.CatalogImage(ctx, marketplaceID, asin)
}

// CatalogIdentifiers is a product's barcodes from Amazon's catalog.
func (f *Flow) CatalogIdentifiers(ctx context.Context, c station.Credentials, marketplaceID, asin string) ([]string, error) {
	cl, err := f.NewClient(c)
	if err != nil {
		return nil, err
	}
	return cl.CatalogIdentifiers(ctx, marketplaceID, asin)
}
