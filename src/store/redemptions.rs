//! Redemptions, their lines, receipt numbers and voids.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::receipt::{Receipt, VoidInfo};
use crate::core::redemption::{Plan, PlannedLine, Via};
use crate::core::{GoodsCode, Period, Points, Qty, ReceiptNo, StaffId};

/// Takes the next receipt number of `year`. Called inside the redemption's transaction, so a
/// redemption that is refused or rolled back gives its number back.
pub fn next_receipt_no(conn: &Connection, year: i32) -> Result<ReceiptNo> {
    let seq: i64 = conn
        .prepare_cached(
            "INSERT INTO receipt_counter (year, last_seq) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1
             RETURNING last_seq",
        )?
        .query_row([year], |r| r.get(0))?;
    Ok(ReceiptNo { year, seq })
}

pub struct NewRedemption<'a> {
    pub receipt_no: ReceiptNo,
    pub household_id: i64,
    pub staff: StaffId,
    pub key: Option<&'a str>,
    pub fingerprint: &'a str,
    pub via: &'a Via,
    pub plan: &'a Plan,
    /// The redemption day open at the time, if any.
    pub session_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &Connection, new: &NewRedemption<'_>) -> Result<i64> {
    let (via, reason) = match new.via {
        Via::Card => ("card", None),
        Via::Manual { reason } => ("manual", Some(reason.as_str())),
    };
    conn.prepare_cached("INSERT INTO redemption (receipt_no, year, seq, household_id, staff_id, idempotency_key,
            request_fingerprint, via, manual_reason, total_points, balance_before, balance_after, created_at, session_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")?.execute(params![
            new.receipt_no.to_string(),
            new.receipt_no.year,
            new.receipt_no.seq,
            new.household_id,
            new.staff.0,
            new.key,
            new.fingerprint,
            via,
            reason,
            new.plan.total_points.0,
            new.plan.balance_before.0,
            new.plan.balance_after.0,
            format_time(new.created_at),
            new.session_id,
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (i, line) in new.plan.lines.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO redemption_line (redemption_id, line_no, goods_code, name, unit, qty,
                unit_price_points, line_points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            i as i64 + 1,
            line.code.as_str(),
            line.name,
            line.unit,
            line.qty.0,
            line.unit_price_points.0,
            line.line_points.0,
        ])?;
    }
    Ok(id)
}

/// The redemption a key was first used for: its id and the fingerprint of its request.
pub fn find_by_key(conn: &Connection, key: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, request_fingerprint FROM redemption WHERE idempotency_key = ?1",
        )?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn find_id(conn: &Connection, receipt_no: &ReceiptNo) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM redemption WHERE receipt_no = ?1")?
        .query_row([receipt_no.to_string()], |r| r.get(0))
        .optional()?)
}

/// How many of a good a household has taken in a month, not counting voided redemptions.
pub fn taken_in_month(
    conn: &Connection,
    household_id: i64,
    goods: &GoodsCode,
    period: Period,
) -> Result<Qty> {
    let from = format!("{} 00:00:00", period.first_day());
    let to = format!("{} 00:00:00", period.next().first_day());
    let taken: i64 = conn.prepare_cached("SELECT COALESCE(SUM(l.qty), 0) FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         WHERE r.household_id = ?1 AND l.goods_code = ?2 AND r.created_at >= ?3 AND r.created_at < ?4
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)")?.query_row(params![household_id, goods.as_str(), from, to],
        |r| r.get(0),
    )?;
    Ok(Qty(taken))
}

pub fn insert_void(
    conn: &Connection,
    redemption_id: i64,
    reason: &str,
    staff: StaffId,
    now: NaiveDateTime,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO redemption_void (redemption_id, reason, staff_id, created_at) VALUES (?1, ?2, ?3, ?4)")?.execute(params![redemption_id, reason, staff.0, format_time(now)],
    )?;
    Ok(())
}

/// The names a receipt prints: the staff member's and the store's.
pub fn staff_and_store_names(conn: &Connection, staff: StaffId) -> Result<(String, String)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT name FROM staff WHERE id = ?1), (SELECT name FROM store WHERE id = 1)",
        )?
        .query_row([staff.0], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        })?)
}

/// Rebuilds the receipt of a stored redemption.
pub fn load_receipt(conn: &Connection, redemption_id: i64) -> Result<Receipt> {
    let mut receipt = conn.prepare_cached("SELECT r.receipt_no, r.created_at, s.name, r.staff_id, h.number, h.head_name, v.name, g.name,
                r.total_points, r.balance_before, r.balance_after, r.via, r.manual_reason, st.name
         FROM redemption r
         JOIN household h ON h.id = r.household_id
         JOIN village_group g ON g.id = h.group_id
         JOIN village v ON v.id = g.village_id
         JOIN staff s ON s.id = r.staff_id
         JOIN store st ON st.id = 1
         WHERE r.id = ?1")?.query_row([redemption_id],
        |r| {
            let receipt_no: String = r.get(0)?;
            let household: String = r.get(4)?;
            let via: String = r.get(11)?;
            Ok(Receipt {
                receipt_no: parse_stored(&receipt_no, |s| s.parse().ok())?,
                created_at: parse_time(&r.get::<_, String>(1)?)?,
                staff_name: r.get(2)?,
                staff: StaffId(r.get(3)?),
                household: parse_stored(&household, |s| s.parse().ok())?,
                head_name: r.get(5)?,
                village: r.get(6)?,
                group: r.get(7)?,
                lines: Vec::new(),
                total_points: Points(r.get(8)?),
                balance_before: Points(r.get(9)?),
                balance_after: Points(r.get(10)?),
                via: if via == "manual" {
                    Via::Manual { reason: r.get::<_, Option<String>>(12)?.unwrap_or_default() }
                } else {
                    Via::Card
                },
                store_name: r.get(13)?,
                void: None,
                vouchers: Vec::new(),
                witness: None,
            })
        },
    )?;
    receipt.lines = lines_of(conn, redemption_id)?;
    receipt.witness = super::witness::for_redemption(conn, redemption_id)?;
    receipt.vouchers = super::services::vouchers_of(conn, redemption_id)?
        .into_iter()
        .map(|v| v.voucher)
        .collect();
    receipt.void = conn
        .prepare_cached("SELECT v.reason, s.name, v.created_at FROM redemption_void v JOIN staff s ON s.id = v.staff_id
             WHERE v.redemption_id = ?1")?.query_row([redemption_id],
            |r| {
                Ok(VoidInfo {
                    reason: r.get(0)?,
                    staff_name: r.get(1)?,
                    voided_at: parse_time(&r.get::<_, String>(2)?)?,
                })
            },
        )
        .optional()?;
    Ok(receipt)
}

pub fn lines_of(conn: &Connection, redemption_id: i64) -> Result<Vec<PlannedLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT goods_code, name, unit, qty, unit_price_points, line_points FROM redemption_line
         WHERE redemption_id = ?1 ORDER BY line_no",
    )?;
    let rows = stmt.query_map([redemption_id], |r| {
        let code: String = r.get(0)?;
        Ok(PlannedLine {
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            unit: r.get(2)?,
            qty: Qty(r.get(3)?),
            unit_price_points: Points(r.get(4)?),
            line_points: Points(r.get(5)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everything a household has taken in a month per good (voided redemptions excluded).
pub fn taken_in_month_by_goods(
    conn: &Connection,
    household_id: i64,
    period: Period,
) -> Result<Vec<(GoodsCode, String, Qty)>> {
    let from = format!("{} 00:00:00", period.first_day());
    let to = format!("{} 00:00:00", period.next().first_day());
    let mut stmt = conn.prepare_cached(
        "SELECT l.goods_code, MAX(l.name), SUM(l.qty) FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         WHERE r.household_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
         GROUP BY l.goods_code ORDER BY l.goods_code",
    )?;
    let rows = stmt.query_map(params![household_id, from, to], |r| {
        let code: String = r.get(0)?;
        Ok((
            parse_stored(&code, |s| s.parse().ok())?,
            r.get(1)?,
            Qty(r.get(2)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Receipts of one day, newest first (the counter's "today" list, voids included).
pub fn ids_on_day(conn: &Connection, day: chrono::NaiveDate) -> Result<Vec<i64>> {
    let from = format!("{day} 00:00:00");
    let to = format!("{} 00:00:00", day.succ_opt().unwrap_or(day));
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM redemption WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![from, to], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
