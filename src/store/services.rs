//! Services (积分换服务) and their vouchers.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::receipt::Voucher;
use crate::core::session::ServiceIssued;
use crate::core::{GoodsCode, Points, Qty, StaffId};

pub use crate::core::goods::ServiceInfo;

pub const DEFAULT_VALIDITY_DAYS: i64 = 30;

pub fn insert(conn: &Connection, code: &GoodsCode, info: &ServiceInfo) -> Result<()> {
    conn.prepare_cached("INSERT INTO service (goods_code, provider_name, provider_contact, capacity_per_day, validity_days)
         VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![
            code.as_str(),
            info.provider_name,
            info.provider_contact,
            info.capacity_per_day.map(|q| q.0),
            info.validity_days,
        ],
    )?;
    Ok(())
}

pub fn find(conn: &Connection, code: &GoodsCode) -> Result<Option<ServiceInfo>> {
    Ok(conn
        .prepare_cached(
            "SELECT provider_name, provider_contact, capacity_per_day, validity_days FROM service
             WHERE goods_code = ?1",
        )?
        .query_row([code.as_str()], |r| {
            Ok(ServiceInfo {
                provider_name: r.get(0)?,
                provider_contact: r.get(1)?,
                capacity_per_day: r.get::<_, Option<i64>>(2)?.map(Qty),
                validity_days: r.get(3)?,
            })
        })
        .optional()?)
}

/// Every service by goods code: what the counter grid and the price list show as 服务.
pub fn all(conn: &Connection) -> Result<Vec<(GoodsCode, ServiceInfo)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT goods_code, provider_name, provider_contact, capacity_per_day, validity_days
         FROM service ORDER BY goods_code",
    )?;
    let rows = stmt.query_map([], |r| {
        let code: String = r.get(0)?;
        Ok((
            parse_stored(&code, |s| s.parse().ok())?,
            ServiceInfo {
                provider_name: r.get(1)?,
                provider_contact: r.get(2)?,
                capacity_per_day: r.get::<_, Option<i64>>(3)?.map(Qty),
                validity_days: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Vouchers of a service issued on `day` and not cancelled: what counts against its capacity.
pub fn issued_on(conn: &Connection, code: &GoodsCode, day: NaiveDate) -> Result<Qty> {
    let from = format!("{day} 00:00:00");
    let to = format!("{} 00:00:00", day.succ_opt().unwrap_or(day));
    let n: i64 = conn.prepare_cached("SELECT COUNT(*) FROM voucher WHERE goods_code = ?1 AND issued_at >= ?2 AND issued_at < ?3
           AND cancelled_at IS NULL")?.query_row(params![code.as_str(), from, to],
        |r| r.get(0),
    )?;
    Ok(Qty(n))
}

pub struct NewVoucher<'a> {
    pub voucher_no: &'a str,
    pub household_id: i64,
    pub redemption_id: i64,
    pub code: &'a GoodsCode,
    pub unit_points: i64,
    pub issued_at: NaiveDateTime,
    pub valid_until: NaiveDate,
}

pub fn insert_voucher(conn: &Connection, v: &NewVoucher<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO voucher (voucher_no, household_id, redemption_id, goods_code, unit_points,
            issued_at, valid_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        v.voucher_no,
        v.household_id,
        v.redemption_id,
        v.code.as_str(),
        v.unit_points,
        format_time(v.issued_at),
        v.valid_until.to_string(),
    ])?;
    Ok(())
}

/// A stored voucher with what its use or cancellation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVoucher {
    pub id: i64,
    pub household_id: i64,
    pub redemption_id: i64,
    pub voucher: Voucher,
}

const SELECT: &str = "SELECT v.id, v.household_id, v.redemption_id, v.voucher_no, v.goods_code,
        g.name, s.provider_name, v.unit_points, v.issued_at, v.valid_until, v.used_at, v.used_by,
        v.cancelled_at
     FROM voucher v JOIN goods g ON g.code = v.goods_code JOIN service s ON s.goods_code = v.goods_code";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredVoucher> {
    let code: String = r.get(4)?;
    let valid_until: String = r.get(9)?;
    let time = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
        r.get::<_, Option<String>>(i)?
            .map(|t| parse_time(&t))
            .transpose()
    };
    Ok(StoredVoucher {
        id: r.get(0)?,
        household_id: r.get(1)?,
        redemption_id: r.get(2)?,
        voucher: Voucher {
            voucher_no: r.get(3)?,
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(5)?,
            provider: r.get(6)?,
            unit_points: Points(r.get(7)?),
            issued_at: parse_time(&r.get::<_, String>(8)?)?,
            valid_until: parse_stored(&valid_until, |s| s.parse().ok())?,
            used_at: time(10)?,
            used_by: r.get(11)?,
            cancelled_at: time(12)?,
        },
    })
}

pub fn find_voucher(conn: &Connection, voucher_no: &str) -> Result<Option<StoredVoucher>> {
    let sql = format!("{SELECT} WHERE v.voucher_no = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([voucher_no.trim()], from_row)
        .optional()?)
}

pub fn vouchers_of(conn: &Connection, redemption_id: i64) -> Result<Vec<StoredVoucher>> {
    let sql = format!("{SELECT} WHERE v.redemption_id = ?1 ORDER BY v.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([redemption_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn mark_used(conn: &Connection, id: i64, by: &str, now: NaiveDateTime) -> Result<()> {
    conn.prepare_cached(
        "UPDATE voucher SET used_at = ?2, used_by = ?3 WHERE id = ?1 AND used_at IS NULL
           AND cancelled_at IS NULL",
    )?
    .execute(params![id, format_time(now), by])?;
    Ok(())
}

pub fn mark_cancelled(
    conn: &Connection,
    id: i64,
    staff: StaffId,
    reason: &str,
    reversal_entry_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE voucher SET cancelled_at = ?2, cancelled_by = ?3, cancel_reason = ?4,
            reversal_entry_id = ?5 WHERE id = ?1 AND used_at IS NULL AND cancelled_at IS NULL",
    )?
    .execute(params![
        id,
        format_time(now),
        staff.0,
        reason,
        reversal_entry_id
    ])?;
    Ok(())
}

/// Services issued in a redemption day (vouchers of its redemptions not voided), per service
/// and provider: count and points.
pub fn issued_in_session(conn: &Connection, session_id: i64) -> Result<Vec<ServiceIssued>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.goods_code, MAX(l.name), MAX(s.provider_name), SUM(l.qty), SUM(l.line_points)
         FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         JOIN service s ON s.goods_code = l.goods_code
         WHERE r.session_id = ?1
           AND NOT EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id)
         GROUP BY l.goods_code ORDER BY l.goods_code",
    )?;
    let rows = stmt.query_map([session_id], |r| {
        let code: String = r.get(0)?;
        Ok(ServiceIssued {
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            provider: r.get(2)?,
            qty: Qty(r.get(3)?),
            points: Points(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
