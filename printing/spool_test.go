package printing

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSpooler records the calls and fails the one named in failAt.
type fakeSpooler struct {
	failAt  string
	calls   []string
	written []byte
	short   bool
}

func (f *fakeSpooler) step(name string) error {
	f.calls = append(f.calls, name)
	if f.failAt == name {
		return errors.New("the spooler refused")
	}
	return nil
}

func (f *fakeSpooler) StartDoc(string, string) error { return f.step("StartDoc") }
func (f *fakeSpooler) StartPage() error              { return f.step("StartPage") }
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
