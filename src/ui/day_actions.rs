//! Applying the redemption-day and backup actions (the first-start backup is `app::startup`).

use std::path::{Path, PathBuf};

use rust_i18n::t;

use super::{Action, Banner, JifenApp};
use crate::app::{self, Actor};

/// Days without a backup before the app warns.
pub const BACKUP_WARNING_DAYS: i64 = 7;

impl JifenApp {
    pub(super) fn data_dir(&self) -> PathBuf {
        self.db
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    pub(super) fn load_day(&mut self) -> app::Result<()> {
        let now = self.now();
        let open = app::sessions::current_session(&mut self.db)?;
        self.day.open = open.is_some();
        self.day.past_midnight = open.as_ref().is_some_and(|s| s.open_past_midnight(now));
        if let Some(session) = open {
            self.day.report = Some(app::sessions::session_report(&mut self.db, session.id, "")?);
        }
        let day = self.day.day_report.as_ref().map_or(now.date(), |r| r.day);
        self.day.day_report = Some(app::closing_report::day_report(&mut self.db, day)?);
        let last = app::backup::last_backup_time(&self.data_dir());
        self.day.last_backup = last.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
        self.day.backup_overdue = last.is_some_and(|t| (now - t).num_days() >= BACKUP_WARNING_DAYS);
        if self.township_push.is_none() {
            self.day.township = crate::township::service::status_line(&mut self.db);
        }
        Ok(())
    }

    /// The day's-close push running in the background: its state on the day screen while it
    /// runs, then the store's push log (or, failed, the reason, also in the banner).
    pub(super) fn poll_township_push(&mut self) {
        use crate::township::background::PushState;
        let Some(push) = &self.township_push else {
            return;
        };
        let state = push.state();
        match &state {
            PushState::Pushing { .. } => self.day.township = Some(state.describe()),
            PushState::Done { .. } => {
                self.township_push = None;
                self.day.township = crate::township::service::status_line(&mut self.db)
                    .or_else(|| Some(state.describe()));
            }
            PushState::Failed { .. } => {
                self.township_push = None;
                self.day.township = Some(state.describe());
                self.banner = Some(Banner::Problem(state.describe()));
            }
        }
    }

    /// Queues a day's report for the receipt printer; says what happened, in a sentence.
    fn print_day_report(&mut self, actor: &Actor, day: chrono::NaiveDate) -> String {
        let none = app::settings::PrinterSettings::load(&mut self.db)
            .is_ok_and(|s| s.uri == jifen_hardware::PrinterUri::None);
        if none {
            return t!("dayreport.no_printer").to_string();
        }
        let now = self.now();
        match app::closing_report::queue_day_report(&mut self.db, actor, day, now) {
            Ok(_) => {
                self.wake_printer();
                t!("dayreport.queued", day = day).to_string()
            }
            Err(e) => e.to_string(),
        }
    }

    pub(super) fn apply_day(
        &mut self,
        action: Action,
        actor: &Actor,
    ) -> Result<Option<String>, String> {
        let now = self.now();
        let list = |s: &str| {
            s.split([',', '，', '、'])
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        };
        match action {
            Action::OpenDay {
                groups,
                on_duty,
                reason,
            } => {
                let request = app::sessions::OpenDay {
                    day: now.date(),
                    staff_on_duty: list(&on_duty),
                    groups: list(&groups),
                    reason: Some(reason).filter(|r| !r.trim().is_empty()),
                };
                let s = app::sessions::open_day(&mut self.db, actor, &request, now)
                    .map_err(|e| e.to_string())?;
                self.day.off_calendar_reason.clear();
                Ok(Some(
                    match &s.off_calendar_reason {
                        Some(why) => t!(
                            "days34.session_opened_off_calendar",
                            day = s.day,
                            id = s.id,
                            reason = why
                        ),
                        None => t!("days.session_opened", day = s.day, id = s.id),
                    }
                    .to_string(),
                ))
            }
            Action::CloseDay => {
                let dir = self.data_dir();
                let (report, backup) = app::sessions::close_session(&mut self.db, &dir, actor, now)
                    .map_err(|e| e.to_string())?;
                self.day.report = Some(report);
                // The day's report goes to the receipt printer at close, and stays on screen.
                let day = now.date();
                self.day.day_report = None;
                let printed = self.print_day_report(actor, day);
                // Issue 21: push to the township at the day's close when an address is set, on
                // a thread of its own (the close returns at once); the day screen follows it.
                let ctx = self.ctx.clone();
                let township = crate::township::background::push_at_close(
                    &mut self.db,
                    actor,
                    now,
                    move || ctx.request_repaint(),
                )
                .map(|started| {
                    started.map(|push| {
                        self.day.township = Some(push.state().describe());
                        self.township_push = Some(push);
                    })
                });
                let backup = match backup {
                    Ok(info) => Ok(format!(
                        "{printed}；{}",
                        t!("days.backup_done", file = info.file.display())
                    )),
                    Err(e) => Err(t!("days.backup_failed", error = e.to_string()).to_string()),
                };
                match (backup, township) {
                    (Ok(done), Some(Err(e))) => Err(format!("{done}；{e}")),
                    // The push's state is the day screen's own line, which follows it to its end.
                    (Ok(done), Some(Ok(_))) => Ok(Some(done)),
                    (Ok(done), None) => Ok(Some(done)),
                    (Err(e), _) => Err(e),
                }
            }
            Action::ShowDayReport(day) => {
                let day = if day.is_empty() {
                    now.date()
                } else {
                    day.parse().map_err(|_| t!("ui.bad_date").to_string())?
                };
                self.day.day_report = Some(
                    app::closing_report::day_report(&mut self.db, day)
                        .map_err(|e| e.to_string())?,
                );
                Ok(None)
            }
            Action::PrintDayReport(day) => {
                let day = day.parse().map_err(|_| t!("ui.bad_date").to_string())?;
                Ok(Some(self.print_day_report(actor, day)))
            }
            Action::BackupTo(folder) => {
                let folder = PathBuf::from(folder.trim());
                if folder.as_os_str().is_empty() {
                    return Err(t!("ui.day.folder_needed").to_string());
                }
                let file = folder.join(format!("jifen-{}.db", now.format("%Y%m%d-%H%M%S")));
                let info = app::backup::backup_to(&self.db, &file).map_err(|e| e.to_string())?;
                Ok(Some(
                    t!("days.backup_done", file = info.file.display()).to_string(),
                ))
            }
            Action::EditHousehold {
                number,
                head_name,
                members,
                phone,
            } => {
                let number = number
                    .parse()
                    .map_err(|_| t!("refusal.unknown_household", number = number).to_string())?;
                let members = crate::core::parse_whole_number(&members)
                    .map_err(|_| t!("refusal.bad_number").to_string())?;
                let update = app::households::HouseholdUpdate {
                    head_name: Some(head_name),
                    members: Some(members),
                    phone: Some(Some(phone)),
                };
                app::households::update_household(&mut self.db, actor, &number, &update, now)
                    .map_err(|e| e.to_string())?;
                self.households.ledger = app::queries::ledger(&mut self.db, &number).ok();
                Ok(Some(t!("ui.households.saved", number = number).to_string()))
            }
            Action::HouseholdChange(change) => self.apply_household_change(change, actor),
            other => self.apply_print(other, actor),
        }
    }
}
