//! Households that change (issue 24): split, merge, new head, move to another group or away,
//! a resident household that joins. Each is one transaction, manager only, audited; points
//! move only by entries in the points ledger, decided by the village committee.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_i18n::t;
use serde::Serialize;
use serde_json::json;

use super::cards::{GroupSpec, IssuedCard, issue_in, keys as store_keys};
use super::{Actor, Result, audit};
use crate::core::card::CardReason;
use crate::core::household::{Household, HouseholdKind, HouseholdStatus};
use crate::core::household_change::{
    ChangeKind, ChangeRefusal, Committee, PlannedEntry, check_effective, check_eligible,
    plan_merge, plan_move_away, plan_split,
};
use crate::core::ledger::PointEntryKind;
use crate::core::policy::VillagePolicy;
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

fn find(tx: &Connection, number: &HouseholdNo) -> Result<StoredHousehold> {
    Ok(households::find(tx, number)?.ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?)
}

fn active(tx: &Connection, number: &HouseholdNo) -> Result<StoredHousehold> {
    let found = find(tx, number)?;
    if found.household.status != HouseholdStatus::Active {
        return Err(Refusal::HouseholdInactive(number.clone()).into());
    }
    Ok(found)
}

fn reason_or(reason: &str, default: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() {
        default.to_string()
    } else {
        reason.to_string()
    }
}

/// A group named by staff, in `village` unless the spec names its own; never created here
/// (a typo must not make a new group).
fn group_id(tx: &Connection, spec: &GroupSpec, village: &str) -> Result<(i64, String)> {
    let village = spec.village.as_deref().unwrap_or(village);
    let found = stored_cards::groups_named(tx, Some(village), &spec.group)?;
    match found.first() {
        Some(g) => Ok((g.id, g.group.clone())),
        None => Err(Refusal::UnknownGroup(format!("{village}/{}", spec.group)).into()),
    }
}

/// Writes the planned entries as corrections approved by the committee; returns their ids.
fn write_entries(
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
fn end_household(
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
        let card = issue_in(tx, actor, &keys, &after, Some(CardReason::Other), now)?;
        audit(tx, Some(actor.id), "change_head", json!({
            "household": number.as_str(), "before": before.household.head_name, "after": name, "reason": reason,
        }), now)?;
        Ok(ChangeDone { entries: Vec::new(), card: Some(card), household: after.household })
    })
}

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
) -> Result<Vec<PlannedEntry>> {
    db.read(|tx| {
        let found = active(tx, number)?;
        match to {
            MoveTo::Group(_) => Ok(Vec::new()),
            MoveTo::Away => Ok(plan_move_away(
                number,
                balance(tx, found.id)?,
                committee,
                reason,
            )?),
        }
    })
}

/// A move to another group of the store from `on` (ranks, tiers and notices follow the group
/// from that day; earlier periods keep the old one), or away.
pub fn move_household(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    to: &MoveTo,
    reason: &str,
    committee: Option<&Committee>,
    on: NaiveDate,
    now: NaiveDateTime,
) -> Result<ChangeDone> {
    actor.require(Action::ImportHouseholds)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    check_effective(on, now.date())?;
    db.write(|tx| {
        let found = active(tx, number)?;
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

/// A household's changes, for its ledger and statistics pages.
pub fn history(db: &mut Db, number: &HouseholdNo) -> Result<Vec<transfers::StoredChange>> {
    db.read(|tx| {
        let found = find(tx, number)?;
        Ok(transfers::changes_of(tx, found.id)?)
    })
}

/// What a change did, worded for the board or a household's history, in `locale`.
pub fn change_what(c: &transfers::StoredChange, locale: &str) -> String {
    let points = c.points.unwrap_or(0);
    let other = c.other_no.clone().unwrap_or_default();
    let before = c.before.clone().unwrap_or_default();
    let after = c.after.clone().unwrap_or_default();
    match c.kind {
        ChangeKind::Split => t!(
            "households.line_split",
            locale = locale,
            new = other,
            head = after,
            points = points
        ),
        ChangeKind::Merge => t!(
            "households.line_merge",
            locale = locale,
            into = other,
            points = points
        ),
        ChangeKind::Head => t!(
            "households.line_head",
            locale = locale,
            before = before,
            after = after
        ),
        ChangeKind::MoveGroup => t!(
            "households.line_move",
            locale = locale,
            before = before,
            after = after
        ),
        ChangeKind::MoveAway if points > 0 => t!(
            "households.line_away_ended",
            locale = locale,
            points = points
        ),
        ChangeKind::MoveAway => t!("households.line_away", locale = locale),
        ChangeKind::Join => t!("households.line_join", locale = locale),
    }
    .into()
}

/// One line of a household's history: day, household, what changed, why, who approved.
pub fn change_line(c: &transfers::StoredChange) -> String {
    let locale = rust_i18n::locale();
    let approved = match c.approved_by.as_deref() {
        None | Some("") => String::new(),
        Some(names) => t!("households.line_approved", names = names).into(),
    };
    t!(
        "households.line",
        day = c.effective_on.to_string(),
        number = c.household_no,
        head = c.head_name,
        what = change_what(c, &locale),
        reason = c.reason,
        approved = approved
    )
    .into()
}

/// The changes of a notice's period, each with the group the household was in on its day:
/// (group id, village, group, line).
pub fn notice_changes(
    tx: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    locale: &str,
) -> Result<Vec<(i64, String, String, crate::core::notices::ChangeLine)>> {
    let mut out = Vec::new();
    for c in transfers::changes_between(tx, from, to)? {
        // A move is listed under the group the household left, where the board was read.
        let day = if c.kind == ChangeKind::MoveGroup {
            c.effective_on.pred_opt().unwrap_or(c.effective_on)
        } else {
            c.effective_on
        };
        let group_id = transfers::group_at(tx, c.household_id, day)?;
        let (village, group): (String, String) = tx.query_row(
            "SELECT v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id WHERE g.id = ?1",
            [group_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.push((
            group_id,
            village,
            group,
            crate::core::notices::ChangeLine {
                day: c.effective_on,
                number: crate::store::parse_stored(&c.household_no, |s| s.parse().ok())?,
                head_name: c.head_name.clone(),
                change: change_what(&c, locale),
                reason: c.reason.clone(),
                approved_by: c.approved_by.clone().unwrap_or_default(),
            },
        ));
    }
    Ok(out)
}

pub fn refusal(r: &ChangeRefusal) -> String {
    use ChangeRefusal::*;
    match r {
        PointsExceedBalance {
            household,
            balance,
            wanted,
        } => t!(
            "households.refusal_exceeds",
            number = household,
            balance = balance,
            wanted = wanted
        )
        .into(),
        NegativePoints => t!("households.refusal_negative").into(),
        OpenVoucher {
            household,
            voucher_no,
            valid_until,
        } => t!(
            "households.refusal_open_voucher",
            number = household,
            voucher = voucher_no,
            until = valid_until.to_string()
        )
        .into(),
        NumberTaken(n) => t!("households.refusal_number_taken", number = n).into(),
        SameHousehold(n) => t!("households.refusal_same", number = n).into(),
        AlreadyInGroup { household, group } => t!(
            "households.refusal_same_group",
            number = household,
            group = group
        )
        .into(),
        BalanceLeft { household, balance } => t!(
            "households.refusal_balance_left",
            number = household,
            balance = balance
        )
        .into(),
        SameHead(n) => t!("households.refusal_same_head", number = n).into(),
        NotYetEligible {
            household,
            eligible_on,
        } => t!(
            "households.refusal_not_yet",
            number = household,
            day = eligible_on.to_string()
        )
        .into(),
        OtherVillage { from, into } => {
            t!("households.refusal_other_village", from = from, into = into).into()
        }
        BadDate(d) => t!("households.refusal_bad_date", day = d.to_string()).into(),
    }
}

impl From<ChangeRefusal> for super::Error {
    fn from(r: ChangeRefusal) -> Self {
        super::Error::Refused(Refusal::HouseholdChange(r))
    }
}
