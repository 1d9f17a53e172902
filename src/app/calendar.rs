//! The redemption calendar (兑换日): each village's planned days and the groups each serves,
//! moved for holidays; and what it allows — which redemption day may be opened, and who may
//! redeem while one is open (朱家角: once a year; 翁源: a fixed day a month, by group).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::refusal::Refusal;
use crate::core::session::Session;
use crate::core::staff::Action;
use crate::store::calendar::{self as stored, GroupRow};
use crate::store::{Db, rules};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedemptionDay {
    pub day: String,
    pub moved_from: Option<String>,
    pub note: Option<String>,
    /// The groups served (names within the village); empty means the whole village.
    pub groups: Vec<String>,
}

/// A day to put on a village's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayPlan {
    pub village: String,
    pub day: Option<NaiveDate>,
    /// The groups it serves as written (`一组`, `青山村/一组`, `青山村一组`); empty: the whole
    /// village, or for a holiday move the groups of the day it replaces.
    pub groups: Vec<String>,
    /// A holiday move: the day it replaces comes off the calendar.
    pub moved_from: Option<NaiveDate>,
    pub note: Option<String>,
}

fn village_id(conn: &Connection, village: &str) -> Result<i64> {
    rules::village_id(conn, village)?
        .ok_or_else(|| Refusal::UnknownVillage(village.to_string()).into())
}

/// Finds a group written as `村/组`, `村组` (run together) or `组` alone (when only one
/// village has it); `village` narrows the search to one village.
pub(crate) fn resolve_group(
    all: &[GroupRow],
    village: Option<i64>,
    written: &str,
) -> Result<GroupRow> {
    let text = written.trim();
    let found: Vec<&GroupRow> = all
        .iter()
        .filter(|g| village.is_none_or(|v| g.village_id == v))
        .filter(|g| {
            let (v, n) = (g.village.as_str(), g.group.as_str());
            text == n
                || text == format!("{v}{n}")
                || text
                    .split_once(['/', '／'])
                    .is_some_and(|(a, b)| a.trim() == v && b.trim() == n)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Refusal::UnknownGroup(text.to_string()).into()),
        many => Err(Refusal::AmbiguousGroup {
            group: text.to_string(),
            villages: many.iter().map(|g| g.village.clone()).collect(),
        }
        .into()),
    }
}

/// Puts a redemption day on a village's calendar for the groups it serves (manager only);
/// `moved_from` records a holiday move, takes the original day off the calendar and, unless
/// groups are given, carries its groups over.
pub fn plan_day(
    db: &mut Db,
    actor: &Actor,
    plan: &DayPlan,
    now: NaiveDateTime,
) -> Result<RedemptionDay> {
    actor.require(Action::SetRules)?;
    let day = plan.day.unwrap_or(now.date());
    db.write(|tx| {
        let id = village_id(tx, &plan.village)?;
        let all = stored::all_groups(tx)?;
        let mut groups = plan
            .groups
            .iter()
            .map(|g| resolve_group(&all, Some(id), g).map(|g| g.id))
            .collect::<Result<Vec<i64>>>()?;
        if let Some(old) = plan.moved_from {
            if groups.is_empty() {
                groups = stored::planned(tx, id, old)?.unwrap_or_default();
            }
            stored::unplan(tx, id, old)?;
        }
        groups.sort_unstable();
        groups.dedup();
        stored::plan(tx, id, day, plan.moved_from, plan.note.as_deref(), &groups)?;
        let names: Vec<String> = all
            .iter()
            .filter(|g| groups.contains(&g.id))
            .map(|g| g.group.clone())
            .collect();
        audit(
            tx,
            Some(actor.id),
            "plan_redemption_day",
            json!({ "village": plan.village, "day": day.to_string(),
                    "moved_from": plan.moved_from.map(|d| d.to_string()), "groups": names }),
            now,
        )?;
        Ok(RedemptionDay {
            day: day.to_string(),
            moved_from: plan.moved_from.map(|d| d.to_string()),
            note: plan.note.clone(),
            groups: names,
        })
    })
}

/// A village's redemption days in a year, in order.
pub fn calendar(db: &mut Db, village: &str, year: i32) -> Result<Vec<RedemptionDay>> {
    db.read(|tx| {
        let id = village_id(tx, village)?;
        Ok(stored::days_in_year(tx, id, year)?
            .into_iter()
            .map(|d| RedemptionDay {
                day: d.day,
                moved_from: d.moved_from,
                note: d.note,
                groups: d.groups,
            })
            .collect())
    })
}

/// Whether a village's rules call for redemption days (and so for the calendar).
fn needs_calendar(conn: &Connection, village_id: i64) -> Result<bool> {
    Ok(super::rules::policy_for_village(conn, village_id)?
        .redemption
        .only_on_redemption_day)
}

/// The groups a redemption day opened on `day` serves, as the calendar allows it: the groups
/// asked for, or when none are, every group the calendar plans that day plus the groups of
/// villages whose rules need no calendar. An empty answer means every group (a store whose
/// villages need no calendar). Refuses, naming the day and the group, what the calendar does
/// not plan.
pub(crate) fn groups_for_day(
    conn: &Connection,
    asked: &[String],
    day: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<String>> {
    let all = stored::all_groups(conn)?;
    let mut calendar_villages = Vec::new();
    for g in &all {
        if !calendar_villages.contains(&g.village_id) && needs_calendar(conn, g.village_id)? {
            calendar_villages.push(g.village_id);
        }
    }
    let on_calendar = |g: &GroupRow| calendar_villages.contains(&g.village_id);
    let chosen: Vec<GroupRow> = if asked.is_empty() {
        if calendar_villages.is_empty() {
            return Ok(Vec::new());
        }
        let mut chosen = Vec::new();
        for g in &all {
            let planned = stored::planned(conn, g.village_id, day)?;
            let served = match planned {
                _ if !on_calendar(g) => true,
                Some(groups) => groups.is_empty() || groups.contains(&g.id),
                None => false,
            };
            if served {
                chosen.push(g.clone());
            }
        }
        if chosen.is_empty() {
            let villages: Vec<String> = all
                .iter()
                .filter(|g| on_calendar(g))
                .map(|g| g.village.clone())
                .fold(Vec::new(), |mut v, name| {
                    if !v.contains(&name) {
                        v.push(name);
                    }
                    v
                });
            return Err(Refusal::NotOnCalendar {
                day,
                village: villages.join("、"),
            }
            .into());
        }
        chosen
    } else {
        asked
            .iter()
            .map(|g| resolve_group(&all, None, g))
            .collect::<Result<_>>()?
    };
    if chosen.iter().any(on_calendar) && day != today {
        return Err(Refusal::SessionNotToday { day }.into());
    }
    for g in chosen.iter().filter(|g| on_calendar(g)) {
        match stored::planned(conn, g.village_id, day)? {
            None => {
                return Err(Refusal::NotOnCalendar {
                    day,
                    village: g.village.clone(),
                }
                .into());
            }
            Some(groups) if !groups.is_empty() && !groups.contains(&g.id) => {
                let planned = all
                    .iter()
                    .filter(|x| groups.contains(&x.id))
                    .map(GroupRow::written)
                    .collect();
                return Err(Refusal::GroupNotOnCalendar {
                    day,
                    group: g.written(),
                    planned,
                }
                .into());
            }
            Some(_) => {}
        }
    }
    let mut written: Vec<String> = Vec::new();
    for g in chosen.iter().map(GroupRow::written) {
        if !written.contains(&g) {
            written.push(g);
        }
    }
    Ok(written)
}

/// Whether a group written in a session's list (`村/组`, or the run-together or bare forms
/// older sessions stored) is this household's group.
fn same_group(written: &str, village: &str, group: &str) -> bool {
    let w = written.trim();
    w == group
        || w == format!("{village}{group}")
        || w.split_once(['/', '／'])
            .is_some_and(|(a, b)| a.trim() == village && b.trim() == group)
}

/// What the open redemption day (if any) says about one household redeeming now: a day left
/// open past its day takes no more redemptions; under rules with redemption days, a day must
/// be open and serve the household's group. A village whose rules need no calendar redeems
/// on any day. `policy` names the rules for the refusal.
pub(crate) fn check_redemption(
    conn: &Connection,
    household_id: i64,
    only_on_redemption_day: bool,
    policy: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let open: Option<Session> = crate::store::sessions::current(conn)?;
    if let Some(s) = &open
        && s.past_its_day(now)
    {
        return Err(Refusal::SessionPastItsDay { day: s.day }.into());
    }
    if !only_on_redemption_day {
        return Ok(());
    }
    let Some(session) = open else {
        return Err(Refusal::RuleOnlyOnRedemptionDay {
            policy: policy.to_string(),
        }
        .into());
    };
    if session.groups_served.is_empty() {
        return Ok(());
    }
    let (_, group_id) = rules::place_of(conn, household_id)?;
    let written = rules::group_name(conn, group_id)?;
    let (village, group) = written.split_once('/').unwrap_or(("", &written));
    if session
        .groups_served
        .iter()
        .any(|s| same_group(s, village, group))
    {
        Ok(())
    } else {
        Err(Refusal::GroupNotServed {
            group: written.clone(),
            served: session.groups_served.clone(),
        }
        .into())
    }
}
