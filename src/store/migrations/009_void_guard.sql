-- A void is history like the redemption it voids: never changed, never removed.
CREATE TRIGGER redemption_void_no_update BEFORE UPDATE ON redemption_void
BEGIN SELECT RAISE(ABORT, 'redemption_void is append-only'); END;
CREATE TRIGGER redemption_void_no_delete BEFORE DELETE ON redemption_void
BEGIN SELECT RAISE(ABORT, 'redemption_void is append-only'); END;
