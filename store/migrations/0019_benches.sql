-- Several benches (docs/architecture.md, "Several benches"). A bench's own
-- rows carry its name: its printers, its printer settings and its print
-- queue; what it did (purchases, labels, claims, imports, history) says
-- which bench did it. One bench on SQLite has the name '' throughout; the
-- PostgreSQL schema has the same columns.
ALTER TABLE printers ADD COLUMN bench TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX printers_by_bench ON printers (bench, name);
ALTER TABLE settings ADD COLUMN bench TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX settings_by_bench ON settings (bench, key);
ALTER TABLE print_queue ADD COLUMN bench TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_intents ADD COLUMN bench TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN bench TEXT NOT NULL DEFAULT '';
ALTER TABLE order_claims ADD COLUMN bench TEXT NOT NULL DEFAULT '';
ALTER TABLE import_runs ADD COLUMN bench TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN bench TEXT NOT NULL DEFAULT '';
