//! Disputes that name the event they object to. Upheld, the committee's decision adds a
//! correcting event (another item, other points, or the event withdrawn) and corrects the
//! approved month by the difference, in one transaction; the dispute row itself is the one
//! `app::disputes` keeps, so lists and notices show it as before.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{EventInput, record_in};
use super::review::recompute_month;
use super::{Result, refuse};
use crate::app::disputes::Dispute;
use crate::app::{Actor, audit, import};
use crate::core::Period;
use crate::core::refusal::Refusal;
use crate::core::register::RegisterRefusal;
use crate::core::staff::Action;
use crate::core::staff_rules::Approval;
use crate::store::register as stored;
use crate::store::{Db, format_time, households};

/// Records a household's objection to one event; the dispute's month is the event's.
pub fn dispute_event(
    db: &mut Db,
    actor: &Actor,
    event_id: i64,
    objection: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    actor.require(Action::RecordDispute)?;
    let objection = objection.trim();
    if objection.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let event = stored::event(tx, event_id)?.ok_or(Refusal::Register(RegisterRefusal::UnknownEvent(event_id)))?;
        let period = Period::of(event.date);
        tx.execute(
            "INSERT INTO dispute (household_id, period, objection, raised_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![event.household_id, period.to_string(), format!("事件 {event_id}：{objection}"), format_time(now), actor.id.0],
        )?;
        let id = tx.last_insert_rowid();
        stored::link_dispute(tx, id, event_id)?;
        audit(tx, Some(actor.id), "record_dispute", json!({ "dispute": id, "event": event_id, "period": period.to_string() }), now)?;
        Ok(id)
    })
}

/// What the committee decided about an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDecision {
    pub upheld: bool,
    /// Upheld: the item the event should have been (default: the same item).
    pub item: Option<String>,
    /// Upheld: the points it should have had (an item within a range).
    pub points: Option<i64>,
    /// Upheld: the event should not have been recorded at all.
    pub withdraw: bool,
    pub note: String,
    pub committee: Vec<String>,
}

pub fn decide_event_dispute(
    db: &mut Db,
    actor: &Actor,
    dispute_id: i64,
    decision: &EventDecision,
    now: NaiveDateTime,
) -> Result<Dispute> {
    actor.require(Action::CorrectPoints)?;
    // The store's one committee rule (`staff_rules::approvers`): a name given twice is refused,
    // not counted once, so two people cannot pass for a committee of three.
    let committee = import::approvers_of(&decision.committee, Approval::Committee)?;
    let note = decision.note.trim();
    if note.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let decided: Option<Option<String>> = tx
            .query_row("SELECT decision FROM dispute WHERE id = ?1", [dispute_id], |r| r.get(0))
            .optional()?;
        match decided {
            None => return Err(Refusal::UnknownDispute(dispute_id).into()),
            Some(Some(_)) => return Err(Refusal::DisputeDecided(dispute_id).into()),
            Some(None) => {}
        }
        let event_id = stored::dispute_event(tx, dispute_id)?.ok_or(Refusal::UnknownDispute(dispute_id))?;
        let event = stored::event(tx, event_id)?.ok_or(Refusal::Register(RegisterRefusal::UnknownEvent(event_id)))?;
        let period = Period::of(event.date);
        let (_, group_id) = crate::store::rules::place_of(tx, event.household_id)?;
        let entry_id = if decision.upheld {
            let Some(approval) = stored::approval(tx, group_id, period)? else {
                let group: String = tx.query_row(
                    "SELECT v.name || '/' || g.name FROM village_group g JOIN village v ON v.id = g.village_id WHERE g.id = ?1",
                    [group_id],
                    |r| r.get(0),
                )?;
                return refuse(RegisterRefusal::MonthNotApproved { group, period });
            };
            let household = households::find_by_id(tx, event.household_id)?.ok_or(Refusal::UnknownDispute(dispute_id))?;
            let mut input = EventInput::new(
                household.household.number.clone(),
                decision.item.clone().unwrap_or_else(|| event.item_number.to_string()),
                event.date,
            );
            input.place = event.place.clone();
            input.what = Some(format!("异议 {dispute_id} 更正：{note}"));
            input.basis = event.basis;
            input.points = decision.points.or((decision.item.is_none()).then_some(event.points));
            input.corrects = Some(event_id);
            input.withdraw = decision.withdraw;
            let fix = record_in(tx, actor, &input, event.evidence.clone(), Some(dispute_id), now)?;
            let adjustment = recompute_month(tx, actor, &approval, event.household_id, &fix, &committee, now)?;
            match adjustment.entry_id {
                Some(id) => Some(id),
                None => return refuse(RegisterRefusal::NoChange { event: event_id }),
            }
        } else {
            None
        };
        tx.execute(
            "UPDATE dispute SET decision = ?2, decision_note = ?3, committee = ?4, decided_at = ?5, decided_by = ?6,
                correction_entry_id = ?7 WHERE id = ?1",
            params![dispute_id, if decision.upheld { "upheld" } else { "rejected" }, note, committee, format_time(now), actor.id.0, entry_id],
        )?;
        audit(tx, Some(actor.id), "decide_dispute", json!({ "dispute": dispute_id, "event": event_id, "upheld": decision.upheld, "committee": committee }), now)?;
        let all = crate::app::disputes::load_in(tx, dispute_id)?;
        Ok(all)
    })
}
