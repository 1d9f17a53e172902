//! Goods and their versioned point prices.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored};
use crate::core::goods::{Goods, GoodsOnShelf};
use crate::core::{GoodsCode, Points, Qty, StaffId};

pub fn insert(conn: &Connection, goods: &Goods, now: NaiveDateTime) -> Result<()> {
    conn.prepare_cached("INSERT INTO goods (code, barcode, name, unit, category, monthly_limit, retired, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(params![
            goods.code.as_str(),
            goods.barcode,
            goods.name,
            goods.unit,
            goods.category,
            goods.monthly_limit.map(|q| q.0),
            goods.retired,
            format_time(now),
        ],
    )?;
    Ok(())
}

pub struct NewPrice<'a> {
    pub goods: &'a GoodsCode,
    pub price_points: Points,
    pub effective_from: NaiveDate,
    pub set_by: StaffId,
    pub approved_by: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_price(conn: &Connection, price: &NewPrice<'_>) -> Result<()> {
    conn.prepare_cached("INSERT INTO price (goods_code, price_points, effective_from, set_by, approved_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![
            price.goods.as_str(),
            price.price_points.0,
            price.effective_from.to_string(),
            price.set_by.0,
            price.approved_by,
            format_time(price.created_at),
        ],
    )?;
    Ok(())
}

/// The price in force on `day`: the latest version effective on or before it.
pub fn price_on(conn: &Connection, goods: &GoodsCode, day: NaiveDate) -> Result<Option<Points>> {
    Ok(conn
        .prepare_cached(
            "SELECT price_points FROM price WHERE goods_code = ?1 AND effective_from <= ?2
             ORDER BY effective_from DESC, id DESC LIMIT 1",
        )?
        .query_row(params![goods.as_str(), day.to_string()], |r| r.get(0))
        .optional()?
        .map(Points))
}

const SELECT: &str =
    "SELECT code, barcode, name, unit, category, monthly_limit, retired FROM goods";

pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Goods> {
    let code: String = r.get(0)?;
    Ok(Goods {
        code: parse_stored(&code, |s| s.parse().ok())?,
        barcode: r.get(1)?,
        name: r.get(2)?,
        unit: r.get(3)?,
        category: r.get(4)?,
        monthly_limit: r.get::<_, Option<i64>>(5)?.map(Qty),
        retired: r.get(6)?,
    })
}

pub fn find(conn: &Connection, code: &GoodsCode) -> Result<Option<Goods>> {
    let sql = format!("{SELECT} WHERE code = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([code.as_str()], from_row)
        .optional()?)
}

/// Finds a good by what staff typed or scanned: its code or its barcode.
pub fn find_by_code_or_barcode(conn: &Connection, text: &str) -> Result<Option<Goods>> {
    let sql = format!("{SELECT} WHERE code = ?1 OR barcode = ?1 ORDER BY code = ?1 DESC LIMIT 1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([text.trim()], from_row)
        .optional()?)
}

/// Every good with its price on `day` and its stock on hand, ordered by category and code.
pub fn shelf(conn: &Connection, day: NaiveDate) -> Result<Vec<GoodsOnShelf>> {
    let sql = "SELECT g.code, g.barcode, g.name, g.unit, g.category, g.monthly_limit, g.retired,
            (SELECT price_points FROM price p WHERE p.goods_code = g.code AND p.effective_from <= ?1
              ORDER BY p.effective_from DESC, p.id DESC LIMIT 1),
            COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = g.code
              ORDER BY m.id DESC LIMIT 1), 0),
            s.provider_name, s.provider_contact, s.capacity_per_day, s.validity_days
         FROM goods g LEFT JOIN service s ON s.goods_code = g.code ORDER BY g.category, g.code";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([day.to_string()], |r| {
        Ok(GoodsOnShelf {
            goods: from_row(r)?,
            price_points: r.get::<_, Option<i64>>(7)?.map(Points),
            on_hand: Qty(r.get(8)?),
            service: match r.get::<_, Option<String>>(9)? {
                Some(provider_name) => Some(crate::core::goods::ServiceInfo {
                    provider_name,
                    provider_contact: r.get(10)?,
                    capacity_per_day: r.get::<_, Option<i64>>(11)?.map(Qty),
                    validity_days: r.get(12)?,
                }),
                None => None,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
