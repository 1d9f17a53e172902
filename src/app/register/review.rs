//! The scoring group's monthly review (一月一审核): each household of a village group with its
//! events and the score the rules give, and the approval that posts the month. The approval
//! *is* the month's score sheet: it goes through the same posting as an imported sheet, so
//! credits, the once-a-month refusal and the notices work as they do for paper sheets.

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::{Result, group_label, household_month, refuse, resolve_group, year_rules};
use crate::app::{Actor, audit, import};
use crate::core::import_rows::ScoreRow;
use crate::core::ledger::PointEntryKind;
use crate::core::refusal::Refusal;
use crate::core::register::{MonthScore, RegisterEvent, RegisterRefusal, ScoringItem};
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Period, Points};
use crate::store::Db;
use crate::store::ledger::{NewPointEntry, append_point_entry};
use crate::store::register::{self as stored, Adjustment, Approval, GroupAt};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdMonth {
    pub household_id: i64,
    pub household: String,
    pub head_name: String,
    pub score: MonthScore,
    /// The month's events, corrections included, oldest first.
    pub events: Vec<RegisterEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMonth {
    pub village: String,
    pub group: String,
    pub period: Period,
    pub items: Vec<ScoringItem>,
    /// The classes in the order of the items table.
    pub classes: Vec<String>,
    pub households: Vec<HouseholdMonth>,
    /// Who approved it and when, once approved.
    pub approved_by: Option<String>,
    pub leader: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
    /// Points credited by the approval (after any later corrections).
    pub points_total: i64,
}

/// The review screen's and `month review`'s view of a group's month. Reads only.
pub fn month_review(db: &mut Db, group: &str, period: Period) -> Result<GroupMonth> {
    db.read(|tx| {
        let at = resolve_group(tx, group)?;
        group_month(tx, &at, period)
    })
}

pub(crate) fn group_month(tx: &Connection, at: &GroupAt, period: Period) -> Result<GroupMonth> {
    let yr = year_rules(tx, at.village_id, period.year)?;
    let mut households = Vec::new();
    for (id, number, head) in stored::households_of_group(tx, at.id)? {
        let (score, events) = household_month(tx, &yr, id, period)?;
        households.push(HouseholdMonth {
            household_id: id,
            household: number,
            head_name: head,
            score,
            events,
        });
    }
    let approval = stored::approval(tx, at.id, period)?;
    let mut points_total = 0;
    if approval.is_some() {
        for h in &households {
            points_total += stored::credit_of(tx, h.household_id, period)?;
        }
    }
    let mut classes: Vec<String> = Vec::new();
    for item in &yr.table.items {
        if !classes.contains(&item.class) {
            classes.push(item.class.clone());
        }
    }
    Ok(GroupMonth {
        village: at.village.clone(),
        group: at.group.clone(),
        period,
        items: yr.table.items.clone(),
        classes,
        households,
        approved_by: approval.as_ref().map(|a| a.approved_by.clone()),
        leader: approval.as_ref().map(|a| a.leader.clone()),
        approved_at: approval.as_ref().map(|a| a.created_at),
        points_total,
    })
}

/// The scoring group approves a village group's month: at least three distinct people, one of
/// them its leader (the first named unless `leader` says otherwise). Posts the month's score
/// sheet and its credits in the same transaction.
pub fn approve_month(
    db: &mut Db,
    actor: &Actor,
    group: &str,
    period: Period,
    approvers: &[String],
    leader: Option<&str>,
    now: NaiveDateTime,
) -> Result<GroupMonth> {
    actor.require(Action::PostPoints)?;
    // The store's one rule for who approved (`staff_rules::approvers`): a name given twice is
    // refused, never counted once, so two people cannot pass for a scoring group of three.
    let names = match crate::core::staff_rules::approvers(
        approvers,
        crate::core::staff_rules::Approval::Committee,
    ) {
        Ok(names) => names,
        Err(Refusal::TooFewApprovers { given }) => {
            return refuse(RegisterRefusal::ScoringGroup { given });
        }
        Err(other) => return Err(other.into()),
    };
    let leader = leader.map(str::trim).unwrap_or(&names[0]).to_string();
    if !names.contains(&leader) {
        return refuse(RegisterRefusal::LeaderNotInGroup { leader });
    }
    if period > Period::of(now.date()) {
        return refuse(RegisterRefusal::FutureMonth { period });
    }
    let approved_by = names.join(",");
    db.write(|tx| {
        let at = resolve_group(tx, group)?;
        if stored::approval(tx, at.id, period)?.is_some() {
            return refuse(RegisterRefusal::MonthApproved { group: group_label(&at), period });
        }
        let month = group_month(tx, &at, period)?;
        let rows: Vec<ScoreRow> = month
            .households
            .iter()
            .enumerate()
            .map(|(i, h)| -> Result<ScoreRow> {
                Ok(ScoreRow {
                    row: i + 2,
                    household: h.household.parse().map_err(|_| Refusal::Overflow)?,
                    head_name: None,
                    score: h.score.total,
                })
            })
            .collect::<Result<_>>()?;
        let file = format!("积分台账 {} {period}", group_label(&at));
        let (summary, sheet_id) = import::post_scores_in(tx, actor, &file, period, &approved_by, &rows, now)?;
        let id = stored::insert_approval(tx, at.id, period, &leader, &approved_by, sheet_id, actor.id, now)?;
        audit(tx, Some(actor.id), "approve_month", json!({ "group": group_label(&at), "period": period.to_string(), "approval": id, "sheet": sheet_id, "households": rows.len(), "points": summary.points_total, "leader": leader, "approved_by": approved_by }), now)?;
        group_month(tx, &at, period)
    })
}

/// After a correcting event in an approved month (an upheld dispute): the household's new
/// score, and a correction entry moving its points by the difference from what was credited.
pub(crate) fn recompute_month(
    tx: &Connection,
    actor: &Actor,
    approval: &Approval,
    household_id: i64,
    event: &RegisterEvent,
    committee: &str,
    now: NaiveDateTime,
) -> Result<Adjustment> {
    let (village_id, _) = crate::store::rules::place_of(tx, household_id)?;
    let yr = super::year_rules_at(tx, village_id, approval.period.year, approval.created_at)?;
    let (score, _) = household_month(tx, &yr, household_id, approval.period)?;
    let before = current_score(tx, approval, household_id)?;
    let points = |s: i64| s.checked_mul(yr.points_per_score).ok_or(Refusal::Overflow);
    let change = points(score.total)? - points(before)?;
    let household = crate::store::households::find_by_id(tx, household_id)?
        .ok_or(Refusal::Register(RegisterRefusal::UnknownEvent(event.id)))?;
    let number: &HouseholdNo = &household.household.number;
    let entry_id = if change != 0 {
        let balance = crate::store::ledger::balance(tx, household_id)?;
        if balance.0 + change < 0 {
            return Err(Refusal::BelowZeroPoints {
                household: number.clone(),
                balance,
                change: Points(change),
            }
            .into());
        }
        let entry = append_point_entry(
            tx,
            NewPointEntry {
                household_id,
                household_no: number,
                kind: PointEntryKind::Correction,
                amount: Points(change),
                period: Some(approval.period),
                redemption_id: None,
                receipt_no: None,
                reason: Some(format!(
                    "积分台账更正 {}：事件 {} 更正为 {}（{} 分 → {} 分）",
                    approval.period,
                    event.corrects.unwrap_or(event.id),
                    event.id,
                    before,
                    score.total
                )),
                approved_by: Some(committee.to_string()),
                staff: actor.id,
                created_at: now,
            },
        )?;
        Some(entry.id)
    } else {
        None
    };
    let adjustment = Adjustment {
        approval_id: approval.id,
        household_id,
        event_id: event.id,
        dispute_id: event.dispute_id,
        score_before: before,
        score_after: score.total,
        entry_id,
    };
    stored::insert_adjustment(tx, &adjustment, now)?;
    Ok(adjustment)
}

/// The score a household stands at for an approved month: the sheet's, or the last
/// adjustment's.
pub(crate) fn current_score(
    tx: &Connection,
    approval: &Approval,
    household_id: i64,
) -> Result<i64> {
    if let Some(last) = stored::adjustments(tx, approval.id, household_id)?.last() {
        return Ok(last.score_after);
    }
    let score = stored::sheet_scores(tx, approval.sheet_id)?
        .into_iter()
        .find(|(h, _)| *h == household_id)
        .map_or(0, |(_, s)| s);
    Ok(score)
}
