-- The township copy, from the store's side (issue 21): each push, export or recovery and how
-- it ended (the manager screen shows the last one), and the rows the township handed back
-- after a restore rolled them back here. The township address itself is the setting
-- `township.url`.
CREATE TABLE township_push (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    via        TEXT NOT NULL CHECK (via IN ('push', 'export', 'recover')),
    address    TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
    rows_added INTEGER NOT NULL DEFAULT 0 CHECK (rows_added >= 0),
    detail     TEXT NOT NULL,
    staff_id   INTEGER REFERENCES staff(id)
) STRICT;

-- Rows the township kept when it accepted a restore as a rollback: the store cannot put them
-- back into its chains (that would be a fork), so they are kept here, as they were, for the
-- manager to see and to correct from.
CREATE TABLE township_recovered (
    rollback_id  INTEGER NOT NULL,
    ledger       TEXT NOT NULL CHECK (ledger IN ('point_entry', 'stock_movement', 'audit_log')),
    seq          INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    body         TEXT NOT NULL,
    recovered_at TEXT NOT NULL,
    PRIMARY KEY (rollback_id, ledger, seq)
) STRICT;
CREATE TRIGGER township_recovered_no_update BEFORE UPDATE ON township_recovered
BEGIN SELECT RAISE(ABORT, 'township_recovered is append-only'); END;
CREATE TRIGGER township_recovered_no_delete BEFORE DELETE ON township_recovered
BEGIN SELECT RAISE(ABORT, 'township_recovered is append-only'); END;
