package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/packbench/packbench/station"
)

// ShipFrom returns a store's default ship-from address.
func (db *DB) ShipFrom(ctx context.Context, storeID int64) (station.Address, error) {
	var raw []byte
	err := db.r.QueryRowContext(ctx, `SELECT address FROM ship_from_addresses WHERE store_id = ? AND is_default`, storeID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return station.Address{}, station.ErrNotFound
	}
	if err != nil {
		return station.Address{}, err
	}
	var a station.Address
	return a, json.Unmarshal(raw, &a)
}

// SetShipFrom replaces a store's default ship-from address.
func (db *DB) SetShipFrom(ctx context.Context, storeID int64, a station.Address) error {
	raw, _ := json.Marshal(a)
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM ship_from_addresses WHERE store_id = ? AND is_default`, storeID); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO ship_from_addresses (store_id, address, is_default) VALUES (?, ?, TRUE)`, storeID, raw)
		return err
	})
}

// CreateIntent commits a purchase intent; Amazon is called only after.
func (db *DB) CreateIntent(ctx context.Context, in station.PurchaseIntent, packageRef string, format station.LabelFormat, service string) (station.PurchaseIntent, error) {
	r := in.Rate
	err := db.w.QueryRowContext(ctx, `INSERT INTO purchase_intents (order_id, idempotency_key, request_token, rate_id,
		carrier_id, service_id, carrier_name, service_name, cost_minor, currency, state, created_at, updated_at,
		package_ref, label_format, service, bench) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.OrderID, in.IdempotencyKey, r.RequestToken, r.RateID, r.CarrierID, r.ServiceID, r.CarrierName, r.ServiceName,
		r.Total.Minor, r.Total.Currency, string(in.State), in.CreatedAt.Unix(), in.UpdatedAt.Unix(), packageRef,
		string(format), service, db.bench).Scan(&in.ID)
	return in, err
}

// SetIntentState records how an intent ended (or that its outcome is unknown).
func (db *DB) SetIntentState(ctx context.Context, id int64, state station.IntentState, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE purchase_intents SET state = ?, error = ?, updated_at = ? WHERE id = ?`,
		string(state), reason, db.now().Unix(), id)
	return err
}

// OpenIntents lists pending and unknown intents, oldest first.
func (db *DB) OpenIntents(ctx context.Context, orderID int64) ([]station.OpenIntent, error) {
	q := `SELECT id, order_id, idempotency_key, request_token, rate_id, carrier_id, service_id, carrier_name, service_name,
		cost_minor, currency, state, error, created_at, updated_at, package_ref, label_format, service
		FROM purchase_intents WHERE state IN ('pending', 'unknown')`
	args := []any{}
	if orderID != 0 {
		q += ` AND order_id = ?`
		args = append(args, orderID)
	}
	return scanAll[station.OpenIntent](db.w.QueryContext(ctx, q+` ORDER BY id`, args...))(func(rows *sql.Rows) (station.OpenIntent, error) {
		var in station.OpenIntent
		var state, format string
		var created, updated int64
		r := &in.Rate
		err := rows.Scan(&in.ID, &in.OrderID, &in.IdempotencyKey, &r.RequestToken, &r.RateID, &r.CarrierID, &r.ServiceID,
			&r.CarrierName, &r.ServiceName, &r.Total.Minor, &r.Total.Currency, &state, &in.Error, &created, &updated,
			&in.PackageRef, &format, &in.Service)
		in.State, in.Format = station.IntentState(state), station.LabelFormat(format)
		in.CreatedAt, in.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
		return in, err
	})
}

// SavePurchase stores a bought label in one transaction.
func (db *DB) SavePurchase(ctx context.Context, in station.OpenIntent, p station.Purchased, at time.Time) (station.Shipment, error) {
	r := in.Rate
	sh := station.Shipment{OrderID: in.OrderID, IntentID: in.ID, AmazonShipmentID: p.ShipmentID, PackageClientRefID: p.PackageRef,
		TrackingID: p.TrackingID, CarrierID: r.CarrierID, CarrierName: r.CarrierName, ServiceID: r.ServiceID,
		ServiceName: r.ServiceName, Cost: r.Total, Status: station.ShipmentPurchased, PurchasedAt: at}
	if sh.PackageClientRefID == "" {
		sh.PackageClientRefID = in.PackageRef
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		// A replay that Amazon answered with a shipment already saved changes nothing.
		if err := tx.QueryRow(`SELECT id FROM shipments WHERE amazon_shipment_id = ?`, p.ShipmentID).Scan(&sh.ID); err == nil {
			_, err := tx.Exec(`UPDATE purchase_intents SET state = 'purchased', updated_at = ? WHERE id = ?`, at.Unix(), in.ID)
			return err
		}
		if err := tx.QueryRow(`INSERT INTO shipments (order_id, intent_id, amazon_shipment_id, package_client_ref_id, tracking_id,
			carrier_id, carrier_name, service_id, service_name, cost_minor, currency, status, purchased_at, bench)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'purchased', ?, ?) RETURNING id`, sh.OrderID, in.ID, sh.AmazonShipmentID,
			sh.PackageClientRefID, sh.TrackingID, sh.CarrierID, sh.CarrierName, sh.ServiceID, sh.ServiceName,
			sh.Cost.Minor, sh.Cost.Currency, at.Unix(), db.bench).Scan(&sh.ID); err != nil {
			return err
		}
		label, err := db.seal(p.Label, labelAAD(sh.ID))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO labels (shipment_id, format, contents, created_at) VALUES (?, ?, ?, ?)`,
			sh.ID, string(in.Format), label, at.Unix()); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE purchase_intents SET state = 'purchased', error = '', updated_at = ? WHERE id = ?`, at.Unix(), in.ID); err != nil {
			return err
		}
		// Where the parcel leaves from, as the store's ship-from said when
		// it was bought: its collection form is that address's.
		if _, err := tx.Exec(`UPDATE shipments SET ship_from_postal = coalesce((SELECT `+postalKey(db.either(`json_extract(a.address, '$.postalCode')`, `a.address::json->>'postalCode'`))+`
			FROM ship_from_addresses a JOIN orders o ON o.store_id = a.store_id WHERE o.id = ? AND a.is_default), '') WHERE id = ?`,
			in.OrderID, sh.ID); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE orders SET status = 'label_bought', updated_at = ? WHERE id = ?`, at.Unix(), in.OrderID)
		return err
	})
	return sh, err
}

// postalKey is a SQL expression for a postal code compared loosely: in
// capitals, without spaces or dashes ("sw1a 1aa" is "SW1A1AA").
func postalKey(expr string) string {
	return `upper(replace(replace(coalesce(` + expr + `, ''), ' ', ''), '-', ''))`
}

const shipmentColumns = `id, order_id, coalesce(intent_id, 0), amazon_shipment_id, package_client_ref_id, tracking_id,
	carrier_id, carrier_name, service_id, service_name, cost_minor, currency, status, purchased_at, voided_at, bench`

// LiveShipment is an order's label that is not voided.
func (db *DB) LiveShipment(ctx context.Context, orderID int64) (station.Shipment, error) {
	sh, err := scanShipment(db.r.QueryRowContext(ctx, `SELECT `+shipmentColumns+` FROM shipments WHERE order_id = ? AND status = 'purchased'
		ORDER BY id DESC LIMIT 1`, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return station.Shipment{}, station.ErrNotFound
	}
	return sh, err
}

// scanShipment reads one row of shipmentColumns (a *sql.Row or *sql.Rows).
func scanShipment(row scanner) (station.Shipment, error) {
	var sh station.Shipment
	var status string
	var purchased int64
	var voided sql.NullInt64
	err := row.Scan(&sh.ID, &sh.OrderID, &sh.IntentID, &sh.AmazonShipmentID, &sh.PackageClientRefID,
		&sh.TrackingID, &sh.CarrierID, &sh.CarrierName, &sh.ServiceID, &sh.ServiceName, &sh.Cost.Minor, &sh.Cost.Currency,
		&status, &purchased, &voided, &sh.Bench)
	sh.Status, sh.PurchasedAt, sh.VoidedAt = station.ShipmentStatus(status), time.Unix(purchased, 0).UTC(), fromUnix(voided)
	return sh, err
}

// SaveVoid marks a label void and puts its order back to ready.
func (db *DB) SaveVoid(ctx context.Context, shipmentID int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var orderID int64
		if err := tx.QueryRow(`UPDATE shipments SET status = 'voided', voided_at = ? WHERE id = ? RETURNING order_id`,
			at.Unix(), shipmentID).Scan(&orderID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE shipments SET void_started_at = NULL, parcel = 'cancelled' WHERE id = ?`, shipmentID); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE orders SET status = CASE WHEN amazon_status = 'CANCELLED' THEN 'cancelled' ELSE 'ready' END,
			parcel = '', delivered_at = NULL, updated_at = ? WHERE id = ?`, at.Unix(), orderID)
		return err
	})
}

// Label is a shipment's newest stored label document.
func (db *DB) Label(ctx context.Context, shipmentID int64) (station.Label, error) {
	return db.label(ctx, shipmentID, false)
}

// LabelImage returns Amazon's image of a shipment's label kept for the
// preview (ErrNotFound when none is).
func (db *DB) LabelImage(ctx context.Context, shipmentID int64) (station.Label, error) {
	return db.label(ctx, shipmentID, true)
}

func (db *DB) label(ctx context.Context, shipmentID int64, preview bool) (station.Label, error) {
	var l station.Label
	var format string
	var created int64
	err := db.r.QueryRowContext(ctx, `SELECT id, shipment_id, format, contents, created_at FROM labels
		WHERE shipment_id = ? AND contents IS NOT NULL AND preview = ? ORDER BY id DESC LIMIT 1`, shipmentID, preview).Scan(&l.ID, &l.ShipmentID, &format, &l.Contents, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return station.Label{}, station.ErrNotFound
	}
	if err != nil {
		return station.Label{}, err
	}
	l.Format, l.CreatedAt = station.LabelFormat(format), time.Unix(created, 0).UTC()
	if l.Contents, err = db.open(l.Contents, labelAAD(shipmentID)); err != nil {
		return station.Label{}, station.ErrNotFound // unreadable: fetched again from Amazon
	}
	return l, nil
}

// SaveLabel stores a label document fetched again.
func (db *DB) SaveLabel(ctx context.Context, l station.Label) error {
	return db.saveLabel(ctx, l, false)
}

// SaveLabelImage keeps Amazon's image of a label for the preview.
func (db *DB) SaveLabelImage(ctx context.Context, l station.Label) error {
	return db.saveLabel(ctx, l, true)
}

func (db *DB) saveLabel(ctx context.Context, l station.Label, preview bool) error {
	sealed, err := db.seal(l.Contents, labelAAD(l.ShipmentID))
	if err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO labels (shipment_id, format, contents, created_at, preview) VALUES (?, ?, ?, ?, ?)`,
		l.ShipmentID, string(l.Format), sealed, l.CreatedAt.Unix(), preview)
	return err
}

// SetOrderStatus sets an order's bench status.
func (db *DB) SetOrderStatus(ctx context.Context, orderID int64, status station.OrderStatus) error {
	_, err := db.w.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`, string(status), db.now().Unix(), orderID)
	return err
}

// StartVoid marks a shipment's void as begun, before Amazon is asked.
func (db *DB) StartVoid(ctx context.Context, shipmentID int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE shipments SET void_started_at = ? WHERE id = ?`, at.Unix(), shipmentID)
	return err
}

// EndVoid clears the mark: Amazon did not cancel the label.
func (db *DB) EndVoid(ctx context.Context, shipmentID int64) error {
	_, err := db.w.ExecContext(context.WithoutCancel(ctx), `UPDATE shipments SET void_started_at = NULL WHERE id = ?`, shipmentID)
	return err
}

// VoidsInFlight lists live shipments whose void began and never ended.
func (db *DB) VoidsInFlight(ctx context.Context) ([]station.Shipment, error) {
	return scanAll[station.Shipment](db.r.QueryContext(ctx, `SELECT `+shipmentColumns+` FROM shipments
		WHERE status = 'purchased' AND void_started_at IS NOT NULL ORDER BY id`))(func(rows *sql.Rows) (station.Shipment, error) {
		return scanShipment(rows)
	})
}
