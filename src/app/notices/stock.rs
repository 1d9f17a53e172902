//! 物资收支公示: per good the opening stock, what came in and went out, the closing stock;
//! the donations and purchases behind the "in"; the redemptions behind the "out".
//!
//! A movement counts on its business day: a donation or purchase on the day it was received
//! (paper records are often entered later), anything else on the day it was recorded.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, NaiveTime};
use rusqlite::{Connection, params};

use super::{Result, chain_head, staff_in_charge, store_name, stored_day, stored_time};
use crate::core::notice_period::NoticePeriod;
use crate::core::notices::{
    DonationLine, Fingerprint, OpeningStockLine, PurchaseRecord, StockLine, StockNotice,
};
use crate::core::{AmountCents, Points, Qty};
use crate::store::{Db, parse_stored};

/// Each stock movement with its business day. Opening stock (期初库存) predates everything,
/// like an opening balance of points: it is the notice's 期初 in every period.
const MOVEMENTS: &str = "WITH m AS (
    SELECT m.goods_code AS code, m.kind, m.qty, m.created_at,
           CASE WHEN o.movement_id IS NOT NULL THEN '0000-01-01'
                ELSE COALESCE(d.received_on, p.received_on, substr(m.created_at, 1, 10)) END AS day
    FROM stock_movement m
    LEFT JOIN donation d ON d.id = m.donation_id
    LEFT JOIN purchase p ON p.id = m.purchase_id
    LEFT JOIN opening_stock o ON o.movement_id = m.id)";

/// Each point entry with its business day: an opening balance predates everything, a
/// month's credit belongs to its month, anything else to the day it was recorded.
const POINT_ENTRIES: &str = "WITH e AS (
    SELECT household_id, amount, created_at,
           CASE kind WHEN 'opening' THEN '0000-01-01'
                     WHEN 'monthly_credit' THEN period || '-01'
                     ELSE substr(created_at, 1, 10) END AS day
    FROM point_entry)";

pub fn stock_notice(db: &mut Db, period: NoticePeriod, now: NaiveDateTime) -> Result<StockNotice> {
    db.read(|tx| {
        let (redemptions, points_redeemed, households_served) = redeemed(tx, period)?;
        Ok(StockNotice {
            store_name: store_name(tx)?,
            period,
            lines: stock_lines(tx, period)?,
            donations: donations(tx, period)?,
            opening_stock: opening_stock(tx, period)?,
            purchases: purchases(tx, period)?,
            redemptions,
            points_redeemed,
            households_served,
            staff: staff_in_charge(tx, period.first_day(), period.last_day())?,
            fingerprint: fingerprint(tx, period, now)?,
        })
    })
}

fn range(period: NoticePeriod) -> [String; 2] {
    [period.first_day().to_string(), period.end().to_string()]
}

pub(crate) fn stock_lines(conn: &Connection, period: NoticePeriod) -> Result<Vec<StockLine>> {
    let sql = format!(
        "{MOVEMENTS}
        SELECT g.code, g.name, g.unit,
            COALESCE(SUM(CASE WHEN m.day < ?1 THEN m.qty END), 0),
            COALESCE(SUM(CASE WHEN m.day >= ?1 AND m.day < ?2 AND m.kind = 'donation' THEN m.qty END), 0),
            COALESCE(SUM(CASE WHEN m.day >= ?1 AND m.day < ?2 AND m.kind = 'purchase' THEN m.qty END), 0),
            -COALESCE(SUM(CASE WHEN m.day >= ?1 AND m.day < ?2
                AND m.kind IN ('redemption_issue', 'reversal') THEN m.qty END), 0),
            -COALESCE(SUM(CASE WHEN m.day >= ?1 AND m.day < ?2 AND m.kind = 'write_off' THEN m.qty END), 0),
            COALESCE(SUM(CASE WHEN m.day >= ?1 AND m.day < ?2
                AND m.kind IN ('stocktake', 'correction') THEN m.qty END), 0),
            COALESCE(SUM(CASE WHEN m.day < ?2 THEN m.qty END), 0)
        FROM goods g LEFT JOIN m ON m.code = g.code
        GROUP BY g.code ORDER BY (SELECT MIN(x.code) FROM goods x WHERE x.category IS g.category), g.code"
    );
    let mut stmt = conn.prepare(&sql)?;
    let [from, to] = range(period);
    let rows = stmt.query_map(params![from, to], |r| {
        let code: String = r.get(0)?;
        Ok(StockLine {
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            unit: r.get(2)?,
            opening: Qty(r.get(3)?),
            donated: Qty(r.get(4)?),
            purchased: Qty(r.get(5)?),
            issued: Qty(r.get(6)?),
            written_off: Qty(r.get(7)?),
            corrected: Qty(r.get(8)?),
            closing: Qty(r.get(9)?),
        })
    })?;
    let lines: Vec<StockLine> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(lines.into_iter().filter(|l| !l.is_idle()).collect())
}

/// Opening stock recorded in the period, by goods code.
fn opening_stock(conn: &Connection, period: NoticePeriod) -> Result<Vec<OpeningStockLine>> {
    let mut stmt = conn.prepare(
        "SELECT g.name, g.unit, m.qty, o.source FROM opening_stock o
         JOIN stock_movement m ON m.id = o.movement_id JOIN goods g ON g.code = o.goods_code
         WHERE substr(m.created_at, 1, 10) >= ?1 AND substr(m.created_at, 1, 10) < ?2
         ORDER BY o.goods_code",
    )?;
    let [from, to] = range(period);
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(OpeningStockLine {
            goods: r.get(0)?,
            unit: r.get(1)?,
            qty: Qty(r.get(2)?),
            source: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn donations(conn: &Connection, period: NoticePeriod) -> Result<Vec<DonationLine>> {
    let mut stmt = conn.prepare(
        "SELECT d.received_on, d.donor, g.name, g.unit, m.qty
         FROM donation d JOIN stock_movement m ON m.donation_id = d.id AND m.kind = 'donation'
         JOIN goods g ON g.code = m.goods_code
         WHERE d.received_on >= ?1 AND d.received_on < ?2 ORDER BY d.received_on, d.id, m.id",
    )?;
    let [from, to] = range(period);
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(DonationLine {
            received_on: stored_day(&r.get::<_, String>(0)?)?,
            donor: r.get(1)?,
            goods: r.get(2)?,
            unit: r.get(3)?,
            qty: Qty(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn purchases(conn: &Connection, period: NoticePeriod) -> Result<Vec<PurchaseRecord>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.received_on, p.supplier, p.invoice_no, p.amount_cents, g.name, m.qty, g.unit
         FROM purchase p JOIN stock_movement m ON m.purchase_id = p.id AND m.kind = 'purchase'
         JOIN goods g ON g.code = m.goods_code
         WHERE p.received_on >= ?1 AND p.received_on < ?2 ORDER BY p.received_on, p.id, m.id",
    )?;
    let [from, to] = range(period);
    let mut by_id: BTreeMap<(String, i64), PurchaseRecord> = BTreeMap::new();
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let (id, day): (i64, String) = (r.get(0)?, r.get(1)?);
        let line = format!(
            "{} {}{}",
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?
        );
        let record = match by_id.entry((day.clone(), id)) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(PurchaseRecord {
                received_on: stored_day(&day)?,
                supplier: r.get(2)?,
                invoice_no: r.get(3)?,
                amount: AmountCents(r.get(4)?),
                goods: Vec::new(),
            }),
        };
        record.goods.push(line);
    }
    Ok(by_id.into_values().collect())
}

/// (redemptions, points, households served) of the period, voided redemptions left out.
fn redeemed(conn: &Connection, period: NoticePeriod) -> Result<(i64, Points, i64)> {
    let (from, to) = period.time_range();
    Ok(conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(r.total_points), 0), COUNT(DISTINCT r.household_id)
         FROM redemption r WHERE r.created_at >= ?1 AND r.created_at < ?2
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)",
        params![
            crate::store::format_time(from),
            crate::store::format_time(to)
        ],
        |r| Ok((r.get(0)?, Points(r.get(1)?), r.get(2)?)),
    )?)
}

/// The chain heads at the end of the period, or later when entries recorded after it count
/// in it (paper records entered late): the fingerprint then covers every figure printed. Never
/// later than `now`.
fn fingerprint(conn: &Connection, period: NoticePeriod, now: NaiveDateTime) -> Result<Fingerprint> {
    let end = period
        .last_day()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("a valid time"));
    let end_day = period.end().to_string();
    let latest = |sql: String| -> Result<Option<NaiveDateTime>> {
        Ok(stored_time(
            conn.query_row(&sql, [&end_day], |r| r.get(0))?,
        )?)
    };
    let stock_latest = latest(format!(
        "{MOVEMENTS} SELECT MAX(created_at) FROM m WHERE day < ?1"
    ))?;
    let points_latest = latest(format!(
        "{POINT_ENTRIES} SELECT MAX(created_at) FROM e WHERE day < ?1"
    ))?;
    let cut = [Some(end), stock_latest, points_latest]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(end)
        .min(now);
    Ok(Fingerprint {
        as_of: cut,
        points: chain_head(conn, "point_entry", cut)?,
        stock: chain_head(conn, "stock_movement", cut)?,
    })
}

/// Each household's points balance at the end of the period, by the same business days.
pub(crate) fn balances_at_end(
    conn: &Connection,
    period: NoticePeriod,
) -> Result<BTreeMap<i64, Points>> {
    let sql = format!(
        "{POINT_ENTRIES} SELECT household_id, SUM(amount) FROM e WHERE day < ?1 GROUP BY household_id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([period.end().to_string()], |r| {
        Ok((r.get(0)?, Points(r.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
