package scale

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"
)

// Windows lists its HID devices through hid.dll and the configuration
// manager; a scale is one on the Scale usage page. (Wine has no USB
// scale: the list is empty, and no scale is said as such.)
func TestWindowsUSBScalesAreListed(t *testing.T) {
	scales, err := HIDScales()
	require.NoError(t, err)
	for _, p := range scales {
		caps, err := hidCaps(p)
		require.NoError(t, err)
		assert.Equal(t, uint16(scaleUsagePage), caps.UsagePage, p)
	}
	if len(scales) == 0 {
		_, err := OpenHID("")
		assert.ErrorIs(t, err, ErrNoHIDScale)
	}
}

// A USB scale's reports arrive through an overlapped read, as from the
// device: here a named pipe stands in for it. A read that waits for a
// scale that sends nothing ends when it is stopped.
func TestWindowsAUSBScaleIsReadAndLetGo(t *testing.T) {
	path := fmt.Sprintf(`\\.\pipe\packbench-scale-%d`, os.Getpid())
	name, err := windows.UTF16PtrFromString(path)
	require.NoError(t, err)
	pipe, err := windows.CreateNamedPipe(name, windows.PIPE_ACCESS_OUTBOUND,
		windows.PIPE_TYPE_MESSAGE|windows.PIPE_WAIT, 1, 4096, 4096, 0, nil)
	require.NoError(t, err)
	defer windows.CloseHandle(pipe)

	f, err := openOverlapped(path)
	require.NoError(t, err)
	h := NewHID(f)
	send := func(report []byte) {
		var n uint32
		require.NoError(t, windows.WriteFile(pipe, report, &n, nil))
	}
	send([]byte{3, 2, 2, 0, 0, 0}) // zero
	r, err := h.Read(t.Context())
	require.NoError(t, err)
	assert.Equal(t, Zero, r.State)
	send([]byte{3, 4, 3, 0xfd, 0xd2, 0x04}) // 1.234 kg, stable
	r, err = h.Read(t.Context())
	require.NoError(t, err)
	assert.True(t, r.Usable())
	assert.InDelta(t, 1234, r.Weight.Grams(), 0.001)

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = h.Read(ctx)
	assert.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second, "a stop ends a read the scale does not answer")
}
