-- Issue 18: no double records, and dated, approved prices.

-- A purchase may carry a scan or photo of its VAT invoice, copied into the data folder
-- (path relative to it) with the SHA-256 of its bytes, so a swapped file is noticed.
ALTER TABLE purchase ADD COLUMN invoice_file TEXT;
ALTER TABLE purchase ADD COLUMN invoice_sha256 TEXT
    CHECK (invoice_sha256 IS NULL OR (length(invoice_sha256) = 64 AND invoice_sha256 NOT GLOB '*[^0-9a-f]*'));
CREATE INDEX purchase_by_invoice ON purchase(supplier, invoice_no);

-- One invoice number per supplier, from now on. Not a UNIQUE index: a store may already hold
-- a recorded-twice invoice, which must not make this migration fail; `jifen check` reports
-- those, and this trigger refuses any new one (the service refuses first, naming the entry).
CREATE TRIGGER purchase_invoice_once BEFORE INSERT ON purchase
WHEN EXISTS (SELECT 1 FROM purchase p
             WHERE trim(p.supplier) = trim(NEW.supplier) AND trim(p.invoice_no) = trim(NEW.invoice_no))
BEGIN SELECT RAISE(ABORT, 'purchase invoice already recorded for this supplier'); END;

-- The committee decision behind a price change (e.g. 村两委会议 2026-11-18), beside the names
-- of those who approved it (price.approved_by).
ALTER TABLE price ADD COLUMN decision TEXT;
