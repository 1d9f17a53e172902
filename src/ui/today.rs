//! Today's redemptions, and the manager's void with a reason.

use eframe::egui;
use rust_i18n::t;

use super::Action;
use crate::core::ReceiptNo;
use crate::core::receipt::Receipt;

#[derive(Default)]
pub struct TodayScreen {
    pub receipts: Vec<Receipt>,
    pub voiding: Option<ReceiptNo>,
    pub reason: String,
}

impl TodayScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, may_void: bool, may_reprint: bool) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.today.title", count = self.receipts.len()).to_string());
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("today")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for r in &self.receipts {
                        ui.label(r.receipt_no.to_string());
                        ui.label(r.created_at.format("%H:%M").to_string());
                        ui.label(format!("{} {}", r.household, r.head_name));
                        let goods: Vec<String> = r
                            .lines
                            .iter()
                            .map(|l| format!("{}×{}", l.name, l.qty))
                            .collect();
                        ui.label(goods.join("、"));
                        ui.label(t!("ui.points", points = r.total_points).to_string());
                        match &r.void {
                            Some(v) => {
                                ui.colored_label(
                                    super::theme::DANGER,
                                    t!("ui.today.voided", reason = v.reason).to_string(),
                                );
                            }
                            None if may_void => {
                                if ui.button(t!("ui.today.void").to_string()).clicked() {
                                    self.voiding = Some(r.receipt_no);
                                    self.reason.clear();
                                }
                            }
                            None => {
                                ui.label("");
                            }
                        }
                        if may_reprint && ui.button(t!("ui.print.reprint").to_string()).clicked() {
                            action = Some(Action::Reprint(r.receipt_no));
                        }
                        ui.end_row();
                    }
                });
        });
        if let Some(receipt_no) = self.voiding {
            let ctx = ui.ctx().clone();
            let modal = egui::Modal::new(egui::Id::unique("void")).show(&ctx, |ui| {
                ui.heading(t!("ui.today.void_title", number = receipt_no).to_string());
                let label = ui.label(t!("ui.today.reason").to_string());
                ui.text_edit_singleline(&mut self.reason)
                    .labelled_by(label.id);
                ui.horizontal(|ui| {
                    let ok = ui.add_enabled(
                        !self.reason.trim().is_empty(),
                        egui::Button::new(t!("ui.today.void_confirm").to_string()),
                    );
                    if ok.clicked() {
                        action = Some(Action::Void {
                            receipt_no,
                            reason: self.reason.clone(),
                        });
                        self.voiding = None;
                    }
                    if ui.button(t!("ui.cancel").to_string()).clicked() {
                        self.voiding = None;
                    }
                });
            });
            if modal.should_close() {
                self.voiding = None;
            }
        }
        action
    }
}
