package sim

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Lifetimes from Amazon's documentation (docs/amazon.md, "Signing in"), in simulated time.
const (
	codeLifetime   = 5 * time.Minute
	accessLifetime = time.Hour
	rdtLifetime    = time.Hour
)

type authCode struct {
	app         *App
	seller      *Seller
	redirectURI string
	expires     time.Time
	used        bool
}

type refreshGrant struct {
	app     *App
	seller  *Seller
	revoked bool
}

// accessGrant is an LWA access token or a restricted data token (RDT).
type accessGrant struct {
	seller  *Seller
	expires time.Time
	// restricted is set for an RDT: the method+path pairs it opens.
	restricted []restrictedResource
}

type restrictedResource struct {
	Method       string   `json:"method"`
	Path         string   `json:"path"`
	DataElements []string `json:"dataElements,omitempty"`
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Amazon Seller Central (simulator)</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto}button{font-size:1.1em;padding:.5em 1.5em}.err{color:#b00}</style></head>
<body><h1>Seller Central <small>(Packbench's Amazon simulator)</small></h1>
{{if .Error}}<p class="err"><b>{{.Code}}</b>: {{.Error}}</p>{{else}}
<p>The application <b>{{.AppID}}</b> asks to access your selling account.</p>
<form method="post" action="/apps/authorize/confirm">
<input type="hidden" name="application_id" value="{{.AppID}}"><input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<label>Sign in as <select name="selling_partner_id">{{range .Sellers}}<option value="{{.ID}}">{{.StoreName}} ({{.Region}}, {{.ID}})</option>{{end}}</select></label>
<p><button type="submit" id="confirm">Confirm</button></p></form>{{end}}
</body></html>`))

type consentView struct {
	AppID, State, RedirectURI string
	Sellers                   []Seller
	Code, Error               string
}

func (s *Sim) appByApplicationID(id string) *App {
	for _, a := range s.apps {
		if a.ApplicationID == id {
			return a
		}
	}
	return nil
}

// consentPage is Seller Central's /apps/authorize/consent.
func (s *Sim) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.mu.Lock()
	app := s.appByApplicationID(q.Get("application_id"))
	view := consentView{AppID: q.Get("application_id"), State: q.Get("state"), RedirectURI: q.Get("redirect_uri")}
	for _, k := range slicesSortedKeys(s.sellers) {
		view.Sellers = append(view.Sellers, *s.sellers[k])
	}
	s.mu.Unlock()
	status := http.StatusOK
	switch {
	case app == nil:
		view.Code, view.Error, status = "MD9100", "Unknown application_id: no application with this id is registered.", http.StatusBadRequest
	case app.Draft && q.Get("version") != "beta":
		view.Code, view.Error, status = "MD1000", "This application is in draft state: add version=beta to the authorization URL.", http.StatusBadRequest
	case view.RedirectURI != "" && !slices.Contains(app.RedirectURIs, view.RedirectURI):
		view.Code, view.Error, status = "MD5101", "The redirect_uri does not match a redirect URI registered for this application.", http.StatusBadRequest
	case view.State == "":
		view.Code, view.Error, status = "MD9101", "The state parameter is missing.", http.StatusBadRequest
	}
	if app != nil && view.RedirectURI == "" && len(app.RedirectURIs) > 0 {
		view.RedirectURI = app.RedirectURIs[0]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = consentTmpl.Execute(w, view)
}

// consentConfirm is the Confirm button: Amazon redirects the browser to the
// app's redirect URI with a fresh spapi_oauth_code.
func (s *Sim) consentConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	app := s.appByApplicationID(r.PostForm.Get("application_id"))
	seller := s.sellers[r.PostForm.Get("selling_partner_id")]
	redirect := r.PostForm.Get("redirect_uri")
	if app == nil || seller == nil || !slices.Contains(app.RedirectURIs, redirect) {
		s.mu.Unlock()
		http.Error(w, "MD5101: unknown application, seller or redirect URI", http.StatusBadRequest)
		return
	}
	code := "ANSim" + randomToken(12)
	s.codes[code] = &authCode{app: app, seller: seller, redirectURI: redirect, expires: s.clock.Now().Add(codeLifetime)}
	s.mu.Unlock()

	u, _ := url.Parse(redirect)
	q := u.Query()
	q.Set("state", r.PostForm.Get("state"))
	q.Set("selling_partner_id", seller.ID)
	q.Set("spapi_oauth_code", code)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

type lwaError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeLWAError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(lwaError{Error: code, Description: desc})
}

// token is LWA's POST /auth/o2/token.
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	if s.applyFault("lwaToken", w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		writeLWAError(w, http.StatusBadRequest, "invalid_request", "The request body is not a valid form.")
		return
	}
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stat("lwaToken").Requests++
	now := s.clock.Now()
	app := s.apps[f.Get("client_id")]
	if app == nil || app.ClientSecret != f.Get("client_secret") {
		writeLWAError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	var seller *Seller
	refresh := f.Get("refresh_token")
	switch f.Get("grant_type") {
	case "authorization_code":
		c := s.codes[f.Get("code")]
		if c == nil || c.used || now.After(c.expires) || c.app != app {
			writeLWAError(w, http.StatusBadRequest, "invalid_grant", "The request has an invalid grant parameter : code")
			return
		}
		if f.Get("redirect_uri") != "" && f.Get("redirect_uri") != c.redirectURI {
			writeLWAError(w, http.StatusBadRequest, "invalid_grant", "The request has an invalid grant parameter : redirect_uri")
			return
		}
		c.used = true
		seller = c.seller
		refresh = "Atzr|" + randomToken(48)
		s.refresh[refresh] = &refreshGrant{app: app, seller: seller}
	case "refresh_token":
		g := s.refresh[refresh]
		if g == nil || g.revoked || g.app != app {
			writeLWAError(w, http.StatusBadRequest, "invalid_grant",
				"The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.")
			return
		}
		seller = g.seller
	case "":
		writeLWAError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter : grant_type")
		return
	default:
		writeLWAError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
		return
	}
	access := "Atza|" + randomToken(48)
	s.access[access] = &accessGrant{seller: seller, expires: now.Add(accessLifetime)}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token":  access,
		"refresh_token": refresh,
		"token_type":    "bearer",
		// In real seconds: under time scale the token lives 3600/scale seconds.
		"expires_in": max(1, int(s.clock.RealDuration(accessLifetime).Seconds())),
	})
}

// authorize checks x-amz-access-token. An RDT opens only the restricted
// resources it was made for; restricted operations need one.
func (s *Sim) authorize(tok string, r *http.Request, now time.Time) (*accessGrant, *Seller, string) {
	if tok == "" {
		return nil, nil, "The access token you provided is revoked, malformed or invalid."
	}
	g := s.access[tok]
	if g == nil {
		return nil, nil, "The access token you provided is revoked, malformed or invalid."
	}
	if now.After(g.expires) {
		return nil, nil, "The access token you provided has expired."
	}
	needsRDT := strings.HasPrefix(r.URL.Path, "/reports/2021-06-30/documents/")
	if g.restricted == nil {
		if needsRDT {
			return nil, nil, "This resource holds restricted data: call it with a restricted data token (Tokens API)."
		}
		return g, g.seller, ""
	}
	for _, rr := range g.restricted {
		if rr.Method == r.Method && pathMatches(rr.Path, r.URL.Path) {
			return g, g.seller, ""
		}
	}
	return nil, nil, "The restricted data token does not grant access to this resource."
}

// pathMatches compares an RDT path, which may name {placeholders}, with a request path.
func pathMatches(pattern, path string) bool {
	pp, rp := strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/")
	if len(pp) != len(rp) {
		return false
	}
	for i := range pp {
		if strings.HasPrefix(pp[i], "{") && strings.HasSuffix(pp[i], "}") {
			continue
		}
		if pp[i] != rp[i] {
			return false
		}
	}
	return true
}

// createRDT is Tokens API createRestrictedDataToken.
func (s *Sim) createRDT(c *call) result {
	var req struct {
		TargetApplication   string               `json:"targetApplication"`
		RestrictedResources []restrictedResource `json:"restrictedResources"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || len(req.RestrictedResources) == 0 {
		return fail(400, "InvalidInput", "restrictedResources is required.")
	}
	if len(req.RestrictedResources) > 50 {
		return fail(400, "InvalidInput", "At most 50 restrictedResources are allowed.")
	}
	for _, rr := range req.RestrictedResources {
		if !slices.Contains([]string{"GET", "PUT", "POST", "DELETE"}, rr.Method) || !strings.HasPrefix(rr.Path, "/") {
			return fail(400, "InvalidInput", "Each restricted resource needs a method (GET, PUT, POST, DELETE) and a path starting with /.")
		}
		if strings.HasPrefix(rr.Path, "/reports/2021-06-30/documents/") && strings.Contains(rr.Path, "{") {
			return fail(400, "InvalidInput", "getReportDocument needs a specific path: /reports/2021-06-30/documents/{reportDocumentId} with the real id.")
		}
	}
	tok := "Atz.sprdt|" + randomToken(40)
	s.access[tok] = &accessGrant{seller: c.seller, expires: c.now.Add(rdtLifetime), restricted: req.RestrictedResources}
	return ok(map[string]any{"restrictedDataToken": tok, "expiresIn": max(1, int(s.clock.RealDuration(rdtLifetime).Seconds()))})
}

// SelfAuthorize mints a refresh token the way Seller Central's "Authorize
// app" button does for a seller's own private app: no redirect involved.
func (s *Sim) SelfAuthorize(clientID, sellerID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.saveLocked()
	app, seller := s.apps[clientID], s.sellers[sellerID]
	if app == nil || seller == nil {
		return "", errNotFound("unknown client id or seller")
	}
	tok := "Atzr|" + randomToken(48)
	s.refresh[tok] = &refreshGrant{app: app, seller: seller}
	return tok, nil
}

// IssueCode mints an authorization code as the Confirm button does, for
// the app's first redirect URI: for tests that play the browser's part.
func (s *Sim) IssueCode(clientID, sellerID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app, seller := s.apps[clientID], s.sellers[sellerID]
	if app == nil || seller == nil || len(app.RedirectURIs) == 0 {
		return "", errNotFound("unknown client id or seller")
	}
	code := "ANSim" + randomToken(12)
	s.codes[code] = &authCode{app: app, seller: seller, redirectURI: app.RedirectURIs[0], expires: s.clock.Now().Add(codeLifetime)}
	return code, nil
}

// Revoke revokes a refresh token (the seller removed the app), and every
// access token is left to expire as Amazon's do.
func (s *Sim) Revoke(refreshToken string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.saveLocked()
	g := s.refresh[refreshToken]
	if g == nil {
		return errNotFound("unknown refresh token")
	}
	g.revoked = true
	return nil
}

// RevokeSeller revokes every refresh token of a seller.
func (s *Sim) RevokeSeller(sellerID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.saveLocked()
	n := 0
	for _, g := range s.refresh {
		if g.seller.ID == sellerID && !g.revoked {
			g.revoked = true
			n++
		}
	}
	return n
}

// ExpireAccessTokens makes every issued access token and RDT expired now,
// as if an hour had passed for them alone.
func (s *Sim) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.clock.Now().Add(-time.Second)
	for _, g := range s.access {
		g.expires = past
	}
}

type notFoundError string

func (e notFoundError) Error() string { return string(e) }

func errNotFound(msg string) error { return notFoundError(msg) }
