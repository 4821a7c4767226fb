//go:build !linux && !windows

package scale

import "errors"

var errHIDNotHere = errors.New("USB HID scales are read on Linux and Windows so far; on this system use a serial scale (or a USB scale that shows as a serial port)")

// HIDScales lists USB HID scales (Linux and Windows so far).
func HIDScales() ([]string, error) { return nil, errHIDNotHere }

func openHIDDevice(string) (*HID, error) { return nil, errHIDNotHere }
