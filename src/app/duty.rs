//! 专人管理: who is in charge of the store from when to when (shown on notices). The
//! redemption calendar lives in `calendar`.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::store::{Db, format_time};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    pub id: i64,
    pub staff: String,
    pub duty: String,
    pub from: String,
    pub to: Option<String>,
}

/// Appoints a staff member to a duty (e.g. 超市管理员, 监督员) from a date (manager only).
pub fn appoint(
    db: &mut Db,
    actor: &Actor,
    staff: StaffId,
    duty: &str,
    from: NaiveDate,
    to: Option<NaiveDate>,
    now: NaiveDateTime,
) -> Result<i64> {
    actor.require(Action::AddStaff)?;
    if duty.trim().is_empty() {
        return Err(Refusal::MissingName.into());
    }
    db.write(|tx| {
        crate::store::staff::find(tx, staff)?.ok_or(Refusal::UnknownStaff(staff))?;
        tx.execute(
            "INSERT INTO designated_staff (staff_id, duty, from_date, to_date, appointed_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![staff.0, duty.trim(), from.to_string(), to.map(|d| d.to_string()), actor.id.0, format_time(now)],
        )?;
        let id = tx.last_insert_rowid();
        audit(tx, Some(actor.id), "appoint", json!({ "appointment": id, "staff": staff.0, "duty": duty.trim(), "from": from.to_string() }), now)?;
        Ok(id)
    })
}

/// Who was in charge on a day (for notices and the closing report).
pub fn in_charge_on(db: &mut Db, day: NaiveDate) -> Result<Vec<Appointment>> {
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT d.id, s.name, d.duty, d.from_date, d.to_date FROM designated_staff d JOIN staff s ON s.id = d.staff_id
             WHERE d.from_date <= ?1 AND (d.to_date IS NULL OR d.to_date >= ?1) ORDER BY d.id",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            Ok(Appointment { id: r.get(0)?, staff: r.get(1)?, duty: r.get(2)?, from: r.get(3)?, to: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

pub use super::calendar::{RedemptionDay, calendar};

/// Puts a redemption day for the whole village on its calendar (see `calendar::plan_day` for
/// days that serve only some groups); `moved_from` records a holiday move.
pub fn plan_day(
    db: &mut Db,
    actor: &Actor,
    village: &str,
    day: NaiveDate,
    moved_from: Option<NaiveDate>,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    let plan = super::calendar::DayPlan {
        village: village.to_string(),
        day: Some(day),
        groups: Vec::new(),
        moved_from,
        note: note.map(str::to_string),
    };
    super::calendar::plan_day(db, actor, &plan, now).map(drop)
}
