package station

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrReauthorize means Amazon refused the store's refresh token
// (invalid_grant): the seller revoked the app or the 365-day authorization
// ran out. Nothing retries it; the seller reauthorizes.
var ErrReauthorize = errors.New("Amazon no longer accepts this store's authorization: reauthorize it")

// ErrAppCredentials means LWA refused the app's client id or secret: for an
// own app, the seller must enter them again (they rotate every 180 days).
var ErrAppCredentials = errors.New("Amazon refused the app's client id or secret")

// ReauthorizeAfter is how long a public app's authorization lasts (docs/amazon.md, "Signing in").
const ReauthorizeAfter = 365 * 24 * time.Hour

// Credentials are what a store needs to call Amazon. The secrets in it
// (RefreshToken, ClientSecret) only ever live in the Secrets store.
type Credentials struct {
	Auth             AuthKind
	Region           Region
	SellingPartnerID string
	RefreshToken     string
	ClientID         string // own app only
	ClientSecret     string // own app only
}

// Participation is one marketplace a seller account sells in.
type Participation struct {
	MarketplaceID string
	StoreName     string
	Participating bool
}

// SignInAttempt is a Login with Amazon in progress.
type SignInAttempt struct {
	ID         string
	ConsentURL string
	ExpiresAt  time.Time // the browser must come back (or the URL be pasted) before this
	Loopback   bool      // the app listens for the browser's return
}

// Amazon is what connecting stores needs from Amazon; integrations/amazon implements it.
type Amazon interface {
	// StartSignIn makes the consent URL for the marketplace's region. With
	// loopback the app listens for the browser's return; without, the
	// seller pastes the redirect URL.
	StartSignIn(ctx context.Context, marketplaceID string, loopback bool) (SignInAttempt, error)
	// WaitSignIn waits for the browser to come back and exchanges the code.
	WaitSignIn(ctx context.Context, attemptID string) (Credentials, error)
	// CompleteSignIn finishes an attempt with a pasted redirect URL.
	CompleteSignIn(ctx context.Context, attemptID, pastedURL string) (Credentials, error)
	// CancelSignIn stops waiting and forgets the attempt.
	CancelSignIn(attemptID string)
	// Participations tests credentials and lists the seller's marketplaces.
	Participations(ctx context.Context, c Credentials) ([]Participation, error)
	// DemoCredentials are the built-in simulator's credentials for a region's demo seller.
	DemoCredentials(ctx context.Context, region Region) (Credentials, error)
	// SignInIsSimulated reports that "Sign in with Amazon" goes to the
	// simulator because no public app is registered with Amazon in this build.
	SignInIsSimulated() bool
}

// SignInIsSimulated tells the UI to say that sign-in reaches the simulator.
func (s *Station) SignInIsSimulated() bool {
	return s.amazon != nil && s.amazon.SignInIsSimulated()
}

// CanConnect reports whether an Amazon side is wired at all.
func (s *Station) CanConnect() bool { return s.amazon != nil && s.secrets != nil }

// Secrets keeps tokens and client secrets out of the database: in the OS
// keychain, or an encrypted file where no keychain runs.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}

// ErrSecretNotFound is returned by Secrets.Get for a missing key.
var ErrSecretNotFound = errors.New("secret not found")

// StoreSecretNames are the secrets a store's connection keeps (its
// refresh token, and its client secret when it uses the seller's own app).
func StoreSecretNames(st Store) []string {
	return []string{secretKey(st.Region, st.SellingPartnerID, "refresh_token"), secretKey(st.Region, st.SellingPartnerID, "client_secret")}
}

func secretKey(region Region, sellerID, what string) string {
	return fmt.Sprintf("amazon/%s/%s/%s", region, sellerID, what)
}

// WithAmazon attaches the Amazon side and the secret store.
func (s *Station) WithAmazon(a Amazon, secrets Secrets) *Station {
	s.amazon, s.secrets = a, secrets
	return s
}

func (s *Station) needAmazon() error {
	if s.amazon == nil || s.secrets == nil {
		return errors.New("this build has no Amazon connection configured")
	}
	return nil
}

// StartSignIn begins "Sign in with Amazon" (loopback) or "Paste the redirect URL".
func (s *Station) StartSignIn(ctx context.Context, marketplaceID string, loopback bool) (SignInAttempt, error) {
	if err := s.needAmazon(); err != nil {
		return SignInAttempt{}, err
	}
	if _, ok := MarketplaceByID(marketplaceID); !ok {
		return SignInAttempt{}, fmt.Errorf("unknown marketplace %q: pick your store's marketplace from the list", marketplaceID)
	}
	return s.amazon.StartSignIn(ctx, marketplaceID, loopback)
}

// FinishSignIn waits for the browser and connects (or reauthorizes) the store.
func (s *Station) FinishSignIn(ctx context.Context, attemptID string) (Store, error) {
	creds, err := s.amazon.WaitSignIn(ctx, attemptID)
	if err != nil {
		return Store{}, err
	}
	return s.connect(ctx, creds)
}

// FinishPastedSignIn connects the store from a pasted redirect URL.
func (s *Station) FinishPastedSignIn(ctx context.Context, attemptID, pastedURL string) (Store, error) {
	if err := s.needAmazon(); err != nil {
		return Store{}, err
	}
	creds, err := s.amazon.CompleteSignIn(ctx, attemptID, pastedURL)
	if err != nil {
		return Store{}, err
	}
	return s.connect(ctx, creds)
}

// CancelSignIn abandons a sign-in.
func (s *Station) CancelSignIn(attemptID string) {
	if s.amazon != nil {
		s.amazon.CancelSignIn(attemptID)
	}
}

// OwnApp is "Use my own developer app": a seller's private SP-API app.
type OwnApp struct {
	Region           Region
	SellingPartnerID string // the merchant token (Seller Central > Settings > Account Info)
	ClientID         string
	ClientSecret     string
	RefreshToken     string
}

// ConnectOwnApp connects a store with the seller's own app credentials.
func (s *Station) ConnectOwnApp(ctx context.Context, app OwnApp) (Store, error) {
	if err := s.needAmazon(); err != nil {
		return Store{}, err
	}
	app.ClientID, app.ClientSecret, app.RefreshToken = strings.TrimSpace(app.ClientID), strings.TrimSpace(app.ClientSecret), strings.TrimSpace(app.RefreshToken)
	app.SellingPartnerID = strings.ToUpper(strings.TrimSpace(app.SellingPartnerID))
	switch {
	case app.Region != RegionNA && app.Region != RegionEU && app.Region != RegionFE:
		return Store{}, errors.New("choose the region your app was authorized in: North America, Europe or Far East")
	case !strings.HasPrefix(app.ClientID, "amzn1.application-oa2-client."):
		return Store{}, errors.New("the client id starts with amzn1.application-oa2-client.: copy it from your app's LWA credentials in Seller Central (Develop Apps)")
	case app.ClientSecret == "":
		return Store{}, errors.New("the client secret is missing: copy it from your app's LWA credentials")
	case !strings.HasPrefix(app.RefreshToken, "Atzr|"):
		return Store{}, errors.New("the refresh token starts with Atzr|: use Authorize on your app in Seller Central (Develop Apps) to get one")
	}
	return s.connect(ctx, Credentials{Auth: AuthOwnApp, Region: app.Region, SellingPartnerID: app.SellingPartnerID, RefreshToken: app.RefreshToken,
		ClientID: app.ClientID, ClientSecret: app.ClientSecret})
}

// ConnectDemo connects the built-in simulator's demo seller for a region.
func (s *Station) ConnectDemo(ctx context.Context, region Region) (Store, error) {
	if err := s.needAmazon(); err != nil {
		return Store{}, err
	}
	creds, err := s.amazon.DemoCredentials(ctx, region)
	if err != nil {
		return Store{}, err
	}
	st, err := s.connect(ctx, creds)
	if err != nil {
		return Store{}, err
	}
	// The demo ships from a demo warehouse, so its first label is one click away.
	if _, err := s.repo.ShipFrom(ctx, st.ID); errors.Is(err, ErrNotFound) {
		_ = s.repo.SetShipFrom(ctx, st.ID, demoWarehouse[region])
	}
	return st, nil
}

var demoWarehouse = map[Region]Address{
	RegionNA: {Name: "Demo Warehouse", Line1: "410 Terry Ave N", City: "Seattle", State: "WA", PostalCode: "98109", CountryCode: "US", Phone: "+1 206 555 0100"},
	RegionEU: {Name: "Demo Warehouse", Line1: "1 Principal Place", City: "London", State: "London", PostalCode: "E1 6QL", CountryCode: "GB", Phone: "+44 20 7946 0000"},
	RegionFE: {Name: "Demo Warehouse", Line1: "1-8-1 Shimomeguro", City: "Meguro-ku", State: "Tokyo", PostalCode: "153-0064", CountryCode: "JP", Phone: "+81 3 5555 0100"},
}

// connect tests the credentials with getMarketplaceParticipations, keeps
// the secrets in the keychain and saves the store. A store that exists
// already (same seller and region) is reauthorized: its settings, mappings
// and orders stay.
func (s *Station) connect(ctx context.Context, creds Credentials) (Store, error) {
	parts, err := s.amazon.Participations(ctx, creds)
	if err != nil {
		return Store{}, fmt.Errorf("Amazon did not accept the connection: %w", err)
	}
	if creds.SellingPartnerID == "" {
		return Store{}, errors.New("Amazon did not say which seller account this is: sign in again")
	}
	var mps []string
	name := ""
	for _, p := range parts {
		if mp, ok := MarketplaceByID(p.MarketplaceID); ok && p.Participating && mp.Region == creds.Region {
			mps = append(mps, p.MarketplaceID)
			if name == "" {
				name = p.StoreName
			}
		}
	}
	if len(mps) == 0 {
		return Store{}, fmt.Errorf("this seller account sells in no %s marketplace: check the region you chose", creds.Region)
	}
	if name == "" {
		name = creds.SellingPartnerID
	}
	if err := s.secrets.Set(secretKey(creds.Region, creds.SellingPartnerID, "refresh_token"), creds.RefreshToken); err != nil {
		return Store{}, fmt.Errorf("could not keep the authorization in the keychain: %w", err)
	}
	if creds.ClientSecret != "" {
		if err := s.secrets.Set(secretKey(creds.Region, creds.SellingPartnerID, "client_secret"), creds.ClientSecret); err != nil {
			return Store{}, fmt.Errorf("could not keep the client secret in the keychain: %w", err)
		}
	}
	now := s.now()
	existing, err := s.repo.FindStore(ctx, creds.SellingPartnerID, creds.Region)
	switch {
	case err == nil:
		if err := s.repo.Reauthorize(ctx, existing.ID, creds.Auth, creds.ClientID, mps, now); err != nil {
			return Store{}, err
		}
		s.audit(ctx, AuditEntry{StoreID: existing.ID, Action: "store reauthorized"})
		return s.repo.GetStore(ctx, existing.ID)
	case !errors.Is(err, ErrNotFound):
		return Store{}, err
	}
	slices.Sort(mps)
	st, err := s.repo.CreateStore(ctx, Store{Name: name, Region: creds.Region, SellingPartnerID: creds.SellingPartnerID,
		Auth: creds.Auth, ClientID: creds.ClientID, Health: HealthGreen, MarketplaceIDs: mps, AuthorizedAt: now, CreatedAt: now})
	if err != nil {
		return Store{}, err
	}
	s.audit(ctx, AuditEntry{StoreID: st.ID, Action: "store connected", Detail: strings.Join(mps, ",")})
	return st, nil
}

// StoreCredentials loads a store's credentials from the keychain for a call to Amazon.
func (s *Station) StoreCredentials(st Store) (Credentials, error) {
	if s.secrets == nil {
		return Credentials{}, errors.New("no keychain configured")
	}
	if !st.DisconnectedAt.IsZero() {
		return Credentials{}, fmt.Errorf("store %s is disconnected: connect it again to use it", st.Name)
	}
	rt, err := s.secrets.Get(secretKey(st.Region, st.SellingPartnerID, "refresh_token"))
	if err != nil {
		return Credentials{}, fmt.Errorf("the authorization of %s is missing from the keychain: reauthorize the store (%w)", st.Name, err)
	}
	c := Credentials{Auth: st.Auth, Region: st.Region, SellingPartnerID: st.SellingPartnerID, RefreshToken: rt, ClientID: st.ClientID}
	if st.Auth == AuthOwnApp || st.Auth == AuthDemo {
		if c.ClientSecret, err = s.secrets.Get(secretKey(st.Region, st.SellingPartnerID, "client_secret")); err != nil {
			return Credentials{}, fmt.Errorf("the client secret of %s is missing from the keychain: reconnect with your app's credentials (%w)", st.Name, err)
		}
	}
	return c, nil
}

// CheckStore calls Amazon with a store's credentials and records its health:
// red with "Reauthorize" when Amazon refuses the authorization, amber when
// Amazon cannot be reached, green otherwise.
func (s *Station) CheckStore(ctx context.Context, id int64) (Store, error) {
	if err := s.needAmazon(); err != nil {
		return Store{}, err
	}
	st, err := s.repo.GetStore(ctx, id)
	if err != nil {
		return Store{}, err
	}
	creds, err := s.StoreCredentials(st)
	if err == nil {
		_, err = s.amazon.Participations(ctx, creds)
	}
	health, reason := healthAfter(err, "Amazon could not be reached; retrying later")
	if err != nil && !st.DisconnectedAt.IsZero() {
		health, reason = HealthRed, "Disconnected"
	}
	if serr := s.repo.SetStoreHealth(ctx, id, health, reason); serr != nil {
		return Store{}, serr
	}
	st.Health, st.HealthReason = health, reason
	return st, err
}

// DisconnectStore forgets a store's secrets and stops its imports. Its
// orders stay on this bench (labels can still be reprinted from what is
// stored) until they are redacted; connecting again picks them up.
func (s *Station) DisconnectStore(ctx context.Context, id int64) error {
	st, err := s.repo.GetStore(ctx, id)
	if err != nil {
		return err
	}
	if s.secrets != nil {
		for _, what := range []string{"refresh_token", "client_secret"} {
			if err := s.secrets.Delete(secretKey(st.Region, st.SellingPartnerID, what)); err != nil && !errors.Is(err, ErrSecretNotFound) {
				return fmt.Errorf("could not remove the store's secrets from the keychain: %w", err)
			}
		}
	}
	if err := s.repo.Disconnect(ctx, id, s.now()); err != nil {
		return err
	}
	s.audit(ctx, AuditEntry{StoreID: id, Action: "store disconnected"})
	return nil
}

func (s *Station) audit(ctx context.Context, e AuditEntry) {
	if err := s.repo.Audit(ctx, e); err != nil {
		s.log.Warn("audit entry not written", "action", e.Action, "err", err)
	}
}

// healthAfter is a store's traffic light after a call to Amazon: red when
// only the seller can fix it (reauthorize, new app credentials), amber with
// transient as the reason for anything else that failed, green otherwise.
func healthAfter(err error, transient string) (Health, string) {
	switch {
	case err == nil:
		return HealthGreen, ""
	case errors.Is(err, ErrReauthorize):
		return HealthRed, "Amazon refused the authorization (revoked or expired): reauthorize the store"
	case errors.Is(err, ErrAppCredentials):
		return HealthRed, "Amazon refused the app's client id or secret: connect again with the current ones"
	}
	return HealthAmber, transient
}
