package scale

import (
	"os"
	"path/filepath"
	"sort"
)

// HIDScales lists the raw HID devices whose report descriptor declares the
// Scale usage page (/sys/class/hidraw/*/device/report_descriptor).
func HIDScales() ([]string, error) {
	descs, err := filepath.Glob("/sys/class/hidraw/hidraw*/device/report_descriptor")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range descs {
		b, err := os.ReadFile(d)
		if err != nil || !hasScaleUsagePage(b) {
			continue
		}
		out = append(out, "/dev/"+filepath.Base(filepath.Dir(filepath.Dir(d))))
	}
	sort.Strings(out)
	return out, nil
}

// openHIDDevice opens a raw HID device (/dev/hidrawN).
func openHIDDevice(path string) (*HID, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return NewHID(f), nil
}
