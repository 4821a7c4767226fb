package station

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// On a shared order queue the labels live in PostgreSQL. When the server
// cannot be reached a bench buys nothing, but a packer who needs a label
// again (jammed, smudged) still gets it: each bench keeps the labels it
// printed lately in a cache of its own, sealed with the data key, and
// reprints from there while the queue is away (docs/architecture.md,
// "Several benches").

// CachedLabel is a label as this bench last printed it.
type CachedLabel struct {
	OrderID       int64     `json:"orderId"`
	AmazonOrderID string    `json:"amazonOrderId"`
	Printer       Printer   `json:"printer"`
	Name          string    `json:"name"`
	Label         Label     `json:"label"`
	Contents      []byte    `json:"contents"`
	PrintedAt     time.Time `json:"printedAt"`
}

// LabelCache keeps the labels this bench printed. Cached finds one by the
// order's id or its Amazon order id.
type LabelCache interface {
	Keep(c CachedLabel) error
	Cached(orderID int64, amazonOrderID string) (CachedLabel, error)
}

// Pinger is a repository that can say whether it is reachable now.
type Pinger interface {
	Ping(ctx context.Context) error
}

// WithLabelCache keeps printed labels in c for reprints while the shared
// queue is unreachable.
func (s *Station) WithLabelCache(c LabelCache) *Station {
	s.labelCache = c
	return s
}

// ErrQueueUnreachable is wrapped when the shared order queue cannot be reached.
var ErrQueueUnreachable = errors.New("the shared order queue cannot be reached")

// unreachable says, after a failure, whether the repository is a shared
// queue that cannot be reached now, and why (nil when it answers).
func (s *Station) unreachable(ctx context.Context) error {
	if p, ok := s.repo.(Pinger); ok && s.benchName != "" {
		if perr := p.Ping(ctx); perr != nil {
			return fmt.Errorf("%w: %w", ErrQueueUnreachable, perr)
		}
	}
	return nil
}

// keepPrinted caches a label this bench printed.
func (s *Station) keepPrinted(o Order, pr Printer, name string, l Label) {
	if s.labelCache == nil {
		return
	}
	if err := s.labelCache.Keep(CachedLabel{OrderID: o.ID, AmazonOrderID: o.AmazonOrderID, Printer: pr, Name: name,
		Label: l, Contents: l.Contents, PrintedAt: s.now()}); err != nil {
		s.log.Warn("label cache", "err", err)
	}
}

// ReprintCached prints an order's label from this bench's cache, on the
// printer it printed on, without the queue.
func (s *Station) ReprintCached(ctx context.Context, orderID int64, amazonOrderID string) error {
	if s.labelCache == nil || s.printer == nil {
		return errors.New("this bench keeps no label cache")
	}
	c, err := s.labelCache.Cached(orderID, amazonOrderID)
	if err != nil {
		return err
	}
	l := c.Label
	l.Contents = c.Contents
	_, err = s.printer.PrintLabel(ctx, c.Printer, c.Name, l)
	return err
}
