package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// HID is a USB HID POS scale (usage page 0x8D: Dymo M5/M10/M25, Mettler
// Toledo PS60, Fairbanks, Stamps.com scales), read from the reports it
// sends by itself as the weight changes. Devices are opened through the
// operating system's own HID interface, with no C library: the kernel's
// hidraw on Linux (hid_linux.go), hid.dll and overlapped file reads on
// Windows (hid_windows.go). The reader takes any io.ReadCloser, which is
// how the tests give it a fake device.
type HID struct {
	dev io.ReadCloser
	// reportSize is the longest input report the device sends (Windows
	// refuses a read into less).
	reportSize int
}

// NewHID reads a scale from an open HID device.
func NewHID(dev io.ReadCloser) *HID { return &HID{dev: dev, reportSize: 64} }

// Close lets the device go.
func (h *HID) Close() error { return h.dev.Close() }

// Read is the next weight report (other reports are skipped). A device
// read blocks until the scale sends: a stop closes the device to end it.
func (h *HID) Read(ctx context.Context) (Reading, error) {
	stop := context.AfterFunc(ctx, func() { h.dev.Close() })
	defer stop()
	buf := make([]byte, h.reportSize)
	for {
		if err := ctx.Err(); err != nil {
			return Reading{}, err
		}
		n, err := h.dev.Read(buf)
		if err != nil {
			return Reading{}, fmt.Errorf("reading the scale: %w", err)
		}
		if n >= 6 && buf[0] == 3 {
			return DecodeHID(buf[:n])
		}
	}
}

// hasScaleUsagePage says whether a HID report descriptor declares the
// Scale usage page (0x8D): a Usage Page item (0x05, or 0x06 with two
// bytes) with that value.
func hasScaleUsagePage(desc []byte) bool {
	for i := 0; i < len(desc); {
		prefix := desc[i]
		size := int(prefix & 0x03)
		if size == 3 {
			size = 4
		}
		if prefix == 0xfe { // a long item: its size is the next byte
			if i+1 >= len(desc) {
				return false
			}
			i += 3 + int(desc[i+1])
			continue
		}
		if prefix&0xfc == 0x04 && i+size < len(desc) { // Usage Page, global item
			page := 0
			for b := size; b >= 1; b-- {
				page = page<<8 | int(desc[i+b])
			}
			if page == 0x8d {
				return true
			}
		}
		i += 1 + size
	}
	return false
}

// OpenHID opens a USB scale by its device, as HIDScales lists them ("":
// the first scale found).
func OpenHID(path string) (*HID, error) {
	if path == "" {
		first, err := firstHIDScale()
		if err != nil {
			return nil, err
		}
		path = first
	}
	return openHIDDevice(path)
}

// firstHIDScale is the device of the first USB scale found.
func firstHIDScale() (string, error) {
	scales, err := HIDScales()
	if err != nil {
		return "", err
	}
	if len(scales) == 0 {
		return "", ErrNoHIDScale
	}
	return scales[0], nil
}

// ErrNoHIDScale is no USB scale found.
var ErrNoHIDScale = errors.New("no USB scale found: is it plugged in and on? (on Linux, the user needs read access to /dev/hidraw*: a udev rule)")
