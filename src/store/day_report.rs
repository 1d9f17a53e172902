//! The queries behind a day's closing report: every redemption of one calendar day at the
//! store (by its recorded time), its voids, goods and stock at the end of that day.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{Result, parse_stored, parse_time};
use crate::core::day_report::{DayRedemption, DayVoid};
use crate::core::session::{GoodsIssued, StaffTotal};
use crate::core::{Points, Qty};

/// `[day 00:00:00, next day 00:00:00)` in the ledgers' time format.
fn bounds(day: NaiveDate) -> (String, String) {
    let next = day.succ_opt().unwrap_or(day);
    (format!("{day} 00:00:00"), format!("{next} 00:00:00"))
}

pub fn redemptions(conn: &Connection, day: NaiveDate) -> Result<Vec<DayRedemption>> {
    let (from, to) = bounds(day);
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no, r.created_at, h.number, h.head_name, r.total_points, s.name,
                r.session_id, r.manual_reason,
                EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
         FROM redemption r JOIN household h ON h.id = r.household_id JOIN staff s ON s.id = r.staff_id
         WHERE r.created_at >= ?1 AND r.created_at < ?2 ORDER BY r.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(DayRedemption {
            receipt_no: r.get(0)?,
            at: parse_time(&r.get::<_, String>(1)?)?,
            household: r.get(2)?,
            head_name: r.get(3)?,
            points: Points(r.get(4)?),
            staff: r.get(5)?,
            session_id: r.get(6)?,
            no_card_reason: r.get(7)?,
            voided: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn voids(conn: &Connection, day: NaiveDate) -> Result<Vec<DayVoid>> {
    let (from, to) = bounds(day);
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no, r.total_points, v.reason, s.name, v.created_at FROM redemption r
         JOIN redemption_void v ON v.redemption_id = r.id JOIN staff s ON s.id = v.staff_id
         WHERE r.created_at >= ?1 AND r.created_at < ?2 ORDER BY r.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(DayVoid {
            receipt_no: r.get(0)?,
            points: Points(r.get(1)?),
            reason: r.get(2)?,
            voided_by: r.get(3)?,
            voided_at: parse_time(&r.get::<_, String>(4)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Goods issued that day (voided redemptions and services excluded), each with its stock
/// after the last movement of that day.
pub fn goods(conn: &Connection, day: NaiveDate) -> Result<Vec<GoodsIssued>> {
    let (from, to) = bounds(day);
    let mut stmt = conn.prepare(
        "SELECT l.goods_code, MAX(l.name), SUM(l.qty), SUM(l.line_points),
                COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = l.goods_code
                          AND m.created_at < ?2 ORDER BY m.id DESC LIMIT 1), 0)
         FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         WHERE r.created_at >= ?1 AND r.created_at < ?2
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM service s WHERE s.goods_code = l.goods_code)
         GROUP BY l.goods_code ORDER BY l.goods_code",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        let code: String = r.get(0)?;
        Ok(GoodsIssued {
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            qty: Qty(r.get(2)?),
            points: Points(r.get(3)?),
            on_hand_at_close: Qty(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn per_staff(conn: &Connection, day: NaiveDate) -> Result<Vec<StaffTotal>> {
    let (from, to) = bounds(day);
    let mut stmt = conn.prepare(
        "SELECT s.name, COUNT(*), SUM(r.total_points) FROM redemption r JOIN staff s ON s.id = r.staff_id
         WHERE r.created_at >= ?1 AND r.created_at < ?2
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
         GROUP BY r.staff_id ORDER BY r.staff_id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(StaffTotal {
            name: r.get(0)?,
            redemptions: r.get(1)?,
            points: Points(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids of the sessions whose day is `day`.
pub fn session_ids(conn: &Connection, day: NaiveDate) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM redemption_session WHERE day = ?1 ORDER BY id")?;
    let rows = stmt.query_map([day.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
