//! Households that change (issue 24): split, merge, new head (here), moves and joins
//! (`moves`), and their words for notices and histories (`words`). Each change is one
//! transaction, manager only, audited; points move only by entries in the points ledger,
//! decided by the village committee.

mod moves;
mod words;

pub use moves::{Join, Move, MoveTo, check_resident_eligible, join, move_household, preview_move};
pub use words::{change_line, change_what, history, notice_changes, refusal, year_changes};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_i18n::t;
use serde::Serialize;
use serde_json::json;

use super::cards::{GroupSpec, IssuedCard, issue_in, keys as store_keys};
use super::{Actor, Result, audit};
use crate::core::card::CardReason;
use crate::core::household::{Household, HouseholdStatus};
use crate::core::household_change::{
    ChangeKind, ChangeRefusal, Committee, PlannedEntry, plan_merge, plan_split,
};
use crate::core::ledger::PointEntryKind;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Points};
use crate::store::households::{self, StoredHousehold};
use crate::store::ledger::{NewPointEntry, append_point_entry, balance};
use crate::store::transfers::{self, NewChange, NewTransfer};
use crate::store::{Db, cards as stored_cards};

/// A split as the committee decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub from: HouseholdNo,
    pub new_number: HouseholdNo,
    pub head_name: String,
    pub group: GroupSpec,
    pub members: i64,
    pub points: Points,
    pub committee: Committee,
    pub reason: String,
}

/// What a change wrote: its entries, and the card it made (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeDone {
    pub entries: Vec<PlannedEntry>,
    pub card: Option<IssuedCard>,
    pub household: Household,
}

pub(super) fn find(tx: &Connection, number: &HouseholdNo) -> Result<StoredHousehold> {
    Ok(households::find(tx, number)?.ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?)
}

pub(super) fn active(tx: &Connection, number: &HouseholdNo) -> Result<StoredHousehold> {
    let found = find(tx, number)?;
    if found.household.status != HouseholdStatus::Active {
        return Err(Refusal::HouseholdInactive(number.clone()).into());
    }
    Ok(found)
}

pub(super) fn reason_or(reason: &str, default: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() {
        default.to_string()
    } else {
        reason.to_string()
    }
}

/// A group named by staff, in `village` unless the spec names its own; never created here
/// (a typo must not make a new group).
pub(super) fn group_id(tx: &Connection, spec: &GroupSpec, village: &str) -> Result<(i64, String)> {
    let village = spec.village.as_deref().unwrap_or(village);
    let found = stored_cards::groups_named(tx, Some(village), &spec.group)?;
    match found.first() {
        Some(g) => Ok((g.id, g.group.clone())),
        None => Err(Refusal::UnknownGroup(format!("{village}/{}", spec.group)).into()),
    }
}

/// Writes the planned entries as corrections approved by the committee; returns their ids.
pub(super) fn write_entries(
    tx: &Connection,
    actor: &Actor,
    plan: &[PlannedEntry],
    ids: &[i64],
    committee: &Committee,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let mut written = Vec::with_capacity(plan.len());
    for (entry, household_id) in plan.iter().zip(ids) {
        let stored = append_point_entry(
            tx,
            NewPointEntry {
                household_id: *household_id,
                household_no: &entry.household,
                kind: PointEntryKind::Correction,
                amount: entry.amount,
                period: None,
                redemption_id: None,
                receipt_no: None,
                reason: Some(entry.reason.clone()),
                approved_by: Some(committee.joined()),
                staff: actor.id,
                created_at: now,
            },
        )?;
        if stored.balance_after != entry.balance_after {
            return Err(crate::store::StoreError::Invariant(format!(
                "entry {} ended at {} not {}",
                stored.id, stored.balance_after, entry.balance_after
            ))
            .into());
        }
        written.push(stored.id);
    }
    Ok(written)
}

/// The entries a split would write, for the preview. Reads only.
pub fn preview_split(
    db: &mut Db,
    from: &HouseholdNo,
    new_number: &HouseholdNo,
    points: Points,
    reason: &str,
) -> Result<Vec<PlannedEntry>> {
    db.read(|tx| {
        let old = active(tx, from)?;
        Ok(plan_split(
            from,
            balance(tx, old.id)?,
            new_number,
            points,
            &reason_or(reason, "分户"),
        )?)
    })
}

/// 分户: a new household from an existing one, with the points the committee gave it, and
/// its first card. The old household and its card are otherwise unchanged.
pub fn split(db: &mut Db, actor: &Actor, split: &Split, now: NaiveDateTime) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    if split.head_name.trim().is_empty() {
        return Err(Refusal::MissingName.into());
    }
    if split.from == split.new_number {
        return Err(ChangeRefusal::SameHousehold(split.from.clone()).into());
    }
    let reason = reason_or(&split.reason, "分户");
    db.write(|tx| {
        let keys = store_keys(tx)?;
        let old = active(tx, &split.from)?;
        if households::find(tx, &split.new_number)?.is_some() {
            return Err(ChangeRefusal::NumberTaken(split.new_number.clone()).into());
        }
        let plan = plan_split(&split.from, balance(tx, old.id)?, &split.new_number, split.points, &reason)?;
        let (_, group) = group_id(tx, &split.group, &old.household.village)?;
        let household = Household {
            number: split.new_number.clone(),
            head_name: split.head_name.trim().to_string(),
            village: old.household.village.clone(),
            group,
            members: split.members.max(1),
            phone: None,
            kind: old.household.kind,
            status: HouseholdStatus::Active,
        };
        let new_id = households::insert(tx, &household, now)?;
        let ids = write_entries(tx, actor, &plan, &[old.id, new_id], &split.committee, now)?;
        let transfer_id = match ids.as_slice() {
            [out, into] => Some(transfers::insert_transfer(tx, &NewTransfer {
                kind: ChangeKind::Split,
                from_household_id: old.id,
                to_household_id: new_id,
                out_entry_id: *out,
                in_entry_id: *into,
                points: split.points.0,
                approved_by: &split.committee.joined(),
                reason: &reason,
                staff: actor.id,
                created_at: now,
            })?),
            _ => None,
        };
        transfers::insert_change(tx, &NewChange {
            household_id: old.id,
            kind: ChangeKind::Split,
            other_household_id: Some(new_id),
            transfer_id,
            entry_id: None,
            effective_on: now.date(),
            before: None,
            after: Some(&household.head_name),
            reason: &reason,
            approved_by: Some(&split.committee.joined()),
            staff: actor.id,
            created_at: now,
        })?;
        let stored = StoredHousehold { id: new_id, household: household.clone() };
        let card = issue_in(tx, actor, &keys, &stored, Some(CardReason::First), now)?;
        audit(tx, Some(actor.id), "split_household", json!({
            "from": split.from.as_str(), "new": split.new_number.as_str(), "head": household.head_name,
            "group": household.group, "points": split.points.0, "approved_by": split.committee.joined(), "reason": reason,
        }), now)?;
        Ok(ChangeDone { entries: plan, card: Some(card), household })
    })
}

/// The entries a merge would write, for the preview. Reads only.
pub fn preview_merge(
    db: &mut Db,
    from: &HouseholdNo,
    into: &HouseholdNo,
    reason: &str,
    today: NaiveDate,
) -> Result<Vec<PlannedEntry>> {
    db.read(|tx| merge_plan(tx, from, into, &reason_or(reason, "合户"), today).map(|(p, ..)| p))
}

fn merge_plan(
    tx: &Connection,
    from: &HouseholdNo,
    into: &HouseholdNo,
    reason: &str,
    today: NaiveDate,
) -> Result<(Vec<PlannedEntry>, StoredHousehold, StoredHousehold)> {
    if from == into {
        return Err(ChangeRefusal::SameHousehold(from.clone()).into());
    }
    let gone = active(tx, from)?;
    let kept = active(tx, into)?;
    if gone.household.village != kept.household.village {
        return Err(ChangeRefusal::OtherVillage {
            from: from.clone(),
            into: into.clone(),
        }
        .into());
    }
    if let Some((voucher_no, valid_until)) = transfers::open_voucher(tx, gone.id, today)? {
        return Err(ChangeRefusal::OpenVoucher {
            household: from.clone(),
            voucher_no,
            valid_until,
            change: ChangeKind::Merge,
        }
        .into());
    }
    let plan = plan_merge(
        from,
        balance(tx, gone.id)?,
        into,
        balance(tx, kept.id)?,
        reason,
    );
    Ok((plan, gone, kept))
}

/// 合户: one household into another. All its points move by a transfer pair, its card stops
/// working, and it stays on record (status moved away) so its history reads under its number.
pub fn merge(
    db: &mut Db,
    actor: &Actor,
    from: &HouseholdNo,
    into: &HouseholdNo,
    committee: &Committee,
    reason: &str,
    now: NaiveDateTime,
) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    let reason = reason_or(reason, "合户");
    db.write(|tx| {
        let (plan, gone, kept) = merge_plan(tx, from, into, &reason, now.date())?;
        let ids = write_entries(tx, actor, &plan, &[gone.id, kept.id], committee, now)?;
        let transfer_id = match ids.as_slice() {
            [out, inn] => Some(transfers::insert_transfer(tx, &NewTransfer {
                kind: ChangeKind::Merge,
                from_household_id: gone.id,
                to_household_id: kept.id,
                out_entry_id: *out,
                in_entry_id: *inn,
                points: plan[1].amount.0,
                approved_by: &committee.joined(),
                reason: &reason,
                staff: actor.id,
                created_at: now,
            })?),
            _ => None,
        };
        transfers::insert_change(tx, &NewChange {
            household_id: gone.id,
            kind: ChangeKind::Merge,
            other_household_id: Some(kept.id),
            transfer_id,
            entry_id: None,
            effective_on: now.date(),
            before: None,
            after: None,
            reason: &reason,
            approved_by: Some(&committee.joined()),
            staff: actor.id,
            created_at: now,
        })?;
        end_household(tx, actor, &gone, &t!("households.card_revoked_merged", into = into.as_str()), now)?;
        audit(tx, Some(actor.id), "merge_household", json!({
            "from": from.as_str(), "into": into.as_str(), "points": plan.get(1).map_or(0, |e| e.amount.0),
            "approved_by": committee.joined(), "reason": reason,
        }), now)?;
        let mut household = gone.household;
        household.status = HouseholdStatus::MovedAway;
        Ok(ChangeDone { entries: plan, card: None, household })
    })
}

/// A household leaves the roster: status moved away and its live card stopped.
pub(super) fn end_household(
    tx: &Connection,
    actor: &Actor,
    household: &StoredHousehold,
    card_reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    tx.execute(
        "UPDATE household SET status = 'moved_away' WHERE id = ?1",
        [household.id],
    )?;
    if let Some(card) = stored_cards::live(tx, household.id)? {
        stored_cards::mark_revoked(tx, card.id, actor.id, card_reason, now)?;
    }
    Ok(())
}

/// 户主变更: same number, same points; the reason is recorded and a new card is issued with
/// the new name (the old card stops working).
pub fn change_head(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    name: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    let (name, reason) = (name.trim(), reason.trim());
    if name.is_empty() {
        return Err(Refusal::MissingName.into());
    }
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let keys = store_keys(tx)?;
        let before = active(tx, number)?;
        if before.household.head_name == name {
            return Err(ChangeRefusal::SameHead(number.clone()).into());
        }
        tx.execute("UPDATE household SET head_name = ?2 WHERE id = ?1", rusqlite::params![before.id, name])?;
        transfers::insert_change(tx, &NewChange {
            household_id: before.id,
            kind: ChangeKind::Head,
            other_household_id: None,
            transfer_id: None,
            entry_id: None,
            effective_on: now.date(),
            before: Some(&before.household.head_name),
            after: Some(name),
            reason,
            approved_by: None,
            staff: actor.id,
            created_at: now,
        })?;
        let after = find(tx, number)?;
        // A first card if it had none, else a reissue that stops the old one.
        let card = issue_in(tx, actor, &keys, &after, None, now)?;
        audit(tx, Some(actor.id), "change_head", json!({
            "household": number.as_str(), "before": before.household.head_name, "after": name, "reason": reason,
        }), now)?;
        Ok(ChangeDone { entries: Vec::new(), card: Some(card), household: after.household })
    })
}
