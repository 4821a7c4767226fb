package station

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Privacy is the storage side of Amazon's Data Protection Policy.
type Privacy interface {
	RedactOrder(ctx context.Context, orderID int64, at time.Time) error
	RedactionDue(ctx context.Context, now time.Time) ([]int64, error)
	Compact(ctx context.Context) error
}

// Erase wipes one order's buyer data now, on the buyer's request (GDPR):
// name, address, phone, gift messages and label documents, and every file
// a folder printer wrote for it (labels, packing slips), whose paths it
// returns. The order, its SKUs, tracking and cost stay for the seller's
// records; the audit line says it happened without saying what was there.
func (s *Station) Erase(ctx context.Context, orderID int64) (removed []string, err error) {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if err := s.repo.RedactOrder(ctx, orderID, s.now()); err != nil {
		return nil, fmt.Errorf("the buyer's data was not erased: %w", err)
	}
	removed, err = s.removePrintedFiles(ctx, orderID)
	s.audit(ctx, AuditEntry{StoreID: o.StoreID, OrderID: orderID, Action: "buyer data erased on request",
		Detail: fmt.Sprintf("%d printed files removed", len(removed))})
	if err != nil {
		return removed, fmt.Errorf("the buyer's data is erased here, but printed files remain: %w", err)
	}
	if err := s.repo.Compact(ctx); err != nil {
		s.log.Warn("compacting after an erase failed; the freed bytes are overwritten all the same", "err", err)
	}
	return removed, nil
}

// removePrintedFiles deletes the files folder printers wrote for an
// order's labels and packing slips (the print queue knows each one). A
// file already gone (moved, printed and deleted by another tool) counts as
// removed; one that cannot be deleted is an error that names it.
func (s *Station) removePrintedFiles(ctx context.Context, orderID int64) (removed []string, err error) {
	files, err := s.repo.PrintedFiles(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, f := range files {
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove %s: %w", f.Path, err))
			continue
		}
		if err := s.repo.ForgetPrintedFile(ctx, f.JobID); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, f.Path)
	}
	return removed, errors.Join(errs...)
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
		removed, err := s.removePrintedFiles(ctx, id)
		if err != nil {
			errs = append(errs, err)
		}
		s.audit(ctx, AuditEntry{OrderID: id, Action: "buyer data redacted after delivery", Detail: fmt.Sprintf("%d printed files removed", len(removed))})
		n++
	}
	if n > 0 {
		if err := s.repo.Compact(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
