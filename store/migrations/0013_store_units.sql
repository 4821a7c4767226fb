-- The units a store's bench weighs and measures in: 'metric' (g, kg, cm) or
-- 'imperial' (oz, lb, in). Empty: chosen from where the store sells (a store
-- selling in the US weighs in ounces), see station.Store.Units.
ALTER TABLE stores ADD COLUMN units TEXT NOT NULL DEFAULT '' CHECK (units IN ('', 'metric', 'imperial'));
