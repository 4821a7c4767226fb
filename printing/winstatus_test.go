package printing

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// What Windows says of a printer, in the words a packer acts on; printing
// (0x400) or busy (0x200) is no problem.
func TestWindowsPrinterStatusInWords(t *testing.T) {
	assert.Empty(t, printerProblems(0, 0))
	assert.Empty(t, printerProblems(0, 0x400|0x200), "printing and busy are fine")
	assert.Equal(t, []string{"out of paper", "offline"}, printerProblems(0, 0x10|0x80))
	assert.Equal(t, []string{"set to use offline", "paused"}, printerProblems(0x400, 0x1))
	assert.Equal(t, []string{"door open"}, printerProblems(0, 0x400000))
}

func TestAWindowsPrinterStateIsReadyOrItsProblems(t *testing.T) {
	assert.Equal(t, "ready", WindowsPrinter{}.State())
	assert.Equal(t, "paused, offline", WindowsPrinter{Problems: []string{"paused", "offline"}}.State())
}
