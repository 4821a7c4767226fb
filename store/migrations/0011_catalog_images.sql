-- Product images from Amazon's catalog, kept so an order's detail shows
-- them without asking Amazon again; a product without an image is
-- remembered too (image NULL), so it is not asked for at every look.
CREATE TABLE catalog_images (
    marketplace_id TEXT    NOT NULL,
    asin           TEXT    NOT NULL,
    image          BLOB,
    fetched_at     INTEGER NOT NULL,
    PRIMARY KEY (marketplace_id, asin)
);
