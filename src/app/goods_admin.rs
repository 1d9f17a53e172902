//! Keeping the catalogue: adding a good on the spot, retiring one, low-stock thresholds, price
//! history, and what is running low or about to expire.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::params;
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::goods::NewGoods;
use crate::core::lots::{LotOnShelf, expiring, on_shelf};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{GoodsCode, Points, Qty};
use crate::store::{Db, goods, stocktake};

/// How far ahead the counter warns of best-before dates.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// Adds one good with its first price, e.g. a donated item not yet in the catalogue.
pub fn add_goods(db: &mut Db, actor: &Actor, new: &NewGoods, now: NaiveDateTime) -> Result<()> {
    actor.require(Action::ImportGoods)?;
    if new.price_points.0 <= 0 {
        return Err(Refusal::BadPrice.into());
    }
    db.write(|tx| {
        if goods::find(tx, &new.goods.code)?.is_some() {
            return Err(Refusal::GoodsExists(new.goods.code.clone()).into());
        }
        goods::insert(tx, &new.goods, now)?;
        goods::insert_price(tx, &goods::NewPrice {
            goods: &new.goods.code,
            price_points: new.price_points,
            effective_from: now.date(),
            set_by: actor.id,
            approved_by: None,
            created_at: now,
        })?;
        audit(tx, Some(actor.id), "add_goods", json!({ "code": new.goods.code.as_str(), "name": new.goods.name, "price_points": new.price_points.0 }), now)?;
        Ok(())
    })
}

/// Retires a good: it leaves the counter but stays in history and on old receipts.
pub fn retire_goods(
    db: &mut Db,
    actor: &Actor,
    code: &GoodsCode,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::SetPrice)?;
    db.write(|tx| {
        let changed = tx.execute(
            "UPDATE goods SET retired = 1 WHERE code = ?1",
            [code.as_str()],
        )?;
        if changed == 0 {
            return Err(Refusal::UnknownGoods(code.clone()).into());
        }
        audit(
            tx,
            Some(actor.id),
            "retire_goods",
            json!({ "code": code.as_str() }),
            now,
        )?;
        Ok(())
    })
}

/// Sets (or clears) the stock level below which a good is shown as running low.
pub fn set_low_stock(
    db: &mut Db,
    actor: &Actor,
    code: &GoodsCode,
    threshold: Option<Qty>,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::SetPrice)?;
    db.write(|tx| {
        let changed = tx.execute(
            "UPDATE goods SET low_stock_threshold = ?2 WHERE code = ?1",
            params![code.as_str(), threshold.map(|q| q.0)],
        )?;
        if changed == 0 {
            return Err(Refusal::UnknownGoods(code.clone()).into());
        }
        audit(
            tx,
            Some(actor.id),
            "set_low_stock",
            json!({ "code": code.as_str(), "threshold": threshold.map(|q| q.0) }),
            now,
        )?;
        Ok(())
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceVersion {
    pub price_points: Points,
    pub effective_from: String,
    pub set_by: String,
    pub approved_by: Option<String>,
    pub set_at: String,
    /// The committee decision behind it, when recorded (issue 18).
    pub decision: Option<String>,
}

/// Every price a good has had, newest first.
pub fn price_history(db: &mut Db, code: &GoodsCode) -> Result<Vec<PriceVersion>> {
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT p.price_points, p.effective_from, s.name, p.approved_by, p.created_at, p.decision FROM price p
             JOIN staff s ON s.id = p.set_by WHERE p.goods_code = ?1 ORDER BY p.effective_from DESC, p.id DESC",
        )?;
        let rows = stmt.query_map([code.as_str()], |r| {
            Ok(PriceVersion { price_points: Points(r.get(0)?), effective_from: r.get(1)?, set_by: r.get(2)?, approved_by: r.get(3)?, set_at: r.get(4)?, decision: r.get(5)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockWarning {
    pub code: GoodsCode,
    pub name: String,
    pub on_hand: Qty,
    /// Set when below the good's threshold.
    pub low_stock_threshold: Option<Qty>,
    /// Lots on the shelf expiring within the warning window, earliest first.
    pub expiring: Vec<LotOnShelf>,
    /// The lot to hand out next, when the good has dated deliveries.
    pub issue_first: Option<NaiveDate>,
}

/// Goods running low or with lots about to expire, for the counter and the stock screen.
pub fn stock_warnings(db: &mut Db, today: NaiveDate) -> Result<Vec<StockWarning>> {
    let horizon = today + Duration::days(EXPIRY_WARNING_DAYS);
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT g.code, g.name, g.low_stock_threshold,
                    COALESCE((SELECT stock_after FROM stock_movement m WHERE m.goods_code = g.code ORDER BY m.id DESC LIMIT 1), 0)
             FROM goods g WHERE g.retired = 0 ORDER BY g.code",
        )?;
        let rows: Vec<(String, String, Option<i64>, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (code, name, threshold, stock) in rows {
            let code: GoodsCode = crate::store::parse_stored(&code, |s| s.parse().ok())?;
            let lots = on_shelf(&stocktake::dated_deliveries(tx, &code)?, stocktake::undated_in(tx, &code)?, Qty(stock));
            let soon = expiring(&lots, horizon);
            let low = threshold.filter(|t| stock < *t).map(Qty);
            if low.is_some() || !soon.is_empty() {
                let issue_first = lots.first().and_then(|l| l.best_before);
                out.push(StockWarning { code, name, on_hand: Qty(stock), low_stock_threshold: low, expiring: soon, issue_first });
            }
        }
        Ok(out)
    })
}
