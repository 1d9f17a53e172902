-- Stock keeping beyond the ledger itself: low-stock thresholds, best-before dates per delivery,
-- and stocktakes (盘点) that run beside the counter.

ALTER TABLE goods ADD COLUMN low_stock_threshold INTEGER CHECK (low_stock_threshold IS NULL OR low_stock_threshold >= 0);

-- The best-before date of a delivery (a donation or purchase movement). Kept beside the
-- hash-chained movement, and like it never changed.
CREATE TABLE movement_best_before (
    movement_id INTEGER PRIMARY KEY REFERENCES stock_movement(id),
    best_before TEXT NOT NULL
) STRICT;
CREATE TRIGGER movement_best_before_no_update BEFORE UPDATE ON movement_best_before
BEGIN SELECT RAISE(ABORT, 'movement_best_before is append-only'); END;
CREATE TRIGGER movement_best_before_no_delete BEFORE DELETE ON movement_best_before
BEGIN SELECT RAISE(ABORT, 'movement_best_before is append-only'); END;

-- A stocktake: the expected quantities are taken when it starts; counts are entered while the
-- counter keeps working; posting applies counted − expected as corrections in one step.
CREATE TABLE stocktake (
    id         INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    started_by INTEGER NOT NULL REFERENCES staff(id),
    posted_at  TEXT,
    posted_by  INTEGER REFERENCES staff(id),
    CHECK ((posted_at IS NULL) = (posted_by IS NULL))
) STRICT;
CREATE UNIQUE INDEX one_open_stocktake ON stocktake((1)) WHERE posted_at IS NULL;

CREATE TABLE stocktake_line (
    stocktake_id INTEGER NOT NULL REFERENCES stocktake(id),
    goods_code   TEXT NOT NULL REFERENCES goods(code),
    expected     INTEGER NOT NULL CHECK (expected >= 0),
    counted      INTEGER CHECK (counted IS NULL OR counted >= 0),
    PRIMARY KEY (stocktake_id, goods_code)
) STRICT;
