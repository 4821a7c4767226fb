package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/packbench/packbench/station"
)

const formColumns = `id, store_id, carrier_id, carrier_name, ship_from, idempotency_key, state, created_at, labels`

func scanForm(row scanner) (station.CollectionForm, error) {
	var f station.CollectionForm
	var from, state string
	var created int64
	if err := row.Scan(&f.ID, &f.StoreID, &f.CarrierID, &f.CarrierName, &from, &f.IdempotencyKey, &state, &created, &f.Labels); err != nil {
		return f, err
	}
	f.Done, f.CreatedAt = state == "done", time.Unix(created, 0).UTC()
	return f, json.Unmarshal([]byte(from), &f.From)
}

// StartCollectionForm writes a pending form, with its idempotency key,
// before Amazon is asked for it.
func (db *DB) StartCollectionForm(ctx context.Context, f station.CollectionForm) (station.CollectionForm, error) {
	from, err := json.Marshal(f.From)
	if err != nil {
		return f, err
	}
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRow(`INSERT INTO collection_forms (store_id, carrier_id, carrier_name, ship_from, idempotency_key, state, created_at)
			VALUES (?, ?, ?, ?, ?, 'pending', ?) RETURNING id`, f.StoreID, f.CarrierID, f.CarrierName, string(from), f.IdempotencyKey,
			f.CreatedAt.Unix()).Scan(&f.ID)
	})
	return f, err
}

// FinishCollectionForm keeps the form's PDF and puts on it the store's
// live labels of the carrier bought up to at that are on no form yet:
// the ones Amazon's form lists.
func (db *DB) FinishCollectionForm(ctx context.Context, id int64, pdf []byte, at time.Time) (station.CollectionForm, error) {
	var f station.CollectionForm
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		if f, err = scanForm(tx.QueryRow(`SELECT `+formColumns+` FROM collection_forms WHERE id = ?`, id)); err != nil {
			return err
		}
		if f.Done {
			return nil // finished already: its labels are counted
		}
		res, err := tx.Exec(`UPDATE shipments SET collection_form_id = ?
			WHERE status = 'purchased' AND collection_form_id IS NULL AND carrier_id = ? AND purchased_at <= ?
			  AND ship_from_postal IN ('', `+postalKey("?")+`)
			  AND order_id IN (SELECT id FROM orders WHERE store_id = ?)`, id, f.CarrierID, at.Unix(), f.From.PostalCode, f.StoreID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		f.Labels, f.Done = int(n), true
		_, err = tx.Exec(`UPDATE collection_forms SET state = 'done', pdf = ?, labels = ?, created_at = ? WHERE id = ?`,
			pdf, n, at.Unix(), id)
		f.CreatedAt = at.UTC()
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return f, station.ErrNotFound
	}
	f.PDF = pdf
	return f, err
}

// PendingCollectionForms lists the forms asked for whose answer was not
// saved (the process died): they are asked for again with their keys.
func (db *DB) PendingCollectionForms(ctx context.Context) ([]station.CollectionForm, error) {
	return scanAll[station.CollectionForm](db.r.QueryContext(ctx, `SELECT `+formColumns+` FROM collection_forms
		WHERE state = 'pending' ORDER BY id`))(func(rows *sql.Rows) (station.CollectionForm, error) { return scanForm(rows) })
}

// UnmanifestedLabels counts a store's live labels of a carrier from an
// address (its postal code) on no form; labels bought before Packbench
// kept their address count for every address.
func (db *DB) UnmanifestedLabels(ctx context.Context, storeID int64, carrierID string, from station.Address) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id
		WHERE s.status = 'purchased' AND s.collection_form_id IS NULL AND s.carrier_id = ? AND o.store_id = ?
		  AND s.ship_from_postal IN ('', `+postalKey("?")+`)`,
		carrierID, storeID, from.PostalCode).Scan(&n)
	return n, err
}

// CollectionForms lists the forms made since a time, newest first.
func (db *DB) CollectionForms(ctx context.Context, since time.Time) ([]station.CollectionForm, error) {
	return scanAll[station.CollectionForm](db.r.QueryContext(ctx, `SELECT `+formColumns+` FROM collection_forms
		WHERE state = 'done' AND created_at >= ? ORDER BY created_at DESC, id DESC`, since.Unix()))(
		func(rows *sql.Rows) (station.CollectionForm, error) { return scanForm(rows) })
}

// CollectionFormPDF is a kept form's PDF.
func (db *DB) CollectionFormPDF(ctx context.Context, id int64) ([]byte, error) {
	var pdf []byte
	err := db.r.QueryRowContext(ctx, `SELECT pdf FROM collection_forms WHERE id = ? AND state = 'done'`, id).Scan(&pdf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, station.ErrNotFound
	}
	return pdf, err
}
