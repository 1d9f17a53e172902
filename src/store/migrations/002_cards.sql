-- Household cards. Each card ever issued is a row: a reissue ends the live card (replaced_at)
-- and adds the next serial, so a lost card scanned later is refused with the date it was
-- replaced. The payload itself is not stored: it is recomputed from the store's secret.

CREATE TABLE card (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES household(id),
    serial        INTEGER NOT NULL CHECK (serial BETWEEN 1 AND 99),
    reason        TEXT NOT NULL CHECK (reason IN ('first', 'lost', 'damaged', 'moved', 'other')),
    issued_at     TEXT NOT NULL,
    issued_by     INTEGER NOT NULL REFERENCES staff(id),
    replaced_at   TEXT,
    revoked_at    TEXT,
    revoked_by    INTEGER REFERENCES staff(id),
    revoke_reason TEXT,
    UNIQUE (household_id, serial),
    CHECK (replaced_at IS NULL OR revoked_at IS NULL),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
) STRICT;

-- At most one card of a household works at any time.
CREATE UNIQUE INDEX card_one_live_per_household ON card(household_id)
    WHERE replaced_at IS NULL AND revoked_at IS NULL;

-- A card row records what was handed out: the only change allowed is ending a live card, once.
CREATE TRIGGER card_ends_once BEFORE UPDATE ON card
WHEN OLD.replaced_at IS NOT NULL OR OLD.revoked_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.household_id IS NOT OLD.household_id
  OR NEW.serial IS NOT OLD.serial OR NEW.reason IS NOT OLD.reason
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.issued_by IS NOT OLD.issued_by
BEGIN SELECT RAISE(ABORT, 'card: only a live card can be ended, and only once'); END;
CREATE TRIGGER card_no_delete BEFORE DELETE ON card
BEGIN SELECT RAISE(ABORT, 'card rows are kept for the record'); END;
