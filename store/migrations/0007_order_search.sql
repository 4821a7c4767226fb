-- Substring search in milliseconds at 100,000 orders: a trigram full-text
-- index of each order's id, SKUs, ASINs and titles (text) and of its buyer's
-- blind-index tokens (names), kept in step by the store.
CREATE VIRTUAL TABLE order_search USING fts5(text, names, tokenize = 'trigram');
INSERT INTO order_search (rowid, text, names) SELECT id, search_text, buyer_index FROM orders;
