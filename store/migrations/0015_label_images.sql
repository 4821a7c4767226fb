-- Amazon's own image (PNG) of a label bought in another format, kept for
-- the preview beside the label, sealed and redacted with it
-- (docs/architecture.md, "Printing"). A preview row is never printed.
ALTER TABLE labels ADD COLUMN preview INTEGER NOT NULL DEFAULT 0;
