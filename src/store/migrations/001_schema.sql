-- Jifen schema v1: the store, its people and goods, and the two append-only ledgers.
-- Invariants live here as well as in code: a balance or stock below zero cannot be written,
-- and ledger rows cannot be updated or deleted.

CREATE TABLE store (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    store_code  INTEGER NOT NULL CHECK (store_code BETWEEN 1000 AND 9999),
    card_secret BLOB NOT NULL CHECK (length(card_secret) = 32),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role          TEXT NOT NULL CHECK (role IN ('manager', 'cashier', 'auditor')),
    pin_hash      TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_pins   INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE village (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
) STRICT;

CREATE TABLE village_group (
    id         INTEGER PRIMARY KEY,
    village_id INTEGER NOT NULL REFERENCES village(id),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (village_id, name)
) STRICT;

CREATE TABLE household (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL UNIQUE,
    head_name  TEXT NOT NULL CHECK (length(trim(head_name)) > 0),
    group_id   INTEGER NOT NULL REFERENCES village_group(id),
    members    INTEGER NOT NULL CHECK (members >= 1),
    phone      TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('registered', 'resident')),
    status     TEXT NOT NULL CHECK (status IN ('active', 'moved_away')),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX household_by_group ON household(group_id);
CREATE INDEX household_by_phone ON household(phone);

CREATE TABLE goods (
    code          TEXT PRIMARY KEY,
    barcode       TEXT UNIQUE,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit          TEXT NOT NULL CHECK (length(trim(unit)) > 0),
    category      TEXT,
    monthly_limit INTEGER CHECK (monthly_limit IS NULL OR monthly_limit > 0),
    retired       INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

-- Prices are versioned: the price of a good on a day is the latest version effective by then.
CREATE TABLE price (
    id             INTEGER PRIMARY KEY,
    goods_code     TEXT NOT NULL REFERENCES goods(code),
    price_points   INTEGER NOT NULL CHECK (price_points > 0),
    effective_from TEXT NOT NULL,
    set_by         INTEGER NOT NULL REFERENCES staff(id),
    approved_by    TEXT,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX price_by_goods ON price(goods_code, effective_from, id);

CREATE TABLE donation (
    id              INTEGER PRIMARY KEY,
    donor           TEXT NOT NULL CHECK (length(trim(donor)) > 0),
    contact         TEXT,
    received_on     TEXT NOT NULL,
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE purchase (
    id            INTEGER PRIMARY KEY,
    supplier      TEXT NOT NULL CHECK (length(trim(supplier)) > 0),
    invoice_no    TEXT NOT NULL CHECK (length(trim(invoice_no)) > 0),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    received_on   TEXT NOT NULL,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL
) STRICT;

-- Gap-free receipt numbers per year: the counter row is bumped inside the redemption's
-- transaction, so a refused or rolled-back redemption consumes no number.
CREATE TABLE receipt_counter (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
) STRICT;

CREATE TABLE redemption (
    id                  INTEGER PRIMARY KEY,
    receipt_no          TEXT NOT NULL UNIQUE,
    year                INTEGER NOT NULL,
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    household_id        INTEGER NOT NULL REFERENCES household(id),
    staff_id            INTEGER NOT NULL REFERENCES staff(id),
    idempotency_key     TEXT UNIQUE,
    request_fingerprint TEXT NOT NULL,
    via                 TEXT NOT NULL CHECK (via IN ('card', 'manual')),
    manual_reason       TEXT CHECK ((via = 'manual') = (manual_reason IS NOT NULL)),
    total_points        INTEGER NOT NULL CHECK (total_points > 0),
    balance_before      INTEGER NOT NULL CHECK (balance_before >= 0),
    balance_after       INTEGER NOT NULL CHECK (balance_after >= 0 AND balance_after = balance_before - total_points),
    created_at          TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;
CREATE INDEX redemption_by_household ON redemption(household_id, created_at);

CREATE TABLE redemption_line (
    redemption_id     INTEGER NOT NULL REFERENCES redemption(id),
    line_no           INTEGER NOT NULL CHECK (line_no >= 1),
    goods_code        TEXT NOT NULL REFERENCES goods(code),
    name              TEXT NOT NULL,
    unit              TEXT NOT NULL,
    qty               INTEGER NOT NULL CHECK (qty > 0),
    unit_price_points INTEGER NOT NULL CHECK (unit_price_points > 0),
    line_points       INTEGER NOT NULL CHECK (line_points = qty * unit_price_points),
    PRIMARY KEY (redemption_id, line_no)
) STRICT;

CREATE TABLE redemption_void (
    redemption_id INTEGER PRIMARY KEY REFERENCES redemption(id),
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL
) STRICT;

-- A committee's monthly sheet: posted once per period, with who approved it.
CREATE TABLE score_sheet (
    period      TEXT PRIMARY KEY,
    approved_by TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE score (
    period       TEXT NOT NULL REFERENCES score_sheet(period),
    household_id INTEGER NOT NULL REFERENCES household(id),
    score        INTEGER NOT NULL CHECK (score >= 0),
    PRIMARY KEY (period, household_id)
) STRICT;

-- The points ledger. balance_after must equal the household's previous balance_after plus
-- amount (checked by trigger), and can never be negative.
CREATE TABLE point_entry (
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
    hash           TEXT NOT NULL UNIQUE,
    CHECK ((kind IN ('opening', 'monthly_credit') AND amount > 0)
        OR (kind IN ('redemption_debit', 'year_end_expiry') AND amount < 0)
        OR kind IN ('reversal', 'correction')),
    CHECK (kind <> 'correction' OR (reason IS NOT NULL AND approved_by IS NOT NULL))
) STRICT;
CREATE INDEX point_entry_by_household ON point_entry(household_id, id);
CREATE UNIQUE INDEX one_credit_per_period ON point_entry(household_id, period)
    WHERE kind = 'monthly_credit';

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

-- The stock ledger, built the same way.
CREATE TABLE stock_movement (
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
    hash          TEXT NOT NULL UNIQUE,
    CHECK ((kind IN ('donation', 'purchase') AND qty > 0)
        OR (kind IN ('redemption_issue', 'write_off') AND qty < 0)
        OR kind IN ('stocktake', 'correction', 'reversal')),
    CHECK (kind <> 'donation' OR donation_id IS NOT NULL),
    CHECK (kind <> 'purchase' OR purchase_id IS NOT NULL),
    CHECK (kind NOT IN ('redemption_issue', 'reversal') OR redemption_id IS NOT NULL),
    CHECK (kind NOT IN ('write_off', 'correction', 'stocktake') OR reason IS NOT NULL)
) STRICT;
CREATE INDEX stock_movement_by_goods ON stock_movement(goods_code, id);

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

-- Every write, who did it and when: append-only and chained like the ledgers.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER REFERENCES staff(id),
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
) STRICT;

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

-- Redemption records are immutable too: a void is a new row, never an edit.
CREATE TRIGGER redemption_no_update BEFORE UPDATE ON redemption
BEGIN SELECT RAISE(ABORT, 'redemption is append-only'); END;
CREATE TRIGGER redemption_no_delete BEFORE DELETE ON redemption
BEGIN SELECT RAISE(ABORT, 'redemption is append-only'); END;
CREATE TRIGGER redemption_line_no_update BEFORE UPDATE ON redemption_line
BEGIN SELECT RAISE(ABORT, 'redemption_line is append-only'); END;
CREATE TRIGGER redemption_line_no_delete BEFORE DELETE ON redemption_line
BEGIN SELECT RAISE(ABORT, 'redemption_line is append-only'); END;
