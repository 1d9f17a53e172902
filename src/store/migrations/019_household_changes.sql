-- Households that change (issue 24): splits, merges, a new head, moves, joins.
-- Written to run again harmlessly (IF NOT EXISTS; the backfill skips households it already
-- covers): upgrade tests step user_version back past it.
-- Points still move only through point_entry: a transfer is a pair of `correction` entries
-- (which already require a reason and who approved), linked both ways by point_transfer.

CREATE TABLE IF NOT EXISTS point_transfer (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('split', 'merge')),
    from_household_id INTEGER NOT NULL REFERENCES household(id),
    to_household_id   INTEGER NOT NULL REFERENCES household(id),
    out_entry_id      INTEGER NOT NULL UNIQUE REFERENCES point_entry(id),
    in_entry_id       INTEGER NOT NULL UNIQUE REFERENCES point_entry(id),
    points            INTEGER NOT NULL CHECK (points > 0),
    approved_by       TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
    reason            TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    staff_id          INTEGER NOT NULL REFERENCES staff(id),
    created_at        TEXT NOT NULL,
    CHECK (from_household_id <> to_household_id),
    CHECK (out_entry_id <> in_entry_id)
) STRICT;
CREATE TRIGGER IF NOT EXISTS point_transfer_no_update BEFORE UPDATE ON point_transfer
BEGIN SELECT RAISE(ABORT, 'point_transfer is append-only'); END;
CREATE TRIGGER IF NOT EXISTS point_transfer_no_delete BEFORE DELETE ON point_transfer
BEGIN SELECT RAISE(ABORT, 'point_transfer is append-only'); END;

-- Every change of the roster, for the notice's 变动情况 and the household's history.
CREATE TABLE IF NOT EXISTS household_change (
    id                 INTEGER PRIMARY KEY,
    household_id       INTEGER NOT NULL REFERENCES household(id),
    kind               TEXT NOT NULL CHECK (kind IN ('split', 'merge', 'head', 'move_group',
                                                     'move_away', 'join')),
    other_household_id INTEGER REFERENCES household(id),
    transfer_id        INTEGER REFERENCES point_transfer(id),
    entry_id           INTEGER REFERENCES point_entry(id),
    effective_on       TEXT NOT NULL,
    before_text        TEXT,
    after_text         TEXT,
    reason             TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    approved_by        TEXT,
    staff_id           INTEGER NOT NULL REFERENCES staff(id),
    created_at         TEXT NOT NULL,
    CHECK (kind NOT IN ('split', 'merge', 'join') OR approved_by IS NOT NULL),
    CHECK (kind NOT IN ('split', 'merge') OR other_household_id IS NOT NULL),
    CHECK (entry_id IS NULL OR (kind = 'move_away' AND approved_by IS NOT NULL))
) STRICT;
CREATE INDEX IF NOT EXISTS household_change_by_household ON household_change(household_id, id);
CREATE INDEX IF NOT EXISTS household_change_by_day ON household_change(effective_on);
CREATE TRIGGER IF NOT EXISTS household_change_no_update BEFORE UPDATE ON household_change
BEGIN SELECT RAISE(ABORT, 'household_change is append-only'); END;
CREATE TRIGGER IF NOT EXISTS household_change_no_delete BEFORE DELETE ON household_change
BEGIN SELECT RAISE(ABORT, 'household_change is append-only'); END;

-- Which group a household belonged to from which day: ranks, tiers and notices read the
-- group in force for their period, so a move never rewrites a past notice.
CREATE TABLE IF NOT EXISTS household_group_history (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    group_id     INTEGER NOT NULL REFERENCES village_group(id),
    from_date    TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS household_group_history_by_household
    ON household_group_history(household_id, from_date, id);
CREATE TRIGGER IF NOT EXISTS household_group_history_no_update BEFORE UPDATE ON household_group_history
BEGIN SELECT RAISE(ABORT, 'household_group_history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS household_group_history_no_delete BEFORE DELETE ON household_group_history
BEGIN SELECT RAISE(ABORT, 'household_group_history is append-only'); END;

-- Households already on the roster were in their group for all of their history so far.
INSERT INTO household_group_history (household_id, group_id, from_date)
    SELECT id, group_id, '0001-01-01' FROM household h
    WHERE NOT EXISTS (SELECT 1 FROM household_group_history gh WHERE gh.household_id = h.id);

CREATE TRIGGER IF NOT EXISTS household_group_history_first AFTER INSERT ON household
BEGIN
    INSERT INTO household_group_history (household_id, group_id, from_date)
    VALUES (NEW.id, NEW.group_id, '0001-01-01');
END;

-- A group changed by any other path than a recorded move still leaves a dated row, so the
-- history never disagrees with the household (a recorded move writes its row first).
CREATE TRIGGER IF NOT EXISTS household_group_history_follows AFTER UPDATE OF group_id ON household
WHEN NEW.group_id IS NOT OLD.group_id
 AND NEW.group_id IS NOT (SELECT group_id FROM household_group_history
                          WHERE household_id = NEW.id ORDER BY from_date DESC, id DESC LIMIT 1)
BEGIN
    INSERT INTO household_group_history (household_id, group_id, from_date)
    VALUES (NEW.id, NEW.group_id, date('now', 'localtime'));
END;
