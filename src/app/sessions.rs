//! Redemption days (兑换日) as sessions: opened with the staff on duty and the village groups
//! served, closed with a report whose every figure comes from the ledgers, then backed up.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::backup::{BackupInfo, KEEP_GENERATIONS, auto_backup};
use super::{Actor, Error, Result, audit, calendar};
use crate::core::refusal::Refusal;
use crate::core::session::{Session, SessionReport};
use crate::core::staff::Action;
use crate::store::{Db, sessions};

/// What a clerk asks for when opening a redemption day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenDay {
    pub day: NaiveDate,
    pub staff_on_duty: Vec<String>,
    /// The groups served as written; empty: what the calendar plans for the day.
    pub groups: Vec<String>,
    /// A manager's written reason for opening a day the calendar does not allow.
    pub reason: Option<String>,
}

/// Opens a redemption day on the calendar's terms (see `open_day`), with no reason given.
pub fn open_session(
    db: &mut Db,
    actor: &Actor,
    day: NaiveDate,
    staff_on_duty: &[String],
    groups_served: &[String],
    now: NaiveDateTime,
) -> Result<Session> {
    let request = OpenDay {
        day,
        staff_on_duty: staff_on_duty.to_vec(),
        groups: groups_served.to_vec(),
        reason: None,
    };
    open_day(db, actor, &request, now)
}

/// Opens a redemption day: today, for groups the calendar plans today (villages whose rules
/// need no calendar open any day). Anything else only a manager may open, with a written
/// reason that goes into the audit log and the closing report.
pub fn open_day(
    db: &mut Db,
    actor: &Actor,
    request: &OpenDay,
    now: NaiveDateTime,
) -> Result<Session> {
    actor.require(Action::Redeem)?;
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let day = request.day;
    db.write(|tx| {
        if let Some(open) = sessions::current(tx)? {
            return Err(Refusal::SessionAlreadyOpen {
                day: open.day.to_string(),
            }
            .into());
        }
        let (groups, off_calendar) =
            match calendar::groups_for_day(tx, &request.groups, day, now.date()) {
                Ok(groups) => (groups, None),
                Err(Error::Refused(refusal)) => match reason {
                    Some(reason) if actor.role.may(Action::SetRules) => {
                        (written_groups(tx, &request.groups)?, Some(reason))
                    }
                    _ => return Err(refusal.into()),
                },
                Err(e) => return Err(e),
            };
        let on_duty: Vec<String> = if request.staff_on_duty.is_empty() {
            vec![actor.name.clone()]
        } else {
            request.staff_on_duty.clone()
        };
        let id = sessions::open(tx, day, actor.id, &on_duty, &groups, off_calendar, now)?;
        audit(
            tx,
            Some(actor.id),
            "open_session",
            json!({ "session": id, "day": day.to_string(), "groups": groups,
                    "off_calendar_reason": off_calendar, "reason": reason }),
            now,
        )?;
        Ok(sessions::find(tx, id)?.expect("the session was just written"))
    })
}

/// The groups a manager named for a day off the calendar, resolved (empty: every group).
fn written_groups(tx: &rusqlite::Connection, asked: &[String]) -> Result<Vec<String>> {
    let all = crate::store::calendar::all_groups(tx)?;
    asked
        .iter()
        .map(|g| calendar::resolve_group(&all, None, g).map(|g| g.written()))
        .collect()
}

pub fn current_session(db: &mut Db) -> Result<Option<Session>> {
    db.read(|tx| Ok(sessions::current(tx)?))
}

/// The figures of a session as they stand now (for the screen before closing).
pub fn session_report(db: &mut Db, id: i64, closed_by: &str) -> Result<SessionReport> {
    db.read(|tx| build_report(tx, id, closed_by))
}

fn build_report(tx: &rusqlite::Connection, id: i64, closed_by: &str) -> Result<SessionReport> {
    let session = sessions::find(tx, id)?.ok_or(Refusal::NoOpenSession)?;
    let (households_served, redemptions, points_redeemed) = sessions::totals(tx, id)?;
    Ok(SessionReport {
        session,
        closed_by: closed_by.to_string(),
        households_served,
        redemptions,
        points_redeemed,
        goods: sessions::goods_issued(tx, id)?,
        voids: sessions::voids(tx, id)?,
        per_staff: sessions::per_staff(tx, id)?,
        services: crate::store::services::issued_in_session(tx, id)?,
    })
}

/// Closes the open session, stores its report, and takes the automatic backup that every
/// closing day gets. The report stands even if the backup fails; the failure is returned
/// beside it for the screen to show.
pub fn close_session(
    db: &mut Db,
    data_dir: &Path,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(SessionReport, Result<BackupInfo>)> {
    actor.require(Action::Redeem)?;
    let report = db.write(|tx| -> Result<SessionReport> {
        let open = sessions::current(tx)?.ok_or(Refusal::NoOpenSession)?;
        // A day left open past its day is closed by a manager, who answers for what it holds.
        if open.past_its_day(now) && !actor.role.may(Action::SetRules) {
            return Err(Refusal::SessionPastItsDay { day: open.day }.into());
        }
        let mut report = build_report(tx, open.id, &actor.name)?;
        report.session.closed_at = Some(now);
        let report_json = serde_json::to_string(&report).map_err(|e| crate::store::StoreError::Invariant(e.to_string()))?;
        sessions::close(tx, open.id, actor.id, &report_json, now)?;
        audit(tx, Some(actor.id), "close_session", json!({ "session": open.id, "redemptions": report.redemptions, "points": report.points_redeemed.0 }), now)?;
        Ok(report)
    })?;
    let backup = auto_backup(db, data_dir, now, KEEP_GENERATIONS);
    Ok((report, backup))
}
