package demo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/logging"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

type world struct {
	env     *Env
	flow    *amazon.Flow
	station *station.Station
	db      *store.DB
	dir     string
	secrets *keychain.File
}

// newWorld runs the simulator and broker in-process and a station over a
// temporary database, a file keychain and a real masked log file. The flow
// is the public-app one: codes and refreshes go through the broker.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, sim.Config{Seed: 2, Orders: 20})
}

func newWorldWith(t *testing.T, cfg sim.Config) *world {
	t.Helper()
	dir := t.TempDir()
	log, logFile, err := logging.Open(dir, nil)
	require.NoError(t, err)
	t.Cleanup(func() { logFile.Close() })
	cfg.Logger = log
	env, err := Start(cfg, "", log)
	require.NoError(t, err)
	t.Cleanup(func() { env.Close() })
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	flow := &amazon.Flow{Log: log, UserAgent: "Packbench-test/1"}
	env.Wire(flow)
	// Sign in as the public app would: the broker exchanges and refreshes.
	flow.SignInDemo = false
	flow.Endpoints = amazon.Simulator(env.SimURL)
	secrets := keychain.NewFile(dir, "")
	st := station.New(db, log).WithAmazon(flow, secrets).WithOrderSource(flow).WithShipper(flow)
	return &world{env: env, flow: flow, station: st, db: db, dir: dir, secrets: secrets}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// browser plays the seller: opens the consent URL, presses Confirm, and
// follows every redirect (Amazon -> broker -> loopback) as a browser does.
// It returns the final page and the last URL it reached.
func browser(t *testing.T, consentURL, sellerID string, follow bool) (body string, last *url.URL) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if !follow {
		hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if req.URL.Hostname() == "127.0.0.1" && strings.HasPrefix(req.URL.Path, "/callback") {
				return http.ErrUseLastResponse
			}
			return nil
		}
	}
	resp, err := hc.Get(consentURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(page))
	form := url.Values{"selling_partner_id": {sellerID}}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	base, _ := url.Parse(consentURL)
	resp, err = hc.PostForm(base.Scheme+"://"+base.Host+"/apps/authorize/confirm", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	final, _ := io.ReadAll(resp.Body)
	if !follow {
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return string(final), loc
	}
	return string(final), resp.Request.URL
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&#43;", "+").Replace(s)
}

func TestSignInWithAmazonEndToEnd(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, err := w.station.StartSignIn(ctx, "A1F83G8C2ARO7P", true)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a.ConsentURL, w.env.SimURL+"/apps/authorize/consent?"))
	assert.WithinDuration(t, time.Now().Add(5*time.Minute), a.ExpiresAt, 5*time.Second)

	type result struct {
		st  station.Store
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := w.station.FinishSignIn(ctx, a.ID)
		done <- result{st, err}
	}()
	page, last := browser(t, a.ConsentURL, sim.DemoSellerEU, true)
	assert.Equal(t, "127.0.0.1", last.Hostname(), "the broker sent the browser back to the loopback listener")
	assert.Contains(t, page, "go back to Packbench")
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, sim.DemoSellerEU, r.st.SellingPartnerID)
	assert.Equal(t, station.RegionEU, r.st.Region)
	assert.Equal(t, station.AuthBroker, r.st.Auth)
	assert.ElementsMatch(t, []string{"A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS"}, r.st.MarketplaceIDs,
		"the marketplaces came from the simulator's getMarketplaceParticipations")
	assert.Equal(t, "Demo Home Europe", r.st.Name)
	assert.WithinDuration(t, time.Now().Add(365*24*time.Hour), r.st.ReauthorizeBy(), time.Minute)

	// The listener was one-shot.
	_, err = http.Get("http://127.0.0.1:" + last.Port() + "/callback")
	assert.Error(t, err)

	// Refreshes go through the broker too.
	checked, err := w.station.CheckStore(ctx, r.st.ID)
	require.NoError(t, err)
	assert.Equal(t, station.HealthGreen, checked.Health)

	// The refresh token is in the keychain, never in the database or the log.
	rt, err := w.secrets.Get("amazon/EU/" + sim.DemoSellerEU + "/refresh_token")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(rt, "Atzr|"))
	require.NoError(t, w.db.Close())
	for _, f := range []string{"packbench.db", "packbench.db-wal", "packbench.log", "secrets.enc"} {
		raw, err := os.ReadFile(filepath.Join(w.dir, f))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		assert.False(t, bytes.Contains(raw, []byte(rt)), "refresh token found in %s", f)
		assert.False(t, bytes.Contains(raw, []byte(strings.TrimPrefix(rt, "Atzr|"))), "refresh token found in %s", f)
	}
}

func TestPasteTheRedirectURL(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)
	page, _ := browser(t, a.ConsentURL, sim.DemoSellerNA, true)
	// Port 0: the broker shows the address to paste.
	m := regexp.MustCompile(`<textarea[^>]*>([^<]+)</textarea>`).FindStringSubmatch(page)
	require.NotNil(t, m, page)
	pasted := htmlUnescape(m[1])
	assert.True(t, strings.HasPrefix(pasted, "http://127.0.0.1:0/callback?"))

	st, err := w.station.FinishPastedSignIn(ctx, a.ID, "  "+pasted+"\n")
	require.NoError(t, err)
	assert.Equal(t, sim.DemoSellerNA, st.SellingPartnerID)
	assert.Len(t, st.MarketplaceIDs, 3)

	_, err = w.station.FinishPastedSignIn(ctx, a.ID, pasted)
	assert.ErrorContains(t, err, "no longer open", "an address works once")
}

// pastedAddress signs in as the NA demo seller on the paste path and
// returns the address the broker's page shows to paste.
func pastedAddress(t *testing.T, consentURL string) string {
	t.Helper()
	page, _ := browser(t, consentURL, sim.DemoSellerNA, true)
	m := regexp.MustCompile(`<textarea[^>]*>([^<]+)</textarea>`).FindStringSubmatch(page)
	require.NotNil(t, m, page)
	return htmlUnescape(m[1])
}

// A pasted address whose selling_partner_id was changed connects nothing:
// Amazon is asked whose token it is, and a store is never recorded (nor its
// token kept) under another seller's id.
func TestAPastedAddressWithAnotherSellerIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)
	pasted := pastedAddress(t, a.ConsentURL)
	tampered := strings.Replace(pasted, "selling_partner_id="+sim.DemoSellerNA, "selling_partner_id=A2FAKESELLER99", 1)
	require.NotEqual(t, pasted, tampered)

	_, err = w.station.FinishPastedSignIn(ctx, a.ID, tampered)
	require.ErrorIs(t, err, amazon.ErrNotThisSeller)
	stores, err := w.station.Stores(ctx)
	require.NoError(t, err)
	assert.Empty(t, stores, "nothing is connected")
	_, err = w.secrets.Get("amazon/NA/A2FAKESELLER99/refresh_token")
	assert.Error(t, err, "no token is kept under the forged seller")
}

func TestBadPastedAddressesChangeNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	first, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)
	fromFirst := pastedAddress(t, first.ConsentURL)
	second, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)

	for name, c := range map[string]struct{ url, want string }{
		"malformed":      {"not a url at all", "not the address"},
		"incomplete":     {"http://127.0.0.1:0/callback?code=abc", "incomplete"},
		"other attempt":  {fromFirst, "another sign-in attempt"},
		"made-up state":  {"http://127.0.0.1:0/callback?code=abc&state=xyz&selling_partner_id=A1", "another sign-in attempt"},
		"unknown signin": {fromFirst, "no longer open"},
	} {
		id := second.ID
		if name == "unknown signin" {
			id = "nope"
		}
		_, err := w.station.FinishPastedSignIn(ctx, id, c.url)
		assert.ErrorContains(t, err, c.want, name)
	}
	stores, err := w.station.Stores(ctx)
	require.NoError(t, err)
	assert.Empty(t, stores)
}

func TestAnExpiredPastedAddressIsRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)
	page, _ := browser(t, a.ConsentURL, sim.DemoSellerNA, true)
	pasted := htmlUnescape(regexp.MustCompile(`<textarea[^>]*>([^<]+)</textarea>`).FindStringSubmatch(page)[1])
	w.flow.SetClock(func() time.Time { return time.Now().Add(5*time.Minute + time.Second) })
	_, err = w.station.FinishPastedSignIn(ctx, a.ID, pasted)
	assert.ErrorContains(t, err, "older than 5 minutes")
}

func TestABrowserThatNeverComesBackTimesOut(t *testing.T) {
	w := newWorld(t)
	a, err := w.station.StartSignIn(context.Background(), "ATVPDKIKX0DER", true)
	require.NoError(t, err)
	port := loopbackPort(t, a.ConsentURL)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = w.station.FinishSignIn(ctx, a.ID)
	assert.Error(t, err)
	// The listener is closed afterwards.
	_, err = http.Get("http://127.0.0.1:" + port + "/callback")
	assert.Error(t, err)
}

func loopbackPort(t *testing.T, consent string) string {
	t.Helper()
	u, err := url.Parse(consent)
	require.NoError(t, err)
	st, err := amazon.DecodeState(u.Query().Get("state"))
	require.NoError(t, err)
	require.Positive(t, st.Port)
	return strconv.Itoa(st.Port)
}

func TestALoopbackCallbackFromAnotherAttemptIsRefused(t *testing.T) {
	w := newWorld(t)
	a, err := w.station.StartSignIn(context.Background(), "ATVPDKIKX0DER", true)
	require.NoError(t, err)
	defer w.station.CancelSignIn(a.ID)
	resp, err := http.Get("http://127.0.0.1:" + loopbackPort(t, a.ConsentURL) + "/callback?code=x&state=forged&selling_partner_id=A1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
}

func TestBrokerUnreachableAndRevokedAuthorization(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st, err := w.station.ConnectDemo(ctx, station.RegionNA)
	require.NoError(t, err)
	assert.Equal(t, station.AuthDemo, st.Auth)

	// Revoked: the store turns red with "reauthorize", and the token source stops asking.
	w.env.Sim.RevokeSeller(sim.DemoSellerNA)
	checked, err := w.station.CheckStore(ctx, st.ID)
	assert.ErrorIs(t, err, station.ErrReauthorize)
	assert.Equal(t, station.HealthRed, checked.Health)
	assert.Contains(t, checked.HealthReason, "reauthorize")

	// A sign-in whose broker is down says so plainly, and saves nothing.
	w.flow.Broker = amazon.BrokerClient{BaseURL: "http://127.0.0.1:1"}
	a, err := w.station.StartSignIn(ctx, "ATVPDKIKX0DER", false)
	require.NoError(t, err)
	page, _ := browser(t, a.ConsentURL, sim.DemoSellerNA, true)
	pasted := htmlUnescape(regexp.MustCompile(`<textarea[^>]*>([^<]+)</textarea>`).FindStringSubmatch(page)[1])
	_, err = w.station.FinishPastedSignIn(ctx, a.ID, pasted)
	assert.ErrorContains(t, err, "sign-in service could not be reached")
}

func TestReauthorizeKeepsSettingsAndDisconnectForgetsSecrets(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st, err := w.station.ConnectDemo(ctx, station.RegionEU)
	require.NoError(t, err)
	_, err = w.station.SaveOrders(ctx, st.ID, []station.Order{{AmazonOrderID: "202-0000001-0000001", MarketplaceID: "A1F83G8C2ARO7P",
		PurchasedAt: time.Now(), LastUpdatedAt: time.Now(), AmazonStatus: station.AmazonUnshipped}})
	require.NoError(t, err)

	// Reauthorize through the browser: same store, same id, its orders stay.
	a, err := w.station.StartSignIn(ctx, "A1F83G8C2ARO7P", true)
	require.NoError(t, err)
	done := make(chan error, 1)
	var again station.Store
	go func() {
		var err error
		again, err = w.station.FinishSignIn(ctx, a.ID)
		done <- err
	}()
	browser(t, a.ConsentURL, sim.DemoSellerEU, true)
	require.NoError(t, <-done)
	assert.Equal(t, st.ID, again.ID)
	counts, err := w.station.StatusCounts(ctx, station.OrderFilter{StoreID: st.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, counts[station.StatusReady])

	require.NoError(t, w.station.DisconnectStore(ctx, st.ID))
	_, err = w.secrets.Get("amazon/EU/" + sim.DemoSellerEU + "/refresh_token")
	assert.ErrorIs(t, err, station.ErrSecretNotFound)
	gone, err := w.db.GetStore(ctx, st.ID)
	require.NoError(t, err)
	assert.False(t, gone.DisconnectedAt.IsZero())
	assert.Equal(t, station.HealthRed, gone.Health)
	_, err = w.station.StoreCredentials(gone)
	assert.ErrorContains(t, err, "disconnected")
	counts, _ = w.station.StatusCounts(ctx, station.OrderFilter{StoreID: st.ID})
	assert.Equal(t, 1, counts[station.StatusReady], "its orders stay")
}

func TestOwnAppBadInputs(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	good := station.OwnApp{Region: station.RegionNA, SellingPartnerID: sim.DemoSellerNA, ClientID: sim.DemoClientID,
		ClientSecret: sim.DemoClientSecret, RefreshToken: sim.DemoRefreshToken(sim.DemoSellerNA)}
	for name, c := range map[string]struct {
		mut  func(*station.OwnApp)
		want string
	}{
		"client id":     {func(a *station.OwnApp) { a.ClientID = "hello" }, "amzn1.application-oa2-client."},
		"refresh token": {func(a *station.OwnApp) { a.RefreshToken = "abc" }, "Atzr|"},
		"no region":     {func(a *station.OwnApp) { a.Region = "" }, "region"},
		"seller id":     {func(a *station.OwnApp) { a.SellingPartnerID = "x" }, "merchant token"},
		"wrong secret":  {func(a *station.OwnApp) { a.ClientSecret = "amzn1.oa2-cs.v1.wrong" }, "client id or secret"},
		"unknown token": {func(a *station.OwnApp) { a.RefreshToken = "Atzr|not-issued" }, "reauthorize"},
		"wrong region":  {func(a *station.OwnApp) { a.Region = station.RegionEU }, "no EU marketplace"},
	} {
		app := good
		c.mut(&app)
		_, err := w.station.ConnectOwnApp(ctx, app)
		assert.ErrorContains(t, err, c.want, name)
	}
	stores, _ := w.station.Stores(ctx)
	assert.Empty(t, stores, "bad input changes nothing")

	// Own-app stores talk to Flow.Endpoints, here the simulator.
	st, err := w.station.ConnectOwnApp(ctx, good)
	require.NoError(t, err)
	assert.Equal(t, station.AuthOwnApp, st.Auth)
}
