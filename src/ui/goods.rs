//! Goods and their posted point prices (明码标价): a manager sets a dated price, adds a good on
//! the spot, retires one, sets its low-stock level, and reads its price history.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::goods_admin::PriceVersion;
use crate::core::goods::GoodsOnShelf;

#[derive(Default)]
pub struct GoodsScreen {
    pub code: String,
    pub points: String,
    pub from: String,
    pub approved_by: String,
    /// The committee decision behind a price change (e.g. 村两委会议 2026-11-18), optional.
    pub decision: String,
    pub new_name: String,
    pub new_unit: String,
    pub new_category: String,
    pub threshold: String,
    pub history: Vec<PriceVersion>,
}

impl GoodsScreen {
    /// After a price is saved: the form empties so a second click cannot set it again.
    pub fn clear_price_form(&mut self) {
        self.points.clear();
        self.from.clear();
        self.approved_by.clear();
        self.decision.clear();
    }

    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        shelf: &[GoodsOnShelf],
        manager: bool,
    ) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.goods.title").to_string());
        if manager {
            action = self.forms_ui(ui, shelf);
        }
        if !self.history.is_empty() {
            ui.strong(t!("ui.goods.history", code = self.code.trim()).to_string());
            for v in &self.history {
                let approved = v
                    .approved_by
                    .clone()
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or_else(|| t!("goods18.no_approver").to_string());
                let decision = v
                    .decision
                    .as_ref()
                    .map(|d| t!("goods18.decision_note", decision = d).to_string())
                    .unwrap_or_default();
                ui.label(
                    t!(
                        "goods18.history_line",
                        from = v.effective_from,
                        points = v.price_points,
                        by = v.set_by,
                        approved = approved,
                        decision = decision
                    )
                    .to_string(),
                );
            }
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("goods")
                .striped(true)
                .num_columns(8)
                .show(ui, |ui| {
                    for header in [
                        "code", "name", "unit", "category", "price", "limit", "on_hand",
                    ] {
                        ui.strong(t!(format!("ui.goods.col_{header}")).to_string());
                    }
                    ui.end_row();
                    for g in shelf.iter().filter(|g| !g.goods.retired) {
                        ui.label(g.goods.code.as_str());
                        ui.label(&g.goods.name);
                        ui.label(&g.goods.unit);
                        ui.label(g.goods.category.clone().unwrap_or_default());
                        ui.label(g.price_points.map_or("-".into(), |p| p.to_string()));
                        ui.label(
                            g.goods
                                .monthly_limit
                                .map_or(String::new(), |l| l.to_string()),
                        );
                        ui.label(g.on_hand.to_string());
                        if ui
                            .small_button(t!("ui.goods.show_history").to_string())
                            .clicked()
                        {
                            self.code = g.goods.code.to_string();
                            action = Some(Action::ShowPriceHistory(g.goods.code.to_string()));
                        }
                        ui.end_row();
                    }
                });
        });
        action
    }

    /// "大米 5kg：50 分 → 55 分，2026-12-01 起": what the price change will do, before saving.
    fn change_preview_ui(&self, ui: &mut egui::Ui, shelf: &[GoodsOnShelf]) {
        let Some(g) = shelf
            .iter()
            .find(|g| g.goods.code.as_str() == self.code.trim())
        else {
            return;
        };
        let Ok(new) = crate::core::parse_whole_number(&self.points) else {
            return;
        };
        let old = g.price_points.map_or("-".to_string(), |p| p.to_string());
        let from = if self.from.trim().is_empty() {
            t!("goods18.today").to_string()
        } else {
            self.from.trim().to_string()
        };
        let text = t!(
            "goods18.preview",
            name = g.goods.name,
            old = old,
            new = new,
            from = from
        );
        ui.colored_label(
            super::theme::OK,
            egui::RichText::new(text.to_string()).strong(),
        );
        if self.approved_by.trim().is_empty() {
            ui.colored_label(
                super::theme::DANGER,
                t!("stock18.price_needs_approver").to_string(),
            );
        }
    }

    fn forms_ui(&mut self, ui: &mut egui::Ui, shelf: &[GoodsOnShelf]) -> Option<Action> {
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            widgets::field(ui, &t!("ui.goods.code"), &mut self.code, 80.0);
            widgets::field(ui, &t!("ui.goods.new_price"), &mut self.points, 70.0);
            widgets::field(ui, &t!("ui.goods.from"), &mut self.from, 110.0);
            widgets::field(
                ui,
                &t!("ui.goods.approved_by"),
                &mut self.approved_by,
                160.0,
            );
            widgets::field(ui, &t!("goods18.decision"), &mut self.decision, 200.0);
            let ready = !self.approved_by.trim().is_empty();
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(t!("ui.goods.set_price").to_string()),
                )
                .clicked()
            {
                action = Some(Action::SetPrice {
                    code: self.code.trim().to_string(),
                    points: self.points.trim().to_string(),
                    from: self.from.trim().to_string(),
                    approved_by: self.approved_by.trim().to_string(),
                    decision: self.decision.trim().to_string(),
                });
            }
        });
        self.change_preview_ui(ui, shelf);
        ui.horizontal_wrapped(|ui| {
            widgets::field(ui, &t!("ui.goods.name"), &mut self.new_name, 120.0);
            widgets::field(ui, &t!("ui.goods.unit"), &mut self.new_unit, 50.0);
            widgets::field(ui, &t!("ui.goods.category"), &mut self.new_category, 80.0);
            if ui.button(t!("ui.goods.add").to_string()).clicked() {
                action = Some(Action::AddGoodsToCatalogue {
                    code: self.code.clone(),
                    name: self.new_name.clone(),
                    unit: self.new_unit.clone(),
                    price: self.points.clone(),
                    category: self.new_category.clone(),
                });
            }
            widgets::field(ui, &t!("ui.goods.threshold"), &mut self.threshold, 60.0);
            if ui
                .button(t!("ui.goods.set_threshold").to_string())
                .clicked()
            {
                action = Some(Action::SetThreshold {
                    code: self.code.clone(),
                    threshold: self.threshold.clone(),
                });
            }
            if ui.button(t!("ui.goods.retire").to_string()).clicked() {
                action = Some(Action::RetireGoods(self.code.clone()));
            }
        });
        action
    }
}
