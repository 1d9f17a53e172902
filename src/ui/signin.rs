//! Staff sign-in: choose your name, type your PIN. Also where a member changes their PIN
//! (修改密码), and where one whose PIN was reset or no longer meets the rules must change it
//! before anything else.

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
    /// The PIN change form is open (修改密码).
    pub changing: bool,
    pub change: super::staff::PinForm,
}

impl SignInScreen {
    /// Signed in, but the PIN must change first: only the form, and why.
    #[must_use]
    pub fn must_change_ui(&mut self, ui: &mut egui::Ui, me: StaffId) -> Option<Action> {
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(t!("staff.ui.must_change_title").to_string());
            ui.label(t!("staff.must_change_pin").to_string());
            ui.label(t!("staff.ui.pin_rules").to_string());
            ui.add_space(16.0);
            action = self.change.ui(ui, me);
            if let Some(error) = &self.error {
                ui.colored_label(super::theme::DANGER, error);
            }
            if ui.button(t!("ui.top.lock").to_string()).clicked() {
                action = Some(Action::Lock);
            }
        });
        action
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, store_name: &str, staff: &[Staff]) -> Option<Action> {
        let mut action = None;
        if let Some(me) = self.selected.filter(|_| self.changing) {
            ui.vertical_centered(|ui| {
                ui.add_space(40.0);
                ui.heading(store_name);
                let name = staff.iter().find(|s| s.id == me).map(|s| s.name.as_str());
                let title = t!("staff.ui.change_title", name = name.unwrap_or_default());
                ui.label(title.to_string());
                ui.label(t!("staff.ui.pin_rules").to_string());
                action = self.change.ui(ui, me);
                if let Some(error) = &self.error {
                    ui.colored_label(super::theme::DANGER, error);
                }
                if ui.button(t!("staff.ui.cancel").to_string()).clicked() {
                    self.changing = false;
                }
            });
            return action;
        }
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
            let change = egui::Button::new(t!("staff.ui.change_pin").to_string());
            if ui.add_enabled(self.selected.is_some(), change).clicked() {
                self.changing = true;
                self.error = None;
            }
            if let Some(error) = &self.error {
                ui.colored_label(super::theme::DANGER, error);
            }
        });
        action
    }
}
