-- Services (积分换服务): a good with a row here is a service; it never has stock.
CREATE TABLE service (
    goods_code        TEXT PRIMARY KEY REFERENCES goods(code),
    provider_name     TEXT NOT NULL CHECK (length(trim(provider_name)) > 0),
    provider_contact  TEXT,
    capacity_per_day  INTEGER CHECK (capacity_per_day IS NULL OR capacity_per_day >= 1),
    validity_days     INTEGER NOT NULL DEFAULT 30 CHECK (validity_days >= 1)
);

-- One voucher per unit of a service redeemed; the provider keeps the numbered line.
CREATE TABLE voucher (
    id                 INTEGER PRIMARY KEY,
    voucher_no         TEXT NOT NULL UNIQUE,
    household_id       INTEGER NOT NULL REFERENCES household(id),
    redemption_id      INTEGER NOT NULL REFERENCES redemption(id),
    goods_code         TEXT NOT NULL REFERENCES service(goods_code),
    unit_points        INTEGER NOT NULL CHECK (unit_points > 0),
    issued_at          TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    used_at            TEXT,
    used_by            TEXT,
    cancelled_at       TEXT,
    cancelled_by       INTEGER REFERENCES staff(id),
    cancel_reason      TEXT,
    reversal_entry_id  INTEGER REFERENCES point_entry(id),
    CHECK (used_at IS NULL OR cancelled_at IS NULL)
);
CREATE INDEX voucher_by_service_day ON voucher (goods_code, issued_at);
CREATE INDEX voucher_by_redemption ON voucher (redemption_id);

-- A voucher is written once, then only marked used or cancelled, once.
CREATE TRIGGER voucher_no_delete BEFORE DELETE ON voucher
BEGIN SELECT RAISE(ABORT, 'voucher is append-only'); END;
CREATE TRIGGER voucher_marked_once BEFORE UPDATE ON voucher
WHEN OLD.used_at IS NOT NULL OR OLD.cancelled_at IS NOT NULL
  OR NEW.voucher_no IS NOT OLD.voucher_no OR NEW.household_id IS NOT OLD.household_id
  OR NEW.redemption_id IS NOT OLD.redemption_id OR NEW.goods_code IS NOT OLD.goods_code
  OR NEW.unit_points IS NOT OLD.unit_points OR NEW.issued_at IS NOT OLD.issued_at
  OR NEW.valid_until IS NOT OLD.valid_until
BEGIN SELECT RAISE(ABORT, 'voucher is marked used or cancelled once'); END;
