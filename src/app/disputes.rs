//! Disputes (异议): a household objects to a month's score; the committee decides; an upheld
//! dispute becomes a correction entry, visible in the household's ledger and the next notice.

use crate::core::staff_rules::Approval;
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::ledger::PointEntryKind;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Period, Points};
use crate::store::ledger::{NewPointEntry, append_point_entry};
use crate::store::{Db, format_time, households};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispute {
    pub id: i64,
    pub household: String,
    pub period: String,
    pub objection: String,
    pub raised_at: String,
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub committee: Option<String>,
    pub correction_entry_id: Option<i64>,
}

impl Dispute {
    /// The decision in the clerk's words (成立 / 驳回), never the stored value.
    pub fn decision_words(&self) -> String {
        match self.decision.as_deref() {
            Some("upheld") => rust_i18n::t!("register34.upheld").to_string(),
            Some("rejected") => rust_i18n::t!("register34.rejected").to_string(),
            other => other.unwrap_or_default().to_string(),
        }
    }
}

/// Records a household's objection to its score for a month.
pub fn record_dispute(
    db: &mut Db,
    actor: &Actor,
    household: &HouseholdNo,
    period: Period,
    objection: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    actor.require(Action::RecordDispute)?;
    let objection = objection.trim();
    if objection.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let found = households::find(tx, household)?.ok_or_else(|| Refusal::UnknownHousehold(household.clone()))?;
        tx.execute(
            "INSERT INTO dispute (household_id, period, objection, raised_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![found.id, period.to_string(), objection, format_time(now), actor.id.0],
        )?;
        let id = tx.last_insert_rowid();
        audit(tx, Some(actor.id), "record_dispute", json!({ "dispute": id, "household": household.as_str(), "period": period.to_string() }), now)?;
        Ok(id)
    })
}

/// The committee's decision. Upheld with a change of points: the correction entry is written in
/// the same transaction, with the committee as approver. A dispute is decided once.
/// The committee's decision on a dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub upheld: bool,
    /// The correction when upheld (e.g. +5 for a missed item).
    pub change: Points,
    pub note: String,
    /// The committee members deciding (at least three).
    pub committee: Vec<String>,
}

pub fn decide_dispute(
    db: &mut Db,
    actor: &Actor,
    id: i64,
    decision: &Decision,
    now: NaiveDateTime,
) -> Result<Dispute> {
    let (upheld, change, note, committee) = (
        decision.upheld,
        decision.change,
        decision.note.as_str(),
        &decision.committee,
    );
    actor.require(Action::CorrectPoints)?;
    let committee = super::import::approvers_of(committee, Approval::Committee)?;
    if note.trim().is_empty() || (upheld && change.0 == 0) {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let (household_id, period, decided): (i64, String, Option<String>) = tx
            .query_row("SELECT household_id, period, decision FROM dispute WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or(Refusal::UnknownDispute(id))?;
        if decided.is_some() {
            return Err(Refusal::DisputeDecided(id).into());
        }
        if let Some(event) = crate::store::register::dispute_event(tx, id)? {
            return Err(Refusal::Register(crate::core::register::RegisterRefusal::DecideByEvent { dispute: id, event }).into());
        }
        let household = households::find_by_id(tx, household_id)?.ok_or(Refusal::UnknownDispute(id))?;
        let entry_id = if upheld {
            let balance = crate::store::ledger::balance(tx, household_id)?;
            if balance.0 + change.0 < 0 {
                return Err(Refusal::BelowZeroPoints { household: household.household.number.clone(), balance, change }.into());
            }
            let entry = append_point_entry(tx, NewPointEntry {
                household_id,
                household_no: &household.household.number,
                kind: PointEntryKind::Correction,
                amount: change,
                period: period.parse().ok(),
                redemption_id: None,
                receipt_no: None,
                reason: Some(format!("异议更正 {period}：{}", note.trim())),
                approved_by: Some(committee.clone()),
                staff: actor.id,
                created_at: now,
            })?;
            Some(entry.id)
        } else {
            None
        };
        tx.execute(
            "UPDATE dispute SET decision = ?2, decision_note = ?3, committee = ?4, decided_at = ?5, decided_by = ?6,
                correction_entry_id = ?7 WHERE id = ?1",
            params![id, if upheld { "upheld" } else { "rejected" }, note.trim(), committee, format_time(now), actor.id.0, entry_id],
        )?;
        audit(tx, Some(actor.id), "decide_dispute", json!({ "dispute": id, "upheld": upheld, "change": change.0, "committee": committee }), now)?;
        Ok(load(tx, id)?)
    })
}

/// One dispute, inside the caller's transaction (the register decides event disputes).
pub(crate) fn load_in(tx: &rusqlite::Connection, id: i64) -> Result<Dispute> {
    Ok(load(tx, id)?)
}

fn load(tx: &rusqlite::Connection, id: i64) -> rusqlite::Result<Dispute> {
    tx.query_row(
        "SELECT d.id, h.number, d.period, d.objection, d.raised_at, d.decision, d.decision_note, d.committee, d.correction_entry_id
         FROM dispute d JOIN household h ON h.id = d.household_id WHERE d.id = ?1",
        [id],
        |r| {
            Ok(Dispute {
                id: r.get(0)?,
                household: r.get(1)?,
                period: r.get(2)?,
                objection: r.get(3)?,
                raised_at: r.get(4)?,
                decision: r.get(5)?,
                decision_note: r.get(6)?,
                committee: r.get(7)?,
                correction_entry_id: r.get(8)?,
            })
        },
    )
}

/// Disputes about a month (for the points notice), oldest first.
pub fn disputes_for_period(db: &mut Db, period: Period) -> Result<Vec<Dispute>> {
    db.read(|tx| {
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM dispute WHERE period = ?1 ORDER BY id")?
            .query_map([period.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids
            .into_iter()
            .map(|id| load(tx, id))
            .collect::<rusqlite::Result<_>>()?)
    })
}
