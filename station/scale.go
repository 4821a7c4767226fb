package station

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ScaleConfig is this bench's scale: a serial port and the protocol it
// speaks (empty Port: no scale).
type ScaleConfig struct {
	Port     string `json:"port,omitempty"`     // COM3, /dev/ttyUSB0; a USB scale: /dev/hidraw2, or "hid" for the first
	Protocol string `json:"protocol,omitempty"` // sics, nci, cas, or hid
	Baud     int    `json:"baud,omitempty"`     // 0: the scale's usual 9600
}

// ScaleReading is what the scale shows, in words for the window.
type ScaleReading struct {
	Weight  Weight
	Stable  bool   // at rest, and something on it: a label may be bought with it
	Offline bool   // no scale answers where the bench says
	Text    string // "1.234 kg (stable)", "unstable: hold still", "over capacity"
}

// Scale is a bench scale, open.
type Scale interface {
	// Read is the scale's next reading: a serial scale is asked (paced by
	// the reader), a USB scale is read as it sends. It ends with ctx.
	Read(ctx context.Context) (ScaleReading, error)
	Close() error
}

// ScaleOpener opens the scale a bench is set to (integrations/scale
// through cli).
type ScaleOpener func(ScaleConfig) (Scale, error)

// WithScales lets the station open this bench's scale, and list the
// serial ports one may be on.
func (s *Station) WithScales(open ScaleOpener, ports func() ([]string, error)) *Station {
	s.openScale, s.scalePorts = open, ports
	return s
}

// Scale is this bench's scale as it is read (ScaleMonitor.Use chooses it).
func (s *Station) Scale() *ScaleMonitor { return s.scale }

// ScalePorts lists the serial ports a scale may be on.
func (s *Station) ScalePorts() ([]string, error) {
	if s.scalePorts == nil {
		return nil, nil
	}
	return s.scalePorts()
}

// ErrNoScale is a bench with no scale set up.
var ErrNoScale = errors.New("this bench has no scale: packbench bench --scale PORT --scale-protocol sics|nci|cas")

// OpenScale opens a scale as a bench's settings describe it.
func (s *Station) OpenScale(cfg ScaleConfig) (Scale, error) {
	if cfg.Port == "" || s.openScale == nil {
		return nil, ErrNoScale
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	return s.openScale(cfg)
}

// IsUSBScale says whether a port is a USB HID scale's device, as the
// station lists them (Linux: /dev/hidrawN; Windows: \\?\hid#…): its
// protocol is hid.
func IsUSBScale(port string) bool {
	p := strings.ToLower(port)
	return p == "hid" || strings.HasPrefix(p, "/dev/hidraw") || strings.HasPrefix(p, `\\?\hid#`)
}

// Check says what is wrong with a scale's settings.
func (c ScaleConfig) Check() error {
	if c.Port == "" {
		return nil
	}
	switch strings.ToLower(c.Protocol) {
	case "sics", "nci", "cas", "hid":
	default:
		return fmt.Errorf("scale protocol %q: sics (Mettler Toledo), nci (NCI, Avery Weigh-Tronix), cas, or hid (a USB scale)", c.Protocol)
	}
	if IsUSBScale(c.Port) && !strings.EqualFold(c.Protocol, "hid") {
		return fmt.Errorf("%s is a USB scale: its protocol is hid, not %s", c.Port, c.Protocol)
	}
	if c.Baud < 0 || c.Baud > 115200 {
		return fmt.Errorf("scale speed %d baud: 1200 to 115200 (most scales: 9600)", c.Baud)
	}
	return nil
}
