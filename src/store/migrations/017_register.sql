-- The scoring register (积分台账, issue 20): each village's scoring items per year, every
-- scoring event with its evidence, and the scoring group's monthly approval that became a
-- score sheet. Everything here is history: rows are added, never changed or removed.

-- One imported table of items (积分项目及分值) for a village and year; a re-import is a new
-- table, and the latest one is in force for events recorded after it.
CREATE TABLE register_item_table (
    id          INTEGER PRIMARY KEY,
    village_id  INTEGER NOT NULL REFERENCES village(id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    source      TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX register_item_table_latest ON register_item_table(village_id, year, id);

CREATE TABLE register_item (
    table_id    INTEGER NOT NULL REFERENCES register_item_table(id),
    number      INTEGER NOT NULL CHECK (number >= 1),
    class       TEXT NOT NULL CHECK (length(trim(class)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('add', 'deduct', 'negative')),
    item        TEXT NOT NULL CHECK (length(trim(item)) > 0),
    content     TEXT NOT NULL,
    points_min  INTEGER NOT NULL CHECK (points_min >= 0),
    points_max  INTEGER NOT NULL CHECK (points_max >= points_min),
    scoring     TEXT NOT NULL CHECK (scoring IN ('fixed', 'per_occurrence', 'range')),
    cycle       TEXT NOT NULL CHECK (cycle IN ('month', 'year')),
    PRIMARY KEY (table_id, number)
) STRICT;

-- A scoring event: when, where, what, on what basis, who recorded it, its evidence. A
-- correction is a new event naming the one it corrects (and may withdraw it). Chained like
-- the ledgers so that an edit behind the app's back is found by `check`.
CREATE TABLE register_event (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES household(id),
    table_id      INTEGER NOT NULL,
    item_number   INTEGER NOT NULL,
    event_date    TEXT NOT NULL,
    place         TEXT,
    what          TEXT,
    basis         TEXT NOT NULL CHECK (basis IN ('declared', 'onsite', 'vote', 'recommended')),
    points        INTEGER NOT NULL CHECK (points >= 0),
    corrects      INTEGER REFERENCES register_event(id),
    withdrawn     INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    evidence_sha256 TEXT CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64),
    evidence_file TEXT,
    dispute_id    INTEGER REFERENCES dispute(id),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    FOREIGN KEY (table_id, item_number) REFERENCES register_item(table_id, number),
    CHECK (withdrawn = 0 OR corrects IS NOT NULL),
    CHECK ((evidence_sha256 IS NULL) = (evidence_file IS NULL))
) STRICT;
CREATE INDEX register_event_by_household ON register_event(household_id, event_date);
CREATE INDEX register_event_by_correction ON register_event(corrects);

-- The scoring group's approval of one village group's month: it posted score sheet `sheet_id`.
CREATE TABLE register_approval (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES village_group(id),
    period      TEXT NOT NULL,
    leader      TEXT NOT NULL CHECK (length(trim(leader)) > 0),
    approved_by TEXT NOT NULL,
    sheet_id    INTEGER NOT NULL UNIQUE REFERENCES score_sheet(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL,
    UNIQUE (group_id, period)
) STRICT;

-- A month corrected after its approval (an upheld dispute): the household's score before and
-- after, and the correction entry that moved its points by the difference.
CREATE TABLE register_adjustment (
    id             INTEGER PRIMARY KEY,
    approval_id    INTEGER NOT NULL REFERENCES register_approval(id),
    household_id   INTEGER NOT NULL REFERENCES household(id),
    event_id       INTEGER NOT NULL REFERENCES register_event(id),
    dispute_id     INTEGER REFERENCES dispute(id),
    score_before   INTEGER NOT NULL,
    score_after    INTEGER NOT NULL,
    entry_id       INTEGER REFERENCES point_entry(id),
    created_at     TEXT NOT NULL
) STRICT;

-- A dispute may name the event it objects to.
CREATE TABLE register_dispute_event (
    dispute_id INTEGER PRIMARY KEY REFERENCES dispute(id),
    event_id   INTEGER NOT NULL REFERENCES register_event(id)
) STRICT;

CREATE TRIGGER register_item_table_no_update BEFORE UPDATE ON register_item_table
BEGIN SELECT RAISE(ABORT, 'register_item_table is append-only'); END;
CREATE TRIGGER register_item_table_no_delete BEFORE DELETE ON register_item_table
BEGIN SELECT RAISE(ABORT, 'register_item_table is append-only'); END;
CREATE TRIGGER register_item_no_update BEFORE UPDATE ON register_item
BEGIN SELECT RAISE(ABORT, 'register_item is append-only'); END;
CREATE TRIGGER register_item_no_delete BEFORE DELETE ON register_item
BEGIN SELECT RAISE(ABORT, 'register_item is append-only'); END;
CREATE TRIGGER register_event_no_update BEFORE UPDATE ON register_event
BEGIN SELECT RAISE(ABORT, 'register_event is append-only'); END;
CREATE TRIGGER register_event_no_delete BEFORE DELETE ON register_event
BEGIN SELECT RAISE(ABORT, 'register_event is append-only'); END;
CREATE TRIGGER register_event_chain BEFORE INSERT ON register_event
BEGIN
    SELECT RAISE(ABORT, 'register_event: chain does not continue from the last event')
    WHERE NEW.prev_hash <> COALESCE((SELECT hash FROM register_event ORDER BY id DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000');
END;
CREATE TRIGGER register_approval_no_update BEFORE UPDATE ON register_approval
BEGIN SELECT RAISE(ABORT, 'register_approval is append-only'); END;
CREATE TRIGGER register_approval_no_delete BEFORE DELETE ON register_approval
BEGIN SELECT RAISE(ABORT, 'register_approval is append-only'); END;
CREATE TRIGGER register_adjustment_no_update BEFORE UPDATE ON register_adjustment
BEGIN SELECT RAISE(ABORT, 'register_adjustment is append-only'); END;
CREATE TRIGGER register_adjustment_no_delete BEFORE DELETE ON register_adjustment
BEGIN SELECT RAISE(ABORT, 'register_adjustment is append-only'); END;
CREATE TRIGGER register_dispute_event_no_update BEFORE UPDATE ON register_dispute_event
BEGIN SELECT RAISE(ABORT, 'register_dispute_event is append-only'); END;
CREATE TRIGGER register_dispute_event_no_delete BEFORE DELETE ON register_dispute_event
BEGIN SELECT RAISE(ABORT, 'register_dispute_event is append-only'); END;
