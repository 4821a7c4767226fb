package station

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// End of day: some carriers (USPS, Canada Post, Royal Mail, Australia
// Post) take parcels against a collection form, one per day and ship-from
// address, that the driver signs. Amazon knows which labels are on no form
// yet (getUnmanifestedShipments) and makes the form (generateCollectionForm,
// a PDF); Packbench keeps each form with the labels it covers and prints it
// on the document printer (docs/architecture.md, "End of day").

// Unmanifested is a carrier's labels from one address that no collection
// form carries yet, as Amazon lists them.
type Unmanifested struct {
	CarrierID, CarrierName string
	From                   Address
	LastForm               time.Time // the last form for them (zero: never)
}

// CollectionForm is a form Packbench asked for, kept with its PDF.
type CollectionForm struct {
	ID                     int64
	StoreID                int64
	CarrierID, CarrierName string
	From                   Address
	IdempotencyKey         string
	Done                   bool // Amazon made it (false: asked, answer not yet saved)
	CreatedAt              time.Time
	Labels                 int // the live labels it covers
	PDF                    []byte
}

// DayClose is what closing the day would do for one store and carrier.
type DayClose struct {
	Store        Store
	Unmanifested Unmanifested
	Labels       int // this bench's live labels of the carrier on no form
}

// Manifests is Amazon's side of closing the day.
type Manifests interface {
	Unmanifested(ctx context.Context, c Credentials) ([]Unmanifested, error)
	// GenerateCollectionForm makes the carrier's form; the same key gives
	// back the same form.
	GenerateCollectionForm(ctx context.Context, c Credentials, key, carrierID string, from Address) ([]byte, error)
}

// Forms is the collection-form storage.
type Forms interface {
	// StartCollectionForm writes a pending form before Amazon is asked.
	StartCollectionForm(ctx context.Context, f CollectionForm) (CollectionForm, error)
	// FinishCollectionForm keeps the PDF and marks the store's live labels
	// of the carrier from the form's address bought up to at, on no form
	// yet, as on this one.
	FinishCollectionForm(ctx context.Context, id int64, pdf []byte, at time.Time) (CollectionForm, error)
	PendingCollectionForms(ctx context.Context) ([]CollectionForm, error)
	// UnmanifestedLabels counts a store's live labels of a carrier from an
	// address on no form.
	UnmanifestedLabels(ctx context.Context, storeID int64, carrierID string, from Address) (int, error)
	CollectionForms(ctx context.Context, since time.Time) ([]CollectionForm, error)
	CollectionFormPDF(ctx context.Context, id int64) ([]byte, error)
}

// CloseDayPlan lists, per store, the carriers whose labels wait for a
// collection form.
func (s *Station) CloseDayPlan(ctx context.Context) ([]DayClose, error) {
	if s.manifests == nil {
		return nil, errors.New("this build has no Buy Shipping configured")
	}
	stores, err := s.repo.ListStores(ctx)
	if err != nil {
		return nil, err
	}
	var plan []DayClose
	for _, st := range stores {
		if !st.DisconnectedAt.IsZero() {
			continue
		}
		creds, err := s.StoreCredentials(st)
		if err != nil {
			return nil, err
		}
		list, err := s.manifests.Unmanifested(ctx, creds)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", st.Name, err)
		}
		for _, u := range list {
			n, err := s.repo.UnmanifestedLabels(ctx, st.ID, u.CarrierID, u.From)
			if err != nil {
				return nil, err
			}
			plan = append(plan, DayClose{Store: st, Unmanifested: u, Labels: n})
		}
	}
	return plan, nil
}

// CloseDay makes the collection forms of the day (of one carrier, when
// carrier is not ""), keeps them, and prints each on the document printer
// when one takes PDF. A form asked for before a crash is asked for again
// first, with its key, so it is neither lost nor made twice.
func (s *Station) CloseDay(ctx context.Context, carrier string) ([]CollectionForm, error) {
	if s.manifests == nil {
		return nil, errors.New("this build has no Buy Shipping configured")
	}
	var made []CollectionForm
	var errs []error
	pending, err := s.repo.PendingCollectionForms(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range pending {
		done, err := s.collectionForm(ctx, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		made = append(made, done)
	}
	plan, err := s.CloseDayPlan(ctx)
	if err != nil {
		return made, errors.Join(append(errs, err)...)
	}
	var waiting []string
	matched := false
	for _, d := range plan {
		if carrier != "" && !strings.EqualFold(d.Unmanifested.CarrierID, carrier) && !strings.EqualFold(d.Unmanifested.CarrierName, carrier) {
			waiting = append(waiting, d.Unmanifested.CarrierName)
			continue
		}
		matched = true
		f, err := s.repo.StartCollectionForm(ctx, CollectionForm{StoreID: d.Store.ID, CarrierID: d.Unmanifested.CarrierID,
			CarrierName: d.Unmanifested.CarrierName, From: d.Unmanifested.From, IdempotencyKey: newFormKey(), CreatedAt: s.now()})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		done, err := s.collectionForm(ctx, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		made = append(made, done)
	}
	if carrier != "" && !matched && len(waiting) > 0 {
		errs = append(errs, fmt.Errorf("no labels of %q wait for a collection form; these do: %s", carrier, strings.Join(waiting, ", ")))
	}
	return made, errors.Join(errs...)
}

// collectionForm asks Amazon for a pending form, keeps it and prints it.
func (s *Station) collectionForm(ctx context.Context, f CollectionForm) (CollectionForm, error) {
	st, err := s.repo.GetStore(ctx, f.StoreID)
	if err != nil {
		return f, err
	}
	creds, err := s.StoreCredentials(st)
	if err != nil {
		return f, err
	}
	pdf, err := s.manifests.GenerateCollectionForm(ctx, creds, f.IdempotencyKey, f.CarrierID, f.From)
	if err != nil {
		return f, fmt.Errorf("collection form for %s: %w", f.CarrierName, err)
	}
	done, err := s.repo.FinishCollectionForm(ctx, f.ID, pdf, s.now())
	if err != nil {
		return f, err
	}
	s.audit(ctx, AuditEntry{StoreID: f.StoreID, Action: "collection form made",
		Detail: fmt.Sprintf("%s, %s", f.CarrierName, Plural(done.Labels, "label", "labels"))})
	return done, nil
}

// CollectionForms lists the forms made since a time, newest first.
func (s *Station) CollectionForms(ctx context.Context, since time.Time) ([]CollectionForm, error) {
	return s.repo.CollectionForms(ctx, since)
}

// Place names an address by its name and town ("Demo Warehouse, Seattle").
func (a Address) Place() string {
	var parts []string
	for _, p := range []string{a.Name, a.City} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// PrintCollectionForm prints a kept form on the document printer, which
// must take PDF (the form is Amazon's PDF).
func (s *Station) PrintCollectionForm(ctx context.Context, f CollectionForm) error {
	if s.printer == nil {
		return errors.New("no printer is set up")
	}
	pr, _, err := s.DocumentPrinterConfig(ctx)
	if err != nil {
		return err
	}
	format := pr.DocumentFormat()
	if format.IsZPL() || pr.Kind == PrinterWindows {
		return fmt.Errorf("printer %s cannot print Amazon's PDF form: set a CUPS or folder document printer that takes PDF (packbench printer document NAME)", pr.Name)
	}
	pdf := f.PDF
	if len(pdf) == 0 {
		if pdf, err = s.repo.CollectionFormPDF(ctx, f.ID); err != nil {
			return err
		}
	}
	name := fmt.Sprintf("collection-form-%s-%s", f.CarrierID, f.CreatedAt.UTC().Format("20060102-150405"))
	_, err = s.printer.PrintLabel(ctx, pr, name, Label{Format: format, Contents: pdf})
	return err
}

func newFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "cf-" + hex.EncodeToString(b)
}
