-- Packbench schema, version 1. Times are INTEGER unix seconds (UTC), money is
-- INTEGER minor units with its currency, weights and sizes carry their unit.

CREATE TABLE stores (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL,
    region               TEXT    NOT NULL CHECK (region IN ('NA', 'EU', 'FE')),
    selling_partner_id   TEXT    NOT NULL DEFAULT '',
    auth_kind            TEXT    NOT NULL CHECK (auth_kind IN ('broker', 'own_app', 'demo')),
    health               TEXT    NOT NULL DEFAULT 'green' CHECK (health IN ('green', 'amber', 'red')),
    import_every_minutes INTEGER NOT NULL DEFAULT 15 CHECK (import_every_minutes > 0),
    import_days          INTEGER NOT NULL DEFAULT 7 CHECK (import_days > 0),
    import_weights       INTEGER NOT NULL DEFAULT 0,
    product_identifier   TEXT    NOT NULL DEFAULT 'sku' CHECK (product_identifier IN ('sku', 'asin')),
    retention_days       INTEGER NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 0 AND 30),
    last_import_at       INTEGER,
    last_import_error    TEXT    NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    UNIQUE (selling_partner_id, region)
);

-- The marketplaces a store sells in (the catalogue of all marketplaces is in code).
CREATE TABLE marketplaces (
    store_id       INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    marketplace_id TEXT    NOT NULL,
    enabled        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (store_id, marketplace_id)
) WITHOUT ROWID;

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    store_id            INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    amazon_order_id     TEXT    NOT NULL,
    marketplace_id      TEXT    NOT NULL,
    purchased_at        INTEGER NOT NULL,
    last_updated_at     INTEGER NOT NULL,
    amazon_status       TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('ready', 'label_bought', 'shipped', 'cancelled')),
    service_level       TEXT    NOT NULL DEFAULT '',
    ship_by_earliest    INTEGER,
    ship_by_latest      INTEGER,
    deliver_by_earliest INTEGER,
    deliver_by_latest   INTEGER,
    prime               INTEGER NOT NULL DEFAULT 0,
    business            INTEGER NOT NULL DEFAULT 0,
    total_minor         INTEGER NOT NULL DEFAULT 0,
    currency            TEXT    NOT NULL DEFAULT '',
    -- Denormalised for the list, so a page never joins items.
    item_count          INTEGER NOT NULL DEFAULT 0,
    sku_summary         TEXT    NOT NULL DEFAULT '',
    search_text         TEXT    NOT NULL DEFAULT '',
    imported_at         INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (store_id, amazon_order_id)
);
CREATE INDEX orders_by_purchase ON orders (purchased_at DESC, id DESC);
CREATE INDEX orders_by_status ON orders (status, purchased_at DESC, id DESC);
CREATE INDEX orders_by_store ON orders (store_id, status, purchased_at DESC, id DESC);

-- Buyers' personal data, apart from the order so it can be sealed and wiped
-- in one place (docs/architecture.md, "Buyers' data").
CREATE TABLE order_pii (
    order_id    INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    buyer_name  TEXT,
    ship_to     BLOB,
    redacted_at INTEGER
);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    order_item_id    TEXT    NOT NULL,
    sku              TEXT    NOT NULL DEFAULT '',
    asin             TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity >= 0),
    unit_price_minor INTEGER NOT NULL DEFAULT 0,
    currency         TEXT    NOT NULL DEFAULT '',
    gift_message     BLOB,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, order_item_id)
) WITHOUT ROWID;
CREATE INDEX order_items_by_sku ON order_items (sku);

-- What a packer (or the catalog) said a SKU weighs and measures.
CREATE TABLE sku_profiles (
    store_id     INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    sku          TEXT    NOT NULL,
    weight_value REAL,
    weight_unit  TEXT,
    length       REAL,
    width        REAL,
    height       REAL,
    length_unit  TEXT,
    source       TEXT    NOT NULL CHECK (source IN ('packer', 'catalog')),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (store_id, sku)
) WITHOUT ROWID;

CREATE TABLE package_presets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    length      REAL NOT NULL,
    width       REAL NOT NULL,
    height      REAL NOT NULL,
    length_unit TEXT NOT NULL,
    tare_value  REAL NOT NULL DEFAULT 0,
    tare_unit   TEXT NOT NULL DEFAULT 'GRAM'
);

CREATE TABLE ship_from_addresses (
    id         INTEGER PRIMARY KEY,
    store_id   INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    address    BLOB    NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE service_mappings (
    id             INTEGER PRIMARY KEY,
    store_id       INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    priority       INTEGER NOT NULL DEFAULT 0,
    marketplace_id TEXT    NOT NULL DEFAULT '',
    service_level  TEXT    NOT NULL DEFAULT '',
    min_grams      REAL,
    max_grams      REAL,
    sku            TEXT    NOT NULL DEFAULT '',
    carrier_id     TEXT    NOT NULL,
    service_id     TEXT    NOT NULL,
    confirmation   TEXT    NOT NULL DEFAULT 'none' CHECK (confirmation IN ('none', 'signature', 'adult_signature'))
);

-- Written and committed before purchaseShipment is called (docs/architecture.md, "Buying a label").
CREATE TABLE purchase_intents (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    idempotency_key TEXT    NOT NULL UNIQUE,
    request_token   TEXT    NOT NULL,
    rate_id         TEXT    NOT NULL,
    carrier_id      TEXT    NOT NULL,
    service_id      TEXT    NOT NULL,
    cost_minor      INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'purchased', 'failed', 'unknown')),
    error           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX purchase_intents_open ON purchase_intents (state) WHERE state IN ('pending', 'unknown');

CREATE TABLE shipments (
    id                     INTEGER PRIMARY KEY,
    order_id               INTEGER NOT NULL REFERENCES orders (id),
    intent_id              INTEGER REFERENCES purchase_intents (id),
    amazon_shipment_id     TEXT    NOT NULL UNIQUE,
    package_client_ref_id  TEXT    NOT NULL,
    tracking_id            TEXT    NOT NULL DEFAULT '',
    carrier_id             TEXT    NOT NULL DEFAULT '',
    carrier_name           TEXT    NOT NULL DEFAULT '',
    service_id             TEXT    NOT NULL DEFAULT '',
    service_name           TEXT    NOT NULL DEFAULT '',
    cost_minor             INTEGER NOT NULL DEFAULT 0,
    currency               TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL CHECK (status IN ('purchased', 'voided')),
    purchased_at           INTEGER NOT NULL,
    voided_at              INTEGER
);
CREATE INDEX shipments_by_order ON shipments (order_id);
CREATE INDEX shipments_by_tracking ON shipments (tracking_id);

CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    format      TEXT    NOT NULL CHECK (format IN ('ZPL203', 'ZPL300', 'PDF', 'PNG')),
    contents    BLOB,
    created_at  INTEGER NOT NULL,
    redacted_at INTEGER
);

CREATE TABLE printers (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL UNIQUE,
    kind                  TEXT    NOT NULL CHECK (kind IN ('cups', 'raw9100', 'windows', 'folder')),
    address               TEXT    NOT NULL,
    format                TEXT    NOT NULL,
    keep_printer_commands INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE print_jobs (
    id         INTEGER PRIMARY KEY,
    printer_id INTEGER NOT NULL REFERENCES printers (id),
    label_id   INTEGER REFERENCES labels (id) ON DELETE SET NULL,
    document   TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    printed_at INTEGER
);
CREATE INDEX print_jobs_queued ON print_jobs (printer_id, id) WHERE state = 'queued';

CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    new_count   INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX import_runs_by_store ON import_runs (store_id, started_at DESC);

-- Where incremental import resumes, per store and source; moves only after a page is saved.
CREATE TABLE import_checkpoints (
    store_id   INTEGER NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, source)
) WITHOUT ROWID;

-- History without personal data.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    store_id INTEGER,
    order_id INTEGER,
    action   TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_order ON audit_log (order_id, at);

-- Station-wide settings (default printers, window layout...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
