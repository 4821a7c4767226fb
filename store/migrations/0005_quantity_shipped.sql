-- Units already shipped, so a partially shipped order's package holds only what is left.
ALTER TABLE order_items ADD COLUMN quantity_shipped INTEGER NOT NULL DEFAULT 0;
