//! Settings (managers): the receipt printer, the scanner port, language, and the idle lock.
//! Values are checked by the settings service; an unknown or bad value is refused with why.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::settings as keys;

/// The settings staff may change here, in screen order, with their defaults.
pub const FIELDS: &[(&str, &str)] = &[
    (keys::PRINTER_URI, "none"),
    (keys::PRINTER_PAPER_MM, "58"),
    (keys::PRINTER_HEAD_DOTS, "384"),
    (keys::PRINTER_CHARSET, "gbk"),
    (keys::PRINTER_CUTTER, "false"),
    (keys::PRINTER_NATIVE_QR, "true"),
    (keys::RECEIPT_FOOTER, ""),
    (keys::SCANNER_PORT, ""),
    (keys::IDLE_LOCK_MINUTES, "10"),
    (keys::LANGUAGE, "zh-CN"),
];

#[derive(Default)]
pub struct SettingsScreen {
    /// Current values as shown (stored value, else the default).
    pub values: Vec<(String, String)>,
    /// The values as loaded, to save only what changed.
    pub loaded: Vec<(String, String)>,
}

impl SettingsScreen {
    pub fn load(&mut self, stored: &[(String, String)]) {
        self.values = FIELDS
            .iter()
            .map(|(key, default)| {
                let value = stored
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(default.to_string(), |(_, v)| v.clone());
                (key.to_string(), value)
            })
            .collect();
        self.loaded = self.values.clone();
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.settings.title").to_string());
        ui.label(t!("ui.settings.hint").to_string());
        for (key, value) in &mut self.values {
            let label = t!(format!("ui.settings.{}", key.replace('.', "_"))).to_string();
            widgets::field(ui, &label, value, 360.0);
        }
        ui.horizontal(|ui| {
            if ui.button(t!("ui.settings.save").to_string()).clicked() {
                let changed: Vec<(String, String)> = self
                    .values
                    .iter()
                    .filter(|kv| !self.loaded.contains(kv))
                    .cloned()
                    .collect();
                action = Some(Action::SaveSettings(changed));
            }
            if ui.button(t!("ui.settings.test_page").to_string()).clicked() {
                action = Some(Action::PrintTestPage);
            }
        });
        action
    }
}
