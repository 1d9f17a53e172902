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
        self.stock.purchases = app::stock::recent_purchases(&mut self.db, 20)?;
        Ok(())
    }

    /// "入库单 P9：大米 5kg ×20（结存 25）、毛巾 ×5（结存 10）": what a saved form wrote, by name.
    pub(super) fn written_text(
        &self,
        key: &str,
        reference: &str,
        lines: &[(GoodsCode, Qty, Qty)],
    ) -> String {
        let items: Vec<String> = lines
            .iter()
            .map(|(code, qty, after)| {
                let name = self
                    .counter
                    .shelf
                    .iter()
                    .find(|g| &g.goods.code == code)
                    .map_or(code.to_string(), |g| g.goods.name.clone());
                t!(
                    "stock18.written_line",
                    name = name,
                    qty = qty,
                    after = after
                )
                .to_string()
            })
            .collect();
        t!(key, reference = reference, lines = items.join("、")).to_string()
    }

    fn show_invoice(&mut self, reference: &str) -> Outcome {
        let row = self
            .stock
            .purchases
            .iter()
            .find(|p| p.reference == reference)
            .cloned()
            .ok_or_else(|| t!("stock18.no_invoice_copy").to_string())?;
        let copy = row
            .invoice
            .ok_or_else(|| t!("stock18.no_invoice_copy").to_string())?;
        let (path, intact) = app::invoice_files::open_copy(&self.db, &copy);
        let texture = std::fs::read(&path)
            .ok()
            .and_then(|bytes| image::load_from_memory(&bytes).ok())
            .map(|img| {
                let img = img.thumbnail(1600, 1600).to_rgba8();
                let size = [img.width() as usize, img.height() as usize];
                let colour = eframe::egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw());
                self.ctx.load_texture(
                    format!("invoice-{reference}"),
                    colour,
                    eframe::egui::TextureOptions::LINEAR,
                )
            });
        self.stock.invoice_view = Some(super::stock::InvoiceView {
            reference: reference.to_string(),
            path: path.display().to_string(),
            intact,
            texture,
        });
        Ok(None)
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
                invoice_file,
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
                let file = Some(invoice_file.trim())
                    .filter(|f| !f.is_empty())
                    .map(std::path::PathBuf::from);
                let received = app::stock::receive_purchase_with_invoice(
                    db,
                    actor,
                    &purchase,
                    &app::stock::BestBefore::new(),
                    file.as_deref(),
                    now,
                )
                .map_err(e)?;
                self.load_stock().map_err(|e| e.to_string())?;
                let written = self.written_text(
                    "stock18.written_purchase",
                    &received.reference,
                    &received.lines,
                );
                // The whole form clears: a second click cannot record the same invoice again.
                let purchases = std::mem::take(&mut self.stock.purchases);
                self.stock = Default::default();
                self.stock.purchases = purchases;
                self.stock.last_written = Some(written.clone());
                Ok(Some(written))
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
                let done =
                    app::stock::adjust_stock(db, actor, &changes, &reason, now).map_err(e)?;
                let written = self.written_text("stock18.written_write_off", &reason, &done);
                self.stock.write_off_lines.clear();
                self.stock.write_off_reason.clear();
                self.stock.last_written = Some(written.clone());
                Ok(Some(written))
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
                self.stock.confirm_post = false;
                Ok(Some(
                    t!("ui.stocktake.posted", count = posted.len()).to_string(),
                ))
            }
            Action::ShowInvoice(reference) => self.show_invoice(&reference),
            Action::CancelPostStocktake => {
                self.stock.confirm_post = false;
                Ok(None)
            }
            Action::CloseInvoice => {
                self.stock.invoice_view = None;
                Ok(None)
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
