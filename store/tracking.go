package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/packbench/packbench/station"
)

// trackFor is how long after its purchase a label's parcel is still asked
// about: long past any promised delivery, so a lost parcel stops costing
// calls.
const trackFor = 60 * 24 * time.Hour

// ShipmentsToTrack lists live labels whose parcel is neither delivered nor
// cancelled and was last asked about before checkedBefore (never asked
// first), bought within the last 60 days.
func (db *DB) ShipmentsToTrack(ctx context.Context, checkedBefore time.Time, limit int) ([]station.Shipment, error) {
	return scanAll[station.Shipment](db.r.QueryContext(ctx, `SELECT `+shipmentColumns+` FROM shipments
		WHERE status = 'purchased' AND parcel NOT IN ('delivered', 'cancelled')
		  AND coalesce(tracked_at, 0) < ? AND purchased_at >= ?
		ORDER BY coalesce(tracked_at, 0), id LIMIT ?`, checkedBefore.Unix(), checkedBefore.Add(-trackFor).Unix(), limit))(
		func(rows *sql.Rows) (station.Shipment, error) { return scanShipment(rows) })
}

// SaveTracking keeps what getTracking said of a live label and moves its
// order along, in one transaction: label bought -> shipped at the
// carrier's first scan, -> delivered at delivery; the order's parcel
// (which puts a parcel in trouble in Needs attention) follows the label's.
func (db *DB) SaveTracking(ctx context.Context, shipmentID int64, t station.Tracking) (station.Parcel, error) {
	var before string
	parcel := t.Parcel()
	delivered := unix(t.DeliveredAt())
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var orderID int64
		var status string
		err := tx.QueryRow(`SELECT s.order_id, s.parcel, s.status FROM shipments s WHERE s.id = ?`, shipmentID).Scan(&orderID, &before, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return station.ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != string(station.ShipmentPurchased) {
			return nil // voided meanwhile: its order is not this parcel's any more
		}
		if _, err := tx.Exec(`UPDATE shipments SET parcel = ?, tracking_status = ?, tracked_at = ?, delivered_at = ?, promised_at = ?
			WHERE id = ?`, string(parcel), t.Status, t.CheckedAt.Unix(), delivered, unix(t.Promised), shipmentID); err != nil {
			return err
		}
		for _, e := range t.Events {
			if _, err := tx.Exec(`INSERT INTO tracking_events (shipment_id, at, code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				shipmentID, e.At.Unix(), e.Code); err != nil {
				return err
			}
		}
		next := `status`
		switch {
		case parcel == station.ParcelDelivered:
			next = `CASE WHEN status IN ('label_bought', 'shipped') THEN 'delivered' ELSE status END`
		case !t.FirstScan().IsZero():
			next = `CASE WHEN status = 'label_bought' THEN 'shipped' ELSE status END`
		}
		_, err = tx.Exec(`UPDATE orders SET status = `+next+`, parcel = ?, delivered_at = ?, updated_at = ? WHERE id = ?`,
			string(parcel), delivered, t.CheckedAt.Unix(), orderID)
		return err
	})
	return station.Parcel(before), err
}

// ShipmentTracking is a shipment's kept tracking and events.
func (db *DB) ShipmentTracking(ctx context.Context, shipmentID int64) (station.Tracking, error) {
	var t station.Tracking
	var tracked, promised sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT tracking_status, tracked_at, promised_at FROM shipments WHERE id = ?`, shipmentID).
		Scan(&t.Status, &tracked, &promised)
	if errors.Is(err, sql.ErrNoRows) {
		return t, station.ErrNotFound
	}
	if err != nil {
		return t, err
	}
	t.CheckedAt, t.Promised = fromUnix(tracked), fromUnix(promised)
	t.Events, err = scanAll[station.TrackingEvent](db.r.QueryContext(ctx,
		`SELECT at, code FROM tracking_events WHERE shipment_id = ? ORDER BY at, code`, shipmentID))(
		func(rows *sql.Rows) (station.TrackingEvent, error) {
			var e station.TrackingEvent
			var at int64
			err := rows.Scan(&at, &e.Code)
			e.At = time.Unix(at, 0).UTC()
			return e, err
		})
	return t, err
}

// ShipmentsBought lists the labels bought in [from, to), voided ones too,
// oldest first.
func (db *DB) ShipmentsBought(ctx context.Context, from, to time.Time) ([]station.Shipment, error) {
	return scanAll[station.Shipment](db.r.QueryContext(ctx, `SELECT `+shipmentColumns+` FROM shipments
		WHERE purchased_at >= ? AND purchased_at < ? ORDER BY purchased_at, id`, from.Unix(), to.Unix()))(
		func(rows *sql.Rows) (station.Shipment, error) { return scanShipment(rows) })
}
