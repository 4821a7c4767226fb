package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/packbench/packbench/integrations/scale"
)

// runScale prints a scale's readings (serial or USB HID) until stopped, or
// with --once waits for one stable weight, prints it and exits.
func runScale(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "scale")
	port := fs.String("serial", "", "the scale's serial port: COM3, /dev/ttyUSB0, /dev/cu.usbserial-…")
	protocol := fs.String("protocol", "sics", "sics (Mettler Toledo), nci (NCI, Avery Weigh-Tronix) or cas")
	baud := fs.Int("baud", scale.DefaultBaud, "the port's speed")
	once := fs.Bool("once", false, "wait for one stable weight, print it and exit")
	hid := fs.Bool("hid", false, "a USB HID scale (Linux and Windows so far): the first found, or --device")
	device := fs.String("device", "", "with --hid: the scale's HID device, e.g. /dev/hidraw2 (as This bench… lists them)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	var s scale.Reader
	switch {
	case *hid:
		h, err := scale.OpenHID(*device)
		if err != nil {
			return err
		}
		s = h
	case *port == "":
		return errors.New("which scale? --serial PORT (e.g. /dev/ttyUSB0 or COM3) --protocol sics|nci|cas, or --hid for a USB scale")
	default:
		p, err := scale.ParseProtocol(*protocol)
		if err != nil {
			return err
		}
		sr, err := scale.OpenSerial(*port, p, *baud)
		if err != nil {
			return err
		}
		s = sr
	}
	defer s.Close()
	if *once {
		last := ""
		r, err := scale.WaitStable(ctx, s, func(r scale.Reading) {
			if text := r.String(); text != last && !r.Usable() {
				fmt.Fprintln(c.stdout, text)
				last = text
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s: %.0f g\n", r, r.Weight.Grams())
		return nil
	}
	for {
		r, err := s.Read(ctx)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, r)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(500 * time.Millisecond):
		}
	}
}
