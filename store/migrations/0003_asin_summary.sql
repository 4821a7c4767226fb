-- Stores that identify products by ASIN see ASINs in the order list.
ALTER TABLE orders ADD COLUMN asin_summary TEXT NOT NULL DEFAULT '';
