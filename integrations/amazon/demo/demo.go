// Package demo runs the Amazon simulator and the auth broker inside the app,
// on loopback, and wires an amazon.Flow to them: the demo store, and
// "Sign in with Amazon" end to end, with no network and no Amazon account.
// With an external simulator URL it wires the flow to that instead.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/broker"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/internal/atomicfile"
	"github.com/packbench/packbench/station"
)

// Env is a running in-process simulator and broker (or an external simulator).
type Env struct {
	SimURL    string
	BrokerURL string
	// Sim is the in-process simulator: nil for an external one, and for the
	// app's (a StatePath set), which starts at its first request: see Simulator.
	Sim     *sim.Sim
	lazy    *lazySim
	servers []*http.Server
	lock    string // the lock file this process wrote, removed at Close
}

// Simulator is the in-process simulator, started now if it was waiting for
// its first request (nil for an external one).
func (e *Env) Simulator() *sim.Sim {
	if e.Sim == nil && e.lazy != nil {
		s, _ := e.lazy.get()
		return s
	}
	return e.Sim
}

// lazySim builds the app's simulator (reading its state file) at its first
// request: a seller who never opens the demo store, nor signs in while sign-in
// reaches the simulator, never pays for it.
type lazySim struct {
	once sync.Once
	cfg  sim.Config
	s    *sim.Sim
	err  error
}

func (l *lazySim) get() (*sim.Sim, error) {
	l.once.Do(func() { l.s, l.err = sim.New(l.cfg) })
	return l.s, l.err
}

func (l *lazySim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, err := l.get()
	if err != nil {
		http.Error(w, "the built-in Amazon simulator could not start: "+err.Error(), http.StatusInternalServerError)
		return
	}
	s.ServeHTTP(w, r)
}

// Close stops the servers.
func (e *Env) Close() error {
	var errs []error
	if e.lock != "" {
		if url, ok := readLock(e.lock); ok && url == e.SimURL {
			_ = os.Remove(e.lock)
		}
	}
	for _, s := range e.servers {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		errs = append(errs, s.Shutdown(ctx))
		cancel()
	}
	return errors.Join(errs...)
}

func serve(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// Start runs the simulator (unless externalSim names one) and a broker
// registered with it as the demo app's redirect URI.
func Start(cfg sim.Config, externalSim string, log *slog.Logger) (*Env, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	env := &Env{}
	// The broker's address must be known before the simulator registers it.
	bln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	env.BrokerURL = "http://" + bln.Addr().String()
	redirect := env.BrokerURL + "/amazon/callback"
	lock := ""
	if externalSim == "" && cfg.StatePath != "" {
		// One simulated Amazon per data dir: a second Packbench on the same
		// data dir (a headless command while the window is open) uses the
		// first one's, instead of a second world that would overwrite it.
		lock = cfg.StatePath + ".lock"
		if url, ok := readLock(lock); ok && answers(url) {
			externalSim, lock = url, ""
		}
	}
	if externalSim != "" {
		env.SimURL = strings.TrimRight(externalSim, "/")
	} else {
		cfg.Apps = []sim.App{{ApplicationID: sim.DemoApplicationID, ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret,
			RedirectURIs: []string{redirect, sim.DemoRedirectURI}}}
		var h http.Handler
		if cfg.StatePath != "" {
			env.lazy = &lazySim{cfg: cfg}
			h = env.lazy
		} else {
			s, err := sim.New(cfg)
			if err != nil {
				bln.Close()
				return nil, err
			}
			env.Sim, h = s, s
		}
		srv, url, err := serve(h)
		if err != nil {
			bln.Close()
			return nil, err
		}
		env.SimURL = url
		env.servers = append(env.servers, srv)
		if lock != "" {
			raw, _ := json.Marshal(lockFile{URL: url, PID: os.Getpid()})
			if err := atomicfile.WriteFile(lock, raw, 0o600); err == nil {
				env.lock = lock
			}
		}
	}
	b := broker.New(amazon.LWA{TokenURL: env.SimURL + "/auth/o2/token", ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret},
		redirect, log)
	bsrv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = bsrv.Serve(bln) }()
	env.servers = append(env.servers, bsrv)
	return env, nil
}

// Wire makes f sign in against the simulator and serve demo stores from it.
func (e *Env) Wire(f *amazon.Flow) {
	f.DemoEndpoints = amazon.Simulator(e.SimURL)
	f.ApplicationID = sim.DemoApplicationID
	f.Broker = amazon.BrokerClient{BaseURL: e.BrokerURL}
	f.SignInDemo = true
	f.DemoClient.ID, f.DemoClient.Secret = sim.DemoClientID, sim.DemoClientSecret
	f.Demo = func(_ context.Context, region station.Region) (station.Credentials, error) {
		seller := sim.DemoSeller(string(region))
		if seller == "" {
			return station.Credentials{}, errors.New("the simulator has demo sellers in NA, EU and FE only")
		}
		return station.Credentials{Auth: station.AuthDemo, Region: region, SellingPartnerID: seller,
			RefreshToken: sim.DemoRefreshToken(seller), ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret}, nil
	}
}

// lockFile says which process serves a data dir's simulated Amazon, where.
type lockFile struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

func readLock(path string) (string, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	var l lockFile
	if json.Unmarshal(raw, &l) != nil || !strings.HasPrefix(l.URL, "http://127.0.0.1:") {
		return "", false
	}
	return l.URL, true
}

// answers says whether a simulator serves at url (a lock left by a process
// that is gone names a port nobody answers on).
func answers(url string) bool {
	c := http.Client{Timeout: 500 * time.Millisecond}
	resp, err := c.Get(url + "/_sim/time")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
