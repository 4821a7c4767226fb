-- Keyed blind index of buyers' names: HMAC tokens of each word, so search by
-- name works without the name being readable in the file.
ALTER TABLE orders ADD COLUMN buyer_index TEXT NOT NULL DEFAULT '';
