// Command packbench-broker is the auth broker a Packbench publisher deploys
// at the HTTPS redirect URI registered for its public SP-API app. It holds
// the LWA client secret (from the environment) so the desktop app never
// ships it; see package integrations/amazon/broker.
//
//	PACKBENCH_LWA_CLIENT_ID=amzn1.application-oa2-client.… \
//	PACKBENCH_LWA_CLIENT_SECRET=… \
//	packbench-broker --listen :443 --tls-cert cert.pem --tls-key key.pem \
//	    --redirect-uri https://auth.example.com/amazon/callback
//
// Behind a proxy that terminates TLS, use --plain-http-behind-proxy instead
// of the certificate flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/broker"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "packbench-broker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("packbench-broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", ":8443", "address to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate (PEM)")
	key := fs.String("tls-key", "", "TLS private key (PEM)")
	plain := fs.Bool("plain-http-behind-proxy", false, "serve plain HTTP because a proxy in front terminates TLS")
	tokenURL := fs.String("lwa-token-url", "https://api.amazon.com/auth/o2/token", "Login with Amazon's token endpoint")
	redirect := fs.String("redirect-uri", getenv("PACKBENCH_BROKER_REDIRECT_URI"), "the OAuth redirect URI registered for the app (this broker's /amazon/callback)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if v := getenv("PACKBENCH_LWA_TOKEN_URL"); v != "" {
		*tokenURL = v
	}
	id, secret := getenv("PACKBENCH_LWA_CLIENT_ID"), getenv("PACKBENCH_LWA_CLIENT_SECRET")
	switch {
	case id == "" || secret == "":
		return errors.New("set PACKBENCH_LWA_CLIENT_ID and PACKBENCH_LWA_CLIENT_SECRET to the app's LWA credentials")
	case *redirect == "":
		return errors.New("--redirect-uri (or PACKBENCH_BROKER_REDIRECT_URI) must be the redirect URI registered for the app")
	case !*plain && (*cert == "" || *key == ""):
		return errors.New("Amazon redirects only to HTTPS: give --tls-cert and --tls-key, or --plain-http-behind-proxy when a proxy terminates TLS")
	case !strings.HasPrefix(*redirect, "https://"):
		return errors.New("--redirect-uri must be https: Amazon accepts no other")
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	srv := &http.Server{
		Handler:           broker.New(amazon.LWA{TokenURL: *tokenURL, ClientID: id, ClientSecret: secret}, *redirect, log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	log.Info("packbench-broker listening", "addr", ln.Addr().String(), "tls", !*plain)
	errc := make(chan error, 1)
	go func() {
		if *plain {
			errc <- srv.Serve(ln)
		} else {
			errc <- srv.ServeTLS(ln, *cert, *key)
		}
	}()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return err
	}
}
