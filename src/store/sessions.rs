//! Redemption-day sessions and the figures of their closing report.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::session::{GoodsIssued, Session, StaffTotal, VoidLine};
use crate::core::{Points, Qty, StaffId};

pub fn open(
    conn: &Connection,
    day: NaiveDate,
    by: StaffId,
    on_duty: &[String],
    groups: &[String],
    off_calendar_reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.prepare_cached("INSERT INTO redemption_session (day, opened_at, opened_by, staff_on_duty, groups_served, off_calendar_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![day.to_string(), format_time(now), by.0, on_duty.join("、"), groups.join("、"), off_calendar_reason],
    )?;
    Ok(conn.last_insert_rowid())
}

fn split(text: String) -> Vec<String> {
    text.split('、')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

const SELECT: &str =
    "SELECT s.id, s.day, s.opened_at, st.name, s.staff_on_duty, s.groups_served, s.closed_at,
            s.off_calendar_reason
    FROM redemption_session s JOIN staff st ON st.id = s.opened_by";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Session> {
    let day: String = r.get(1)?;
    Ok(Session {
        id: r.get(0)?,
        day: parse_stored(&day, |d| d.parse().ok())?,
        opened_at: parse_time(&r.get::<_, String>(2)?)?,
        opened_by: r.get(3)?,
        staff_on_duty: split(r.get(4)?),
        groups_served: split(r.get(5)?),
        closed_at: r
            .get::<_, Option<String>>(6)?
            .map(|t| parse_time(&t))
            .transpose()?,
        off_calendar_reason: r.get(7)?,
    })
}

pub fn current(conn: &Connection) -> Result<Option<Session>> {
    let sql = format!("{SELECT} WHERE s.closed_at IS NULL");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([], from_row)
        .optional()?)
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<Session>> {
    let sql = format!("{SELECT} WHERE s.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn close(
    conn: &Connection,
    id: i64,
    by: StaffId,
    report_json: &str,
    now: NaiveDateTime,
) -> Result<()> {
    conn.prepare_cached("UPDATE redemption_session SET closed_at = ?2, closed_by = ?3, report = ?4 WHERE id = ?1 AND closed_at IS NULL")?.execute(params![id, format_time(now), by.0, report_json],
    )?;
    Ok(())
}

/// (households served, redemptions, points) of a session's redemptions that were not voided.
pub fn totals(conn: &Connection, id: i64) -> Result<(i64, i64, Points)> {
    Ok(conn.prepare_cached("SELECT COUNT(DISTINCT r.household_id), COUNT(*), COALESCE(SUM(r.total_points), 0) FROM redemption r
         WHERE r.session_id = ?1 AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)")?.query_row([id],
        |r| Ok((r.get(0)?, r.get(1)?, Points(r.get(2)?))),
    )?)
}

/// Goods issued in a session (voids excluded), with each good's stock at the moment of asking.
pub fn goods_issued(conn: &Connection, id: i64) -> Result<Vec<GoodsIssued>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.goods_code, MAX(l.name), SUM(l.qty), SUM(l.line_points),
                COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = l.goods_code ORDER BY m.id DESC LIMIT 1), 0)
         FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         WHERE r.session_id = ?1 AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM service s WHERE s.goods_code = l.goods_code)
         GROUP BY l.goods_code ORDER BY l.goods_code",
    )?;
    let rows = stmt.query_map([id], |r| {
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

pub fn voids(conn: &Connection, id: i64) -> Result<Vec<VoidLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.receipt_no, r.total_points, v.reason, s.name FROM redemption r
         JOIN redemption_void v ON v.redemption_id = r.id JOIN staff s ON s.id = v.staff_id
         WHERE r.session_id = ?1 ORDER BY r.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(VoidLine {
            receipt_no: r.get(0)?,
            points: Points(r.get(1)?),
            reason: r.get(2)?,
            voided_by: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn per_staff(conn: &Connection, id: i64) -> Result<Vec<StaffTotal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.name, COUNT(*), SUM(r.total_points) FROM redemption r JOIN staff s ON s.id = r.staff_id
         WHERE r.session_id = ?1 AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
         GROUP BY r.staff_id ORDER BY r.staff_id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(StaffTotal {
            name: r.get(0)?,
            redemptions: r.get(1)?,
            points: Points(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
