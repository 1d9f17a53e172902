//! The manager's home screen until the store is ready: the first-start checklist, each item
//! one click from where it is done and ticked from the store itself.

use eframe::egui;
use rust_i18n::t;

use super::setup::SetupAction;
use crate::app::checklist::{Checklist, Step};

#[must_use]
pub fn checklist_ui(ui: &mut egui::Ui, list: &Checklist) -> Option<SetupAction> {
    let mut action = None;
    ui.add_space(8.0);
    ui.heading(t!("setup.check.title").to_string());
    ui.label(t!("setup.check.hint").to_string());
    ui.add_space(12.0);
    let done = Step::ALL.iter().filter(|s| list.is_done(**s)).count();
    ui.label(t!("setup.check.progress", done = done, all = Step::ALL.len()).to_string());
    ui.add_space(8.0);
    egui::Grid::new("checklist")
        .num_columns(4)
        .spacing([16.0, 14.0])
        .show(ui, |ui| {
            for (i, step) in Step::ALL.iter().enumerate() {
                let ticked = list.is_done(*step);
                let (mark, colour) = if ticked {
                    (t!("setup.check.ticked"), super::theme::OK)
                } else {
                    (t!("setup.check.todo"), ui.visuals().weak_text_color())
                };
                ui.colored_label(colour, egui::RichText::new(mark.to_string()).size(20.0));
                let title = t!(format!("setup.check.{}", step.key())).to_string();
                ui.label(egui::RichText::new(format!("{}. {title}", i + 1)).size(20.0));
                ui.label(t!(format!("setup.check.{}_hint", step.key())).to_string());
                let text = if ticked {
                    t!("setup.check.again")
                } else {
                    t!("setup.check.go")
                };
                let button = egui::Button::new(format!("{text}：{title}"));
                if ui.add(button).clicked() {
                    action = Some(SetupAction::Go(*step));
                }
                ui.end_row();
            }
        });
    if list.complete() {
        ui.add_space(12.0);
        ui.colored_label(super::theme::OK, t!("setup.check.all_done").to_string());
    }
    // Imports (a month's scores), cards (a lost one) and rules are needed after set-up too.
    ui.add_space(16.0);
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(t!("setup.check.later").to_string());
        for (key, step) in [
            ("ui.top.imports", Step::Households),
            ("ui.top.cards", Step::Cards),
            ("ui.top.rules", Step::Rules),
        ] {
            if ui.button(t!(key).to_string()).clicked() {
                action = Some(SetupAction::Go(step));
            }
        }
    });
    action
}
