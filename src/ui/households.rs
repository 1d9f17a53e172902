//! Households: search, details and the full points ledger of one household.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::queries::HouseholdBalance;
use crate::core::household::{Household, HouseholdStatus};
use crate::core::ledger::{PointEntry, TIME_FORMAT};

#[derive(Default)]
pub struct HouseholdsScreen {
    pub search: String,
    pub results: Vec<HouseholdBalance>,
    pub ledger: Option<(Household, Vec<PointEntry>)>,
    pub edit: Option<EditForm>,
    /// Split, merge, new head, move (issue 24).
    pub change: super::household_changes::ChangeForm,
    /// The shown household's changes, as lines.
    pub changes: Vec<String>,
}

/// The manager's edit of a household's details, filled from the household shown. Its status
/// is not among them: a household leaves only by 迁出 or 合户, where the committee decides
/// its balance (issue 24), never by a checkbox.
#[derive(Default, Clone)]
pub struct EditForm {
    pub number: String,
    pub head_name: String,
    pub members: String,
    pub phone: String,
}

impl EditForm {
    pub fn of(h: &Household) -> Self {
        EditForm {
            number: h.number.to_string(),
            head_name: h.head_name.clone(),
            members: h.members.to_string(),
            phone: h.phone.clone().unwrap_or_default(),
        }
    }
}

impl HouseholdsScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, manager: bool) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.households.title").to_string());
        let search = widgets::field(ui, &t!("ui.counter.search_hint"), &mut self.search, 240.0);
        if search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            action = Some(Action::FindHouseholds(self.search.clone()));
        }
        ui.columns(2, |columns| {
            // The list stays short so the shown household's forms fit below it; the ledger
            // has the right column's full height.
            egui::ScrollArea::vertical()
                .id_salt("found")
                .max_height(if self.ledger.is_some() {
                    150.0
                } else {
                    f32::INFINITY
                })
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
                // The forms scroll on their own when a preview and a new card make them taller
                // than a 768-high screen.
                egui::ScrollArea::vertical()
                    .id_salt("household-forms")
                    .show(&mut columns[0], |ui| {
                        if manager {
                            let form = self.edit.get_or_insert_with(|| EditForm::of(household));
                            if form.number != household.number.as_str() {
                                *form = EditForm::of(household);
                            }
                            action = action.take().or(edit_ui(ui, form));
                            // A household that has left (迁出 or merged, or marked so by an
                            // older version) is read, not changed: every change would refuse it.
                            if household.status == HouseholdStatus::Active {
                                action = action.take().or(super::household_changes::change_ui(
                                    ui,
                                    &mut self.change,
                                    household,
                                ));
                            }
                        }
                        if household.status != HouseholdStatus::Active {
                            ui.strong(t!("households34.ui_has_left").to_string());
                        }
                    });
                for line in &self.changes {
                    columns[1].label(line);
                }
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
    // Both ways: a long reason (a transfer names the other household and the committee's
    // words) must not push the ledger past a 1024-wide window's edge.
    egui::ScrollArea::both().id_salt("ledger").show(ui, |ui| {
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

fn edit_ui(ui: &mut egui::Ui, form: &mut EditForm) -> Option<Action> {
    let mut action = None;
    // Folded until wanted (a phone number now and then): the change form and its preview
    // need the height of a 768-high screen below it.
    egui::CollapsingHeader::new(t!("households34.ui_edit_details").to_string())
        .id_salt("household-details-edit")
        .show(ui, |ui| {
            egui::Grid::new("household-details")
                .num_columns(6)
                .show(ui, |ui| {
                    for (key, value, width) in [
                        ("ui.households.head", &mut form.head_name, 100.0),
                        ("ui.households.members", &mut form.members, 40.0),
                        ("ui.households.phone", &mut form.phone, 120.0),
                    ] {
                        let label = ui.label(t!(key).to_string());
                        // Sized, not desired: a grid cell would hold a text box to last frame's width.
                        ui.add_sized([width, 24.0], egui::TextEdit::singleline(value))
                            .labelled_by(label.id);
                    }
                });
            if ui.button(t!("ui.households.save").to_string()).clicked() {
                action = Some(Action::EditHousehold {
                    number: form.number.clone(),
                    head_name: form.head_name.clone(),
                    members: form.members.clone(),
                    phone: form.phone.clone(),
                });
            }
        });
    action
}
