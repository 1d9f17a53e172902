//! Staff sign-in: choose your name, type your PIN.

use eframe::egui;
use rust_i18n::t;

use super::Action;
use crate::core::StaffId;
use crate::core::staff::Staff;

#[derive(Default)]
pub struct SignInScreen {
    pub selected: Option<StaffId>,
    pub pin: String,
    pub error: Option<String>,
}

impl SignInScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, store_name: &str, staff: &[Staff]) -> Option<Action> {
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(store_name);
            ui.label(t!("ui.signin.title").to_string());
            ui.add_space(20.0);
            for member in staff.iter().filter(|s| s.active) {
                let role = t!(format!("role.{}", member.role.as_db())).to_string();
                let text = format!("{}（{}）", member.name, role);
                let selected = self.selected == Some(member.id);
                let button =
                    egui::Button::selectable(selected, text).min_size(egui::vec2(320.0, 48.0));
                if ui.add(button).clicked() {
                    self.selected = Some(member.id);
                    self.error = None;
                }
            }
            ui.add_space(16.0);
            let label = ui.label(t!("ui.signin.pin").to_string());
            let pin = ui.add(
                egui::TextEdit::singleline(&mut self.pin)
                    .password(true)
                    .char_limit(8)
                    .desired_width(200.0),
            );
            let pin = pin.labelled_by(label.id);
            if self.selected.is_some() && !pin.has_focus() && self.pin.is_empty() {
                pin.request_focus();
            }
            let entered = pin.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let button = egui::Button::new(t!("ui.signin.button").to_string())
                .min_size(egui::vec2(200.0, 48.0));
            let clicked = ui.add_enabled(self.selected.is_some(), button).clicked();
            if let Some(staff) = self.selected.filter(|_| entered || clicked) {
                action = Some(Action::SignIn {
                    staff,
                    pin: std::mem::take(&mut self.pin),
                });
            }
            if let Some(error) = &self.error {
                ui.colored_label(super::theme::DANGER, error);
            }
        });
        action
    }
}
