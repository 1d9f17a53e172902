//! Staff (managers only): who works the counter, adding someone, disabling someone who left,
//! resetting a forgotten PIN, changing one's own, and the refused sign-ins and lockouts.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::staff::{SignInEvent, event_text, status_text};
use crate::core::StaffId;
use crate::core::staff::{Role, Staff};

/// What the manager is doing to one member, while its fields are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Disable(StaffId),
    Reset(StaffId),
}

pub struct StaffScreen {
    pub name: String,
    pub role: Role,
    pub pin: String,
    pending: Option<Pending>,
    reason: String,
    reset_pin: String,
    pub own_pin: PinForm,
    /// The latest refused sign-ins and lockouts (loaded with the tab).
    pub events: Vec<SignInEvent>,
}

impl Default for StaffScreen {
    fn default() -> Self {
        StaffScreen {
            name: String::new(),
            role: Role::Cashier,
            pin: String::new(),
            pending: None,
            reason: String::new(),
            reset_pin: String::new(),
            own_pin: PinForm::default(),
            events: Vec::new(),
        }
    }
}

fn pin_field(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(value)
                .password(true)
                .char_limit(8)
                .desired_width(120.0),
        )
        .labelled_by(label.id)
    })
    .inner
}

/// Changing one's own PIN: the current one, the new one twice. Used by the staff tab and the
/// sign-in screen.
#[derive(Default)]
pub struct PinForm {
    pub old: String,
    pub new: String,
    pub repeat: String,
    pub error: Option<String>,
}

impl PinForm {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, staff: StaffId) -> Option<Action> {
        pin_field(ui, &t!("staff.ui.old_pin"), &mut self.old);
        pin_field(ui, &t!("staff.ui.new_pin"), &mut self.new);
        pin_field(ui, &t!("staff.ui.repeat_pin"), &mut self.repeat);
        let mut action = None;
        if ui
            .button(t!("staff.ui.change_pin_button").to_string())
            .clicked()
        {
            if self.new != self.repeat {
                self.error = Some(t!("staff.ui.pins_differ").to_string());
            } else {
                self.error = None;
                action = Some(Action::ChangePin {
                    staff,
                    old: std::mem::take(&mut self.old),
                    new: std::mem::take(&mut self.new),
                });
                self.repeat.clear();
            }
        }
        if let Some(error) = &self.error {
            ui.colored_label(super::theme::DANGER, error);
        }
        action
    }
}

impl StaffScreen {
    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        staff: &[Staff],
        me: Option<StaffId>,
    ) -> Option<Action> {
        let mut action = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(t!("ui.staff.title").to_string());
            action = self.list_ui(ui, staff, me);
            if let Some(a) = self.pending_ui(ui, staff) {
                action = Some(a);
            }
            ui.separator();
            if let Some(a) = self.add_ui(ui) {
                action = Some(a);
            }
            if let Some(me) = me {
                ui.separator();
                ui.strong(t!("staff.ui.own_pin").to_string());
                if let Some(a) = self.own_pin.ui(ui, me) {
                    action = Some(a);
                }
            }
            ui.separator();
            ui.strong(t!("staff.ui.events").to_string());
            if self.events.is_empty() {
                ui.label(t!("staff.ui.no_events").to_string());
            }
            for e in &self.events {
                ui.label(event_text(e));
            }
        });
        action
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        staff: &[Staff],
        me: Option<StaffId>,
    ) -> Option<Action> {
        let mut action = None;
        egui::Grid::new("staff")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for s in staff {
                    ui.label(s.id.to_string());
                    ui.label(&s.name);
                    ui.label(t!(format!("role.{}", s.role.as_db())).to_string());
                    ui.label(status_text(s));
                    ui.horizontal(|ui| {
                        if Some(s.id) == me {
                            return;
                        }
                        if s.active {
                            let disable = t!("staff.ui.disable", name = s.name).to_string();
                            if ui.button(disable).clicked() {
                                self.pending = Some(Pending::Disable(s.id));
                            }
                        } else if ui
                            .button(t!("staff.ui.enable", name = s.name).to_string())
                            .clicked()
                        {
                            action = Some(Action::EnableStaff(s.id));
                        }
                        if ui
                            .button(t!("staff.ui.reset", name = s.name).to_string())
                            .clicked()
                        {
                            self.pending = Some(Pending::Reset(s.id));
                        }
                    });
                    ui.end_row();
                }
            });
        action
    }

    fn pending_ui(&mut self, ui: &mut egui::Ui, staff: &[Staff]) -> Option<Action> {
        let pending = self.pending?;
        let (Pending::Disable(id) | Pending::Reset(id)) = pending;
        let name = staff.iter().find(|s| s.id == id).map(|s| s.name.clone())?;
        ui.separator();
        let mut action = None;
        match pending {
            Pending::Disable(_) => {
                ui.strong(t!("staff.ui.disable_title", name = name).to_string());
                widgets::field(ui, &t!("staff.ui.reason"), &mut self.reason, 240.0);
                if ui
                    .button(t!("staff.ui.confirm_disable").to_string())
                    .clicked()
                {
                    action = Some(Action::DisableStaff {
                        staff: id,
                        reason: std::mem::take(&mut self.reason),
                    });
                }
            }
            Pending::Reset(_) => {
                ui.strong(t!("staff.ui.reset_title", name = name).to_string());
                pin_field(ui, &t!("staff.ui.reset_pin"), &mut self.reset_pin);
                if ui
                    .button(t!("staff.ui.confirm_reset").to_string())
                    .clicked()
                {
                    action = Some(Action::ResetPin {
                        staff: id,
                        pin: std::mem::take(&mut self.reset_pin),
                    });
                }
            }
        }
        if ui.button(t!("staff.ui.cancel").to_string()).clicked() {
            self.pending = None;
        }
        action
    }

    fn add_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
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
        pin_field(ui, &t!("ui.staff.pin"), &mut self.pin);
        ui.button(t!("ui.staff.add_button").to_string())
            .clicked()
            .then(|| Action::AddStaff {
                name: self.name.clone(),
                role: self.role,
                pin: std::mem::take(&mut self.pin),
            })
    }
}
