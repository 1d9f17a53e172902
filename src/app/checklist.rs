//! The first-start checklist on the manager's home screen: what a new store still has to do
//! before its first redemption day, each item read from the store itself (never a flag the
//! clerk ticks), so it is ticked the moment the work is done, whichever door it came through.

use serde::Serialize;

use super::Result;
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Step {
    /// 导入农户
    Households,
    /// 导入商品
    Goods,
    /// 录入期初库存
    OpeningStock,
    /// 设置小票打印机
    Printer,
    /// 发放积分卡
    Cards,
    /// 设置村规
    Rules,
    /// 排兑换日
    Calendar,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Households,
        Step::Goods,
        Step::OpeningStock,
        Step::Printer,
        Step::Cards,
        Step::Rules,
        Step::Calendar,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Step::Households => "households",
            Step::Goods => "goods",
            Step::OpeningStock => "opening_stock",
            Step::Printer => "printer",
            Step::Cards => "cards",
            Step::Rules => "rules",
            Step::Calendar => "calendar",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub done: Vec<Step>,
}

impl Checklist {
    pub fn is_done(&self, step: Step) -> bool {
        self.done.contains(&step)
    }

    pub fn complete(&self) -> bool {
        Step::ALL.iter().all(|s| self.is_done(*s))
    }
}

fn count(tx: &rusqlite::Connection, sql: &str) -> Result<i64> {
    Ok(tx.query_row(sql, [], |r| r.get(0))?)
}

pub fn checklist(db: &mut Db) -> Result<Checklist> {
    db.read(|tx| {
        let households = count(tx, "SELECT COUNT(*) FROM household WHERE status = 'active'")?;
        let without_card = count(
            tx,
            "SELECT COUNT(*) FROM household h WHERE h.status = 'active' AND NOT EXISTS
               (SELECT 1 FROM card c WHERE c.household_id = h.id AND c.replaced_at IS NULL AND c.revoked_at IS NULL)",
        )?;
        let villages = count(tx, "SELECT COUNT(*) FROM village")?;
        let villages_with_rules =
            count(tx, "SELECT COUNT(DISTINCT village_id) FROM village_policy")?;
        let printer: Option<String> = crate::store::settings::get(tx, super::settings::PRINTER_URI)?;
        // 不用打印机 chosen on purpose is a decision made, as much as a printer is.
        let no_receipts = crate::store::settings::get(tx, super::settings::RECEIPT_NOT_PRINTED)?
            .is_some_and(|v| v == "1");
        // A calendar is needed only where the rules say "only on a redemption day".
        let mut calendar_needed = false;
        let mut stmt = tx.prepare(
            "SELECT v.id, EXISTS (SELECT 1 FROM redemption_day d WHERE d.village_id = v.id) FROM village v",
        )?;
        let villages_days: Vec<(i64, bool)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (id, has_days) in villages_days {
            let rules = super::rules::policy_for_village(tx, id)?;
            calendar_needed |= rules.redemption.only_on_redemption_day && !has_days;
        }
        let mut done = Vec::new();
        let mut tick = |step, yes: bool| {
            if yes {
                done.push(step)
            }
        };
        tick(Step::Households, households > 0);
        tick(Step::Goods, count(tx, "SELECT COUNT(*) FROM goods")? > 0);
        tick(Step::OpeningStock, count(tx, "SELECT COUNT(*) FROM stock_movement")? > 0);
        tick(
            Step::Printer,
            no_receipts || printer.is_some_and(|p| p.trim() != "none" && !p.trim().is_empty()),
        );
        tick(Step::Cards, households > 0 && without_card == 0);
        tick(Step::Rules, villages > 0 && villages_with_rules >= villages);
        tick(Step::Calendar, villages_with_rules >= villages && villages > 0 && !calendar_needed);
        Ok(Checklist { done })
    })
}
