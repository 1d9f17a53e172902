//! The redemption day (兑换日): open it, watch its figures, close it with its report; and the
//! backups that protect the counter PC's only copy of the records.

use eframe::egui;
use rust_i18n::t;

use super::{Action, theme, widgets};
use crate::core::day_report::DayReport;
use crate::core::session::SessionReport;

#[derive(Default)]
pub struct DayScreen {
    pub groups: String,
    pub on_duty: String,
    /// A manager's reason for opening a day the calendar does not plan (issue 14); empty on
    /// a planned day.
    pub off_calendar_reason: String,
    /// The open session's figures so far, or the report of the one just closed (the screen
    /// shows the day's report, which covers it).
    pub report: Option<SessionReport>,
    pub open: bool,
    pub past_midnight: bool,
    pub backup_folder: String,
    pub last_backup: Option<String>,
    pub backup_overdue: bool,
    /// 上次上传到镇里… (issue 21), when the store has a township address or ever pushed.
    pub township: Option<String>,
    /// The closing report of the day chosen below (today unless another day is asked for).
    pub day_report: Option<DayReport>,
    /// The day typed into 日期 to show or reprint a past day's report.
    pub report_day: String,
}

impl DayScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, may_run: bool) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.day.title").to_string());
        if self.past_midnight {
            ui.colored_label(theme::DANGER, t!("ui.day.past_midnight").to_string());
        }
        if may_run && !self.open {
            widgets::field(ui, &t!("ui.day.groups"), &mut self.groups, 360.0);
            widgets::field(ui, &t!("ui.day.on_duty"), &mut self.on_duty, 240.0);
            // Only a manager's reason opens a day off the calendar; the service decides.
            widgets::field(
                ui,
                &t!("days34.off_calendar_reason"),
                &mut self.off_calendar_reason,
                360.0,
            );
            ui.label(t!("days34.off_calendar_hint").to_string());
            if ui.button(t!("ui.day.open").to_string()).clicked() {
                action = Some(Action::OpenDay {
                    groups: self.groups.clone(),
                    on_duty: self.on_duty.clone(),
                    reason: self.off_calendar_reason.clone(),
                });
            }
        }
        if may_run && self.open && ui.button(t!("ui.day.close").to_string()).clicked() {
            action = Some(Action::CloseDay);
        }
        ui.separator();
        ui.strong(t!("ui.day.backup").to_string());
        match &self.last_backup {
            Some(when) if self.backup_overdue => {
                ui.colored_label(
                    theme::DANGER,
                    t!("ui.day.backup_overdue", when = when).to_string(),
                );
            }
            Some(when) => {
                ui.label(t!("ui.day.last_backup", when = when).to_string());
            }
            None => {
                ui.colored_label(theme::DANGER, t!("ui.day.no_backup").to_string());
            }
        }
        if let Some(line) = &self.township {
            ui.label(line);
        }
        ui.horizontal_wrapped(|ui| {
            widgets::field(
                ui,
                &t!("ui.day.backup_folder"),
                &mut self.backup_folder,
                360.0,
            );
            if ui.button(t!("ui.day.backup_now").to_string()).clicked() {
                action = Some(Action::BackupTo(self.backup_folder.clone()));
            }
        });
        ui.separator();
        // The report last, taking the rest of the screen.
        action = action.or(self.day_report_ui(ui));
        action
    }
}

impl DayScreen {
    /// Any day's closing report, shown from the ledgers, with 打印 for the receipt printer.
    fn day_report_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            widgets::field(ui, &t!("dayreport.day"), &mut self.report_day, 130.0);
            if ui.button(t!("dayreport.show").to_string()).clicked() {
                action = Some(Action::ShowDayReport(self.report_day.trim().to_string()));
            }
            if let Some(r) = &self.day_report
                && ui.button(t!("dayreport.print").to_string()).clicked()
            {
                action = Some(Action::PrintDayReport(r.day.to_string()));
            }
        });
        let Some(r) = &self.day_report else {
            return action;
        };
        ui.strong(t!("dayreport.title", day = r.day).to_string());
        egui::ScrollArea::vertical()
            .id_salt("day-report")
            .max_height(ui.available_height().max(120.0))
            .show(ui, |ui| {
                for line in r.lines(&rust_i18n::locale()) {
                    if line.is_empty() {
                        ui.separator();
                    } else {
                        ui.label(line);
                    }
                }
            });
        action
    }
}
