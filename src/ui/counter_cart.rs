//! The basket side of the counter: lines with a quantity box and 36 px (or larger) buttons,
//! the total and what is short, 确认 (disabled with the reason when the basket cannot go
//! through), the confirmation, the 放弃本单？ question, and the last receipt's fate.

use std::collections::HashMap;

use eframe::egui::{self, RichText};
use rust_i18n::t;

use super::counter::CounterScreen;
use super::counter_rules::Availability;
use super::{Action, theme};
use crate::core::GoodsCode;
use crate::core::goods::GoodsOnShelf;

/// The smallest button on the counter: a thumb on a touch screen, a quick mouse aim.
pub const SMALL_BUTTON: egui::Vec2 = egui::vec2(40.0, 40.0);

fn small_button(ui: &mut egui::Ui, enabled: bool, text: &str) -> egui::Response {
    ui.add_enabled(
        enabled,
        egui::Button::new(RichText::new(text).size(22.0)).min_size(SMALL_BUTTON),
    )
}

impl CounterScreen {
    pub(super) fn cart_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.heading(t!("ui.counter.cart").to_string());
        let label = ui.label(t!("ui.counter.code").to_string());
        let code = ui.add(
            egui::TextEdit::singleline(&mut self.code_input)
                .desired_width(f32::INFINITY)
                .hint_text(t!("counter18.code_hint").to_string()),
        );
        let code = code.labelled_by(label.id);
        if std::mem::take(&mut self.focus_code) {
            code.request_focus();
        }
        if code.lost_focus()
            && !self.scan_taken
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !self.code_input.trim().is_empty()
        {
            // Focus goes back to the counter so the next scan is read as a scan (F4 to type again).
            actions.push(Action::EnterCode(std::mem::take(&mut self.code_input)));
        }
        let shelf: HashMap<GoodsCode, GoodsOnShelf> = self
            .shelf
            .iter()
            .map(|g| (g.goods.code.clone(), g.clone()))
            .collect();
        let bottom_reserve = 190.0;
        egui::ScrollArea::vertical()
            .id_salt("cart-lines")
            .max_height((ui.available_height() - bottom_reserve).max(80.0))
            .show(ui, |ui| {
                for (code, qty) in self.cart.clone() {
                    let Some(g) = shelf.get(&code) else { continue };
                    self.line_ui(ui, g, qty, actions);
                }
            });
        ui.separator();
        self.totals_ui(ui, actions);
    }

    fn line_ui(
        &mut self,
        ui: &mut egui::Ui,
        g: &GoodsOnShelf,
        qty: i64,
        actions: &mut Vec<Action>,
    ) {
        let code = g.goods.code.clone();
        let points = self.price_for(g).map_or(0, |p| p.0) * qty;
        ui.horizontal(|ui| {
            ui.add(egui::Label::new(RichText::new(&g.goods.name).strong()).truncate());
            ui.label(t!("ui.points", points = points).to_string());
        });
        ui.horizontal(|ui| {
            if small_button(ui, true, "−")
                .on_hover_text(t!("counter18.less").to_string())
                .clicked()
            {
                actions.push(Action::SetQty {
                    code: code.clone(),
                    qty: qty - 1,
                });
            }
            let text = self
                .qty_text
                .entry(code.clone())
                .or_insert_with(|| qty.to_string());
            let label = t!("counter18.qty_of", name = g.goods.name).to_string();
            let response = ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(64.0)
                    .min_size(egui::vec2(64.0, SMALL_BUTTON.y))
                    .font(egui::TextStyle::Heading),
            );
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, label.clone())
            });
            if response.changed()
                && let Ok(typed) = crate::core::parse_whole_number(text)
                && typed > 0
                && typed != qty
            {
                actions.push(Action::SetQty {
                    code: code.clone(),
                    qty: typed,
                });
            }
            if !response.has_focus() && *text != qty.to_string() {
                *text = qty.to_string();
            }
            let more = self.availability(g) == Availability::Yes;
            if small_button(ui, more, "+")
                .on_hover_text(t!("counter18.more").to_string())
                .clicked()
            {
                actions.push(Action::SetQty {
                    code: code.clone(),
                    qty: qty + 1,
                });
            }
            if small_button(ui, true, "✕")
                .on_hover_text(t!("counter18.remove").to_string())
                .clicked()
            {
                actions.push(Action::SetQty {
                    code: code.clone(),
                    qty: 0,
                });
            }
        });
    }

    fn totals_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let total = self.total();
        ui.label(
            RichText::new(t!("ui.counter.total", points = total).to_string())
                .size(26.0)
                .strong(),
        );
        let problem = self.basket_problem();
        if let Some(h) = &self.household {
            let after = h.balance_points.0 - total.0;
            if after >= 0 {
                ui.colored_label(
                    theme::OK,
                    t!("ui.counter.after", points = after).to_string(),
                );
            } else {
                ui.colored_label(
                    theme::DANGER,
                    t!("ui.counter.short", points = -after).to_string(),
                );
            }
        }
        if let Some(problem) = &problem
            && !matches!(
                problem,
                super::counter_rules::BasketProblem::ShortOfPoints { .. }
            )
        {
            ui.colored_label(theme::DANGER, problem.message());
        }
        let can_confirm = self.household.is_some() && !self.cart.is_empty() && problem.is_none();
        let confirm =
            egui::Button::new(RichText::new(t!("ui.counter.confirm").to_string()).size(24.0))
                .min_size(egui::vec2(ui.available_width().min(360.0), 60.0));
        if ui.add_enabled(can_confirm, confirm).clicked() {
            actions.push(Action::AskConfirm);
        }
        if let Some(r) = &self.last_receipt {
            ui.separator();
            ui.colored_label(
                theme::OK,
                t!(
                    "ui.counter.last",
                    number = r.receipt_no,
                    head = r.head_name,
                    points = r.total_points,
                    after = r.balance_after
                )
                .to_string(),
            );
            if let Some(outcome) = &self.receipt_outcome {
                let colour = if outcome.is_problem() {
                    theme::DANGER
                } else {
                    theme::OK
                };
                ui.colored_label(colour, outcome.text());
            }
        }
    }

    pub(super) fn confirm_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        let Some(h) = &self.household else { return };
        let total = self.total();
        let problem = self.basket_problem();
        let names: HashMap<&GoodsCode, &str> = self
            .shelf
            .iter()
            .map(|g| (&g.goods.code, g.goods.name.as_str()))
            .collect();
        let modal = egui::Modal::new(egui::Id::unique("confirm")).show(&ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(t!("ui.confirm.title").to_string());
            ui.label(format!(
                "{} {}（{}{}）",
                h.household.head_name, h.household.number, h.household.village, h.household.group
            ));
            for (code, qty) in &self.cart {
                ui.label(format!(
                    "{} × {}",
                    names.get(code).copied().unwrap_or(code.as_str()),
                    qty
                ));
            }
            ui.label(
                RichText::new(
                    t!(
                        "ui.confirm.summary",
                        total = total,
                        before = h.balance_points,
                        after = h.balance_points.0 - total.0
                    )
                    .to_string(),
                )
                .strong(),
            );
            if let Some(problem) = &problem {
                ui.colored_label(theme::DANGER, RichText::new(problem.message()).strong());
            }
            ui.horizontal(|ui| {
                let ok = ui.add_enabled(
                    problem.is_none(),
                    egui::Button::new(t!("ui.confirm.ok").to_string())
                        .min_size(egui::vec2(180.0, 56.0)),
                );
                if ok.clicked() {
                    actions.push(Action::Confirm);
                }
                let cancel = egui::Button::new(t!("ui.cancel").to_string())
                    .min_size(egui::vec2(120.0, 56.0));
                if ui.add(cancel).clicked() {
                    actions.push(Action::CancelConfirm);
                }
            });
        });
        if modal.should_close() {
            actions.push(Action::CancelConfirm);
        }
    }

    /// 放弃本单？: Enter (or Esc, or a click outside) keeps the basket; only the red button
    /// gives it up, and that is logged.
    pub(super) fn discard_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        let Some(h) = &self.household else { return };
        let count: i64 = self.cart.iter().map(|(_, q)| q).sum();
        let total = self.total();
        let modal = egui::Modal::new(egui::Id::unique("discard")).show(&ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(t!("counter18.discard_title").to_string());
            ui.label(
                t!(
                    "counter18.discard_body",
                    head = h.household.head_name,
                    count = count,
                    points = total
                )
                .to_string(),
            );
            ui.horizontal(|ui| {
                let keep =
                    egui::Button::new(RichText::new(t!("counter18.keep").to_string()).strong())
                        .min_size(egui::vec2(200.0, 56.0));
                if ui.add(keep).clicked() {
                    actions.push(Action::KeepBasket);
                }
                let discard = egui::Button::new(
                    RichText::new(t!("counter18.discard").to_string()).color(theme::DANGER),
                )
                .min_size(egui::vec2(160.0, 56.0));
                if ui.add(discard).clicked() {
                    actions.push(Action::DiscardBasket);
                }
            });
        });
        if modal.should_close() {
            actions.push(Action::KeepBasket);
        }
    }
}
