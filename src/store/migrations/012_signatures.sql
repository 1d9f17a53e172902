-- Signed records (issue 15). Every transaction a signed-in staff member commits carries one
-- Ed25519 signature over the heads of the chains it extended; mutable tables that decide
-- points get a chained change record per changed row. See src/store/records.rs.

-- Each staff member's signing key, sealed under a key derived from their PIN (argon2 with its
-- own salt, XChaCha20-Poly1305). NULL until the member's first sign-in after this upgrade.
ALTER TABLE staff ADD COLUMN key_salt TEXT;
ALTER TABLE staff ADD COLUMN sealed_key TEXT;

-- The staff key history: every public key a staff member has had, append-only and chained
-- like the ledgers. A signature names the row of the key it was made with.
CREATE TABLE staff_key (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    public_key TEXT NOT NULL CHECK (length(public_key) = 64),
    reason     TEXT NOT NULL CHECK (reason IN ('enrol', 'new', 'reset')),
    created_at TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX staff_key_by_staff ON staff_key(staff_id, id);

-- The change history of the mutable tables that decide points (households, goods, prices,
-- scores, rules, calendar, staff, cards, vouchers, stocktakes, disputes…): one row per row a
-- transaction inserted, changed or deleted, with the hash of the row's new content (NULL when
-- deleted). `check` compares every live row with its last recorded state.
CREATE TABLE record_change (
    id         INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    state_hash TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX record_change_by_row ON record_change(table_name, row_id, id);

-- One signature per committed transaction: the id range it wrote in each chain (NULL when it
-- wrote none there) and the hash of the last row of each range, which chains over every row
-- before it. Columns are plain text and integers so the township copy can carry them as made.
CREATE TABLE txn_signature (
    id             INTEGER PRIMARY KEY,
    staff_id       INTEGER NOT NULL REFERENCES staff(id),
    key_id         INTEGER NOT NULL REFERENCES staff_key(id),
    points_from    INTEGER, points_to  INTEGER, points_head  TEXT,
    stock_from     INTEGER, stock_to   INTEGER, stock_head   TEXT,
    audit_from     INTEGER, audit_to   INTEGER, audit_head   TEXT,
    changes_from   INTEGER, changes_to INTEGER, changes_head TEXT,
    keys_from      INTEGER, keys_to    INTEGER, keys_head    TEXT,
    signature      TEXT NOT NULL CHECK (length(signature) = 128)
) STRICT;

-- Where signatures begin: the chains' heads when this migration ran. Rows up to these ids
-- were written before signatures existed; the first manager to sign in afterwards attests
-- them (attested_by, and the head hashes), in a signed transaction.
CREATE TABLE signing_start (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    points_head  INTEGER NOT NULL,
    stock_head   INTEGER NOT NULL,
    audit_head   INTEGER NOT NULL,
    staff_head   INTEGER NOT NULL,
    attested_by  INTEGER REFERENCES staff(id),
    attested_at  TEXT,
    heads_hash   TEXT
) STRICT;
INSERT INTO signing_start (id, points_head, stock_head, audit_head, staff_head)
SELECT 1,
    (SELECT COALESCE(MAX(id), 0) FROM point_entry),
    (SELECT COALESCE(MAX(id), 0) FROM stock_movement),
    (SELECT COALESCE(MAX(id), 0) FROM audit_log),
    (SELECT COALESCE(MAX(id), 0) FROM staff);

CREATE TRIGGER staff_key_chain BEFORE INSERT ON staff_key
BEGIN
    SELECT RAISE(ABORT, 'staff_key: chain does not continue from the last key')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM staff_key ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER record_change_chain BEFORE INSERT ON record_change
BEGIN
    SELECT RAISE(ABORT, 'record_change: chain does not continue from the last change')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM record_change ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER staff_key_no_update BEFORE UPDATE ON staff_key
BEGIN SELECT RAISE(ABORT, 'staff_key is append-only'); END;
CREATE TRIGGER staff_key_no_delete BEFORE DELETE ON staff_key
BEGIN SELECT RAISE(ABORT, 'staff_key is append-only'); END;
CREATE TRIGGER record_change_no_update BEFORE UPDATE ON record_change
BEGIN SELECT RAISE(ABORT, 'record_change is append-only'); END;
CREATE TRIGGER record_change_no_delete BEFORE DELETE ON record_change
BEGIN SELECT RAISE(ABORT, 'record_change is append-only'); END;
CREATE TRIGGER txn_signature_no_update BEFORE UPDATE ON txn_signature
BEGIN SELECT RAISE(ABORT, 'txn_signature is append-only'); END;
CREATE TRIGGER txn_signature_no_delete BEFORE DELETE ON txn_signature
BEGIN SELECT RAISE(ABORT, 'txn_signature is append-only'); END;
