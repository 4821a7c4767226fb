-- What a purchase intent needs to be replayed after a crash with its own key.
ALTER TABLE purchase_intents ADD COLUMN package_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_intents ADD COLUMN label_format TEXT NOT NULL DEFAULT 'ZPL203';
ALTER TABLE purchase_intents ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_intents ADD COLUMN carrier_name TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_intents ADD COLUMN service_name TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX ship_from_default ON ship_from_addresses (store_id) WHERE is_default;
