-- The "verified up to here" mark (issues 15 and 23): when a check passes, the heads of the
-- ledgers it verified (each chain's last row and its hash, each signed table's highest rowid),
-- signed by a staff member. The start-up check then verifies the mark and only what came after.
-- Append-only: a mark is never changed, a newer one supersedes it.
CREATE TABLE check_mark (
    id          INTEGER PRIMARY KEY,
    checked_at  TEXT NOT NULL,
    full_check  INTEGER NOT NULL CHECK (full_check IN (0, 1)),
    heads       TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    key_id      INTEGER NOT NULL REFERENCES staff_key(id),
    signed_at   TEXT NOT NULL,
    signature   TEXT NOT NULL
) STRICT;
CREATE TRIGGER check_mark_no_update BEFORE UPDATE ON check_mark
BEGIN SELECT RAISE(ABORT, 'check_mark is append-only'); END;
CREATE TRIGGER check_mark_no_delete BEFORE DELETE ON check_mark
BEGIN SELECT RAISE(ABORT, 'check_mark is append-only'); END;

-- The incremental check reads, from before its mark, only the signatures that gave out keys
-- and the audited restores: small partial indexes spare it a scan of years of records.
CREATE INDEX txn_signature_giving_keys ON txn_signature(keys_from) WHERE keys_from IS NOT NULL;
CREATE INDEX audit_log_restores ON audit_log(action) WHERE action = 'restore';
