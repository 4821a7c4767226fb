-- Parcels tracked to delivery (docs/architecture.md, "Tracking"): each
-- live label's tracking as getTracking last said it, its carrier events
-- (no places: near the end they are the buyer's), and on the order where
-- its parcel is and when it was delivered. Orders gain the status
-- 'delivered' (the CHECK is widened by the migration's Go step, store/db.go).

ALTER TABLE shipments ADD COLUMN parcel TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN tracking_status TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN tracked_at INTEGER;
ALTER TABLE shipments ADD COLUMN delivered_at INTEGER;
ALTER TABLE shipments ADD COLUMN promised_at INTEGER;

CREATE TABLE tracking_events (
    shipment_id INTEGER NOT NULL REFERENCES shipments (id),
    at          INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    PRIMARY KEY (shipment_id, at, code)
) WITHOUT ROWID;

-- The labels to ask about, the longest unasked first.
CREATE INDEX shipments_to_track ON shipments (coalesce(tracked_at, 0))
    WHERE status = 'purchased' AND parcel NOT IN ('delivered', 'cancelled');

-- What shipping cost, by the day labels were bought.
CREATE INDEX shipments_by_purchase ON shipments (purchased_at);

ALTER TABLE orders ADD COLUMN parcel TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivered_at INTEGER;

-- A parcel in trouble needs the seller.
DROP VIEW order_attention;
CREATE VIEW order_attention AS SELECT o.id AS order_id,
    (NOT EXISTS (SELECT 1 FROM order_items i LEFT JOIN sku_profiles p ON p.store_id = o.store_id AND p.sku = i.sku
        WHERE i.order_id = o.id AND i.quantity > i.quantity_shipped AND NOT i.cancelled
            AND (p.weight_value IS NULL OR p.weight_value <= 0)) AND o.item_count > 0) AS weight_known,
    (CASE
        WHEN o.status = 'label_bought' AND o.amazon_status = 'CANCELLED' THEN 'cancelled: void the label'
        WHEN o.parcel = 'exception' THEN 'parcel: delivery problem'
        WHEN o.parcel = 'undeliverable' THEN 'parcel: undeliverable'
        WHEN o.parcel = 'returned' THEN 'parcel: returning to you'
        -- A failed print stops counting once the same document printed later.
        WHEN EXISTS (SELECT 1 FROM print_queue f WHERE f.order_id = o.id AND f.state = 'failed'
            AND NOT EXISTS (SELECT 1 FROM print_queue p WHERE p.order_id = o.id AND p.document = f.document
                AND p.id > f.id AND p.state = 'printed')) THEN 'print failed'
        WHEN o.status = 'ready' AND EXISTS (SELECT 1 FROM purchase_intents i WHERE i.order_id = o.id AND i.state = 'failed')
            THEN 'purchase failed'
        WHEN o.status = 'ready' AND NOT (NOT EXISTS (SELECT 1 FROM order_items i LEFT JOIN sku_profiles p
            ON p.store_id = o.store_id AND p.sku = i.sku
            WHERE i.order_id = o.id AND i.quantity > i.quantity_shipped AND NOT i.cancelled
                AND (p.weight_value IS NULL OR p.weight_value <= 0)) AND o.item_count > 0) THEN 'no weight'
        ELSE '' END) AS attention
FROM orders o;

CREATE TRIGGER attention_parcel_changed AFTER UPDATE OF parcel ON orders BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.id) WHERE id = NEW.id;
END;
