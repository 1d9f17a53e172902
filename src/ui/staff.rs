//! Staff (managers only): who works the counter, and adding someone.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::core::staff::{Role, Staff};

pub struct StaffScreen {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

impl Default for StaffScreen {
    fn default() -> Self {
        StaffScreen {
            name: String::new(),
            role: Role::Cashier,
            pin: String::new(),
        }
    }
}

impl StaffScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, staff: &[Staff]) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.staff.title").to_string());
        egui::Grid::new("staff")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for s in staff {
                    ui.label(s.id.to_string());
                    ui.label(&s.name);
                    ui.label(t!(format!("role.{}", s.role.as_db())).to_string());
                    ui.end_row();
                }
            });
        ui.separator();
        ui.strong(t!("ui.staff.add").to_string());
        widgets::field(ui, &t!("ui.staff.name"), &mut self.name, 160.0);
        ui.horizontal(|ui| {
            for role in [Role::Cashier, Role::Manager, Role::Auditor] {
                ui.radio_value(
                    &mut self.role,
                    role,
                    t!(format!("role.{}", role.as_db())).to_string(),
                );
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(t!("ui.staff.pin").to_string());
            ui.add(
                egui::TextEdit::singleline(&mut self.pin)
                    .password(true)
                    .char_limit(8)
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        });
        if ui.button(t!("ui.staff.add_button").to_string()).clicked() {
            action = Some(Action::AddStaff {
                name: self.name.clone(),
                role: self.role,
                pin: std::mem::take(&mut self.pin),
            });
        }
        action
    }
}
