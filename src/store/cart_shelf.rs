//! The goods of one cart as they stand, read in one statement (issue 23): each good with its
//! price on the day, its stock on hand, its service terms and vouchers issued that day, and how
//! many the household has already taken in the month. The same figures as `goods::find`,
//! `goods::price_on`, `ledger::on_hand`, `services::find`, `services::issued_on` and
//! `redemptions::taken_in_month`, which a redemption used to read one good at a time.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use super::services::ServiceInfo;
use crate::core::goods::Goods;
use crate::core::{GoodsCode, Period, Points, Qty};

/// One good of the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartGoods {
    pub goods: Goods,
    pub price_points: Option<Points>,
    pub on_hand: Qty,
    /// Set for a service (积分换服务), with the vouchers it issued on the day.
    pub service: Option<(ServiceInfo, Qty)>,
    /// Taken by the household in the month, voided redemptions excluded.
    pub taken_this_month: Qty,
}

const SQL: &str = "
SELECT g.code, g.barcode, g.name, g.unit, g.category, g.monthly_limit, g.retired,
    (SELECT p.price_points FROM price p WHERE p.goods_code = g.code AND p.effective_from <= ?2
      ORDER BY p.effective_from DESC, p.id DESC LIMIT 1),
    COALESCE((SELECT m.stock_after FROM stock_movement m WHERE m.goods_code = g.code
      ORDER BY m.id DESC LIMIT 1), 0),
    s.goods_code, s.provider_name, s.provider_contact, s.capacity_per_day, s.validity_days,
    CASE WHEN s.capacity_per_day IS NULL THEN 0 ELSE
      (SELECT COUNT(*) FROM voucher v WHERE v.goods_code = g.code AND v.issued_at >= ?3
         AND v.issued_at < ?4 AND v.cancelled_at IS NULL) END,
    (SELECT COALESCE(SUM(l.qty), 0) FROM redemption r
       JOIN redemption_line l ON l.redemption_id = r.id
      WHERE r.household_id = ?5 AND l.goods_code = g.code
        AND r.created_at >= ?6 AND r.created_at < ?7
        AND NOT EXISTS (SELECT 1 FROM redemption_void x WHERE x.redemption_id = r.id))
FROM goods g LEFT JOIN service s ON s.goods_code = g.code
WHERE g.code IN (SELECT value FROM json_each(?1))";

/// The goods among `codes` that exist (an unknown code is simply absent), for `household_id`
/// on `day`.
pub fn cart_shelf(
    conn: &Connection,
    codes: &[&GoodsCode],
    household_id: i64,
    day: NaiveDate,
) -> Result<Vec<CartGoods>> {
    let wanted = serde_json::to_string(&codes.iter().map(|c| c.as_str()).collect::<Vec<_>>())
        .map_err(|e| super::StoreError::Invariant(e.to_string()))?;
    let next_day = day.succ_opt().unwrap_or(day);
    let period = Period::of(day);
    let mut stmt = conn.prepare_cached(SQL)?;
    let rows = stmt.query_map(
        rusqlite::params![
            wanted,
            day.to_string(),
            format!("{day} 00:00:00"),
            format!("{next_day} 00:00:00"),
            household_id,
            format!("{} 00:00:00", period.first_day()),
            format!("{} 00:00:00", period.next().first_day()),
        ],
        |r| {
            let service = match r.get::<_, Option<String>>(9)? {
                Some(_) => Some((
                    ServiceInfo {
                        provider_name: r.get(10)?,
                        provider_contact: r.get(11)?,
                        capacity_per_day: r.get::<_, Option<i64>>(12)?.map(Qty),
                        validity_days: r.get(13)?,
                    },
                    Qty(r.get(14)?),
                )),
                None => None,
            };
            Ok(CartGoods {
                goods: super::goods::from_row(r)?,
                price_points: r.get::<_, Option<i64>>(7)?.map(Points),
                on_hand: Qty(r.get(8)?),
                service,
                taken_this_month: Qty(r.get(15)?),
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
