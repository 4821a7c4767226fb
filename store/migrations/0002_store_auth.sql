-- Connecting stores: why a store is not green, its own-app client id (not a
-- secret; secrets live in the keychain), when it was authorized (public apps
-- must reauthorize every 365 days) and when it was disconnected.
ALTER TABLE stores ADD COLUMN health_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN authorized_at INTEGER;
ALTER TABLE stores ADD COLUMN disconnected_at INTEGER;
