-- Settings and print jobs. Numbered 004 but registered after 005: a database that already ran
-- 005 must not see a new migration inserted before it.

-- Counter settings as text, one row per key (printer address, paper, footer, idle lock…).
-- The services parse and check each value; who changed it is in the audit log as well.
CREATE TABLE setting (
    key        TEXT PRIMARY KEY CHECK (length(trim(key)) > 0),
    value      TEXT NOT NULL,
    updated_by INTEGER REFERENCES staff(id),
    updated_at TEXT NOT NULL
) STRICT;

-- Print jobs are not ledger rows: printing happens after the commit, from what was stored,
-- and a job moves pending → printing → printed or failed. A failed job stays as history;
-- printing again is a new job (a reprint says 重打).
CREATE TABLE print_job (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'reprint', 'donation_slip',
                                             'session_report', 'test_page', 'card_slip')),
    -- What to print: a receipt number, a donation reference (D12), a session id, a household.
    reference  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'printing', 'printed', 'failed')),
    -- Why it failed, in Chinese (failed only).
    error      TEXT CHECK ((status = 'failed') = (error IS NOT NULL)),
    -- A remark on a job that went out, e.g. the printer did not answer the status query.
    note       TEXT,
    -- The printer address the last attempt used.
    printer    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX print_job_pending ON print_job(status, id);
CREATE INDEX print_job_by_reference ON print_job(kind, reference);
