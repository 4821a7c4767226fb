package printing

import "strings"

// WindowsPrinter is a printer Windows knows (local or connected).
type WindowsPrinter struct {
	Name, Driver, Port string
	Problems           []string // empty: ready as far as Windows knows
}

// State is what Windows says of the printer, in words: "ready" or its
// problems.
func (p WindowsPrinter) State() string {
	if len(p.Problems) == 0 {
		return "ready"
	}
	return strings.Join(p.Problems, ", ")
}

// attributeWorkOffline is PRINTER_ATTRIBUTE_WORK_OFFLINE: "Use printer
// offline" ticked, jobs held.
const attributeWorkOffline = 0x400

// windowsStatusBits are the PRINTER_STATUS_ bits a packer can act on, in
// words.
var windowsStatusBits = []struct {
	bit  uint32
	what string
}{
	{0x1, "paused"}, {0x2, "in error"}, {0x4, "being deleted"}, {0x8, "paper jam"},
	{0x10, "out of paper"}, {0x20, "waiting for paper to be fed by hand"}, {0x40, "paper problem"},
	{0x80, "offline"}, {0x800, "output bin full"}, {0x1000, "not available"}, {0x40000, "out of toner"},
	{0x100000, "needs the user to act"}, {0x200000, "out of memory"}, {0x400000, "door open"},
	{0x800000, "print server unknown"},
}

// printerProblems says what a printer's PRINTER_INFO_2 attributes and
// status mean for the packer; none: ready.
func printerProblems(attributes, status uint32) []string {
	var out []string
	if attributes&attributeWorkOffline != 0 {
		out = append(out, "set to use offline")
	}
	for _, b := range windowsStatusBits {
		if status&b.bit != 0 {
			out = append(out, b.what)
		}
	}
	return out
}
