package scale

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

var (
	kg = func(v float64) station.Weight { return station.Weight{Value: v, Unit: station.Kilogram} }
	lb = func(v float64) station.Weight { return station.Weight{Value: v, Unit: station.Pound} }
)

// The answers are written as each protocol's manual shows them.
func TestEachProtocolsAnswersAreRead(t *testing.T) {
	for _, c := range []struct {
		p      Protocol
		answer string
		want   Reading
	}{
		// MT-SICS: "S S" stable, "S D" dynamic, "S I" busy, "S +"/"S -" out of range.
		{SICS, "S S     1.234 kg\r\n", Reading{Weight: kg(1.234), State: Stable}},
		{SICS, "S D     1.230 kg\r\n", Reading{Weight: kg(1.23), State: Motion}},
		{SICS, "S S      0.000 kg\r\n", Reading{State: Zero}},
		{SICS, "S I\r\n", Reading{State: Motion}},
		{SICS, "S +\r\n", Reading{State: Overload}},
		{SICS, "S -\r\n", Reading{State: Underload}},
		{SICS, "S S     2.72 lb\r\n", Reading{Weight: lb(2.72), State: Stable}},
		// NCI: <LF>weight<CR><LF>S + two status bytes <CR><ETX>.
		{NCI, "\n   1.234kg\r\nS00\r\x03", Reading{Weight: kg(1.234), State: Stable}},
		{NCI, "\n   1.234kg\r\nS10\r\x03", Reading{Weight: kg(1.234), State: Motion}},
		{NCI, "\n   0.000kg\r\nS20\r\x03", Reading{State: Zero}},
		{NCI, "\n^^^^^^^^\r\nS02\r\x03", Reading{State: Overload}},
		{NCI, "\n  -0.120kg\r\nS01\r\x03", Reading{State: Underload}},
		{NCI, "\n  002.72LB\r\nS00\r\x03", Reading{Weight: lb(2.72), State: Stable}},
		{NCI, "\n   1.234kg\r\nS08\r\x03", Reading{State: Fault}},
		// CAS: ST/US/OL, GS/NT, weight.
		{CAS, "ST,GS,   1.234kg\r\n", Reading{Weight: kg(1.234), State: Stable}},
		{CAS, "US,GS,   1.200kg\r\n", Reading{Weight: kg(1.2), State: Motion}},
		{CAS, "ST,NT,   0.950kg\r\n", Reading{Weight: kg(0.95), State: Stable, Net: true}},
		{CAS, "OL,GS,\r\n", Reading{State: Overload}},
	} {
		got, err := c.p.Decode([]byte(c.answer))
		if assert.NoError(t, err, "%s %q", c.p, c.answer) {
			assert.Equal(t, c.want, got, "%s %q", c.p, c.answer)
		}
	}
	for _, c := range []struct {
		p      Protocol
		answer string
		err    string
	}{
		{SICS, "ES\r\n", "did not understand"},
		{SICS, "S S     1.234 t\r\n", `weighs in "t"`},
		{NCI, "\n   1.234kg\r\n\r\x03", "no status"},
		{CAS, "garbage\r\n", "not a CAS line"},
	} {
		_, err := c.p.Decode([]byte(c.answer))
		assert.ErrorContains(t, err, c.err, "%s %q", c.p, c.answer)
	}
	_, err := ParseProtocol("mettler")
	assert.ErrorContains(t, err, "sics (Mettler Toledo), nci (NCI, Avery Weigh-Tronix) or cas")
}

// A USB HID POS scale's report: id 3, status, unit, exponent, weight.
func TestHIDScaleReportsAreRead(t *testing.T) {
	for _, c := range []struct {
		report []byte
		want   Reading
	}{
		{[]byte{3, 4, 2, 0, 0xd2, 0x04}, Reading{Weight: station.Weight{Value: 1234, Unit: station.Gram}, State: Stable}},      // Dymo, grams
		{[]byte{3, 4, 11, 0xff, 0x2b, 0x01}, Reading{Weight: station.Weight{Value: 29.9, Unit: station.Ounce}, State: Stable}}, // 299 × 10^-1 oz
		{[]byte{3, 3, 12, 0xfe, 0x10, 0x01}, Reading{Weight: station.Weight{Value: 2.72, Unit: station.Pound}, State: Motion}}, // moving
		{[]byte{3, 2, 2, 0, 0, 0}, Reading{State: Zero}},
		{[]byte{3, 6, 2, 0, 0, 0}, Reading{State: Overload}},
		{[]byte{3, 5, 2, 0, 0, 0}, Reading{State: Underload}},
	} {
		got, err := DecodeHID(c.report)
		if assert.NoError(t, err, "% x", c.report) {
			assert.Equal(t, c.want.State, got.State, "% x", c.report)
			assert.Equal(t, c.want.Weight.Unit, got.Weight.Unit, "% x", c.report)
			assert.InDelta(t, c.want.Weight.Value, got.Weight.Value, 1e-9, "% x", c.report)
		}
	}
	_, err := DecodeHID([]byte{1, 2, 3})
	assert.ErrorContains(t, err, "not a scale weight report")
}

// A serial scale on a real pty pair, as cmd/scale-sim runs it: the weight
// settles, and the reader waits for the stable one, in each protocol.
func TestASerialScaleIsReadUntilItSettles(t *testing.T) {
	for _, p := range []Protocol{SICS, NCI, CAS} {
		t.Run(string(p), func(t *testing.T) {
			ptmx, tty, err := pty.Open()
			require.NoError(t, err)
			defer ptmx.Close()
			defer tty.Close()
			var looks atomic.Int32
			sim := Sim{Protocol: p, Every: 20 * time.Millisecond, Now: func() Reading {
				if looks.Add(1) < 4 {
					return Reading{Weight: kg(1.1 + float64(looks.Load())/100), State: Motion}
				}
				return Reading{Weight: kg(1.234), State: Stable}
			}}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			go func() { _ = sim.Serve(ctx, ptmx) }()

			s, err := OpenSerial(tty.Name(), p, 9600)
			require.NoError(t, err)
			defer s.Close()
			var seen []Reading
			s.Every = 10 * time.Millisecond
			r, err := WaitStable(ctx, s, func(r Reading) { seen = append(seen, r) })
			require.NoError(t, err)
			assert.Equal(t, Stable, r.State)
			assert.InDelta(t, 1234, r.Weight.Grams(), 0.01)
			assert.True(t, r.Usable())
			require.NotEmpty(t, seen)
			assert.Equal(t, Motion, seen[0].State, "it was moving first: hold still")
		})
	}
}

// A port with no scale behind it is said to be silent, not read as zero.
func TestASilentPortIsNoScale(t *testing.T) {
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	defer tty.Close()
	go func() { // swallow what is sent, answer nothing
		buf := make([]byte, 64)
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	s, err := OpenSerial(tty.Name(), SICS, 9600)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Read(context.Background())
	assert.ErrorIs(t, err, ErrNoAnswer)
	_, err = OpenSerial("/dev/no-such-scale", SICS, 9600)
	assert.ErrorContains(t, err, "no scale on /dev/no-such-scale")
}
