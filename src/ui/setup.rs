//! First start: a data folder with no store opens here, not on an error. The clerk names the
//! store, the villages and groups it serves and the first manager; the store is created in one
//! transaction and the manager signs in to the checklist.

use std::path::PathBuf;

use eframe::egui;
use rust_i18n::t;

use super::widgets;
use crate::app::checklist::Step;
use crate::app::setup::{NewStore, split_groups};
use crate::core::card::CardReason;
use crate::core::import_preview::ImportKind;

/// What the set-up, checklist, import, cards and rules screens ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupAction {
    CreateStore(NewStore),
    /// A checklist item's button: go where the work is done.
    Go(Step),
    /// Open the file dialog (or the test hook) for a kind of sheet.
    PickFile(ImportKind),
    FileChosen(ImportKind, PathBuf),
    /// Preview again after the clerk changed the village, the month or the approvers.
    Repreview,
    ApplyImport,
    CancelImport,
    /// The opening-stock form: (code, qty, source) as typed.
    SaveOpeningStock(Vec<(String, String, String)>),
    /// A village group written 村/组.
    IssueMissingCards(String),
    PrintGroupCards(String),
    ReissueCard {
        household: String,
        reason: CardReason,
    },
    SetRules {
        village: String,
        preset: usize,
    },
    PlanDay {
        village: String,
        day: String,
    },
    /// Ask the printer the screen describes (saved or not) for its status.
    TestPrinter(Vec<(String, String)>),
    /// Show or hide the technical detail behind the banner.
    ToggleDetail,
}

#[derive(Default)]
pub struct SetupScreen {
    pub store_name: String,
    /// (village, groups as typed: "一组、二组")
    pub places: Vec<(String, String)>,
    pub manager_name: String,
    pub pin: String,
    pub pin_again: String,
    pub error: Option<String>,
}

impl SetupScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SetupAction> {
        if self.places.is_empty() {
            self.places.push(Default::default());
        }
        let mut action = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add_space(12.0);
            ui.heading(t!("setup.first.title").to_string());
            ui.label(t!("setup.first.hint").to_string());
            ui.add_space(12.0);
            widgets::field(
                ui,
                &t!("setup.first.store_name"),
                &mut self.store_name,
                360.0,
            );
            ui.add_space(8.0);
            ui.label(egui::RichText::new(t!("setup.first.places").to_string()).strong());
            ui.label(t!("setup.first.places_hint").to_string());
            let mut remove = None;
            let count = self.places.len();
            for (i, (village, groups)) in self.places.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let label = ui.label(t!("setup.first.village", n = i + 1).to_string());
                    ui.add(egui::TextEdit::singleline(village).desired_width(180.0))
                        .labelled_by(label.id);
                    let label = ui.label(t!("setup.first.groups", n = i + 1).to_string());
                    ui.add(egui::TextEdit::singleline(groups).desired_width(360.0))
                        .labelled_by(label.id);
                    if count > 1 && ui.button(t!("setup.first.remove").to_string()).clicked() {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                self.places.remove(i);
            }
            if ui
                .button(t!("setup.first.add_village").to_string())
                .clicked()
            {
                self.places.push(Default::default());
            }
            ui.add_space(8.0);
            ui.label(egui::RichText::new(t!("setup.first.manager").to_string()).strong());
            widgets::field(
                ui,
                &t!("setup.first.manager_name"),
                &mut self.manager_name,
                200.0,
            );
            pin_field(ui, &t!("setup.first.pin"), &mut self.pin);
            pin_field(ui, &t!("setup.first.pin_again"), &mut self.pin_again);
            ui.label(t!("setup.first.pin_hint").to_string());
            ui.add_space(12.0);
            let create = egui::Button::new(t!("setup.first.create").to_string())
                .min_size(egui::vec2(240.0, 48.0));
            if ui.add(create).clicked() {
                action = self.checked();
            }
            if let Some(error) = &self.error {
                ui.colored_label(super::theme::DANGER, error);
            }
        });
        action
    }

    /// The form as a new store, or the first thing the clerk must fix.
    fn checked(&mut self) -> Option<SetupAction> {
        let problem = if self.store_name.trim().is_empty() {
            Some(t!("setup.first.need_store"))
        } else if self.places.iter().all(|(v, _)| v.trim().is_empty()) {
            Some(t!("setup.first.need_village"))
        } else if self.manager_name.trim().is_empty() {
            Some(t!("setup.first.need_manager"))
        } else if !crate::core::staff::pin_is_well_formed(&self.pin) {
            Some(t!("refusal.bad_pin"))
        } else if self.pin != self.pin_again {
            Some(t!("setup.first.pins_differ"))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error = Some(problem.to_string());
            return None;
        }
        self.error = None;
        Some(SetupAction::CreateStore(NewStore {
            store_name: self.store_name.trim().to_string(),
            places: self
                .places
                .iter()
                .filter(|(v, _)| !v.trim().is_empty())
                .map(|(v, g)| (v.trim().to_string(), split_groups(g)))
                .collect(),
            manager_name: self.manager_name.trim().to_string(),
            pin: self.pin.clone(),
        }))
    }
}

fn pin_field(ui: &mut egui::Ui, label: &str, value: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(value)
                .password(true)
                .char_limit(8)
                .desired_width(160.0),
        )
        .labelled_by(label.id);
    });
}
