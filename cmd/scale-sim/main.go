// Command scale-sim plays a serial bench scale on a pseudo-terminal, for
// demos and manual tests of packbench scale: it prints the port to open,
// then answers in the protocol asked for. A parcel is put on it at start:
// the reading moves for --settle, then rests at --grams.
//
//	scale-sim --protocol sics --grams 1234 --settle 2s
//	packbench scale --serial /dev/pts/7 --protocol sics --once
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/packbench/packbench/integrations/scale"
	"github.com/packbench/packbench/station"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scale-sim:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("scale-sim", flag.ContinueOnError)
	protocol := fs.String("protocol", "sics", "sics, nci or cas")
	grams := fs.Float64("grams", 1234, "the parcel's weight")
	settle := fs.Duration("settle", 2*time.Second, "how long the reading moves before it rests")
	every := fs.Duration("every", 0, "put another parcel on this often (the last lifted off for a second first); 0: one parcel")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := scale.ParseProtocol(*protocol)
	if err != nil {
		return err
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		return err
	}
	defer ptmx.Close()
	defer tty.Close()
	start := time.Now()
	sim := scale.Sim{Protocol: p, Now: func() scale.Reading {
		since, weight := time.Since(start), *grams
		if *every > 0 { // parcel n weighs 137 g more than the one before
			n := since / *every
			since -= n * *every
			weight += float64(n%8) * 137
			if since < time.Second {
				return scale.Reading{State: scale.Zero}
			}
			since -= time.Second
		}
		if since < *settle { // swinging towards the weight as the parcel settles
			swing := 1 + 0.05*math.Sin(float64(since)/float64(50*time.Millisecond))
			return scale.Reading{Weight: station.Weight{Value: weight * swing, Unit: station.Gram}, State: scale.Motion}
		}
		return scale.Reading{Weight: station.Weight{Value: weight, Unit: station.Gram}, State: scale.Stable}
	}}
	fmt.Fprintf(stdout, "scale on %s (%s, %.0f g after %s): packbench scale --serial %s --protocol %s\n",
		tty.Name(), p, *grams, *settle, tty.Name(), p)
	return sim.Serve(ctx, ptmx)
}
