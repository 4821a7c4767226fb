-- Packing slips go through the print queue like labels, and a job being
-- sent is marked first, so a crash mid-send is never taken for "not sent"
-- (which would print a label twice). SQLite cannot widen a CHECK in place:
-- the table is rebuilt.
CREATE TABLE print_queue_new (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    printer_id INTEGER REFERENCES printers (id) ON DELETE SET NULL,
    document   TEXT    NOT NULL DEFAULT 'label' CHECK (document IN ('label', 'packing_slip')),
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sending_at INTEGER,
    printed_at INTEGER
);
INSERT INTO print_queue_new (id, order_id, printer_id, state, attempts, error, created_at, printed_at)
    SELECT id, order_id, printer_id, state, attempts, error, created_at, printed_at FROM print_queue;
DROP TABLE print_queue;
ALTER TABLE print_queue_new RENAME TO print_queue;
CREATE INDEX print_queue_waiting ON print_queue (id) WHERE state IN ('queued', 'sending');
