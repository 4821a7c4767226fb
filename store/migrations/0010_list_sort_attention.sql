-- The list sorted by ship-by date (most urgent first) pages by index like
-- the purchase-date sort; orders without a date sort last.
CREATE INDEX orders_by_status_ship_by ON orders (status, coalesce(ship_by_latest, 9223372036854775807), id);
-- "Needs attention" looks up an order's failed prints and purchases.
CREATE INDEX print_queue_by_order ON print_queue (order_id, document, id);
CREATE INDEX purchase_intents_by_order ON purchase_intents (order_id) WHERE state = 'failed';
