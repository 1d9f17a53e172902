//! Stocktakes (盘点): the expected quantities at the start, the counts as entered.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored};
use crate::core::{GoodsCode, Qty, StaffId};

pub fn open_id(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM stocktake WHERE posted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Starts a stocktake, taking every current good's stock on hand as the expected quantity.
pub fn start(conn: &Connection, by: StaffId, now: NaiveDateTime) -> Result<i64> {
    conn.execute(
        "INSERT INTO stocktake (started_at, started_by) VALUES (?1, ?2)",
        params![format_time(now), by.0],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO stocktake_line (stocktake_id, goods_code, expected)
         SELECT ?1, g.code, COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = g.code ORDER BY m.id DESC LIMIT 1), 0)
         FROM goods g WHERE g.retired = 0 AND NOT EXISTS (SELECT 1 FROM service s WHERE s.goods_code = g.code)",
        [id],
    )?;
    Ok(id)
}

/// Records a count; `false` when the good is not on this stocktake's sheet. The expected
/// quantity is taken again at the moment of the count: redemptions made between the start and
/// the count are already missing from the shelf, so comparing with the start would count them
/// twice.
pub fn set_count(conn: &Connection, id: i64, code: &GoodsCode, counted: Qty) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE stocktake_line SET counted = ?3,
            expected = COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = ?2 ORDER BY m.id DESC LIMIT 1), 0)
         WHERE stocktake_id = ?1 AND goods_code = ?2",
        params![id, code.as_str(), counted.0],
    )?;
    Ok(changed == 1)
}

/// One line of a stocktake sheet as stored.
pub struct StoredLine {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub expected: Qty,
    pub counted: Option<Qty>,
}

/// Every line of a stocktake, by code.
pub fn lines(conn: &Connection, id: i64) -> Result<Vec<StoredLine>> {
    let mut stmt = conn.prepare(
        "SELECT l.goods_code, g.name, g.unit, l.expected, l.counted FROM stocktake_line l
         JOIN goods g ON g.code = l.goods_code WHERE l.stocktake_id = ?1 ORDER BY l.goods_code",
    )?;
    let rows = stmt.query_map([id], |r| {
        let code: String = r.get(0)?;
        Ok(StoredLine {
            code: parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            unit: r.get(2)?,
            expected: Qty(r.get(3)?),
            counted: r.get::<_, Option<i64>>(4)?.map(Qty),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn mark_posted(conn: &Connection, id: i64, by: StaffId, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "UPDATE stocktake SET posted_at = ?2, posted_by = ?3 WHERE id = ?1 AND posted_at IS NULL",
        params![id, format_time(now), by.0],
    )?;
    Ok(())
}

/// Deliveries of a good with a best-before date: (best before, quantity received), oldest first.
pub fn dated_deliveries(
    conn: &Connection,
    code: &GoodsCode,
) -> Result<Vec<(chrono::NaiveDate, Qty)>> {
    let mut stmt = conn.prepare(
        "SELECT b.best_before, m.qty FROM stock_movement m JOIN movement_best_before b ON b.movement_id = m.id
         WHERE m.goods_code = ?1 ORDER BY m.id",
    )?;
    let rows = stmt.query_map([code.as_str()], |r| {
        let day: String = r.get(0)?;
        Ok((parse_stored(&day, |d| d.parse().ok())?, Qty(r.get(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everything that came in for a good without a best-before date: positive movements that are
/// not dated deliveries (undated deliveries, returns, upward corrections).
pub fn undated_in(conn: &Connection, code: &GoodsCode) -> Result<Qty> {
    Ok(Qty(conn.query_row(
        "SELECT COALESCE(SUM(m.qty), 0) FROM stock_movement m
         WHERE m.goods_code = ?1 AND m.qty > 0 AND NOT EXISTS (SELECT 1 FROM movement_best_before b WHERE b.movement_id = m.id)",
        [code.as_str()],
        |r| r.get(0),
    )?))
}
