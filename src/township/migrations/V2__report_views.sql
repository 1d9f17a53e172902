-- The township report's views. Each figure is counted the way the store's own notices count
-- it (src/app/notices): an opening balance before everything, a month's credit in its month,
-- a donation or purchase on the day it was received, anything else on the day it was recorded;
-- a voided redemption is not a redemption.

CREATE INDEX master_row_by_kind ON township.master_row (kind, store_id, key, version DESC);

CREATE VIEW township.household_v AS
    SELECT store_id, (body->>'id')::bigint AS household_id, body->>'number' AS number,
           body->>'head_name' AS head_name, body->>'village' AS village, body->>'group' AS grp,
           (body->>'group_id')::bigint AS group_id, body->>'status' AS status, body->>'kind' AS kind
      FROM township.master_current WHERE kind = 'household';

CREATE VIEW township.voided_redemption AS
    SELECT store_id, key::bigint AS redemption_id FROM township.master_current
     WHERE kind = 'redemption_void';

-- Per household and business month: net change, points credited, points redeemed and
-- redemptions made (voided ones left out).
CREATE VIEW township.household_month AS
    SELECT e.store_id, e.household_id,
           CASE e.kind WHEN 'opening' THEN '0000-01'
                       WHEN 'monthly_credit' THEN e.period
                       ELSE substr(e.created_at, 1, 7) END AS month,
           SUM(e.amount) AS net,
           SUM(CASE WHEN e.kind = 'monthly_credit' THEN e.amount ELSE 0 END) AS credited,
           SUM(CASE WHEN e.kind = 'redemption_debit' AND v.redemption_id IS NULL THEN -e.amount ELSE 0 END) AS redeemed,
           COUNT(DISTINCT CASE WHEN e.kind = 'redemption_debit' AND v.redemption_id IS NULL
                               THEN e.redemption_id END) AS redemptions
      FROM township.point_entry e
      LEFT JOIN township.voided_redemption v
        ON e.kind = 'redemption_debit' AND v.store_id = e.store_id AND v.redemption_id = e.redemption_id
     GROUP BY 1, 2, 3;

-- The committees' scores, one row per household and month.
CREATE VIEW township.household_score AS
    SELECT m.store_id, (s->>0)::bigint AS household_id, m.body->>'period' AS month, (s->>1)::bigint AS score
      FROM township.master_current m CROSS JOIN LATERAL jsonb_array_elements(m.body->'scores') s
     WHERE m.kind = 'score_sheet';

CREATE VIEW township.goods_v AS
    SELECT store_id, key AS goods_code, body->>'name' AS name, body->>'unit' AS unit,
           body->>'category' AS category
      FROM township.master_current WHERE kind = 'goods';

-- Per good and business month: stock in by source, out, written off, corrected.
CREATE VIEW township.goods_month AS
    SELECT m.store_id, m.goods_code,
           substr(COALESCE(d.body->>'received_on', p.body->>'received_on', substr(m.created_at, 1, 10)), 1, 7) AS month,
           SUM(m.qty) AS net,
           SUM(CASE WHEN m.kind = 'donation' THEN m.qty ELSE 0 END) AS donated,
           SUM(CASE WHEN m.kind = 'purchase' THEN m.qty ELSE 0 END) AS purchased,
           -SUM(CASE WHEN m.kind IN ('redemption_issue', 'reversal') THEN m.qty ELSE 0 END) AS issued,
           -SUM(CASE WHEN m.kind = 'write_off' THEN m.qty ELSE 0 END) AS written_off,
           SUM(CASE WHEN m.kind IN ('stocktake', 'correction') THEN m.qty ELSE 0 END) AS corrected
      FROM township.stock_movement m
      LEFT JOIN township.master_current d
        ON m.donation_id IS NOT NULL AND d.store_id = m.store_id AND d.kind = 'donation' AND d.key = m.donation_id::text
      LEFT JOIN township.master_current p
        ON m.purchase_id IS NOT NULL AND p.store_id = m.store_id AND p.kind = 'purchase' AND p.key = m.purchase_id::text
     GROUP BY 1, 2, 3;

CREATE VIEW township.purchase_v AS
    SELECT store_id, (body->>'id')::bigint AS purchase_id, body->>'received_on' AS received_on,
           body->>'supplier' AS supplier, body->>'invoice_no' AS invoice_no,
           (body->>'amount_cents')::bigint AS amount_cents
      FROM township.master_current WHERE kind = 'purchase';

CREATE VIEW township.donation_v AS
    SELECT store_id, (body->>'id')::bigint AS donation_id, body->>'received_on' AS received_on,
           body->>'donor' AS donor
      FROM township.master_current WHERE kind = 'donation';

CREATE VIEW township.session_v AS
    SELECT store_id, (body->>'id')::bigint AS session_id, body->>'day' AS day,
           body->>'closed_at' AS closed_at
      FROM township.master_current WHERE kind = 'redemption_session';

-- Reports name a store as the township enrolled it (two stores may call themselves alike).
CREATE VIEW township.store_v AS
    SELECT s.store_id, s.name AS store_name, s.store_name AS own_name, s.store_code
      FROM township.store s;
