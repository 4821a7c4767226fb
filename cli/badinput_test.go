package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every flag is parsed into a typed value once: a bad value gets a precise
// message, a non-zero exit status, and changes nothing, here or at Amazon.
func TestBadInputIsRefusedPreciselyAndChangesNothing(t *testing.T) {
	s, dir, pb := simCLI(t, 5, 20)
	order := connectedDemo(t, pb)
	shipFrom := []string{"ship-from", "--store", "1", "--name", "Acme", "--street", "1 Main St", "--city", "Seattle", "--state", "WA", "--postal-code", "98101"}

	// state is what a bad command must leave as it was.
	state := func() string {
		var b strings.Builder
		for _, args := range [][]string{{"orders", "--json"}, {"settings", "--store", "1"}, {"boxes"}, {"mappings", "--store", "1"}, {"printers", "--json"}} {
			_, out, _ := pb(args...)
			b.WriteString(out)
		}
		n := 0
		for _, p := range s.Purchases() {
			if !p.Cancelled {
				n++
			}
		}
		return b.String() + strings.Repeat("$", n)
	}
	before := state()

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"rates", order, "--weight", "500", "--dims", "0,0,0"}, "each side is a number more than 0"},
		{[]string{"rates", order, "--weight", "500", "--dims", "a,b,c"}, `"a" is not a number`},
		{[]string{"buy", order, "--weight", "500", "--dims", "-1,-2,-3"}, "each side is a number more than 0"},
		{[]string{"buy", order, "--weight", "500", "--dims", "1,2"}, "give length, width and height as L,W,H"},
		{[]string{"buy", order, "--weight", "500", "--dims", "1,2,3,4"}, "give length, width and height as L,W,H"},
		{[]string{"buy", order, "--weight", "0"}, "a weight is more than 0"},
		{[]string{"buy", order, "--weight", "-5"}, "a weight is more than 0"},
		{[]string{"buy", order, "--weight", "NaN"}, `"NaN" is not a number of grams`},
		{[]string{"buy", order, "--weight", "Inf"}, `"Inf" is not a number of grams`},
		{[]string{"buy", order, "--weight", "heavy"}, `"heavy" is not a number of grams`},
		{[]string{"buy", order, "--weight", "500", "--confirmation", "maybe"}, `unknown delivery confirmation "maybe"`},
		{[]string{"buy", order, "--weight", "500", "--format", "JUNK"}, `unknown label format "JUNK"`},
		{[]string{"buy", order, "--weight", "500", "--format", "PDF_LETTER"}, "is a printer setting"},
		{[]string{"settings", "--store", "1", "--retention-days", "-5"}, "give 0 to 30"},
		{[]string{"settings", "--store", "1", "--retention-days", "31"}, "give 0 to 30"},
		{[]string{"settings", "--store", "1", "--import-every", "0"}, "give 5 to 1440"},
		{[]string{"settings", "--store", "1", "--import-every", "soon"}, `"soon" is not a whole number`},
		{[]string{"settings", "--store", "1", "--import-days", "0"}, "give 1 to 30"},
		{[]string{"settings", "--store", "1", "--import-weights", "maybe"}, "give true or false"},
		{[]string{"settings", "--store", "1", "--identifier", "upc"}, "identify products by sku or asin"},
		{[]string{"settings", "--store", "9"}, "store 9: no such store"},
		{[]string{"settings", "--store", "abc"}, `"abc" is not a store id`},
		{[]string{"settings", "--store", "-1"}, `"-1" is not a store id`},
		{[]string{"mappings", "--store", "9"}, "store 9: no such store"},
		{[]string{"mappings", "--store", "1", "--add", "--service", "X", "--confirmation", "maybe"}, `unknown delivery confirmation "maybe"`},
		{[]string{"mappings", "--store", "1", "--add", "--service", "X", "--min-grams", "-1"}, "a weight is more than 0"},
		{[]string{"mappings", "--store", "1", "--add", "--service", "X", "--min-grams", "500", "--max-grams", "100"}, "less than --min-grams"},
		{[]string{"import", "--store", "9"}, "store 9: no such store"},
		{[]string{"disconnect", "--store", "9", "--yes"}, "store 9: no such store"},
		{append(append([]string{}, shipFrom...), "--country", "ZZ"), `country "ZZ" is not an ISO 3166 country code`},
		{append(append([]string{}, shipFrom...), "--country", "UK"), `country "UK" is not an ISO 3166 country code`},
		{append([]string{"ship-from", "--store", "9"}, append(shipFrom[3:], "--country", "US")...), "store 9: no such store"},
		{[]string{"orders", "--search", "nomatch"}, "no order matches these filters"},
		{[]string{"boxes", "--add", "Flat", "--dims", "0,1,1"}, "each side is a number more than 0"},
		{[]string{"boxes", "--add", "Flat"}, "a box needs its size"},
		{[]string{"boxes", "--add", "Flat", "--dims", "10,8,4", "--unit", "ft"}, `"ft": give in or cm`},
		{[]string{"boxes", "--add", "Flat", "--dims", "10,8,4", "--tare", "-1"}, "a weight is more than 0"},
		{[]string{"boxes", "--delete", "x"}, `"x" is not a box id`},
		{[]string{"printer", "add", "Z", "--folder", dir, "--format", "JUNK"}, `unknown printer format "JUNK"`},
	} {
		name := strings.Join(tc.args, " ")
		code, _, stderr := pb(tc.args...)
		assert.NotEqual(t, 0, code, name)
		assert.Contains(t, stderr, tc.says, name)
		assert.NotContains(t, stderr, "constraint", name)
	}
	assert.Equal(t, before, state(), "no bad command changed anything")

	// The neighbours that are right still work.
	code, _, stderr := pb(append(shipFrom, "--country", "us")...)
	assert.Equal(t, 0, code, stderr)
	var out string
	code, out, stderr = pb("settings", "--store", "1", "--retention-days", "0", "--import-every", "5")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "import every 5 min")
	assert.Contains(t, out, "keep buyers' data 0 days")
}
