-- End of day (docs/architecture.md, "End of day"): the collection forms
-- made for carriers that take parcels against one, each written with its
-- idempotency key before Amazon is asked (a form made while Packbench died
-- is asked for again with the same key and comes back the same), and the
-- labels each one covers.
CREATE TABLE collection_forms (
    id              INTEGER PRIMARY KEY,
    store_id        INTEGER NOT NULL REFERENCES stores (id),
    carrier_id      TEXT    NOT NULL,
    carrier_name    TEXT    NOT NULL DEFAULT '',
    ship_from       TEXT    NOT NULL DEFAULT '{}', -- the store's ship-from address, JSON
    idempotency_key TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'done')),
    created_at      INTEGER NOT NULL,
    pdf             BLOB,
    labels          INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE shipments ADD COLUMN collection_form_id INTEGER REFERENCES collection_forms (id);
-- The store's ship-from postal code when the label was bought, compared
-- loosely (store/shipping.go, postalKey): a form is one address's. Empty
-- for labels bought before: they go on their carrier's first form.
ALTER TABLE shipments ADD COLUMN ship_from_postal TEXT NOT NULL DEFAULT '';
CREATE INDEX shipments_unmanifested ON shipments (order_id) WHERE status = 'purchased' AND collection_form_id IS NULL;
