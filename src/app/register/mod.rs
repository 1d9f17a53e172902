//! The scoring register (积分台账, issue 20): the village's items for a year, the scoring events
//! with their evidence, the scoring group's monthly review and approval (which posts the month
//! as a score sheet, through the same path as an imported sheet), disputes that name an event,
//! and the forms (家庭积分情况统计表, 小组家庭积分情况汇总表) built from it.

mod disputes;
mod events;
mod evidence;
mod forms;
mod items;
mod review;
mod sheet;

pub use disputes::{EventDecision, decide_event_dispute, dispute_event};
pub use events::{EventInput, add_event, add_events};
pub use evidence::carry_evidence;
pub use forms::{GroupSummary, HouseholdYear, group_summary, household_year, scoring_photos};
pub use items::{export_items, import_items, items_grid, show_items};
pub use review::{GroupMonth, HouseholdMonth, approve_month, month_review};
pub use sheet::{import_group_sheet, write_group_sheet};

use rusqlite::Connection;
use rust_i18n::t;

use super::Result;
use crate::core::refusal::Refusal;
use crate::core::register::{RegisterEvent, RegisterRefusal, RegisterRules};
use crate::core::{Period, register};
use crate::store::register::{self as stored, GroupAt, ItemTable};

/// A register refusal as a service error.
pub(crate) fn refuse<T>(r: RegisterRefusal) -> Result<T> {
    Err(Refusal::Register(r).into())
}

/// The words for a register refusal (called from `messages::refusal`).
pub fn message(r: &RegisterRefusal) -> String {
    use RegisterRefusal::*;
    match r {
        NoItems { village, year } => t!("register.no_items", village = village, year = year).into(),
        UnknownItem { item } => t!("register.unknown_item", item = item).into(),
        AmbiguousItem { item, numbers } => {
            let numbers: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
            t!(
                "register.ambiguous_item",
                item = item,
                numbers = numbers.join("、")
            )
            .into()
        }
        PointsOutOfRange {
            item,
            min,
            max,
            given,
        } => t!(
            "register.points_out_of_range",
            item = item,
            min = min,
            max = max,
            given = given
        )
        .into(),
        MonthApproved { group, period } => {
            t!("register.month_approved", group = group, period = period).into()
        }
        ScoringGroup { given } => t!("register.scoring_group", given = given).into(),
        LeaderNotInGroup { leader } => t!("register.leader_not_in_group", leader = leader).into(),
        UnknownEvent(id) => t!("register.unknown_event", id = id).into(),
        AlreadyCorrected { event, by } => {
            t!("register.already_corrected", event = event, by = by).into()
        }
        MonthNotApproved { group, period } => t!(
            "register.month_not_approved",
            group = group,
            period = period
        )
        .into(),
        Evidence { path, reason } => t!("register.evidence", path = path, reason = reason).into(),
        WrongYear { date, year } => t!("register.wrong_year", date = date, year = year).into(),
        EventOfOtherHousehold { event } => {
            t!("register.event_of_other_household", event = event).into()
        }
        NoChange { event } => t!("register.no_change", event = event).into(),
        DecideByEvent { dispute, event } => {
            t!("register.decide_by_event", dispute = dispute, event = event).into()
        }
        FutureDate { date } => t!("register.future_date", date = date).into(),
        FutureMonth { period } => t!("register.future_month", period = period).into(),
        ItemsInUse {
            village,
            year,
            events,
        } => t!(
            "register.items_in_use",
            village = village,
            year = year,
            events = events
        )
        .into(),
    }
}

/// The words for a register fault found by `check`.
pub fn fault_message(f: &crate::store::register_check::RegisterFault) -> String {
    use crate::store::register_check::RegisterFault::*;
    match f {
        Unreadable { detail } => t!("register.fault.unreadable", detail = detail).into(),
        BrokenChain { event } => t!("register.fault.broken_chain", event = event).into(),
        HashMismatch { event } => t!("register.fault.hash_mismatch", event = event).into(),
        ScoreMismatch {
            household,
            period,
            computed,
            recorded,
        } => t!(
            "register.fault.score_mismatch",
            household = household,
            period = period,
            computed = computed,
            recorded = recorded
        )
        .into(),
        CreditMismatch {
            household,
            period,
            expected,
            found,
        } => t!(
            "register.fault.credit_mismatch",
            household = household,
            period = period,
            expected = expected,
            found = found
        )
        .into(),
        AdjustmentMismatch { household, period } => t!(
            "register.fault.adjustment_mismatch",
            household = household,
            period = period
        )
        .into(),
        Evidence {
            event,
            file,
            problem,
        } => t!(
            "register.fault.evidence",
            event = event,
            file = file,
            problem = problem
        )
        .into(),
        Rules { village_id, detail } => t!(
            "register.fault.rules",
            village = village_id,
            detail = detail
        )
        .into(),
    }
}

/// Finds the one village group staff meant, however they wrote it.
pub(crate) fn resolve_group(conn: &Connection, text: &str) -> Result<GroupAt> {
    let mut found = stored::groups_matching(conn, text)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Refusal::UnknownGroup(text.trim().to_string()).into()),
        _ => Err(Refusal::AmbiguousGroup {
            group: text.trim().to_string(),
            villages: found.into_iter().map(|g| g.village).collect(),
        }
        .into()),
    }
}

pub(crate) fn group_label(g: &GroupAt) -> String {
    format!("{}/{}", g.village, g.group)
}

/// The rules and the items table a village scores a year by.
pub(crate) struct YearRules {
    pub rules: RegisterRules,
    pub points_per_score: i64,
    pub table: ItemTable,
}

pub(crate) fn year_rules(conn: &Connection, village_id: i64, year: i32) -> Result<YearRules> {
    let policy = super::rules::policy_for_village(conn, village_id)?;
    year_rules_with(conn, village_id, year, policy)
}

/// The rules in force when a month was approved (for correcting it later, as `check` does).
pub(crate) fn year_rules_at(
    conn: &Connection,
    village_id: i64,
    year: i32,
    at: chrono::NaiveDateTime,
) -> Result<YearRules> {
    let policy = match stored::policy_text_at(conn, village_id, at)? {
        Some(text) => {
            crate::core::policy::VillagePolicy::parse(&text).map_err(Refusal::BadRules)?
        }
        None => crate::core::policy::VillagePolicy::default(),
    };
    year_rules_with(conn, village_id, year, policy)
}

fn year_rules_with(
    conn: &Connection,
    village_id: i64,
    year: i32,
    policy: crate::core::policy::VillagePolicy,
) -> Result<YearRules> {
    let Some(table) = stored::table_for(conn, village_id, year)? else {
        let village: String = conn.query_row(
            "SELECT name FROM village WHERE id = ?1",
            [village_id],
            |r| r.get(0),
        )?;
        return refuse(RegisterRefusal::NoItems { village, year });
    };
    Ok(YearRules {
        rules: policy.register.clone(),
        points_per_score: policy.scoring.points_per_score,
        table,
    })
}

/// One household's score for a month, from its events of that year.
pub(crate) fn household_month(
    conn: &Connection,
    yr: &YearRules,
    household_id: i64,
    period: Period,
) -> Result<(register::MonthScore, Vec<RegisterEvent>)> {
    let first = Period {
        year: period.year,
        month: 1,
    }
    .first_day();
    let last = Period {
        year: period.year,
        month: 12,
    }
    .first_day()
        + chrono::Days::new(30);
    let events = stored::events_of(conn, household_id, first, last)?;
    let score = register::month_total(&yr.rules, &yr.table.items, &events, period);
    let month_events = events
        .into_iter()
        .filter(|e| Period::of(e.date) == period)
        .collect();
    Ok((score, month_events))
}
