//! Stock on hand, and receiving a donation at the counter.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::core::goods::GoodsOnShelf;

#[derive(Default)]
pub struct StockScreen {
    pub donor: String,
    pub contact: String,
    pub lines: String,
}

impl StockScreen {
    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        shelf: &[GoodsOnShelf],
        may_receive: bool,
    ) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.stock.title").to_string());
        if may_receive {
            ui.group(|ui| {
                ui.strong(t!("ui.stock.receive").to_string());
                widgets::field(ui, &t!("ui.stock.donor"), &mut self.donor, 240.0);
                widgets::field(ui, &t!("ui.stock.contact"), &mut self.contact, 240.0);
                widgets::field(ui, &t!("ui.stock.lines"), &mut self.lines, 360.0);
                if ui
                    .button(t!("ui.stock.receive_button").to_string())
                    .clicked()
                {
                    action = Some(Action::ReceiveDonation {
                        donor: self.donor.clone(),
                        contact: self.contact.clone(),
                        lines: self.lines.clone(),
                    });
                }
            });
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("stock")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for g in shelf {
                        ui.label(g.goods.code.as_str());
                        ui.label(&g.goods.name);
                        ui.label(&g.goods.unit);
                        ui.label(g.on_hand.to_string());
                        ui.end_row();
                    }
                });
        });
        action
    }
}
