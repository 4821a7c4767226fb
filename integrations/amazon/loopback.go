package amazon

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"sync"
	"time"
)

// Loopback is the one-shot listener on 127.0.0.1 that the browser comes
// back to (through the broker's redirect) after the seller confirms in
// Seller Central. It accepts the first callback whose state is the one this
// sign-in made, answers with a page that says to go back to Packbench, and
// closes. Callbacks with any other state get an error page and change nothing.
type Loopback struct {
	ln     net.Listener
	srv    *http.Server
	expect string
	done   chan Callback
	once   sync.Once
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html><html><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer"><title>Packbench</title>
<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;text-align:center}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Body}}</p></body></html>`))

type page struct{ Title, Body string }

func writePage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}

// ListenLoopback opens the listener on a random loopback port.
func ListenLoopback() (*Loopback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("could not listen on this computer for the browser's return: %w", err)
	}
	return &Loopback{ln: ln, done: make(chan Callback, 1)}, nil
}

// Port is where the browser must come back to.
func (l *Loopback) Port() int { return l.ln.Addr().(*net.TCPAddr).Port }

// Serve starts answering; state is the only state it accepts.
func (l *Loopback) Serve(state string) {
	l.expect = state
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", l.callback)
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(l.ln) }()
}

func (l *Loopback) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cb := Callback{Code: q.Get("code"), State: q.Get("state"), SellingPartnerID: q.Get("selling_partner_id")}
	if cb.Code == "" {
		cb.Code = q.Get("spapi_oauth_code")
	}
	if cb.State != l.expect || cb.Code == "" || cb.SellingPartnerID == "" {
		writePage(w, http.StatusBadRequest, page{"This sign-in is not the one Packbench is waiting for",
			"Go back to Packbench and start the sign-in again."})
		return
	}
	first := false
	l.once.Do(func() { first = true })
	if !first {
		writePage(w, http.StatusConflict, page{"This sign-in was already used", "Go back to Packbench."})
		return
	}
	// The page goes out before the app hears of the code: the app closes
	// this listener as soon as it has it.
	writePage(w, http.StatusOK, page{"Amazon sign-in complete", "You can close this tab and go back to Packbench."})
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	l.done <- cb
}

// Wait returns the browser's callback, or an error when ctx ends first.
func (l *Loopback) Wait(ctx context.Context) (Callback, error) {
	select {
	case cb := <-l.done:
		return cb, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Callback{}, errors.New("the browser did not come back within 5 minutes: start the sign-in again, or paste the address the browser ended on")
		}
		return Callback{}, ctx.Err()
	}
}

// Close stops listening, letting a page that is being sent finish.
func (l *Loopback) Close() {
	if l.srv == nil {
		_ = l.ln.Close()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := l.srv.Shutdown(ctx); err != nil {
		_ = l.srv.Close()
	}
}
