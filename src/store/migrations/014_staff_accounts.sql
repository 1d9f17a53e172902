-- Staff accounts a village can run for years (issue 16). `staff` is a signed table: the new
-- columns are nullable with no default, so rows recorded before this migration keep their
-- recorded state (NULLs are left out of a row's state).

-- Why and when a member was disabled (`active` = 0); NULL while active.
ALTER TABLE staff ADD COLUMN disabled_reason TEXT;
ALTER TABLE staff ADD COLUMN disabled_at TEXT;
-- 1 when a manager reset the PIN: the member must change it at their next sign-in.
ALTER TABLE staff ADD COLUMN must_change_pin INTEGER CHECK (must_change_pin IS NULL OR must_change_pin = 1);

-- `failed_pins` now counts wrong PINs in a row across lockouts (it is no longer reset when the
-- account locks), so each further wrong PIN locks for longer: see core::staff_rules.
