-- Redemption days run as sessions: opened by a staff member, closed with a report. Redemptions
-- made while a session is open belong to it.

CREATE TABLE redemption_session (
    id            INTEGER PRIMARY KEY,
    day           TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    opened_by     INTEGER NOT NULL REFERENCES staff(id),
    staff_on_duty TEXT NOT NULL,
    groups_served TEXT NOT NULL,
    closed_at     TEXT,
    closed_by     INTEGER REFERENCES staff(id),
    report        TEXT,
    CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
    CHECK ((closed_at IS NULL) = (report IS NULL))
) STRICT;

-- One store, one open session at a time.
CREATE UNIQUE INDEX one_open_session ON redemption_session((1)) WHERE closed_at IS NULL;

-- A closed session is history: its report is never rewritten.
CREATE TRIGGER session_closes_once BEFORE UPDATE ON redemption_session
WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'redemption_session is closed'); END;
CREATE TRIGGER session_no_delete BEFORE DELETE ON redemption_session
BEGIN SELECT RAISE(ABORT, 'redemption_session cannot be deleted'); END;

ALTER TABLE redemption ADD COLUMN session_id INTEGER REFERENCES redemption_session(id);
CREATE INDEX redemption_by_session ON redemption(session_id);

-- 专人管理: who is in charge of the store, from when to when.
CREATE TABLE designated_staff (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    duty         TEXT NOT NULL CHECK (length(trim(duty)) > 0),
    from_date    TEXT NOT NULL,
    to_date      TEXT,
    appointed_by INTEGER NOT NULL REFERENCES staff(id),
    created_at   TEXT NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
) STRICT;

-- The calendar of redemption days per village, with holiday moves.
CREATE TABLE redemption_day (
    village_id INTEGER NOT NULL REFERENCES village(id),
    day        TEXT NOT NULL,
    moved_from TEXT,
    note       TEXT,
    PRIMARY KEY (village_id, day)
) STRICT;
