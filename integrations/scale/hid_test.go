package scale

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeHID is a USB scale behind the device interface: the reports it has
// sent, one per read, as a raw HID device gives them.
type fakeHID struct {
	reports [][]byte
	closed  bool
}

func (f *fakeHID) Read(p []byte) (int, error) {
	if len(f.reports) == 0 {
		return 0, io.EOF // unplugged
	}
	n := copy(p, f.reports[0])
	f.reports = f.reports[1:]
	return n, nil
}

func (f *fakeHID) Close() error { f.closed = true; return nil }

// A USB scale is read from its reports: other reports skipped, moving and
// empty weights shown but not taken, the first stable weight taken.
func TestAUSBScaleIsReadUntilItSettles(t *testing.T) {
	dev := &fakeHID{reports: [][]byte{
		{3, 2, 2, 0, 0, 0},           // zero
		{1, 0x42, 0, 0},              // another report (a button): skipped
		{3, 3, 2, 0, 0xe8, 0x03},     // 1000 g, moving
		{3, 4, 11, 0xff, 0xb9, 0x01}, // 44.1 oz, stable
	}}
	h := NewHID(dev)
	var seen []State
	r, err := WaitStable(context.Background(), h, func(r Reading) { seen = append(seen, r.State) })
	require.NoError(t, err)
	assert.Equal(t, []State{Zero, Motion, Stable}, seen)
	assert.InDelta(t, 44.1, r.Weight.Value, 1e-9)
	assert.InDelta(t, 1250.21, r.Weight.Grams(), 0.01)
	_, err = h.Read(context.Background())
	assert.ErrorContains(t, err, "reading the scale", "unplugged: said, not read as zero")
	require.NoError(t, h.Close())
	assert.True(t, dev.closed)
}

// A scale is found by its report descriptor's Scale usage page (0x8D), in
// the one-byte or two-byte form, not by a vendor list; a keyboard is not.
func TestUSBScalesAreFoundByTheirUsagePage(t *testing.T) {
	dymo := []byte{0x05, 0x8d, 0x09, 0x01, 0xa1, 0x01, 0x85, 0x01, 0x09, 0x46, 0x15, 0x00, 0x25, 0x02, 0x75, 0x08, 0x95, 0x01, 0xb1, 0x02, 0xc0}
	twoByte := []byte{0x06, 0x8d, 0x00, 0x09, 0x01, 0xa1, 0x01, 0xc0}
	keyboard := []byte{0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0xc0}
	vendor := []byte{0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x15, 0x8d, 0xc0} // 0x8D as data, not a page
	assert.True(t, hasScaleUsagePage(dymo))
	assert.True(t, hasScaleUsagePage(twoByte))
	assert.False(t, hasScaleUsagePage(keyboard))
	assert.False(t, hasScaleUsagePage(vendor))
	assert.False(t, hasScaleUsagePage(bytes.Repeat([]byte{0xfe}, 3)), "a truncated long item")
}
