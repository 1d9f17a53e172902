-- A store may serve several villages, each with its own committee: a month can have several
-- score sheets. A household is still credited once a month (score's key and the
-- one_credit_per_period index), which is what "a period can't be posted twice" protects.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE score_sheet_new (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL
) STRICT;
INSERT INTO score_sheet_new (period, approved_by, staff_id, created_at)
    SELECT period, approved_by, staff_id, created_at FROM score_sheet ORDER BY period;

CREATE TABLE score_new (
    period       TEXT NOT NULL,
    household_id INTEGER NOT NULL REFERENCES household(id),
    score        INTEGER NOT NULL CHECK (score >= 0),
    sheet_id     INTEGER REFERENCES score_sheet_new(id),
    PRIMARY KEY (period, household_id)
) STRICT;
INSERT INTO score_new (period, household_id, score, sheet_id)
    SELECT s.period, s.household_id, s.score, (SELECT n.id FROM score_sheet_new n WHERE n.period = s.period)
    FROM score s;

DROP TABLE score;
DROP TABLE score_sheet;
ALTER TABLE score_sheet_new RENAME TO score_sheet;
ALTER TABLE score_new RENAME TO score;
CREATE INDEX score_sheet_by_period ON score_sheet(period);
