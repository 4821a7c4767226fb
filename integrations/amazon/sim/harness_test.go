package sim

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon/contract"
)

// coverage records which operations answered which status classes with a
// response that passed validation against Amazon's model.
var coverage = struct {
	sync.Mutex
	seen map[string]map[int]bool
}{seen: map[string]map[int]bool{}}

// contractOperations must each be validated with a success and an error.
var contractOperations = []string{"searchOrders", "getOrder", "confirmShipment", "createReport", "getReport",
	"getReportDocument", "createRestrictedDataToken", "getMarketplaceParticipations", "getCatalogItem",
	"getRates", "purchaseShipment", "getShipmentDocuments", "cancelShipment", "getTracking"}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		var missing []string
		for _, op := range contractOperations {
			st := coverage.seen[op]
			ok2, ok4 := false, false
			for s := range st {
				ok2 = ok2 || s < 300
				ok4 = ok4 || (s >= 400 && s < 500)
			}
			if !ok2 || !ok4 {
				missing = append(missing, fmt.Sprintf("%s (statuses seen: %v)", op, keys(st)))
			}
		}
		if len(missing) > 0 {
			fmt.Println("contract coverage: these operations lack a validated success and error response:", missing)
			code = 1
		}
	}
	os.Exit(code)
}

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

type harness struct {
	t   *testing.T
	sim *Sim
	srv *httptest.Server
	// invalidRequests is set while a test sends requests Amazon's model
	// rejects on purpose; responses are still validated.
	invalidRequests bool
}

var testStart = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.Start.IsZero() {
		cfg.Start = testStart
	}
	if cfg.Orders == 0 {
		cfg.Orders = 40
	}
	s, err := New(cfg)
	require.NoError(t, err)
	v, err := contract.Load()
	require.NoError(t, err)
	h := &harness{t: t, sim: s}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if _, err := v.Find(r); err != nil {
			s.ServeHTTP(w, r) // not an SP-API operation: consent, LWA, downloads, admin
			return
		}
		if !h.invalidRequests {
			if _, err := v.ValidateRequest(r, body); err != nil {
				t.Errorf("request does not match Amazon's model: %v", err)
			}
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		op, err := v.ValidateResponse(r, body, rec.Code, rec.Header(), rec.Body.Bytes())
		if err != nil {
			t.Errorf("simulator response does not match Amazon's model: %v\nbody: %.600s", err, rec.Body.String())
		} else {
			coverage.Lock()
			if coverage.seen[op.OperationID] == nil {
				coverage.seen[op.OperationID] = map[int]bool{}
			}
			coverage.seen[op.OperationID][rec.Code] = true
			coverage.Unlock()
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(h.srv.Close)
	return h
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

func (h *harness) do(method, path, token string, body any, headers ...string) response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(h.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	require.NoError(h.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("x-amz-access-token", token)
	}
	req.Header.Set("User-Agent", "Packbench-test/1.0 (Language=Go)")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return response{resp.StatusCode, resp.Header, raw}
}

func (h *harness) form(path string, values url.Values) response {
	h.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(h.srv.URL+path, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(values.Encode()))
	require.NoError(h.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, raw}
}

// accessToken self-authorizes the demo app for a seller and exchanges the
// refresh token at LWA, as a "bring your own app" seller would.
func (h *harness) accessToken(seller string) string {
	h.t.Helper()
	refresh, err := h.sim.SelfAuthorize(DemoClientID, seller)
	require.NoError(h.t, err)
	r := h.form("/auth/o2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	require.Equal(h.t, 200, r.status, string(r.body))
	return r.json(h.t)["access_token"].(string)
}

// unshippedOrder returns an UNSHIPPED merchant order of the seller.
func (h *harness) unshippedOrder(seller string, pred func(*order) bool) *order {
	h.t.Helper()
	h.sim.mu.Lock()
	defer h.sim.mu.Unlock()
	for _, o := range h.sim.orderSeq {
		if o.SellerID == seller && o.Status == "UNSHIPPED" && o.FulfilledBy == "MERCHANT" && (pred == nil || pred(o)) {
			return o
		}
	}
	h.t.Fatalf("no unshipped order for %s", seller)
	return nil
}
