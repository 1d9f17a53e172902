//! Households: search, details and the full points ledger of one household.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::queries::HouseholdBalance;
use crate::core::household::Household;
use crate::core::ledger::{PointEntry, TIME_FORMAT};

#[derive(Default)]
pub struct HouseholdsScreen {
    pub search: String,
    pub results: Vec<HouseholdBalance>,
    pub ledger: Option<(Household, Vec<PointEntry>)>,
}

impl HouseholdsScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.households.title").to_string());
        let search = widgets::field(ui, &t!("ui.counter.search_hint"), &mut self.search, 240.0);
        if search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            action = Some(Action::FindHouseholds(self.search.clone()));
        }
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical()
                .id_salt("found")
                .show(&mut columns[0], |ui| {
                    for r in &self.results {
                        let h = &r.household;
                        let status = t!(format!("ui.households.{}", h.status.as_db())).to_string();
                        let text = format!(
                            "{} {} {}{} {}人 {} · {}",
                            h.number,
                            h.head_name,
                            h.village,
                            h.group,
                            h.members,
                            status,
                            t!("ui.points", points = r.balance_points)
                        );
                        if ui.button(text).clicked() {
                            action = Some(Action::ShowLedger(h.number.clone()));
                        }
                    }
                });
            if let Some((household, entries)) = &self.ledger {
                ledger_ui(&mut columns[1], household, entries);
            }
        });
        action
    }
}

fn ledger_ui(ui: &mut egui::Ui, household: &Household, entries: &[PointEntry]) {
    ui.strong(
        t!(
            "cli.ledger_title",
            household = household.number,
            head = household.head_name
        )
        .to_string(),
    );
    if let Some(phone) = &household.phone {
        ui.label(phone);
    }
    egui::ScrollArea::vertical()
        .id_salt("ledger")
        .show(ui, |ui| {
            egui::Grid::new("ledger")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for e in entries.iter().rev() {
                        ui.label(e.created_at.format(TIME_FORMAT).to_string());
                        ui.label(t!(format!("entry_kind.{}", e.kind.as_db())).to_string());
                        ui.label(format!("{:+}", e.amount.0));
                        ui.label(e.balance_after.to_string());
                        let note = e
                            .period
                            .map(|p| p.to_string())
                            .or(e.receipt_no.clone())
                            .or(e.reason.clone())
                            .unwrap_or_default();
                        ui.label(note);
                        ui.end_row();
                    }
                });
        });
}
