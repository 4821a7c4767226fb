package station

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Money is an amount in the currency's minor units (cents, pence, yen), so
// that sums of label costs never drift the way float64 sums do.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"` // ISO 4217, e.g. "USD"
}

// zeroDecimalCurrencies have no minor unit: 1 JPY is stored as Minor=1.
var zeroDecimalCurrencies = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "ISK": true}

// MinorDigits reports how many decimal digits the currency's minor unit has.
func MinorDigits(currency string) int {
	if zeroDecimalCurrencies[strings.ToUpper(currency)] {
		return 0
	}
	return 2
}

// MoneyFromDecimal converts an API amount such as 12.34 to minor units,
// rounding half away from zero (Amazon sends at most the currency's digits).
func MoneyFromDecimal(amount float64, currency string) Money {
	scale := math.Pow10(MinorDigits(currency))
	return Money{Minor: int64(math.Round(amount * scale)), Currency: strings.ToUpper(currency)}
}

// Decimal returns the amount in major units, for APIs that want 12.34.
func (m Money) Decimal() float64 {
	return float64(m.Minor) / math.Pow10(MinorDigits(m.Currency))
}

func (m Money) String() string {
	if m.Currency == "" {
		return ""
	}
	d := MinorDigits(m.Currency)
	if d == 0 {
		return fmt.Sprintf("%d %s", m.Minor, m.Currency)
	}
	sign := ""
	v := m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	div := int64(math.Pow10(d))
	return fmt.Sprintf("%s%d.%0*d %s", sign, v/div, d, v%div, m.Currency)
}

// WeightUnit names the units Amazon's Shipping API accepts.
type WeightUnit string

const (
	Gram     WeightUnit = "GRAM"
	Kilogram WeightUnit = "KILOGRAM"
	Ounce    WeightUnit = "OUNCE"
	Pound    WeightUnit = "POUND"
)

var gramsPer = map[WeightUnit]float64{Gram: 1, Kilogram: 1000, Ounce: 28.349523125, Pound: 453.59237}

// Weight is a value with its unit; the zero Weight means "not known".
type Weight struct {
	Value float64    `json:"value"`
	Unit  WeightUnit `json:"unit"`
}

// Known reports whether the weight was ever entered or imported.
func (w Weight) Known() bool { return w.Value > 0 && gramsPer[w.Unit] > 0 }

// Grams converts to grams; an unknown weight is 0.
func (w Weight) Grams() float64 {
	if !w.Known() {
		return 0
	}
	return w.Value * gramsPer[w.Unit]
}

// In converts the weight to another unit.
func (w Weight) In(u WeightUnit) Weight {
	if !w.Known() || gramsPer[u] == 0 {
		return Weight{}
	}
	return Weight{Value: w.Grams() / gramsPer[u], Unit: u}
}

func (w Weight) String() string {
	if !w.Known() {
		return "unknown"
	}
	unit, ok := weightSymbols[w.Unit]
	if !ok {
		unit = strings.ToLower(string(w.Unit))
	}
	return fmt.Sprintf("%g %s", math.Round(w.Value*1000)/1000, unit)
}

// weightSymbols are the units as a scale's display and a packer write them.
var weightSymbols = map[WeightUnit]string{Gram: "g", Kilogram: "kg", Ounce: "oz", Pound: "lb"}

// LengthUnit names the units Amazon's Shipping API accepts for dimensions.
type LengthUnit string

const (
	Inch       LengthUnit = "INCH"
	Centimeter LengthUnit = "CENTIMETER"
)

var cmPer = map[LengthUnit]float64{Inch: 2.54, Centimeter: 1}

// Dimensions of a box; the zero value means "not known".
type Dimensions struct {
	Length float64    `json:"length"`
	Width  float64    `json:"width"`
	Height float64    `json:"height"`
	Unit   LengthUnit `json:"unit"`
}

// Known reports whether all three sides are set.
func (d Dimensions) Known() bool {
	return d.Length > 0 && d.Width > 0 && d.Height > 0 && cmPer[d.Unit] > 0
}

// In converts the dimensions to another unit.
func (d Dimensions) In(u LengthUnit) Dimensions {
	if !d.Known() || cmPer[u] == 0 {
		return Dimensions{}
	}
	f := cmPer[d.Unit] / cmPer[u]
	return Dimensions{Length: d.Length * f, Width: d.Width * f, Height: d.Height * f, Unit: u}
}

func (d Dimensions) String() string {
	if !d.Known() {
		return "unknown"
	}
	return fmt.Sprintf("%g × %g × %g %s", d.Length, d.Width, d.Height, strings.ToLower(string(d.Unit)))
}

// weightUnitWords are the units a packer types after a number.
var weightUnitWords = map[string]WeightUnit{
	"g": Gram, "gr": Gram, "gram": Gram, "grams": Gram,
	"kg": Kilogram, "kilo": Kilogram, "kilos": Kilogram, "kilogram": Kilogram, "kilograms": Kilogram,
	"oz": Ounce, "ounce": Ounce, "ounces": Ounce,
	"lb": Pound, "lbs": Pound, "pound": Pound, "pounds": Pound, "#": Pound,
}

var weightToken = regexp.MustCompile(`\d+(?:\.\d+)?|\.\d+|[a-z#]+`)

// ParseWeight reads a weight as a packer types it: "640", "640 g",
// "1.2 kg", "19 oz", "1 lb 3 oz", "1,5 kg". A bare number is in def.
// Anything else is refused with what to type.
func ParseWeight(text string, def WeightUnit) (Weight, error) {
	s := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(text, ",", ".")))
	if s == "" {
		return Weight{}, errors.New("type the package's weight, e.g. 640 g or 1 lb 3 oz")
	}
	// Numbers and unit words, spaces or not: "1lb3oz" reads as "1 lb 3 oz".
	fields := weightToken.FindAllString(s, -1)
	if strings.Join(fields, "") != strings.Join(strings.Fields(s), "") {
		return Weight{}, fmt.Errorf("%q is not a weight: type e.g. 640 g, 1.2 kg, 19 oz or 1 lb 3 oz", text)
	}
	bad := fmt.Errorf("%q is not a weight: type e.g. 640 g, 1.2 kg, 19 oz or 1 lb 3 oz", text)
	grams := 0.0
	for i := 0; i < len(fields); i++ {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil || v < 0 {
			return Weight{}, bad
		}
		unit := def
		if i+1 < len(fields) {
			u, ok := weightUnitWords[fields[i+1]]
			if !ok {
				return Weight{}, bad
			}
			unit, i = u, i+1
		} else if len(fields) > 2 {
			return Weight{}, bad // "1 lb 3": say what the 3 is
		}
		grams += v * gramsPer[unit]
	}
	if grams <= 0 {
		return Weight{}, fmt.Errorf("%q: a package weighs more than nothing", text)
	}
	if len(fields) == 1 {
		return Weight{Value: grams / gramsPer[def], Unit: def}, nil
	}
	if len(fields) == 2 {
		u := weightUnitWords[fields[1]]
		return Weight{Value: grams / gramsPer[u], Unit: u}, nil
	}
	return Weight{Value: grams, Unit: Gram}, nil
}

// Units are the units a store's bench weighs and measures in.
type Units string

const (
	Metric   Units = "metric"   // g and kg, cm
	Imperial Units = "imperial" // oz and lb, in
)

// ParseUnits reads "metric" or "imperial".
func ParseUnits(s string) (Units, error) {
	switch u := Units(strings.ToLower(strings.TrimSpace(s))); u {
	case Metric, Imperial:
		return u, nil
	}
	return "", fmt.Errorf("%q: weigh and measure in metric (g, kg, cm) or imperial (oz, lb, in)", s)
}

// Weight is the unit a bare number typed at the bench is in: grams, or
// ounces (what US sellers type).
func (u Units) Weight() WeightUnit {
	if u == Imperial {
		return Ounce
	}
	return Gram
}

// Length is the unit box sizes are shown in.
func (u Units) Length() LengthUnit {
	if u == Imperial {
		return Inch
	}
	return Centimeter
}

// ShowWeight writes a weight as a packer reads it in these units:
// "640 g", "1.25 kg", "12.3 oz", "1 lb 3.2 oz".
func (u Units) ShowWeight(w Weight) string {
	if !w.Known() {
		return "weight unknown"
	}
	g := w.Grams()
	if u != Imperial {
		if g >= 1000 {
			return fmt.Sprintf("%g kg", math.Round(g)/1000)
		}
		return fmt.Sprintf("%g g", math.Round(g))
	}
	oz := math.Round(g/gramsPer[Ounce]*10) / 10
	if oz < 16 {
		return fmt.Sprintf("%g oz", oz)
	}
	lb := math.Floor(oz / 16)
	rest := math.Round((oz-lb*16)*10) / 10
	if rest == 0 {
		return fmt.Sprintf("%g lb", lb)
	}
	return fmt.Sprintf("%g lb %g oz", lb, rest)
}

// TypedWeight is a weight as the bench types it: a bare number in grams or
// in ounces, for the weight field to start from.
func (u Units) TypedWeight(w Weight) string {
	if u == Imperial {
		return strconv.FormatFloat(math.Round(w.In(Ounce).Value*10)/10, 'f', -1, 64)
	}
	return strconv.Itoa(int(w.Grams() + 0.5))
}

// usMarketplace is amazon.com's marketplace id.
const usMarketplace = "ATVPDKIKX0DER"

// Units are the store's chosen units, or imperial for a store that sells in
// the US and metric for the others.
func (s Store) Units() Units {
	if s.Settings.Units != "" {
		return s.Settings.Units
	}
	for _, mp := range s.MarketplaceIDs {
		if mp == usMarketplace {
			return Imperial
		}
	}
	return Metric
}
