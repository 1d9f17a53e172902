-- Issue 23: the ledgers' hash columns lose their UNIQUE index. Every entry's hash covers the
-- one before it (the chain `check` walks), so two equal hashes would already be a broken
-- chain; the index only cost each redemption five random pages of a million-row index read and
-- rewritten (the point entry's, three stock movements', the audit record's). A UNIQUE column
-- constraint cannot be dropped in SQLite: the table is rebuilt the documented way (new table,
-- copy every row as it is, drop, rename, indexes and triggers again), with foreign keys off
-- for this migration (`REBUILDS` in src/store/mod.rs). Rows keep their ids and every column,
-- so each hash, chain, signature and reference stays as it was.
--
-- The two lookups every redemption makes, a household's last balance and a good's last stock
-- (the insert triggers and the counter's reads), get covering indexes: the running total is in
-- the index, so no table page is read for it.

-- point_entry
CREATE TABLE point_entry_rebuilt (
    id             INTEGER PRIMARY KEY,
    household_id   INTEGER NOT NULL REFERENCES household(id),
    household_no   TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('opening', 'monthly_credit', 'redemption_debit',
                                                 'reversal', 'correction', 'year_end_expiry')),
    amount         INTEGER NOT NULL CHECK (amount <> 0),
    balance_after  INTEGER NOT NULL CHECK (balance_after >= 0),
    period         TEXT,
    redemption_id  INTEGER REFERENCES redemption(id),
    receipt_no     TEXT,
    reason         TEXT,
    approved_by    TEXT,
    staff_id       INTEGER NOT NULL REFERENCES staff(id),
    created_at     TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    CHECK ((kind IN ('opening', 'monthly_credit') AND amount > 0)
        OR (kind IN ('redemption_debit', 'year_end_expiry') AND amount < 0)
        OR kind IN ('reversal', 'correction')),
    CHECK (kind <> 'correction' OR (reason IS NOT NULL AND approved_by IS NOT NULL))
) STRICT;
INSERT INTO point_entry_rebuilt (id, household_id, household_no, kind, amount, balance_after, period, redemption_id, receipt_no, reason, approved_by, staff_id, created_at, prev_hash, hash)
    SELECT id, household_id, household_no, kind, amount, balance_after, period, redemption_id, receipt_no, reason, approved_by, staff_id, created_at, prev_hash, hash
    FROM point_entry ORDER BY id;
DROP TABLE point_entry;
ALTER TABLE point_entry_rebuilt RENAME TO point_entry;
CREATE INDEX point_entry_by_household ON point_entry(household_id, id, balance_after);
CREATE UNIQUE INDEX one_credit_per_period ON point_entry(household_id, period)
    WHERE kind = 'monthly_credit';
CREATE INDEX point_entry_by_redemption ON point_entry(redemption_id);
CREATE TRIGGER point_entry_running_balance BEFORE INSERT ON point_entry
BEGIN
    SELECT RAISE(ABORT, 'point_entry: balance_after is not the previous balance plus amount')
    WHERE NEW.balance_after <> NEW.amount + COALESCE(
        (SELECT balance_after FROM point_entry
          WHERE household_id = NEW.household_id ORDER BY id DESC LIMIT 1), 0);
    SELECT RAISE(ABORT, 'point_entry: chain does not continue from the last entry')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM point_entry ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER point_entry_no_update BEFORE UPDATE ON point_entry
BEGIN SELECT RAISE(ABORT, 'point_entry is append-only'); END;
CREATE TRIGGER point_entry_no_delete BEFORE DELETE ON point_entry
BEGIN SELECT RAISE(ABORT, 'point_entry is append-only'); END;

-- stock_movement
CREATE TABLE stock_movement_rebuilt (
    id            INTEGER PRIMARY KEY,
    goods_code    TEXT NOT NULL REFERENCES goods(code),
    kind          TEXT NOT NULL CHECK (kind IN ('donation', 'purchase', 'redemption_issue',
                                                'write_off', 'stocktake', 'correction', 'reversal')),
    qty           INTEGER NOT NULL CHECK (qty <> 0),
    stock_after   INTEGER NOT NULL CHECK (stock_after >= 0),
    donation_id   INTEGER REFERENCES donation(id),
    purchase_id   INTEGER REFERENCES purchase(id),
    redemption_id INTEGER REFERENCES redemption(id),
    source        TEXT,
    reason        TEXT,
    value_cents   INTEGER CHECK (value_cents IS NULL OR value_cents >= 0),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    CHECK ((kind IN ('donation', 'purchase') AND qty > 0)
        OR (kind IN ('redemption_issue', 'write_off') AND qty < 0)
        OR kind IN ('stocktake', 'correction', 'reversal')),
    CHECK (kind <> 'donation' OR donation_id IS NOT NULL),
    CHECK (kind <> 'purchase' OR purchase_id IS NOT NULL),
    CHECK (kind NOT IN ('redemption_issue', 'reversal') OR redemption_id IS NOT NULL),
    CHECK (kind NOT IN ('write_off', 'correction', 'stocktake') OR reason IS NOT NULL)
) STRICT;
INSERT INTO stock_movement_rebuilt (id, goods_code, kind, qty, stock_after, donation_id, purchase_id, redemption_id, source, reason, value_cents, staff_id, created_at, prev_hash, hash)
    SELECT id, goods_code, kind, qty, stock_after, donation_id, purchase_id, redemption_id, source, reason, value_cents, staff_id, created_at, prev_hash, hash
    FROM stock_movement ORDER BY id;
DROP TABLE stock_movement;
ALTER TABLE stock_movement_rebuilt RENAME TO stock_movement;
CREATE INDEX stock_movement_by_goods ON stock_movement(goods_code, id, stock_after);
CREATE INDEX stock_movement_by_redemption ON stock_movement(redemption_id);
CREATE TRIGGER stock_movement_running_stock BEFORE INSERT ON stock_movement
BEGIN
    SELECT RAISE(ABORT, 'stock_movement: stock_after is not the previous stock plus qty')
    WHERE NEW.stock_after <> NEW.qty + COALESCE(
        (SELECT stock_after FROM stock_movement
          WHERE goods_code = NEW.goods_code ORDER BY id DESC LIMIT 1), 0);
    SELECT RAISE(ABORT, 'stock_movement: chain does not continue from the last movement')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM stock_movement ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER stock_movement_no_update BEFORE UPDATE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock_movement is append-only'); END;
CREATE TRIGGER stock_movement_no_delete BEFORE DELETE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock_movement is append-only'); END;

-- audit_log
CREATE TABLE audit_log_rebuilt (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER REFERENCES staff(id),
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
INSERT INTO audit_log_rebuilt (id, staff_id, action, detail, created_at, prev_hash, hash)
    SELECT id, staff_id, action, detail, created_at, prev_hash, hash
    FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
CREATE INDEX audit_log_restores ON audit_log(action) WHERE action = 'restore';
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log: chain does not continue from the last record')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
