package printing

import (
	"bytes"
	"fmt"
	"regexp"
)

var sprintf = fmt.Sprintf

// stateCommands change how the printer behaves for every later label, not
// just this one: print mode, media type and tracking, darkness, speed,
// calibration, saving settings. Carriers' ZPL often carries them; on a
// packer's printer they turn a tear-off printer into peel mode or burn
// darkness up for good. (^PW and ^LL size this label and stay.)
var stateCommands = regexp.MustCompile(`(?i)(\^MM[^\^~]*|\^MT[^\^~]*|\^MN[^\^~]*|\^MD[^\^~]*|~SD[^\^~]*|\^PR[^\^~]*|` +
	`~JS[^\^~]*|\^JU[^\^~]*|~JC|~JL|\^JZ[^\^~]*|\^KD[^\^~]*|\^JM[^\^~]*|~TA[^\^~]*|\^MF[^\^~]*)`)

// SanitizeZPL removes commands that change printer state and returns what
// it removed, for the log. The label's content and fields are untouched.
func SanitizeZPL(zpl []byte) (clean []byte, removed []string) {
	clean = stateCommands.ReplaceAllFunc(zpl, func(m []byte) []byte {
		removed = append(removed, string(bytes.TrimSpace(m)))
		return nil
	})
	return clean, removed
}

// TestLabel is a 4×6 inch ZPL page that shows a packer whether the printer's
// dpi and alignment are right: a border 0.1 inch inside the edge, inch marks
// along the top, and the dpi it was made for.
func TestLabel(dpi int) []byte {
	dot := func(in float64) int { return int(in * float64(dpi)) }
	var b bytes.Buffer
	add := func(format string, args ...any) { b.WriteString(sprintf(format, args...)) }
	add("^XA^CI28^PW%d^LL%d^LH0,0\n", dot(4), dot(6))
	add("^FO%d,%d^GB%d,%d,%d^FS\n", dot(0.1), dot(0.1), dot(3.8), dot(5.8), dot(0.03))
	for i := 1; i < 4; i++ {
		add("^FO%d,%d^GB%d,%d,%d^FS\n", dot(float64(i)), dot(0.1), dot(0.02), dot(0.4), dot(0.02))
	}
	add("^FO%d,%d^A0N,%d,%d^FDPackbench test label^FS\n", dot(0.4), dot(1), dot(0.3), dot(0.3))
	add("^FO%d,%d^A0N,%d,%d^FDMade for %d dpi: the marks are 1 inch apart,^FS\n", dot(0.4), dot(1.6), dot(0.15), dot(0.15), dpi)
	add("^FO%d,%d^A0N,%d,%d^FDthe frame 0.1 inch from every edge.^FS\n", dot(0.4), dot(1.85), dot(0.15), dot(0.15))
	add("^FO%d,%d^BY2^BCN,%d,Y,N,N^FDPACKBENCH-TEST^FS\n", dot(0.4), dot(2.5), dot(1))
	b.WriteString("^XZ\n")
	return b.Bytes()
}
