-- Checking the items packed (docs/architecture.md, "Checking the items"):
-- each barcode a store's packers scan, and the SKU it is, from Amazon's
-- catalog (UPC, EAN, ISBN...) or attached by a packer once. Codes are kept
-- as GTIN-14 when they are GTINs, so a UPC-A and its EAN-13 are one code.
CREATE TABLE item_barcodes (
    store_id INTEGER NOT NULL REFERENCES stores (id),
    code     TEXT    NOT NULL,
    sku      TEXT    NOT NULL,
    source   TEXT    NOT NULL CHECK (source IN ('catalog', 'packer')),
    PRIMARY KEY (store_id, code)
) WITHOUT ROWID;
CREATE INDEX item_barcodes_by_sku ON item_barcodes (store_id, sku);

-- The orders whose items were all scanned: a store that checks items buys
-- their labels only (on any bench, from any process).
CREATE TABLE item_checks (
    order_id   INTEGER PRIMARY KEY REFERENCES orders (id),
    checked_at INTEGER NOT NULL
);

-- Whether a store checks items: '' off, 'verify', 'ship'.
ALTER TABLE stores ADD COLUMN verify TEXT NOT NULL DEFAULT '' CHECK (verify IN ('', 'verify', 'ship'));
