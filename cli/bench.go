package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/packbench/packbench/internal/atomicfile"
	"github.com/packbench/packbench/station"
)

// BenchFile is where a bench keeps its own settings, in its data folder:
// benches sharing one database each keep their own.
const BenchFile = "bench.json"

// benchFile is a station.BenchStore in a JSON file.
type benchFile struct{ path string }

func (b benchFile) LoadBench() (station.BenchSettings, error) {
	data, err := os.ReadFile(b.path)
	if errors.Is(err, fs.ErrNotExist) {
		return station.DefaultBenchSettings(), nil
	}
	if err != nil {
		return station.BenchSettings{}, err
	}
	s := station.DefaultBenchSettings()
	if err := json.Unmarshal(data, &s); err != nil {
		return station.BenchSettings{}, fmt.Errorf("%s: %w", filepath.Base(b.path), err)
	}
	return s, nil
}

func (b benchFile) SaveBench(s station.BenchSettings) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(b.path, append(data, '\n'), 0o600)
}

// runBench shows or changes this bench's settings.
func runBench(_ context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "bench")
	auto := boolFlag()
	fs.Var(auto, "auto", "true or false: a scan of a ready order buys its label and prints it")
	after := &parsedFlag[station.AfterAction]{parse: station.ParseAfterAction}
	fs.Var(after, "after-action", "keep or next: after a buy, print or void, keep the order selected or go to the next")
	slip := boolFlag()
	fs.Var(slip, "slip-with-label", "true or false: print the packing slip with every label")
	scalePort := fs.String("scale", "", "this bench's scale: its serial port (e.g. /dev/ttyUSB0, COM3), a USB scale's device (/dev/hidraw2) or hid (the first USB scale); \"none\" for no scale")
	scaleProtocol := fs.String("scale-protocol", "", "the scale's protocol: sics, nci or cas (default sics; hid for a USB scale)")
	scaleBaud := fs.Int("scale-baud", 0, "the scale's speed (default 9600)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	b, err := st.Bench()
	if err != nil {
		return err
	}
	if *scalePort != "" {
		if *scaleProtocol == "" {
			*scaleProtocol = "sics"
			if station.IsUSBScale(*scalePort) {
				*scaleProtocol = "hid"
			}
		}
		b.Scale = station.ScaleConfig{Port: *scalePort, Protocol: strings.ToLower(*scaleProtocol), Baud: *scaleBaud}
		if *scalePort == "none" {
			b.Scale = station.ScaleConfig{}
		}
		if err := st.SetBench(b); err != nil {
			return err
		}
	}
	if auto.v != "" || after.v != "" || slip.v != "" {
		if auto.v != "" {
			b.Auto = auto.v == "true"
		}
		if after.v != "" {
			b.AfterAction = after.v
		}
		if slip.v != "" {
			b.SlipWithLabel = slip.v == "true"
		}
		if err := st.SetBench(b); err != nil {
			return err
		}
	}
	scaleText := "no scale"
	if b.Scale.Port != "" {
		scaleText = fmt.Sprintf("scale on %s (%s)", b.Scale.Port, b.Scale.Protocol)
	}
	fmt.Fprintf(c.stdout, "This bench: auto %v, after an action %s, packing slip with every label %v, %s\n", b.Auto, b.AfterAction, b.SlipWithLabel, scaleText)
	return nil
}

// runScan is the bench's scan, headless: where the order is, and with
// --buy what Auto does with a ready order whose weight is known.
func runScan(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "scan")
	buy := fs.Bool("buy", false, "buy the default rate (or the order's rule) and print, when the order is ready and weighed")
	// The code may come before or after the flag, as a scanner's wedge types it.
	var codes, flags []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
		} else {
			codes = append(codes, a)
		}
	}
	if err := fs.Parse(flags); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	if len(codes) != 1 {
		return errors.New("scan needs one scanned code, e.g. packbench scan 113-1234567-1234567")
	}
	st := c.env.Station
	res, err := st.Scan(ctx, codes[0])
	if err != nil {
		return err
	}
	if res.Order == nil {
		return errors.New(res.Where(time.Local))
	}
	fmt.Fprintln(c.stdout, res.Where(time.Local))
	if !*buy {
		return nil
	}
	o := res.Order
	switch {
	case o.Status != station.StatusReady:
		return fmt.Errorf("order %s is %s: nothing to buy", o.AmazonOrderID, o.Status.Title())
	case !o.WeightKnown:
		return fmt.Errorf("order %s has no known weight: packbench buy %s --weight GRAMS", o.AmazonOrderID, o.AmazonOrderID)
	}
	b, err := st.Bench()
	if err != nil {
		return err
	}
	done, err := st.ShipOrder(ctx, o.ID, station.BuyChoice{}, b.SlipWithLabel)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, done.Say(o.AmazonOrderID))
	return nil
}
