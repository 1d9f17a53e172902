//! The start-up warning about the PC's clock (issue 15): behind the store's last entry (every
//! write would be refused with 电脑时间不对) or more than a day ahead of the last backup. Read
//! once at start, before the day's automatic backup moves that mark, and kept on screen over
//! sign-ins until someone presses 知道了: a wrong clock is worth seeing before the first sale.

use eframe::egui;
use rust_i18n::t;

use super::theme;
use crate::app;
use crate::store::Db;

#[derive(Debug, Default)]
pub struct ClockBanner {
    pub text: Option<String>,
}

impl ClockBanner {
    /// The warning for `now`, if the clock looks wrong. A store that cannot be read says so
    /// elsewhere (the start-up check); here it only means no warning.
    pub fn at_start(db: &mut Db, now: chrono::NaiveDateTime) -> ClockBanner {
        let dir = db.path().parent().map(std::path::Path::to_path_buf);
        let text = dir.and_then(|dir| app::check::clock_warning(db, &dir, now).ok().flatten());
        ClockBanner { text }
    }

    /// A band across the top of the window while there is a warning.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let Some(text) = self.text.clone() else {
            return;
        };
        egui::Panel::top("clock_warning").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                if ui.button(t!("clock.dismiss").to_string()).clicked() {
                    self.text = None;
                }
                ui.colored_label(theme::DANGER, egui::RichText::new(text).size(20.0));
            });
        });
    }
}
