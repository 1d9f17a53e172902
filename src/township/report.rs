//! The township report: per store, village and group, over a month, a quarter or a year,
//! read from the SQL views of migration V2 in one read-only snapshot; drawn as an xlsx
//! workbook (`report_xlsx`) or as the township-wide public notice (`report_doc`, PDF).

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Result, Township};
use crate::core::notice_period::NoticePeriod;

/// Households on each group's honour roll in the report.
pub const TOP_PER_GROUP: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupLine {
    pub store: String,
    pub village: String,
    pub group: String,
    /// Active households on the roll.
    pub households: i64,
    pub credited: i64,
    pub redeemed: i64,
    pub redemptions: i64,
    /// Households that redeemed at least once in the period.
    pub households_redeemed: i64,
    /// Points held at the end of the period.
    pub balance: i64,
}

impl GroupLine {
    /// 参与率: households that redeemed in the period per household on the roll, in ‰.
    pub fn participation_permille(&self) -> i64 {
        (self.households_redeemed * 1000)
            .checked_div(self.households)
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthLine {
    pub store: String,
    pub village: String,
    pub month: String,
    pub credited: i64,
    pub redeemed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoodsLine {
    pub store: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub opening: i64,
    pub donated: i64,
    pub purchased: i64,
    pub issued: i64,
    pub written_off: i64,
    pub corrected: i64,
    pub closing: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseLine {
    pub store: String,
    pub received_on: String,
    pub supplier: String,
    pub invoice_no: String,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreLine {
    pub store: String,
    pub donations: i64,
    pub purchases: i64,
    pub purchases_cents: i64,
    /// Redemption days held (sessions opened) in the period.
    pub days_held: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopLine {
    pub store: String,
    pub village: String,
    pub group: String,
    pub rank: i64,
    pub number: String,
    pub head_name: String,
    pub score: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TownshipReport {
    pub period: NoticePeriod,
    pub generated_at: NaiveDateTime,
    pub stores: Vec<StoreLine>,
    pub groups: Vec<GroupLine>,
    pub months: Vec<MonthLine>,
    pub goods: Vec<GoodsLine>,
    pub purchases: Vec<PurchaseLine>,
    pub top: Vec<TopLine>,
}

impl TownshipReport {
    /// The township's totals over every group: (households, credited, redeemed, balance).
    pub fn totals(&self) -> (i64, i64, i64, i64) {
        self.groups.iter().fold((0, 0, 0, 0), |t, g| {
            (
                t.0 + g.households,
                t.1 + g.credited,
                t.2 + g.redeemed,
                t.3 + g.balance,
            )
        })
    }
}

/// The months and days bounding `period`, as the views compare them.
struct Bounds {
    first_month: String,
    last_month: String,
    end_month: String,
    first_day: String,
    end_day: String,
}

fn bounds(period: NoticePeriod) -> Bounds {
    Bounds {
        first_month: period.first_month().to_string(),
        last_month: period.last_month().to_string(),
        end_month: period.last_month().next().to_string(),
        first_day: period.first_day().to_string(),
        end_day: period.end().to_string(),
    }
}

const GROUPS: &str = "
    WITH m AS (
        SELECT store_id, household_id,
               SUM(credited) FILTER (WHERE month >= $1 AND month <= $2) AS c,
               SUM(redeemed) FILTER (WHERE month >= $1 AND month <= $2) AS r,
               SUM(redemptions) FILTER (WHERE month >= $1 AND month <= $2) AS n,
               SUM(net) FILTER (WHERE month < $3) AS bal
          FROM township.household_month GROUP BY 1, 2)
    SELECT s.store_name, h.village, h.grp,
           COUNT(*) FILTER (WHERE h.status = 'active'),
           COALESCE(SUM(m.c), 0)::bigint, COALESCE(SUM(m.r), 0)::bigint, COALESCE(SUM(m.n), 0)::bigint,
           COUNT(*) FILTER (WHERE m.n > 0), COALESCE(SUM(m.bal), 0)::bigint
      FROM township.household_v h JOIN township.store_v s USING (store_id)
      LEFT JOIN m USING (store_id, household_id)
     GROUP BY s.store_id, s.store_name, h.village, h.grp
     ORDER BY s.store_id, MIN(h.group_id)";

const MONTHS: &str = "
    SELECT s.store_name, h.village, m.month, SUM(m.credited)::bigint, SUM(m.redeemed)::bigint
      FROM township.household_month m JOIN township.household_v h USING (store_id, household_id)
      JOIN township.store_v s USING (store_id)
     WHERE m.month >= $1 AND m.month <= $2
     GROUP BY s.store_id, s.store_name, h.village, m.month
     ORDER BY s.store_id, h.village, m.month";

const GOODS: &str = "
    SELECT s.store_name, g.goods_code, g.name, g.unit,
           COALESCE(SUM(m.net) FILTER (WHERE m.month < $1), 0)::bigint,
           COALESCE(SUM(m.donated) FILTER (WHERE m.month >= $1 AND m.month <= $2), 0)::bigint,
           COALESCE(SUM(m.purchased) FILTER (WHERE m.month >= $1 AND m.month <= $2), 0)::bigint,
           COALESCE(SUM(m.issued) FILTER (WHERE m.month >= $1 AND m.month <= $2), 0)::bigint,
           COALESCE(SUM(m.written_off) FILTER (WHERE m.month >= $1 AND m.month <= $2), 0)::bigint,
           COALESCE(SUM(m.corrected) FILTER (WHERE m.month >= $1 AND m.month <= $2), 0)::bigint,
           COALESCE(SUM(m.net) FILTER (WHERE m.month <= $2), 0)::bigint
      FROM township.goods_v g JOIN township.store_v s USING (store_id)
      LEFT JOIN township.goods_month m USING (store_id, goods_code)
     GROUP BY s.store_id, s.store_name, g.goods_code, g.name, g.unit
     ORDER BY s.store_id, g.goods_code";

const PURCHASES: &str = "
    SELECT s.store_name, p.received_on, p.supplier, p.invoice_no, p.amount_cents
      FROM township.purchase_v p JOIN township.store_v s USING (store_id)
     WHERE p.received_on >= $1 AND p.received_on < $2
     ORDER BY s.store_id, p.received_on, p.purchase_id";

const STORES: &str = "
    SELECT s.store_name,
           (SELECT COUNT(*) FROM township.donation_v d WHERE d.store_id = s.store_id
               AND d.received_on >= $1 AND d.received_on < $2),
           (SELECT COUNT(*) FROM township.purchase_v p WHERE p.store_id = s.store_id
               AND p.received_on >= $1 AND p.received_on < $2),
           (SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM township.purchase_v p
             WHERE p.store_id = s.store_id AND p.received_on >= $1 AND p.received_on < $2),
           (SELECT COUNT(DISTINCT day) FROM township.session_v x WHERE x.store_id = s.store_id
               AND x.day >= $1 AND x.day < $2)
      FROM township.store_v s
     WHERE EXISTS (SELECT 1 FROM township.master_row r WHERE r.store_id = s.store_id)
     ORDER BY s.store_id";

const TOP: &str = "
    WITH sc AS (SELECT store_id, household_id, SUM(score)::bigint AS score FROM township.household_score
                 WHERE month >= $1 AND month <= $2 GROUP BY 1, 2 HAVING SUM(score) > 0),
    r AS (SELECT s.store_id, s.store_name, h.village, h.grp, h.number, h.head_name, sc.score,
                 RANK() OVER (PARTITION BY sc.store_id, h.village, h.grp ORDER BY sc.score DESC) AS rank,
                 MIN(h.group_id) OVER (PARTITION BY sc.store_id, h.village, h.grp) AS group_order
            FROM sc JOIN township.household_v h USING (store_id, household_id)
            JOIN township.store_v s USING (store_id))
    SELECT store_name, village, grp, rank, number, head_name, score FROM r WHERE rank <= $3
     ORDER BY store_id, group_order, rank, number";

/// Reads the report for `period` (the township's own login: every store).
pub fn report(
    town: &mut Township,
    period: NoticePeriod,
    now: NaiveDateTime,
) -> Result<TownshipReport> {
    let b = bounds(period);
    let mut tx = town
        .client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()?;
    let groups = tx
        .query(GROUPS, &[&b.first_month, &b.last_month, &b.end_month])?
        .iter()
        .map(|r| GroupLine {
            store: r.get(0),
            village: r.get(1),
            group: r.get(2),
            households: r.get(3),
            credited: r.get(4),
            redeemed: r.get(5),
            redemptions: r.get(6),
            households_redeemed: r.get(7),
            balance: r.get(8),
        })
        .collect();
    let months = tx
        .query(MONTHS, &[&b.first_month, &b.last_month])?
        .iter()
        .map(|r| MonthLine {
            store: r.get(0),
            village: r.get(1),
            month: r.get(2),
            credited: r.get(3),
            redeemed: r.get(4),
        })
        .collect();
    let goods = tx
        .query(GOODS, &[&b.first_month, &b.last_month])?
        .iter()
        .map(|r| GoodsLine {
            store: r.get(0),
            code: r.get(1),
            name: r.get(2),
            unit: r.get(3),
            opening: r.get(4),
            donated: r.get(5),
            purchased: r.get(6),
            issued: r.get(7),
            written_off: r.get(8),
            corrected: r.get(9),
            closing: r.get(10),
        })
        .filter(|g: &GoodsLine| {
            [
                g.opening,
                g.donated,
                g.purchased,
                g.issued,
                g.written_off,
                g.corrected,
                g.closing,
            ]
            .iter()
            .any(|q| *q != 0)
        })
        .collect();
    let purchases = tx
        .query(PURCHASES, &[&b.first_day, &b.end_day])?
        .iter()
        .map(|r| PurchaseLine {
            store: r.get(0),
            received_on: r.get(1),
            supplier: r.get(2),
            invoice_no: r.get(3),
            amount_cents: r.get(4),
        })
        .collect();
    let stores = tx
        .query(STORES, &[&b.first_day, &b.end_day])?
        .iter()
        .map(|r| StoreLine {
            store: r.get(0),
            donations: r.get(1),
            purchases: r.get(2),
            purchases_cents: r.get(3),
            days_held: r.get(4),
        })
        .collect();
    // The planner takes a score sheet's `jsonb_array_elements` for 100 rows (it is 20,000 in a
    // big store) and then pairs every household with every score (minutes at 30 stores);
    // hash joins are what this query needs whatever the estimate. For this transaction only.
    tx.batch_execute("SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off")?;
    let top = tx
        .query(TOP, &[&b.first_month, &b.last_month, &TOP_PER_GROUP])?
        .iter()
        .map(|r| TopLine {
            store: r.get(0),
            village: r.get(1),
            group: r.get(2),
            rank: r.get(3),
            number: r.get(4),
            head_name: r.get(5),
            score: r.get(6),
        })
        .collect();
    tx.commit()?;
    Ok(TownshipReport {
        period,
        generated_at: now,
        stores,
        groups,
        months,
        goods,
        purchases,
        top,
    })
}

/// Writes the report to `out`: `.xlsx` the workbook, `.pdf` the township-wide notice.
pub fn write(report: &TownshipReport, township: &str, out: &std::path::Path) -> Result<()> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("xlsx") => super::report_xlsx::write_xlsx(report, township, out),
        Some("pdf") => {
            let doc = super::report_doc::notice_doc(report, township);
            let bytes = crate::notice::notice_pdf::notice_pdf(&doc)
                .map_err(|e| super::TownshipError::file(out, e))?;
            std::fs::write(out, bytes).map_err(|e| super::TownshipError::file(out, e))
        }
        _ => Err(super::TownshipError::file(
            out,
            rust_i18n::t!("township.error.report_format"),
        )),
    }
}
