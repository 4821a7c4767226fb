package station

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A product scanned as its UPC-A, its EAN-13 or its GTIN-14 is one code;
// anything else is kept as typed, in capitals.
func TestBarcodesOfOneProductAreOneCode(t *testing.T) {
	gtin := "00012345678905"
	for _, code := range []string{"012345678905", "0012345678905", "00012345678905", " 012345678905\n"} {
		assert.Equal(t, gtin, NormalizeBarcode(code), code)
	}
	assert.Equal(t, "00000096385074", NormalizeBarcode("96385074"), "EAN-8")
	assert.Equal(t, "MUG-RED", NormalizeBarcode("mug-red"))
	assert.Equal(t, "X00ABC1234", NormalizeBarcode("X00abc1234"), "an FNSKU")
	assert.Equal(t, "1234567", NormalizeBarcode("1234567"), "no GTIN length: as it is")

	for in, want := range map[string]VerifyMode{"off": VerifyOff, "": VerifyOff, "Verify": VerifyScan, " ship ": VerifyShip} {
		got, err := ParseVerifyMode(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseVerifyMode("sometimes")
	assert.ErrorContains(t, err, "off, verify")
}
