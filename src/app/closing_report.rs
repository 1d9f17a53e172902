//! The closing report of a day at the store (日结报告): built from the ledgers for any day, so
//! a past day's report can be shown and printed again exactly; printed on the receipt printer
//! at close and on request. It covers every redemption of that calendar day, including ones
//! made outside a redemption-day session (marked), not only the session's.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Actor, Result};
use crate::core::day_report::DayReport;
use crate::store::{Db, day_report as q, print_jobs, sessions};

/// The report of `day` as the ledgers stand now.
pub fn day_report(db: &mut Db, day: NaiveDate) -> Result<DayReport> {
    db.read(|tx| {
        let mut list = Vec::new();
        for id in q::session_ids(tx, day)? {
            if let Some(s) = sessions::find(tx, id)? {
                list.push(s);
            }
        }
        Ok(DayReport {
            day,
            store_name: print_jobs::store_name(tx)?.unwrap_or_default(),
            sessions: list,
            redemptions: q::redemptions(tx, day)?,
            voids: q::voids(tx, day)?,
            goods: q::goods(tx, day)?,
            per_staff: q::per_staff(tx, day)?,
        })
    })
}

/// The print-job reference of a day's report: the day itself (a session's report is its id).
pub fn job_reference(day: NaiveDate) -> String {
    day.to_string()
}

/// Queues the day's report for the receipt printer. Anyone signed in may print it; audited.
pub fn queue_day_report(
    db: &mut Db,
    actor: &Actor,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    super::printing::queue_day_report(db, actor, &job_reference(day), now)
}

/// The report as lines of text (see `DayReport::lines`).
pub fn report_lines(r: &DayReport, locale: &str) -> Vec<String> {
    r.lines(locale)
}
