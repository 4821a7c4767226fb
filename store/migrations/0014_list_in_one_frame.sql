-- Every list interaction in one frame at 100,000 orders (docs/architecture.md,
-- "The order list"): whether an order's weight is known and why it needs the
-- packer are kept on the order by triggers, instead of being worked out for
-- every row of every query; the tabs' counts are kept in order_counts; each
-- sortable column pages by an index.

-- The one definition of both (the triggers copy it onto the order).
CREATE VIEW order_attention AS SELECT o.id AS order_id,
    (NOT EXISTS (SELECT 1 FROM order_items i LEFT JOIN sku_profiles p ON p.store_id = o.store_id AND p.sku = i.sku
        WHERE i.order_id = o.id AND i.quantity > i.quantity_shipped AND NOT i.cancelled
            AND (p.weight_value IS NULL OR p.weight_value <= 0)) AND o.item_count > 0) AS weight_known,
    (CASE
        WHEN o.status = 'label_bought' AND o.amazon_status = 'CANCELLED' THEN 'cancelled: void the label'
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

ALTER TABLE orders ADD COLUMN weight_known INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN attention TEXT NOT NULL DEFAULT '';
UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = orders.id);

-- What an order's attention depends on: the order, its items, its SKUs'
-- weights, its print jobs and its purchase intents.
CREATE TRIGGER attention_order_new AFTER INSERT ON orders BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.id) WHERE id = NEW.id;
END;
CREATE TRIGGER attention_order_changed AFTER UPDATE OF status, amazon_status, item_count, store_id ON orders BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.id) WHERE id = NEW.id;
END;
CREATE TRIGGER attention_item_new AFTER INSERT ON order_items BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_item_changed AFTER UPDATE ON order_items BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_item_gone AFTER DELETE ON order_items BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = OLD.order_id) WHERE id = OLD.order_id;
END;
CREATE TRIGGER attention_weight_new AFTER INSERT ON sku_profiles BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = orders.id)
    WHERE store_id = NEW.store_id AND id IN (SELECT order_id FROM order_items WHERE sku = NEW.sku);
END;
CREATE TRIGGER attention_weight_changed AFTER UPDATE ON sku_profiles BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = orders.id)
    WHERE store_id = NEW.store_id AND id IN (SELECT order_id FROM order_items WHERE sku = NEW.sku);
END;
CREATE TRIGGER attention_weight_gone AFTER DELETE ON sku_profiles BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = orders.id)
    WHERE store_id = OLD.store_id AND id IN (SELECT order_id FROM order_items WHERE sku = OLD.sku);
END;
CREATE TRIGGER attention_print_new AFTER INSERT ON print_queue BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_print_changed AFTER UPDATE OF state ON print_queue BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_print_gone AFTER DELETE ON print_queue BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = OLD.order_id) WHERE id = OLD.order_id;
END;
CREATE TRIGGER attention_intent_new AFTER INSERT ON purchase_intents BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_intent_changed AFTER UPDATE OF state ON purchase_intents BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = NEW.order_id) WHERE id = NEW.order_id;
END;
CREATE TRIGGER attention_intent_gone AFTER DELETE ON purchase_intents BEGIN
    UPDATE orders SET (weight_known, attention) = (SELECT weight_known, attention FROM order_attention WHERE order_id = OLD.order_id) WHERE id = OLD.order_id;
END;

-- The tabs' counts, per store, marketplace, status and attention. A count
-- may pass through a negative number while triggers run in either order.
CREATE TABLE order_counts (
    store_id       INTEGER NOT NULL,
    marketplace_id TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    attention      INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (store_id, marketplace_id, status, attention)
) WITHOUT ROWID;
INSERT INTO order_counts SELECT store_id, marketplace_id, status, attention <> '', count(*) FROM orders GROUP BY 1, 2, 3, 4;

CREATE TRIGGER counts_order_new AFTER INSERT ON orders BEGIN
    INSERT INTO order_counts VALUES (NEW.store_id, NEW.marketplace_id, NEW.status, NEW.attention <> '', 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_order_changed AFTER UPDATE OF store_id, marketplace_id, status, attention ON orders
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.marketplace_id IS NOT NEW.marketplace_id OR OLD.status IS NOT NEW.status
    OR (OLD.attention <> '') IS NOT (NEW.attention <> '') BEGIN
    INSERT INTO order_counts VALUES (OLD.store_id, OLD.marketplace_id, OLD.status, OLD.attention <> '', -1)
        ON CONFLICT DO UPDATE SET n = n - 1;
    INSERT INTO order_counts VALUES (NEW.store_id, NEW.marketplace_id, NEW.status, NEW.attention <> '', 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_order_gone AFTER DELETE ON orders BEGIN
    INSERT INTO order_counts VALUES (OLD.store_id, OLD.marketplace_id, OLD.status, OLD.attention <> '', -1)
        ON CONFLICT DO UPDATE SET n = n - 1;
END;

-- Sorting by any column pages by index: within a status tab, in All, and
-- in Needs attention (only the orders that need the packer, usually few).
CREATE INDEX orders_by_status_order_id ON orders (status, amazon_order_id, id);
CREATE INDEX orders_by_status_market ON orders (status, marketplace_id, id);
CREATE INDEX orders_by_status_items ON orders (status, item_count, id);
CREATE INDEX orders_by_status_products ON orders (status, sku_summary, id);
CREATE INDEX orders_by_order_id ON orders (amazon_order_id, id);
CREATE INDEX orders_by_market ON orders (marketplace_id, id);
CREATE INDEX orders_by_items ON orders (item_count, id);
CREATE INDEX orders_by_products ON orders (sku_summary, id);
CREATE INDEX orders_by_ship_by ON orders (coalesce(ship_by_latest, 9223372036854775807), id);
CREATE INDEX orders_by_status_rank ON orders ((CASE status WHEN 'ready' THEN 0 WHEN 'label_bought' THEN 1 WHEN 'shipped' THEN 2 ELSE 3 END), id);
CREATE INDEX attention_by_purchase ON orders (purchased_at, id) WHERE attention <> '';
CREATE INDEX attention_by_ship_by ON orders (coalesce(ship_by_latest, 9223372036854775807), id) WHERE attention <> '';
CREATE INDEX attention_by_order_id ON orders (amazon_order_id, id) WHERE attention <> '';
CREATE INDEX attention_by_market ON orders (marketplace_id, id) WHERE attention <> '';
CREATE INDEX attention_by_items ON orders (item_count, id) WHERE attention <> '';
CREATE INDEX attention_by_products ON orders (sku_summary, id) WHERE attention <> '';
CREATE INDEX attention_by_status_rank ON orders ((CASE status WHEN 'ready' THEN 0 WHEN 'label_bought' THEN 1 WHEN 'shipped' THEN 2 ELSE 3 END), id)
    WHERE attention <> '';
