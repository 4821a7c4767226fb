-- Packing slips go through the print queue like labels.
ALTER TABLE print_queue ADD COLUMN document TEXT NOT NULL DEFAULT 'label' CHECK (document IN ('label', 'packing_slip'));
