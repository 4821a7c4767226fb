-- Money safety (see docs/architecture.md, "Buying a label").
--
-- 1. A purchase intent holds only a label format Amazon sells and this
--    database stores. Intents written by older versions with a printer
--    format (PDF_LETTER, PDF_A4) or junk could never be saved after Amazon
--    sold the label; they are repaired to the format that would have been
--    bought (a sheet printer gets Amazon's PNG, anything else ZPL at 203 dpi),
--    so their replay settles.
UPDATE purchase_intents SET label_format = CASE WHEN label_format IN ('PDF_LETTER', 'PDF_A4') THEN 'PNG' ELSE 'ZPL203' END
WHERE label_format NOT IN ('ZPL203', 'ZPL300', 'PDF', 'PNG');

CREATE TRIGGER purchase_intents_format_insert BEFORE INSERT ON purchase_intents
WHEN NEW.label_format NOT IN ('ZPL203', 'ZPL300', 'PDF', 'PNG')
BEGIN SELECT RAISE(ABORT, 'purchase intent: label format must be ZPL203, ZPL300, PDF or PNG'); END;

CREATE TRIGGER purchase_intents_format_update BEFORE UPDATE OF label_format ON purchase_intents
WHEN NEW.label_format NOT IN ('ZPL203', 'ZPL300', 'PDF', 'PNG')
BEGIN SELECT RAISE(ABORT, 'purchase intent: label format must be ZPL203, ZPL300, PDF or PNG'); END;

-- 2. At most one purchase in flight per order. Older duplicates (two
--    purchases at once, before this migration) stay open as 'unknown': both
--    states are replayed with their own key before anything new is bought.
UPDATE purchase_intents SET state = 'unknown'
WHERE state = 'pending' AND id NOT IN (SELECT max(id) FROM purchase_intents WHERE state = 'pending' GROUP BY order_id);
CREATE UNIQUE INDEX purchase_intents_one_pending ON purchase_intents (order_id) WHERE state = 'pending';

-- 3. A bench claims an order before it asks for rates, settles, voids or
--    prints it: the second bench (or process) is told who has it. The row
--    goes when the work ends; a claim left by a crashed process is taken
--    over (same computer: its process is gone; another: after a while).
CREATE TABLE order_claims (
    order_id   INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    host       TEXT    NOT NULL,
    pid        INTEGER NOT NULL,
    what       TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL
);

-- 4. The file a folder printer wrote for a job (a label or packing slip with
--    the buyer's name and address): erase and redaction remove it.
ALTER TABLE print_queue ADD COLUMN file TEXT NOT NULL DEFAULT '';
CREATE INDEX print_queue_files ON print_queue (order_id) WHERE file <> '';

-- 5. A void is marked before cancelShipment is called: a crash between
--    Amazon's cancellation and saving it is settled at the next start by
--    asking Amazon (getTracking) whether the label was cancelled.
ALTER TABLE shipments ADD COLUMN void_started_at INTEGER;
