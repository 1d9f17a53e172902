-- Opening stock (期初库存): what was on the shelf when the store began keeping its stock here.
-- The movement itself is a 'correction' in the hash-chained stock ledger (its kinds are fixed
-- by a CHECK that a migration cannot widen without rebuilding the ledger); this table marks it
-- as the good's opening stock, once per good, and keeps where the goods came from (来源).
CREATE TABLE opening_stock (
    movement_id INTEGER PRIMARY KEY REFERENCES stock_movement(id),
    goods_code  TEXT NOT NULL UNIQUE REFERENCES goods(code),
    source      TEXT NOT NULL CHECK (length(trim(source)) > 0)
) STRICT;
CREATE TRIGGER opening_stock_no_update BEFORE UPDATE ON opening_stock
BEGIN SELECT RAISE(ABORT, 'opening_stock is append-only'); END;
CREATE TRIGGER opening_stock_no_delete BEFORE DELETE ON opening_stock
BEGIN SELECT RAISE(ABORT, 'opening_stock is append-only'); END;
