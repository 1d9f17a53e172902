-- Monthly aggregates kept by the push (docs/township-scale.md): the report's views of V2
-- summed every ledger row of every store on each run (minutes at 30 five-year stores). Now
-- `household_month_agg` and `goods_month_agg` hold those same sums, one row per household (or
-- good) and business month, and statement-level triggers keep them in the transaction that
-- adds or rolls back the rows, so the sums and the rows can never disagree:
--   * a batch of ledger rows inserted adds its sums to the months they belong to;
--   * a marked rollback (rows deleted by accept_rollback) takes the rolled-back rows' sums out;
--   * a redemption's void arriving (its first master version) takes its debit out of
--     "redeemed" (a void that arrives before its debit: the debit is never counted).
-- The views `household_month` and `goods_month` keep their names and columns and now read the
-- aggregates; V2's definitions stay as `household_month_raw` and `goods_month_raw`, the
-- recomputation from the raw rows the tests compare with.
--
-- Redemptions are counted as debit entries: the store writes exactly one `redemption_debit`
-- per redemption (its `check` ties a redemption's total to its debit), which is what V2's
-- COUNT(DISTINCT redemption_id) counted.
-- A stock movement's month is its donation's or purchase's day of receipt as the township
-- holds it when the movement arrives (masters go before the ledgers in every push); the
-- store never changes a receipt's day afterwards.

ALTER VIEW township.household_month RENAME TO household_month_raw;
ALTER VIEW township.goods_month RENAME TO goods_month_raw;

CREATE TABLE township.household_month_agg (
    store_id     integer NOT NULL REFERENCES township.store,
    household_id bigint NOT NULL,
    month        text NOT NULL,
    net          bigint NOT NULL,
    credited     bigint NOT NULL,
    redeemed     bigint NOT NULL,
    redemptions  bigint NOT NULL,
    -- Ledger rows summed here: a month whose rows were all rolled back goes (0 rows), as it
    -- is not in V2's view either.
    entries      bigint NOT NULL,
    PRIMARY KEY (store_id, household_id, month)
);

CREATE TABLE township.goods_month_agg (
    store_id    integer NOT NULL REFERENCES township.store,
    goods_code  text NOT NULL,
    month       text NOT NULL,
    net         bigint NOT NULL,
    donated     bigint NOT NULL,
    purchased   bigint NOT NULL,
    issued      bigint NOT NULL,
    written_off bigint NOT NULL,
    corrected   bigint NOT NULL,
    entries     bigint NOT NULL,
    PRIMARY KEY (store_id, goods_code, month)
);

-- A void finds its debit by redemption.
CREATE INDEX point_entry_debit_by_redemption ON township.point_entry (store_id, redemption_id)
    WHERE kind = 'redemption_debit';

-- Whether the township holds a void of this redemption (any version).
CREATE FUNCTION township.is_voided(p_store integer, p_redemption bigint) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT p_redemption IS NOT NULL AND EXISTS (
        SELECT 1 FROM township.master_row r
         WHERE r.store_id = p_store AND r.kind = 'redemption_void' AND r.key = p_redemption::text)
$$;

-- The business month of a points entry, as V2 counts it.
CREATE FUNCTION township.entry_month(p_kind text, p_period text, p_created_at text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_kind WHEN 'opening' THEN '0000-01'
                       WHEN 'monthly_credit' THEN p_period
                       ELSE substr(p_created_at, 1, 7) END
$$;

-- The business month of a stock movement, as V2 counts it.
CREATE FUNCTION township.movement_month(p_store integer, p_donation bigint, p_purchase bigint,
                                        p_created_at text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT substr(COALESCE(
        (SELECT r.body->>'received_on' FROM township.master_row r
          WHERE p_donation IS NOT NULL AND r.store_id = p_store AND r.kind = 'donation'
            AND r.key = p_donation::text ORDER BY r.version DESC LIMIT 1),
        (SELECT r.body->>'received_on' FROM township.master_row r
          WHERE p_purchase IS NOT NULL AND r.store_id = p_store AND r.kind = 'purchase'
            AND r.key = p_purchase::text ORDER BY r.version DESC LIMIT 1),
        substr(p_created_at, 1, 10)), 1, 7)
$$;

-- One function per ledger serves both triggers: each names its transition table `changed`;
-- `sign` is 1 for rows added, -1 for rows rolled back. SECURITY DEFINER: a store's login adds
-- ledger rows but may not write the aggregates itself.
CREATE FUNCTION township.points_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
DECLARE
    sign bigint := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO township.household_month_agg AS a
           (store_id, household_id, month, net, credited, redeemed, redemptions, entries)
    SELECT store_id, household_id, month,
           sign * SUM(amount),
           sign * SUM(CASE WHEN kind = 'monthly_credit' THEN amount ELSE 0 END),
           sign * SUM(CASE WHEN voided IS FALSE THEN -amount ELSE 0 END),
           sign * COUNT(*) FILTER (WHERE voided IS FALSE),
           sign * COUNT(*)
      FROM (SELECT c.store_id, c.household_id, c.amount, c.kind,
                   township.entry_month(c.kind, c.period, c.created_at) AS month,
                   CASE WHEN c.kind = 'redemption_debit'
                        THEN township.is_voided(c.store_id, c.redemption_id) END AS voided
              FROM changed c) x
     GROUP BY store_id, household_id, month
        ON CONFLICT (store_id, household_id, month) DO UPDATE
       SET net = a.net + EXCLUDED.net, credited = a.credited + EXCLUDED.credited,
           redeemed = a.redeemed + EXCLUDED.redeemed, redemptions = a.redemptions + EXCLUDED.redemptions,
           entries = a.entries + EXCLUDED.entries;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM township.household_month_agg a USING (SELECT DISTINCT store_id, household_id FROM changed) c
         WHERE a.store_id = c.store_id AND a.household_id = c.household_id AND a.entries = 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION township.stock_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
DECLARE
    sign bigint := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO township.goods_month_agg AS a
           (store_id, goods_code, month, net, donated, purchased, issued, written_off, corrected, entries)
    SELECT store_id, goods_code, month,
           sign * SUM(qty),
           sign * SUM(CASE WHEN kind = 'donation' THEN qty ELSE 0 END),
           sign * SUM(CASE WHEN kind = 'purchase' THEN qty ELSE 0 END),
           sign * -SUM(CASE WHEN kind IN ('redemption_issue', 'reversal') THEN qty ELSE 0 END),
           sign * -SUM(CASE WHEN kind = 'write_off' THEN qty ELSE 0 END),
           sign * SUM(CASE WHEN kind IN ('stocktake', 'correction') THEN qty ELSE 0 END),
           sign * COUNT(*)
      FROM (SELECT c.store_id, c.goods_code, c.qty, c.kind,
                   township.movement_month(c.store_id, c.donation_id, c.purchase_id, c.created_at) AS month
              FROM changed c) x
     GROUP BY store_id, goods_code, month
        ON CONFLICT (store_id, goods_code, month) DO UPDATE
       SET net = a.net + EXCLUDED.net, donated = a.donated + EXCLUDED.donated,
           purchased = a.purchased + EXCLUDED.purchased, issued = a.issued + EXCLUDED.issued,
           written_off = a.written_off + EXCLUDED.written_off, corrected = a.corrected + EXCLUDED.corrected,
           entries = a.entries + EXCLUDED.entries;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM township.goods_month_agg a USING (SELECT DISTINCT store_id, goods_code FROM changed) c
         WHERE a.store_id = c.store_id AND a.goods_code = c.goods_code AND a.entries = 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER point_entry_months_in AFTER INSERT ON township.point_entry
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION township.points_changed();
CREATE TRIGGER point_entry_months_out AFTER DELETE ON township.point_entry
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION township.points_changed();
CREATE TRIGGER stock_movement_months_in AFTER INSERT ON township.stock_movement
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION township.stock_changed();
CREATE TRIGGER stock_movement_months_out AFTER DELETE ON township.stock_movement
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION township.stock_changed();

-- A void's first version takes its redemption's debit out of "redeemed" and "redemptions".
CREATE FUNCTION township.void_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
BEGIN
    UPDATE township.household_month_agg a
       SET redeemed = a.redeemed - d.redeemed, redemptions = a.redemptions - d.n
      FROM (SELECT e.store_id, e.household_id,
                   township.entry_month(e.kind, e.period, e.created_at) AS month,
                   SUM(-e.amount) AS redeemed, COUNT(*) AS n
              FROM new_rows v
              JOIN township.point_entry e
                ON e.store_id = v.store_id AND e.kind = 'redemption_debit'
               AND e.redemption_id = v.key::bigint
             WHERE v.kind = 'redemption_void' AND v.version = 1
             GROUP BY 1, 2, 3) d
     WHERE a.store_id = d.store_id AND a.household_id = d.household_id AND a.month = d.month;
    RETURN NULL;
END $$;

CREATE TRIGGER master_row_voids AFTER INSERT ON township.master_row
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION township.void_added();

-- The rows the township already holds, summed once.
INSERT INTO township.household_month_agg
SELECT r.store_id, r.household_id, r.month, r.net, r.credited, r.redeemed, r.redemptions,
       (SELECT COUNT(*) FROM township.point_entry e
         WHERE e.store_id = r.store_id AND e.household_id = r.household_id
           AND township.entry_month(e.kind, e.period, e.created_at) = r.month)
  FROM township.household_month_raw r;
INSERT INTO township.goods_month_agg
SELECT r.store_id, r.goods_code, r.month, r.net, r.donated, r.purchased, r.issued, r.written_off, r.corrected,
       (SELECT COUNT(*) FROM township.stock_movement m
         WHERE m.store_id = r.store_id AND m.goods_code = r.goods_code
           AND township.movement_month(m.store_id, m.donation_id, m.purchase_id, m.created_at) = r.month)
  FROM township.goods_month_raw r;

CREATE VIEW township.household_month AS
    SELECT store_id, household_id, month, net, credited, redeemed, redemptions
      FROM township.household_month_agg;
CREATE VIEW township.goods_month AS
    SELECT store_id, goods_code, month, net, donated, purchased, issued, written_off, corrected
      FROM township.goods_month_agg;
