-- The persistent print queue: a label to print is a row first, so a printer
-- that is off gets it when it is back, and a crash loses no job.
CREATE TABLE print_queue (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    printer_id INTEGER REFERENCES printers (id) ON DELETE SET NULL,
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    printed_at INTEGER
);
CREATE INDEX print_queue_waiting ON print_queue (id) WHERE state = 'queued';
