package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/packbench/packbench/station"
)

// Typed flags: each parses its text once, into the value the station
// takes, and says precisely what is wrong. A bad value stops the command
// in flag parsing (exit status 2), before anything is read or changed.

// newFlagSet is a command's flag set. A bad value is reported in one line
// (the flag package says which flag and why) with a pointer to -h; -h
// itself lists the flags.
func newFlagSet(c *runCtx, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		if c.help {
			fmt.Fprintf(c.stderr, "Usage of packbench %s:\n", name)
			fs.PrintDefaults()
			return
		}
		fmt.Fprintf(c.stderr, "packbench %s -h lists its flags.\n", name)
	}
	return fs
}

// number parses a finite number.
func number(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// gramsFlag is a weight in grams, more than 0 (or not given).
type gramsFlag struct {
	w       station.Weight
	orZero  bool // an empty box's weight may be 0
	present bool
}

func (f *gramsFlag) String() string {
	if f == nil || !f.present {
		return ""
	}
	return strconv.FormatFloat(f.w.Value, 'g', -1, 64)
}

func (f *gramsFlag) Set(s string) error {
	v, err := number(s)
	switch {
	case err != nil:
		return fmt.Errorf("%w of grams", err)
	case v < 0 || (v == 0 && !f.orZero):
		return fmt.Errorf("%g grams: a weight is more than 0", v)
	case v > 1_000_000:
		return fmt.Errorf("%g grams is more than a tonne: give the weight in grams", v)
	}
	f.w, f.present = station.Weight{Value: v, Unit: station.Gram}, true
	return nil
}

// dimsFlag is a box's length, width and height: three numbers more than 0.
type dimsFlag struct {
	d       station.Dimensions
	present bool
}

func (f *dimsFlag) String() string {
	if f == nil || !f.present {
		return ""
	}
	return fmt.Sprintf("%g,%g,%g", f.d.Length, f.d.Width, f.d.Height)
}

func (f *dimsFlag) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return fmt.Errorf("%q: give length, width and height as L,W,H, e.g. 10,8,4", s)
	}
	var v [3]float64
	for i, p := range parts {
		n, err := number(p)
		if err != nil {
			return fmt.Errorf("%q: %w", s, err)
		}
		if n <= 0 || n > 1000 {
			return fmt.Errorf("%q: each side is a number more than 0 (and at most 1000)", s)
		}
		v[i] = n
	}
	f.d = station.Dimensions{Length: v[0], Width: v[1], Height: v[2], Unit: station.Inch}
	f.present = true
	return nil
}

// rangeFlag is a whole number within [min, max], remembered as given or not.
type rangeFlag struct {
	v, min, max int
	unit        string
	present     bool
}

func (f *rangeFlag) String() string {
	if f == nil || !f.present {
		return ""
	}
	return strconv.Itoa(f.v)
}

func (f *rangeFlag) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a whole number of %s", s, f.unit)
	}
	if v < f.min || v > f.max {
		return fmt.Errorf("%d %s: give %d to %d", v, f.unit, f.min, f.max)
	}
	f.v, f.present = v, true
	return nil
}

// idFlag is a row id: a whole number more than 0.
type idFlag struct {
	id   int64
	what string
}

func (f *idFlag) String() string {
	if f == nil || f.id == 0 {
		return ""
	}
	return strconv.FormatInt(f.id, 10)
}

func (f *idFlag) Set(s string) error {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v <= 0 {
		return fmt.Errorf("%q is not a %s id (a whole number more than 0)", s, f.what)
	}
	f.id = v
	return nil
}

// parsedFlag is a value parsed by a station parser (formats, confirmations).
type parsedFlag[T ~string] struct {
	v     T
	parse func(string) (T, error)
}

func (f *parsedFlag[T]) String() string {
	if f == nil {
		return ""
	}
	return string(f.v)
}

func (f *parsedFlag[T]) Set(s string) error {
	v, err := f.parse(s)
	if err != nil {
		return err
	}
	f.v = v
	return nil
}

func labelFormatFlag() *parsedFlag[station.LabelFormat] {
	return &parsedFlag[station.LabelFormat]{parse: station.ParseLabelFormat}
}

func printerFormatFlag() *parsedFlag[station.LabelFormat] {
	return &parsedFlag[station.LabelFormat]{parse: station.ParsePrinterFormat}
}

func confirmationFlag() *parsedFlag[station.Confirmation] {
	return &parsedFlag[station.Confirmation]{v: station.ConfirmNone, parse: station.ParseConfirmation}
}

func boolFlag() *parsedFlag[string] {
	return &parsedFlag[string]{parse: func(s string) (string, error) {
		switch v := strings.ToLower(strings.TrimSpace(s)); v {
		case "true", "false":
			return v, nil
		}
		return "", fmt.Errorf("%q: give true or false", s)
	}}
}

// errNoStore says which store id is missing, instead of the database's
// foreign-key complaint.
var errNoStore = errors.New("no such store: packbench stores lists them")

// storeFrom checks a --store id names a connected store.
func storeFrom(ctx context.Context, c *runCtx, f *idFlag) (station.Store, error) {
	if f.id == 0 {
		return station.Store{}, errors.New("which store? give --store ID (packbench stores lists them)")
	}
	st, err := c.env.DB.GetStore(ctx, f.id)
	if errors.Is(err, station.ErrNotFound) {
		return station.Store{}, fmt.Errorf("store %d: %w", f.id, errNoStore)
	}
	return st, err
}
