//! Applying what the stock and goods screens ask for: purchases, write-offs, the stocktake,
//! goods added on the spot, retirement, thresholds and price history.

use rust_i18n::t;

use super::{Action, JifenApp, widgets};
use crate::app::{self, Actor};
use crate::core::goods::{Goods, NewGoods};
use crate::core::redemption::CartLine;
use crate::core::{AmountCents, GoodsCode, Points, Qty};

type Outcome = Result<Option<String>, String>;

fn code(text: &str) -> Result<GoodsCode, String> {
    text.trim()
        .parse()
        .map_err(|_| t!("ui.counter.unknown_code", code = text.trim()).to_string())
}

fn counts(entries: &[(String, String)]) -> Result<Vec<(GoodsCode, Qty)>, String> {
    entries
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(c, v)| {
            let qty = crate::core::parse_whole_number(v)
                .map_err(|_| t!("ui.stocktake.bad_count", code = c, value = v).to_string())?;
            Ok((code(c)?, Qty(qty)))
        })
        .collect()
}

impl JifenApp {
    pub(super) fn load_stock(&mut self) -> app::Result<()> {
        let today = self.now().date();
        self.counter.shelf = app::queries::stock(&mut self.db, None, today)?;
        self.stock.warnings = app::goods_admin::stock_warnings(&mut self.db, today)?;
        Ok(())
    }

    pub(super) fn apply_stock(&mut self, action: Action, actor: &Actor) -> Outcome {
        let now = self.now();
        let db = &mut self.db;
        let e = |e: app::Error| e.to_string();
        match action {
            Action::ReceivePurchase {
                supplier,
                invoice,
                amount,
                lines,
            } => {
                let lines = widgets::parse_lines(&lines)
                    .ok_or_else(|| t!("ui.stock.bad_lines").to_string())?;
                let amount = AmountCents::parse_yuan(&amount)
                    .map_err(|_| t!("ui.stock.bad_amount").to_string())?;
                let lines = lines
                    .into_iter()
                    .map(|(c, q)| {
                        Ok(app::stock::ReceiveLine {
                            code: code(&c)?,
                            qty: Qty(q),
                            value: None,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                let purchase = app::stock::Purchase {
                    supplier,
                    invoice_no: invoice,
                    amount,
                    received_on: now.date(),
                    lines,
                };
                let received =
                    app::stock::receive_purchase(db, actor, &purchase, now).map_err(e)?;
                self.stock.purchase_lines.clear();
                Ok(Some(
                    t!("cli.received", reference = received.reference).to_string(),
                ))
            }
            Action::WriteOff { lines, reason } => {
                let lines = widgets::parse_lines(&lines)
                    .ok_or_else(|| t!("ui.stock.bad_lines").to_string())?;
                let changes = lines
                    .into_iter()
                    .map(|(c, q)| {
                        Ok(CartLine {
                            code: code(&c)?,
                            qty: Qty(-q),
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                app::stock::adjust_stock(db, actor, &changes, &reason, now).map_err(e)?;
                self.stock.write_off_lines.clear();
                Ok(Some(t!("ui.stock.written_off").to_string()))
            }
            Action::StartStocktake => {
                let sheet = app::stocktake::start_stocktake(db, actor, now).map_err(e)?;
                self.stock.counts.clear();
                self.stock.sheet = Some(sheet);
                Ok(None)
            }
            Action::SaveCounts(entries) => {
                let sheet =
                    app::stocktake::record_counts(db, actor, &counts(&entries)?, now).map_err(e)?;
                self.stock.sheet = Some(sheet);
                Ok(Some(t!("ui.stocktake.saved").to_string()))
            }
            Action::PostStocktake(entries) => {
                app::stocktake::record_counts(db, actor, &counts(&entries)?, now).map_err(e)?;
                let posted = app::stocktake::post_stocktake(db, actor, now).map_err(e)?;
                self.stock.sheet = None;
                self.stock.counts.clear();
                Ok(Some(
                    t!("ui.stocktake.posted", count = posted.len()).to_string(),
                ))
            }
            Action::CloseStocktakeView => {
                self.stock.sheet = None;
                Ok(None)
            }
            Action::AddGoodsToCatalogue {
                code: c,
                name,
                unit,
                price,
                category,
            } => {
                let price = crate::core::parse_whole_number(&price)
                    .map_err(|_| t!("refusal.bad_number").to_string())?;
                let goods = Goods {
                    code: code(&c)?,
                    barcode: None,
                    name: name.trim().to_string(),
                    unit: unit.trim().to_string(),
                    category: Some(category.trim().to_string()).filter(|c| !c.is_empty()),
                    monthly_limit: None,
                    retired: false,
                };
                if goods.name.is_empty() || goods.unit.is_empty() {
                    return Err(t!("refusal.missing_name").to_string());
                }
                app::goods_admin::add_goods(
                    db,
                    actor,
                    &NewGoods {
                        goods,
                        price_points: Points(price),
                    },
                    now,
                )
                .map_err(e)?;
                Ok(Some(t!("ui.goods.added", code = c.trim()).to_string()))
            }
            Action::RetireGoods(c) => {
                app::goods_admin::retire_goods(db, actor, &code(&c)?, now).map_err(e)?;
                Ok(Some(t!("ui.goods.retired", code = c.trim()).to_string()))
            }
            Action::SetThreshold { code: c, threshold } => {
                let threshold = match threshold.trim() {
                    "" => None,
                    t => Some(Qty(crate::core::parse_whole_number(t)
                        .map_err(|_| t!("refusal.bad_number").to_string())?)),
                };
                app::goods_admin::set_low_stock(db, actor, &code(&c)?, threshold, now)
                    .map_err(e)?;
                Ok(Some(
                    t!("ui.goods.threshold_set", code = c.trim()).to_string(),
                ))
            }
            Action::ShowPriceHistory(c) => {
                self.goods.history = app::goods_admin::price_history(db, &code(&c)?).map_err(e)?;
                Ok(None)
            }
            other => self.apply_day(other, actor),
        }
    }
}
