// Command amazon-sim serves Packbench's simulated Amazon (Seller Central's
// consent page, Login with Amazon and the SP-API operations Packbench uses)
// for demos, manual tests and benchmarks. It prints its base URL and demo
// credentials, then serves until interrupted.
//
//	amazon-sim --listen 127.0.0.1:0 --seed 1 --orders 200 --time-scale 60
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
	"syscall"
	"time"

	"github.com/packbench/packbench/integrations/amazon/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "amazon-sim:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("amazon-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback only unless you mean it)")
	seed := fs.Uint64("seed", 1, "seed of the generated world: same seed, same orders")
	orders := fs.Int("orders", 60, "orders generated per seller")
	scale := fs.Float64("time-scale", 1, "simulated seconds per real second (60 = one Amazon minute per second)")
	verbose := fs.Bool("v", false, "log every request to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *orders < 0 || *scale <= 0 {
		return errors.New("--orders must be 0 or more and --time-scale more than 0")
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	s, err := sim.New(sim.Config{Seed: *seed, Orders: *orders, TimeScale: *scale,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "amazon-sim listening on %s\n", base)
	fmt.Fprintf(stdout, "client id:     %s\nclient secret: %s\n", sim.DemoClientID, sim.DemoClientSecret)
	for _, seller := range s.Sellers() {
		tok, err := s.SelfAuthorize(sim.DemoClientID, seller.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seller %s (%s, %s) refresh token: %s\n", seller.ID, seller.StoreName, seller.Region, tok)
	}
	fmt.Fprintln(stdout, "admin API: "+base+"/_sim/ (see the sim package doc)")

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return err
	}
}
