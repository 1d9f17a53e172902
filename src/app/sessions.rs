//! Redemption days (兑换日) as sessions: opened with the staff on duty and the village groups
//! served, closed with a report whose every figure comes from the ledgers, then backed up.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::backup::{BackupInfo, KEEP_GENERATIONS, auto_backup};
use super::{Actor, Result, audit};
use crate::core::refusal::Refusal;
use crate::core::session::{Session, SessionReport};
use crate::core::staff::Action;
use crate::store::{Db, sessions};

pub fn open_session(
    db: &mut Db,
    actor: &Actor,
    day: NaiveDate,
    staff_on_duty: &[String],
    groups_served: &[String],
    now: NaiveDateTime,
) -> Result<Session> {
    actor.require(Action::Redeem)?;
    db.write(|tx| {
        if let Some(open) = sessions::current(tx)? {
            return Err(Refusal::SessionAlreadyOpen {
                day: open.day.to_string(),
            }
            .into());
        }
        let on_duty: Vec<String> = if staff_on_duty.is_empty() {
            vec![actor.name.clone()]
        } else {
            staff_on_duty.to_vec()
        };
        let id = sessions::open(tx, day, actor.id, &on_duty, groups_served, now)?;
        audit(
            tx,
            Some(actor.id),
            "open_session",
            json!({ "session": id, "day": day.to_string(), "groups": groups_served }),
            now,
        )?;
        Ok(sessions::find(tx, id)?.expect("the session was just written"))
    })
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
