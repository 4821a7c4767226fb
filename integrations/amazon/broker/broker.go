// Package broker is Packbench's auth broker: the small HTTPS
// service that holds the public app's LWA client secret, so the desktop app
// never ships it (docs/architecture.md, "The auth broker").
//
//	GET  /amazon/callback  Amazon's redirect (the app's registered OAuth
//	                       redirect URI). Sends the browser on to the app's
//	                       loopback listener, http://127.0.0.1:PORT/callback,
//	                       with PORT from the state; never anywhere else. With
//	                       port 0 (or a bad one) it shows the address to paste.
//	POST /token            {"grant_type":"authorization_code","code","code_verifier","state"}
//	                       or {"grant_type":"refresh_token","refresh_token"}:
//	                       LWA's answer, the verifier checked against the
//	                       state's challenge first.
//	GET  /healthz          200 "ok".
//
// A code is bound to the state it came back with from Amazon: the first
// callback that carries a code records a hash of the code with its state
// (in memory, for the code's life), and /token exchanges a code only with
// that state and the verifier of that state's challenge. Someone who saw
// a code (browser history, a screenshot of the paste page) cannot bring a
// state and verifier of their own: the code is bound already, and only the
// app that started the sign-in holds the verifier. See docs/architecture.md.
//
// It logs no code, token or query string.
package broker

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
)

// Server is the broker's http.Handler.
type Server struct {
	LWA         amazon.LWA // the public app's credentials and LWA's token URL
	RedirectURI string     // the redirect URI registered for the app, sent with code exchanges
	Log         *slog.Logger
	mux         *http.ServeMux
	codes       codeBindings
}

// codeLife is how long a code stays bound: LWA's codes live 5 minutes.
const codeLife = 10 * time.Minute

// maxBindings caps the codes held at once; past it, the oldest go first.
const maxBindings = 100_000

// codeBindings remembers which state each code came back with, keyed by
// the code's hash (the broker keeps no code).
type codeBindings struct {
	mu    sync.Mutex
	now   func() time.Time
	bound map[[32]byte]binding
}

type binding struct {
	state [32]byte
	at    time.Time
}

func hash(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// bind records code with state; it is false when the code came back
// before with another state.
func (b *codeBindings) bind(code, state string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if b.bound == nil {
		b.bound = map[[32]byte]binding{}
	}
	for k, v := range b.bound {
		if now.Sub(v.at) > codeLife {
			delete(b.bound, k)
		}
	}
	k, st := hash(code), hash(state)
	if old, ok := b.bound[k]; ok {
		return subtle.ConstantTimeCompare(old.state[:], st[:]) == 1
	}
	if len(b.bound) >= maxBindings {
		var oldest [32]byte
		first := true
		for k, v := range b.bound {
			if first || v.at.Before(b.bound[oldest].at) {
				oldest, first = k, false
			}
		}
		delete(b.bound, oldest)
	}
	b.bound[k] = binding{state: st, at: now}
	return true
}

// boundTo says whether code came back from Amazon with state, recently.
func (b *codeBindings) boundTo(code, state string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.bound[hash(code)]
	st := hash(state)
	return ok && b.now().Sub(v.at) <= codeLife && subtle.ConstantTimeCompare(v.state[:], st[:]) == 1
}

// forget drops a code once it was exchanged: LWA takes a code once.
func (b *codeBindings) forget(code string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.bound, hash(code))
}

// New builds the broker.
func New(lwa amazon.LWA, redirectURI string, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{LWA: lwa, RedirectURI: redirectURI, Log: log, mux: http.NewServeMux(), codes: codeBindings{now: time.Now}}
	s.mux.HandleFunc("GET /amazon/callback", s.callback)
	s.mux.HandleFunc("POST /token", s.token)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	return s
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: 200}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(sw, r)
	// The path only: query strings carry codes.
	s.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
}

var pasteTmpl = template.Must(template.New("paste").Parse(`<!doctype html><html><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer"><title>Packbench sign-in</title>
<style>body{font-family:sans-serif;max-width:40em;margin:3em auto}textarea{width:100%;height:7em}</style></head><body>
<h1>{{.Title}}</h1><p>{{.Body}}</p>{{if .URL}}<textarea readonly onclick="this.select()">{{.URL}}</textarea>
<p>This address works for 5 minutes, once.</p>{{end}}</body></html>`))

type pastePage struct{ Title, Body, URL string }

func showPage(w http.ResponseWriter, status int, p pastePage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pasteTmpl.Execute(w, p)
}

// LoopbackURL is where the broker sends the browser: always 127.0.0.1.
func LoopbackURL(port int, q url.Values) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/callback?" + q.Encode()
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, rawState, seller := q.Get("spapi_oauth_code"), q.Get("state"), q.Get("selling_partner_id")
	if code == "" || rawState == "" || seller == "" {
		showPage(w, http.StatusBadRequest, pastePage{Title: "Sign-in incomplete",
			Body: "Amazon's answer is missing the code, the state or the seller. Go back to Packbench and sign in again."})
		return
	}
	st, err := amazon.DecodeState(rawState)
	if err != nil {
		showPage(w, http.StatusBadRequest, pastePage{Title: "This sign-in did not start in Packbench", Body: "Go back to Packbench and sign in from there."})
		return
	}
	if !s.codes.bind(code, rawState) {
		s.Log.Warn("a code came back a second time with another state: refused")
		showPage(w, http.StatusBadRequest, pastePage{Title: "This sign-in was already used",
			Body: "Amazon's code belongs to another sign-in. Go back to Packbench and sign in again."})
		return
	}
	forward := url.Values{"code": {code}, "state": {rawState}, "selling_partner_id": {seller}}
	target := LoopbackURL(st.Port, forward)
	if st.Port < 1024 {
		// The app asked for the paste path (port 0), or the port is not one an app listens on.
		showPage(w, http.StatusOK, pastePage{Title: "Copy this address into Packbench",
			Body: "In Packbench's Connect window, paste it into \"Paste the redirect URL\".", URL: target})
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

func writeToken(w http.ResponseWriter, status int, tr amazon.TokenResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(tr)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	var req amazon.TokenRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeToken(w, 400, amazon.TokenResponse{Error: "invalid_request", ErrorDescription: "The body must be JSON."})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	var (
		tok amazon.Token
		err error
	)
	switch req.GrantType {
	case "authorization_code":
		st, serr := amazon.DecodeState(req.State)
		switch {
		case serr != nil || req.Code == "":
			writeToken(w, 400, amazon.TokenResponse{Error: "invalid_request", ErrorDescription: "code and state are required."})
			return
		case !s.codes.boundTo(req.Code, req.State):
			s.Log.Warn("a code exchange with a state the code did not come back with: refused")
			writeToken(w, 400, amazon.TokenResponse{Error: "invalid_grant", ErrorDescription: "This code did not come back from Amazon with this sign-in's state (or it expired): sign in again."})
			return
		case !amazon.VerifierMatches(req.CodeVerifier, st.Challenge):
			writeToken(w, 400, amazon.TokenResponse{Error: "invalid_grant", ErrorDescription: "The code verifier does not match this sign-in."})
			return
		}
		tok, err = s.LWA.ExchangeCode(ctx, req.Code, s.RedirectURI)
		if err == nil {
			s.codes.forget(req.Code)
		}
	case "refresh_token":
		if req.RefreshToken == "" {
			writeToken(w, 400, amazon.TokenResponse{Error: "invalid_request", ErrorDescription: "refresh_token is required."})
			return
		}
		tok, err = s.LWA.Refresh(ctx, req.RefreshToken)
	default:
		writeToken(w, 400, amazon.TokenResponse{Error: "unsupported_grant_type", ErrorDescription: "Use authorization_code or refresh_token."})
		return
	}
	if err != nil {
		var ae *amazon.AuthError
		switch {
		case errors.As(err, &ae):
			status := ae.Status
			if status == 0 || status == 401 {
				// The broker's own credentials are wrong: that is a broker failure, not the seller's.
				status = 502
			}
			writeToken(w, status, amazon.TokenResponse{Error: ae.Code, ErrorDescription: ae.Description})
		default:
			s.Log.Warn("LWA unreachable", "grant", req.GrantType)
			writeToken(w, 502, amazon.TokenResponse{Error: "temporarily_unavailable", ErrorDescription: "Login with Amazon could not be reached."})
		}
		return
	}
	writeToken(w, 200, amazon.TokenResponse{AccessToken: tok.Access, RefreshToken: tok.Refresh, TokenType: "bearer",
		ExpiresIn: max(1, int(time.Until(tok.Expiry).Seconds()))})
}
