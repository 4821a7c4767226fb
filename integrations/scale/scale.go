// Package scale reads the weight on a packing bench's scale. Serial scales
// speak one of three protocols, each decoded here from the bytes their
// manuals give: Mettler Toledo MT-SICS, the NCI / Avery Weigh-Tronix
// standard (7010, 7620...) and CAS's continuous stream. A Reading says
// whether the weight is stable, because a label is bought only on a
// stable one. USB HID POS scales (usage page 0x8D) are decoded too
// (DecodeHID) and read from their device on Linux and Windows (HID).
package scale

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/packbench/packbench/station"
)

// State is what the scale says besides the weight.
type State string

const (
	Stable    State = "stable"    // at rest: the weight can be used
	Motion    State = "motion"    // still moving: hold still
	Zero      State = "zero"      // nothing on it
	Overload  State = "overload"  // over capacity
	Underload State = "underload" // below zero: tare or re-zero it
	Fault     State = "fault"     // the scale reports an error
)

// Reading is one answer from a scale.
type Reading struct {
	Weight station.Weight // zero unless the state has a weight (stable, motion)
	State  State
	Net    bool // a tare was taken: the weight is net
}

// Usable says whether a label may be bought with this reading: stable,
// and something on the scale.
func (r Reading) Usable() bool { return r.State == Stable && r.Weight.Value > 0 }

// String says the reading as a packer reads it.
func (r Reading) String() string {
	switch r.State {
	case Stable:
		return r.Weight.String() + " (stable)"
	case Motion:
		return r.Weight.String() + " (unstable: hold still)"
	case Zero:
		return "0 (nothing on the scale)"
	case Overload:
		return "over capacity: too heavy for this scale"
	case Underload:
		return "under zero: re-zero the scale"
	}
	return "the scale reports an error"
}

// Reader is an open scale, serial (Serial) or USB (HID).
type Reader interface {
	// Read is the scale's reading now (a serial scale is asked; a USB one
	// is read as it sends).
	Read(ctx context.Context) (Reading, error)
	Close() error
}

// WaitStable reads the scale until it gives a stable weight of something,
// telling seen each reading (for a live display), until ctx ends.
func WaitStable(ctx context.Context, r Reader, seen func(Reading)) (Reading, error) {
	for {
		reading, err := r.Read(ctx)
		if err != nil {
			return Reading{}, err
		}
		if seen != nil {
			seen(reading)
		}
		if reading.Usable() {
			return reading, nil
		}
	}
}

// stationScale is a scale as the station uses it.
type stationScale struct{ Reader }

func (s stationScale) Read(ctx context.Context) (station.ScaleReading, error) {
	r, err := s.Reader.Read(ctx)
	if err != nil {
		return station.ScaleReading{}, err
	}
	return station.ScaleReading{Weight: r.Weight, Stable: r.Usable(), Text: r.String()}, nil
}

// Protocol is a serial scale's language.
type Protocol string

const (
	SICS Protocol = "sics" // Mettler Toledo MT-SICS: "SI" -> "S S     1.234 kg"
	NCI  Protocol = "nci"  // NCI / Avery Weigh-Tronix: "W" -> "\n  1.234kg\r\nS00\r\x03"
	CAS  Protocol = "cas"  // CAS continuous: "ST,GS,  1.234kg"
)

// ParseProtocol reads a protocol's name.
func ParseProtocol(s string) (Protocol, error) {
	switch p := Protocol(strings.ToLower(strings.TrimSpace(s))); p {
	case SICS, NCI, CAS:
		return p, nil
	}
	return "", fmt.Errorf("unknown scale protocol %q: sics (Mettler Toledo), nci (NCI, Avery Weigh-Tronix) or cas", s)
}

// Request is what to send the scale for one reading (nothing for CAS,
// which sends by itself).
func (p Protocol) Request() []byte {
	switch p {
	case SICS:
		return []byte("SI\r\n") // the weight now, stable or not
	case NCI:
		return []byte("W\r")
	}
	return nil
}

// End is the byte that ends one answer.
func (p Protocol) End() byte {
	if p == NCI {
		return 0x03 // ETX
	}
	return '\n'
}

// Decode reads one answer of the protocol.
func (p Protocol) Decode(b []byte) (Reading, error) {
	switch p {
	case SICS:
		return decodeSICS(string(b))
	case NCI:
		return decodeNCI(string(b))
	case CAS:
		return decodeCAS(string(b))
	}
	return Reading{}, fmt.Errorf("unknown scale protocol %q", p)
}

var errNoWeight = errors.New("no weight in the scale's answer")

// weightOf reads "1.234 kg", "  1.234kg", "-0.5 lb", "12 oz".
func weightOf(s string) (station.Weight, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' && r != ' ' })
	if i < 0 {
		return station.Weight{}, fmt.Errorf("%w: %q has no unit", errNoWeight, s)
	}
	num, unit := strings.ReplaceAll(s[:i], " ", ""), strings.ToLower(strings.TrimSpace(s[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return station.Weight{}, fmt.Errorf("%w: %q", errNoWeight, s)
	}
	u, ok := map[string]station.WeightUnit{"g": station.Gram, "kg": station.Kilogram, "lb": station.Pound, "lbs": station.Pound,
		"oz": station.Ounce}[unit]
	if !ok {
		return station.Weight{}, fmt.Errorf("the scale weighs in %q: set it to g, kg, lb or oz", unit)
	}
	return station.Weight{Value: v, Unit: u}, nil
}

// reading is a weight in a state, zero weights read as Zero.
func reading(w station.Weight, state State) Reading {
	if state == Stable && w.Value == 0 {
		return Reading{State: Zero}
	}
	if w.Value < 0 {
		return Reading{State: Underload}
	}
	return Reading{Weight: w, State: state}
}

// decodeSICS reads an MT-SICS answer to S or SI: "S S" stable, "S D"
// dynamic (moving), then the value and unit; "S I" busy, "S +" over
// capacity, "S -" under zero; "ES", "ET", "EL" are command errors.
func decodeSICS(s string) (Reading, error) {
	s = strings.TrimRight(s, "\r\n")
	if len(s) < 3 || s[0] != 'S' || s[1] != ' ' {
		if strings.HasPrefix(s, "E") {
			return Reading{}, fmt.Errorf("the scale did not understand the command (%q)", s)
		}
		return Reading{}, fmt.Errorf("not an MT-SICS weight: %q", s)
	}
	switch s[2] {
	case 'S', 'D':
		w, err := weightOf(s[3:])
		if err != nil {
			return Reading{}, err
		}
		state := Stable
		if s[2] == 'D' {
			state = Motion
		}
		return reading(w, state), nil
	case 'I':
		return Reading{State: Motion}, nil // busy: no stable value yet
	case '+':
		return Reading{State: Overload}, nil
	case '-':
		return Reading{State: Underload}, nil
	}
	return Reading{}, fmt.Errorf("not an MT-SICS weight: %q", s)
}

// decodeNCI reads an NCI answer to W: <LF> weight and unit <CR><LF>, then
// "S" and two status bytes <CR><ETX>. Status byte 1: bit 0 in motion,
// bit 1 at zero, bits 2-3 RAM/EEPROM error; byte 2: bit 0 under
// capacity, bit 1 over capacity, bits 2-3 ROM/calibration error; bits 4
// and 5 of each are always set. Over capacity the weight is carets.
func decodeNCI(s string) (Reading, error) {
	s = strings.Trim(s, "\x03\r\n")
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })
	if len(parts) == 0 {
		return Reading{}, fmt.Errorf("not an NCI answer: %q", s)
	}
	status := parts[len(parts)-1]
	if !strings.HasPrefix(status, "S") || len(status) < 3 {
		return Reading{}, fmt.Errorf("not an NCI answer (no status): %q", s)
	}
	b1, b2 := status[1], status[2]
	if b1&0x30 != 0x30 || b2&0x30 != 0x30 {
		return Reading{}, fmt.Errorf("not an NCI status: %q", status)
	}
	switch {
	case b1&0x0c != 0 || b2&0x0c != 0:
		return Reading{State: Fault}, nil
	case b2&0x02 != 0:
		return Reading{State: Overload}, nil
	case b2&0x01 != 0:
		return Reading{State: Underload}, nil
	case b1&0x02 != 0:
		return Reading{State: Zero}, nil
	}
	if len(parts) < 2 {
		return Reading{}, fmt.Errorf("%w: %q", errNoWeight, s)
	}
	w, err := weightOf(parts[0])
	if err != nil {
		return Reading{}, err
	}
	state := Stable
	if b1&0x01 != 0 {
		state = Motion
	}
	return reading(w, state), nil
}

// decodeCAS reads a CAS line: state ("ST" stable, "US" unstable, "OL"
// overload), gross or net ("GS", "NT"), then the weight and unit.
func decodeCAS(s string) (Reading, error) {
	f := strings.SplitN(strings.TrimRight(s, "\r\n"), ",", 3)
	if len(f) < 2 {
		return Reading{}, fmt.Errorf("not a CAS line: %q", s)
	}
	switch strings.TrimSpace(f[0]) {
	case "OL":
		return Reading{State: Overload}, nil
	case "ST", "US":
	default:
		return Reading{}, fmt.Errorf("not a CAS line: %q", s)
	}
	if len(f) < 3 {
		return Reading{}, fmt.Errorf("%w: %q", errNoWeight, s)
	}
	w, err := weightOf(f[2])
	if err != nil {
		return Reading{}, err
	}
	state := Stable
	if strings.TrimSpace(f[0]) == "US" {
		state = Motion
	}
	r := reading(w, state)
	r.Net = strings.TrimSpace(f[1]) == "NT"
	return r, nil
}

// DecodeHID reads a USB HID POS scale's weight report (usage page 0x8D,
// the report Dymo, Mettler Toledo PS60 and Stamps.com scales send):
// report id 3, status, unit, a signed power-of-ten exponent, then the
// weight as a little-endian 16-bit count.
func DecodeHID(b []byte) (Reading, error) {
	if len(b) < 6 || b[0] != 3 {
		return Reading{}, fmt.Errorf("not a scale weight report: % x", b)
	}
	status, unitCode, exp := b[1], b[2], int8(b[3])
	count := float64(uint16(b[4]) | uint16(b[5])<<8)
	switch status {
	case 1, 7, 8: // fault, needs calibration, needs re-zeroing
		return Reading{State: Fault}, nil
	case 2:
		return Reading{State: Zero}, nil
	case 5:
		return Reading{State: Underload}, nil
	case 6:
		return Reading{State: Overload}, nil
	case 3, 4:
	default:
		return Reading{}, fmt.Errorf("unknown scale status %d", status)
	}
	unit, ok := map[byte]station.WeightUnit{2: station.Gram, 3: station.Kilogram, 11: station.Ounce, 12: station.Pound}[unitCode]
	if !ok {
		return Reading{}, fmt.Errorf("the scale weighs in HID unit %d: set it to g, kg, oz or lb", unitCode)
	}
	v := count
	for ; exp < 0; exp++ {
		v /= 10
	}
	for ; exp > 0; exp-- {
		v *= 10
	}
	state := Stable
	if status == 3 {
		state = Motion
	}
	return reading(station.Weight{Value: v, Unit: unit}, state), nil
}
