-- Each village's own rules (一村一方案), as the TOML text the committee approved, with history:
-- a new version is a new row, the latest one is in force.
CREATE TABLE village_policy (
    id          INTEGER PRIMARY KEY,
    village_id  INTEGER NOT NULL REFERENCES village(id),
    toml        TEXT NOT NULL,
    set_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX village_policy_latest ON village_policy(village_id, id);

-- Disputes (异议): a household's objection to a month's score and the committee's decision.
-- An upheld dispute carries the correction entry it produced.
CREATE TABLE dispute (
    id                  INTEGER PRIMARY KEY,
    household_id        INTEGER NOT NULL REFERENCES household(id),
    period              TEXT NOT NULL,
    objection           TEXT NOT NULL CHECK (length(trim(objection)) > 0),
    raised_at           TEXT NOT NULL,
    recorded_by         INTEGER NOT NULL REFERENCES staff(id),
    decision            TEXT CHECK (decision IS NULL OR decision IN ('upheld', 'rejected')),
    decision_note       TEXT,
    committee           TEXT,
    decided_at          TEXT,
    decided_by          INTEGER REFERENCES staff(id),
    correction_entry_id INTEGER REFERENCES point_entry(id),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK (decision IS NOT 'upheld' OR correction_entry_id IS NOT NULL)
) STRICT;

-- A decided dispute is history.
CREATE TRIGGER dispute_decides_once BEFORE UPDATE ON dispute
WHEN OLD.decision IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'dispute already decided'); END;

-- Year-end reset (涪陵): the warning notice must be printed before the reset, and a village's
-- year is reset once.
CREATE TABLE year_end_event (
    village_id INTEGER NOT NULL REFERENCES village(id),
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('warning_printed', 'reset_done')),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (village_id, year, kind)
) STRICT;
