//! Goods and their posted point prices (明码标价); a manager sets a new price from a date.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::core::goods::GoodsOnShelf;

#[derive(Default)]
pub struct GoodsScreen {
    pub code: String,
    pub points: String,
    pub from: String,
    pub approved_by: String,
}

impl GoodsScreen {
    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        shelf: &[GoodsOnShelf],
        may_set_price: bool,
    ) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.goods.title").to_string());
        if may_set_price {
            ui.horizontal_wrapped(|ui| {
                widgets::field(ui, &t!("ui.goods.code"), &mut self.code, 80.0);
                widgets::field(ui, &t!("ui.goods.new_price"), &mut self.points, 80.0);
                widgets::field(ui, &t!("ui.goods.from"), &mut self.from, 120.0);
                widgets::field(
                    ui,
                    &t!("ui.goods.approved_by"),
                    &mut self.approved_by,
                    120.0,
                );
                if ui.button(t!("ui.goods.set_price").to_string()).clicked() {
                    action = Some(Action::SetPrice {
                        code: self.code.trim().to_string(),
                        points: self.points.trim().to_string(),
                        from: self.from.trim().to_string(),
                        approved_by: self.approved_by.trim().to_string(),
                    });
                }
            });
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("goods")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for header in [
                        "code", "name", "unit", "category", "price", "limit", "on_hand",
                    ] {
                        ui.strong(t!(format!("ui.goods.col_{header}")).to_string());
                    }
                    ui.end_row();
                    for g in shelf {
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
                        ui.end_row();
                    }
                });
        });
        action
    }
}
