-- `check` ties every redemption to its points and stock entries; without these it would scan
-- both ledgers once per redemption (minutes on five years of records).
CREATE INDEX point_entry_by_redemption ON point_entry(redemption_id);
CREATE INDEX stock_movement_by_redemption ON stock_movement(redemption_id);
