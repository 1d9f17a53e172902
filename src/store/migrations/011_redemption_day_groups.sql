-- Redemption days by village group (issue 14). 翁源 plans one day a month per group: a planned
-- day may serve only some of its village's groups. A day with no rows here serves the whole
-- village, as every day planned before this migration did.
CREATE TABLE redemption_day_group (
    village_id INTEGER NOT NULL,
    day        TEXT NOT NULL,
    group_id   INTEGER NOT NULL REFERENCES village_group(id),
    PRIMARY KEY (village_id, day, group_id),
    FOREIGN KEY (village_id, day) REFERENCES redemption_day(village_id, day)
) STRICT;

-- A session opened off the calendar names the manager's written reason; it is shown in the
-- closing report. NULL for a session opened on a planned day.
ALTER TABLE redemption_session ADD COLUMN off_calendar_reason TEXT
    CHECK (off_calendar_reason IS NULL OR length(trim(off_calendar_reason)) > 0);
