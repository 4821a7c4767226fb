package station

import (
	"errors"
	"fmt"
	"strings"
)

// BenchSettings are one bench's own choices, kept with the bench (its data
// folder) rather than in the orders database, which several benches may
// share: one packer runs Auto, the next checks every label first.
type BenchSettings struct {
	// Auto makes a scan of a ready order buy its label at once (the
	// default rate, or its shipping rule) and print it.
	Auto bool `json:"auto"`
	// AfterAction is what the list shows once an order is bought, printed
	// or voided.
	AfterAction AfterAction `json:"afterAction"`
	// SlipWithLabel prints the packing slip with every label bought here.
	SlipWithLabel bool `json:"slipWithLabel"`
	// Scale is this bench's scale: its stable weight is the package's.
	Scale ScaleConfig `json:"scale,omitzero"`
}

// AfterAction is what the list selects after an action on an order.
type AfterAction string

const (
	// KeepOrder keeps the order selected, following it to its new tab.
	KeepOrder AfterAction = "keep"
	// NextOrder stays on the tab and selects the next order to pack.
	NextOrder AfterAction = "next"
)

// DefaultBenchSettings: a scan selects the order and waits for the packer,
// who sees the order again after acting on it.
func DefaultBenchSettings() BenchSettings {
	return BenchSettings{AfterAction: KeepOrder}
}

// ParseAfterAction reads "keep" or "next".
func ParseAfterAction(s string) (AfterAction, error) {
	switch a := AfterAction(strings.ToLower(strings.TrimSpace(s))); a {
	case KeepOrder, NextOrder:
		return a, nil
	}
	return "", fmt.Errorf("%q: after an action, keep the order selected (keep) or go to the next order (next)", s)
}

// Normalized fills what an older or hand-edited settings file left out.
func (b BenchSettings) Normalized() BenchSettings {
	if _, err := ParseAfterAction(string(b.AfterAction)); err != nil {
		b.AfterAction = KeepOrder
	}
	return b
}

// BenchStore keeps a bench's settings.
type BenchStore interface {
	LoadBench() (BenchSettings, error)
	SaveBench(BenchSettings) error
}

// WithBench keeps this bench's settings in b.
func (s *Station) WithBench(b BenchStore) *Station {
	s.bench = b
	return s
}

// Bench reads this bench's settings; the defaults when none are kept yet
// (or no store is wired, as in tests of other workflows).
func (s *Station) Bench() (BenchSettings, error) {
	if s.bench == nil {
		return DefaultBenchSettings(), nil
	}
	b, err := s.bench.LoadBench()
	if err != nil {
		return DefaultBenchSettings(), fmt.Errorf("read this bench's settings: %w", err)
	}
	return b.Normalized(), nil
}

// SetBench saves this bench's settings.
func (s *Station) SetBench(b BenchSettings) error {
	if _, err := ParseAfterAction(string(b.AfterAction)); err != nil {
		return err
	}
	if err := b.Scale.Check(); err != nil {
		return err
	}
	if s.bench == nil {
		return errors.New("this bench has nowhere to keep its settings")
	}
	if err := s.bench.SaveBench(b); err != nil {
		return fmt.Errorf("save this bench's settings: %w", err)
	}
	return nil
}
