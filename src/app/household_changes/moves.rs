//! Moves to another group or away (迁出), and resident households that join.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_i18n::t;
use serde_json::json;

use super::{ChangeDone, active, end_household, group_id, reason_or, write_entries};
use crate::app::cards::{GroupSpec, issue_in, keys as store_keys};
use crate::app::{Actor, Result, audit};
use crate::core::HouseholdNo;
use crate::core::card::CardReason;
use crate::core::household::{Household, HouseholdKind, HouseholdStatus};
use crate::core::household_change::{
    ChangeKind, ChangeRefusal, Committee, PlannedEntry, check_effective, check_eligible,
    plan_move_away,
};
use crate::core::policy::VillagePolicy;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::store::Db;
use crate::store::households::{self, StoredHousehold};
use crate::store::ledger::balance;
use crate::store::transfers::{self, NewChange};

/// Where a household moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTo {
    Group(GroupSpec),
    /// 迁出: leaves the village; its balance must be redeemed first or ended by the committee.
    Away,
}

/// The entries a move would write (only a move away with points left writes one).
pub fn preview_move(
    db: &mut Db,
    number: &HouseholdNo,
    to: &MoveTo,
    committee: Option<&Committee>,
    reason: &str,
    today: NaiveDate,
) -> Result<Vec<PlannedEntry>> {
    db.read(|tx| {
        let found = active(tx, number)?;
        match to {
            MoveTo::Group(_) => Ok(Vec::new()),
            MoveTo::Away => {
                refuse_open_voucher(tx, &found, today)?;
                Ok(plan_move_away(
                    number,
                    balance(tx, found.id)?,
                    committee,
                    reason,
                )?)
            }
        }
    })
}

/// A household leaving with a service voucher nobody has used (and not past its date) would
/// orphan the voucher: refused, naming it, as a merge is.
fn refuse_open_voucher(tx: &Connection, found: &StoredHousehold, today: NaiveDate) -> Result<()> {
    if let Some((voucher_no, valid_until)) = transfers::open_voucher(tx, found.id, today)? {
        return Err(ChangeRefusal::OpenVoucher {
            household: found.household.number.clone(),
            voucher_no,
            valid_until,
            change: ChangeKind::MoveAway,
        }
        .into());
    }
    Ok(())
}

/// A move as decided: where to, why, the committee (needed to end a leaving household's
/// points), and the day it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub to: MoveTo,
    pub reason: String,
    pub committee: Option<Committee>,
    pub on: NaiveDate,
}

/// A move to another group of the store from `on` (ranks, tiers and notices follow the group
/// from that day; earlier periods keep the old one), or away.
pub fn move_household(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    order: &Move,
    now: NaiveDateTime,
) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    let (to, committee, on) = (&order.to, order.committee.as_ref(), order.on);
    let reason = order.reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    check_effective(on, now.date())?;
    db.write(|tx| {
        let found = active(tx, number)?;
        // A move dated before the household's last move would rewrite the history between.
        if transfers::last_group_change(tx, found.id)?.is_some_and(|last| on < last) {
            return Err(ChangeRefusal::BadDate(on).into());
        }
        let approved = committee.map(Committee::joined);
        let mut household = found.household.clone();
        let (kind, entries, entry_id, before, after) = match to {
            MoveTo::Group(spec) => {
                let (group_id, group) = group_id(tx, spec, &found.household.village)?;
                if group == found.household.group && spec.village.as_deref().is_none_or(|v| v == found.household.village) {
                    return Err(ChangeRefusal::AlreadyInGroup { household: number.clone(), group }.into());
                }
                transfers::record_group(tx, found.id, group_id, on)?;
                tx.execute("UPDATE household SET group_id = ?2 WHERE id = ?1", rusqlite::params![found.id, group_id])?;
                household.group = group.clone();
                (ChangeKind::MoveGroup, Vec::new(), None, found.household.group.clone(), group)
            }
            MoveTo::Away => {
                refuse_open_voucher(tx, &found, now.date())?;
                let plan = plan_move_away(number, balance(tx, found.id)?, committee, reason)?;
                let ids = match committee {
                    Some(c) => write_entries(tx, actor, &plan, &[found.id], c, now)?,
                    None => Vec::new(),
                };
                end_household(tx, actor, &found, &t!("households.card_revoked_away"), now)?;
                household.status = HouseholdStatus::MovedAway;
                (ChangeKind::MoveAway, plan, ids.first().copied(), found.household.group.clone(), String::new())
            }
        };
        transfers::insert_change(tx, &NewChange {
            household_id: found.id,
            kind,
            other_household_id: None,
            transfer_id: None,
            entry_id,
            effective_on: on,
            before: Some(&before),
            after: Some(&after).filter(|a| !a.is_empty()).map(|a| a.as_str()),
            reason,
            approved_by: approved.as_deref(),
            staff: actor.id,
            created_at: now,
        })?;
        audit(tx, Some(actor.id), "move_household", json!({
            "household": number.as_str(), "kind": kind.as_db(), "from": before, "to": after,
            "on": on.to_string(), "ended_points": entries.first().map(|e| -e.amount.0), "approved_by": approved, "reason": reason,
        }), now)?;
        Ok(ChangeDone { entries, card: None, household })
    })
}

/// A resident household (常住, not registered here) joining with the committee's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    pub number: HouseholdNo,
    pub head_name: String,
    pub village: String,
    pub group: GroupSpec,
    pub members: i64,
    pub phone: Option<String>,
    pub arrived: NaiveDate,
    pub committee: Committee,
    pub reason: String,
}

pub fn join(db: &mut Db, actor: &Actor, join: &Join, now: NaiveDateTime) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    if join.head_name.trim().is_empty() {
        return Err(Refusal::MissingName.into());
    }
    check_effective(join.arrived, now.date())?;
    let reason = reason_or(&join.reason, "常住户加入");
    db.write(|tx| {
        let keys = store_keys(tx)?;
        if households::find(tx, &join.number)?.is_some() {
            return Err(ChangeRefusal::NumberTaken(join.number.clone()).into());
        }
        let (_, group) = group_id(tx, &join.group, &join.village)?;
        let household = Household {
            number: join.number.clone(),
            head_name: join.head_name.trim().to_string(),
            village: join.group.village.clone().unwrap_or_else(|| join.village.clone()),
            group,
            members: join.members.max(1),
            phone: join.phone.clone().filter(|p| !p.trim().is_empty()),
            kind: HouseholdKind::Resident,
            status: HouseholdStatus::Active,
        };
        let id = households::insert(tx, &household, now)?;
        transfers::insert_change(tx, &NewChange {
            household_id: id,
            kind: ChangeKind::Join,
            other_household_id: None,
            transfer_id: None,
            entry_id: None,
            effective_on: join.arrived,
            before: None,
            after: None,
            reason: &reason,
            approved_by: Some(&join.committee.joined()),
            staff: actor.id,
            created_at: now,
        })?;
        let stored = StoredHousehold { id, household: household.clone() };
        let card = issue_in(tx, actor, &keys, &stored, Some(CardReason::First), now)?;
        audit(tx, Some(actor.id), "join_household", json!({
            "household": join.number.as_str(), "arrived": join.arrived.to_string(), "approved_by": join.committee.joined(), "reason": reason,
        }), now)?;
        Ok(ChangeDone { entries: Vec::new(), card: Some(card), household })
    })
}

/// The redemption's check: a resident household redeems only after the months of residence
/// its village rules ask for, counted from the arrival its join recorded.
pub fn check_resident_eligible(
    tx: &Connection,
    household_id: i64,
    policy: &VillagePolicy,
    day: NaiveDate,
) -> Result<()> {
    if policy.resident_months_before_eligible.is_none() {
        return Ok(());
    }
    let Some(found) = households::find_by_id(tx, household_id)? else {
        return Ok(());
    };
    if found.household.kind != HouseholdKind::Resident {
        return Ok(());
    }
    if let Some(arrived) = transfers::arrival(tx, household_id)? {
        check_eligible(
            &found.household.number,
            arrived,
            policy.resident_months_before_eligible,
            day,
        )?;
    }
    Ok(())
}
