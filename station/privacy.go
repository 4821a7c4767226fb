package station

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Privacy is the storage side of Amazon's Data Protection Policy.
type Privacy interface {
	RedactOrder(ctx context.Context, orderID int64, at time.Time) error
	RedactionDue(ctx context.Context, now time.Time) ([]int64, error)
	Compact(ctx context.Context) error
}

// Erase wipes one order's buyer data now, on the buyer's request (GDPR):
// name, address, phone, gift messages and label documents. The order, its
// SKUs, tracking and cost stay for the seller's records; the audit line
// says it happened without saying what was there.
func (s *Station) Erase(ctx context.Context, orderID int64) error {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return err
	}
	if err := s.repo.RedactOrder(ctx, orderID, s.now()); err != nil {
		return fmt.Errorf("the buyer's data was not erased: %w", err)
	}
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: orderID, Action: "buyer data erased on request"})
	if err := s.repo.Compact(ctx); err != nil {
		s.log.Warn("compacting after an erase failed; the freed bytes are overwritten all the same", "err", err)
	}
	return nil
}

// RedactDue wipes the buyer data of every order past its store's retention
// after delivery (at most 30 days, Amazon's Data Protection Policy), then
// compacts the database so the bytes leave the file.
func (s *Station) RedactDue(ctx context.Context) (int, error) {
	ids, err := s.repo.RedactionDue(ctx, s.now())
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, id := range ids {
		if err := s.repo.RedactOrder(ctx, id, s.now()); err != nil {
			errs = append(errs, err)
			continue
		}
		s.audit(ctx, AuditEntry{OrderID: id, Action: "buyer data redacted after delivery"})
		n++
	}
	if n > 0 {
		if err := s.repo.Compact(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
