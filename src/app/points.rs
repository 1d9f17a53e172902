//! Corrections of points outside the monthly sheet: always a new, visible entry with a reason
//! and the name of whoever approved it (a dispute upheld, a mistake found).

use crate::core::staff_rules::Approval;
use chrono::NaiveDateTime;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::ledger::{PointEntry, PointEntryKind};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Points};
use crate::store::ledger::{NewPointEntry, append_point_entry, balance};
use crate::store::{Db, households};

pub fn correct_points(
    db: &mut Db,
    actor: &Actor,
    household: &HouseholdNo,
    change: Points,
    reason: &str,
    approved_by: &str,
    now: NaiveDateTime,
) -> Result<PointEntry> {
    actor.require(Action::CorrectPoints)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    // A correction changes a household's points outside the sheet: a committee decides it.
    let approved_by =
        &super::import::approvers_of(&[approved_by.to_string()], Approval::Committee)?;
    if change.0 == 0 {
        return Err(Refusal::BadPrice.into());
    }
    db.write(|tx| {
        let found = households::find(tx, household)?.ok_or_else(|| Refusal::UnknownHousehold(household.clone()))?;
        let current = balance(tx, found.id)?;
        if current.0.checked_add(change.0).is_none_or(|after| after < 0) {
            return Err(Refusal::BelowZeroPoints { household: household.clone(), balance: current, change }.into());
        }
        let entry = append_point_entry(tx, NewPointEntry {
            household_id: found.id,
            household_no: household,
            kind: PointEntryKind::Correction,
            amount: change,
            period: None,
            redemption_id: None,
            receipt_no: None,
            reason: Some(reason.to_string()),
            approved_by: Some(approved_by.to_string()),
            staff: actor.id,
            created_at: now,
        })?;
        audit(tx, Some(actor.id), "correct_points", json!({ "household": household.as_str(), "change": change.0, "reason": reason, "approved_by": approved_by }), now)?;
        Ok(entry)
    })
}
