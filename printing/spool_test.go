package printing

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSpooler records the calls and fails the one named in failAt. Once
// spooled, the job has the statuses given, one per look, then leaves the
// queue.
type fakeSpooler struct {
	failAt   string
	calls    []string
	written  []byte
	short    bool
	statuses []uint32
	looks    int
	stuck    bool // the job stays in the queue with its last status
}

func (f *fakeSpooler) step(name string) error {
	f.calls = append(f.calls, name)
	if f.failAt == name {
		return errors.New("the spooler refused")
	}
	return nil
}

func (f *fakeSpooler) StartDoc(string, string) (uint32, error) { return 7, f.step("StartDoc") }
func (f *fakeSpooler) JobStatus(job uint32) (uint32, bool) {
	if job != 7 {
		panic("another job")
	}
	f.looks++
	if f.looks > len(f.statuses) {
		if f.stuck && len(f.statuses) > 0 {
			return f.statuses[len(f.statuses)-1], false
		}
		return 0, true
	}
	return f.statuses[f.looks-1], false
}
func (f *fakeSpooler) DeleteJob(uint32) error { return f.step("DeleteJob") }
func (f *fakeSpooler) StartPage() error       { return f.step("StartPage") }
func (f *fakeSpooler) Write(p []byte) (int, error) {
	if err := f.step("Write"); err != nil {
		return 0, err
	}
	if f.short {
		p = p[:len(p)/2]
	}
	f.written = append(f.written, p...)
	return len(p), nil
}
func (f *fakeSpooler) EndPage() error { return f.step("EndPage") }
func (f *fakeSpooler) EndDoc() error  { return f.step("EndDoc") }
func (f *fakeSpooler) Abort() error   { return f.step("Abort") }

// A job the Windows spooler refuses at any step is reported as not
// printed, and cancelled so that nothing half-sent prints later.
func TestASpooledJobIsPrintedOnlyIfEveryStepSucceeded(t *testing.T) {
	data := []byte("^XA^FDlabel^FS^XZ")
	ok := &fakeSpooler{}
	require.NoError(t, spoolJob(ok, "Zebra", "label-1", "RAW", data))
	assert.Equal(t, []string{"StartDoc", "StartPage", "Write", "EndPage", "EndDoc"}, ok.calls)
	assert.Equal(t, data, ok.written)

	for _, step := range []string{"StartPage", "Write", "EndPage", "EndDoc"} {
		f := &fakeSpooler{failAt: step}
		err := spoolJob(f, "Zebra", "label-1", "RAW", data)
		require.Error(t, err, step)
		assert.NotErrorIs(t, err, errDatatypeRefused, "%s: the job may have been spooled: never retried with another datatype", step)
		assert.Equal(t, "Abort", f.calls[len(f.calls)-1], "%s: the refused job is cancelled", step)
	}
	short := &fakeSpooler{short: true}
	assert.ErrorContains(t, spoolJob(short, "Zebra", "label-1", "RAW", data), "took 8 of 17 bytes")

	refused := &fakeSpooler{failAt: "StartDoc"}
	err := spoolJob(refused, "Zebra", "label-1", "RAW", data)
	assert.ErrorIs(t, err, errDatatypeRefused, "only a refused datatype lets Print try XPS_PASS")
	assert.Equal(t, []string{"StartDoc"}, refused.calls)
}

// A spooled job the queue holds because the printer cannot print it is
// taken off Windows' queue and reported as refused (offline, so Packbench
// sends it again later: it prints once); a job that leaves the queue, is
// printed, or merely waits (a paused queue) is printed.
func TestASpooledJobThePrinterCannotPrintIsTakenBackAndReported(t *testing.T) {
	saved := jobWatch
	t.Cleanup(func() { jobWatch = saved })
	jobWatch.wait, jobWatch.every = 50*time.Millisecond, time.Millisecond
	data := []byte("^XA^FDlabel^FS^XZ")

	for _, tc := range []struct {
		name     string
		statuses []uint32
		stuck    bool
		refused  string
	}{
		{name: "handed to the printer at once"},
		{name: "spooling, printing, then gone", statuses: []uint32{0x8, 0x10}},
		{name: "printed", statuses: []uint32{0x10, jobStatusPrinted}, stuck: true},
		{name: "waiting in a paused queue", statuses: []uint32{0x1}, stuck: true},
		{name: "offline", statuses: []uint32{0x8, jobStatusOffline | jobStatusError}, stuck: true, refused: "the printer is offline, the printer reported an error"},
		{name: "out of paper", statuses: []uint32{jobStatusPaperOut}, stuck: true, refused: "out of paper"},
		{name: "jammed", statuses: []uint32{jobStatusUserIntervention}, stuck: true, refused: "needs someone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeSpooler{statuses: tc.statuses, stuck: tc.stuck}
			err := spoolJob(f, "Zebra", "label-1", "RAW", data)
			if tc.refused == "" {
				require.NoError(t, err)
				assert.NotContains(t, f.calls, "DeleteJob")
				return
			}
			require.ErrorIs(t, err, ErrPrinterOffline, "sent again when the printer is back")
			assert.Contains(t, err.Error(), tc.refused)
			assert.Contains(t, err.Error(), "taken off Windows' queue")
			assert.Equal(t, "DeleteJob", f.calls[len(f.calls)-1], "the held job is deleted, or it would print twice")
		})
	}

	f := &fakeSpooler{statuses: []uint32{jobStatusPaperOut}, stuck: true, failAt: "DeleteJob"}
	err := spoolJob(f, "Zebra", "label-1", "RAW", data)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrPrinterOffline, "a job left in Windows' queue must not be sent again by itself")
	assert.Contains(t, err.Error(), "check the queue")
}
