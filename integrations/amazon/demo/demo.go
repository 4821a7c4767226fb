// Package demo runs the Amazon simulator and the auth broker inside the app,
// on loopback, and wires an amazon.Flow to them: the demo store, and
// "Sign in with Amazon" end to end, with no network and no Amazon account.
// With an external simulator URL it wires the flow to that instead.
package demo

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/broker"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// Env is a running in-process simulator and broker (or an external simulator).
type Env struct {
	SimURL    string
	BrokerURL string
	Sim       *sim.Sim // nil for an external simulator
	servers   []*http.Server
}

// Close stops the servers.
func (e *Env) Close() error {
	var errs []error
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
	if externalSim != "" {
		env.SimURL = strings.TrimRight(externalSim, "/")
	} else {
		cfg.Apps = []sim.App{{ApplicationID: sim.DemoApplicationID, ClientID: sim.DemoClientID, ClientSecret: sim.DemoClientSecret,
			RedirectURIs: []string{redirect, sim.DemoRedirectURI}}}
		s, err := sim.New(cfg)
		if err != nil {
			bln.Close()
			return nil, err
		}
		srv, url, err := serve(s)
		if err != nil {
			bln.Close()
			return nil, err
		}
		env.Sim, env.SimURL = s, url
		env.servers = append(env.servers, srv)
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
