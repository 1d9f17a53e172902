//! Village rules (一村一方案) applied: setting a village's rules, what they mean for one
//! household at the counter, and the yearly steps they call for (reset, prizes).

use chrono::{Datelike, NaiveDateTime};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::{Actor, Error, Result, audit};
use crate::core::policy::{TierStanding, VillagePolicy, prize_counts};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{Period, year_end};
use crate::store::{Db, rules};

/// The rules in force for a village: its latest approved text, or the defaults.
pub fn policy_for_village(conn: &Connection, village_id: i64) -> Result<VillagePolicy> {
    match rules::policy_text(conn, village_id)? {
        Some(text) => VillagePolicy::parse(&text).map_err(|e| Refusal::BadRules(e).into()),
        None => Ok(VillagePolicy::default()),
    }
}

fn village(conn: &Connection, name: &str) -> Result<i64> {
    rules::village_id(conn, name)?.ok_or_else(|| Refusal::UnknownVillage(name.to_string()).into())
}

/// The text of a village's rules in force (or an empty text meaning the defaults).
pub fn show_policy(db: &mut Db, village_name: &str) -> Result<(VillagePolicy, String)> {
    db.read(|tx| {
        let id = village(tx, village_name)?;
        let text = rules::policy_text(tx, id)?.unwrap_or_default();
        Ok((policy_for_village(tx, id)?, text))
    })
}

/// Sets a village's rules from the committee's TOML text (manager only); the old versions stay.
pub fn set_policy(
    db: &mut Db,
    actor: &Actor,
    village_name: &str,
    text: &str,
    now: NaiveDateTime,
) -> Result<VillagePolicy> {
    actor.require(Action::SetRules)?;
    let policy = VillagePolicy::parse(text).map_err(Refusal::BadRules)?;
    db.write(|tx| {
        let id = village(tx, village_name)?;
        rules::insert_policy(tx, id, text, actor.id, now)?;
        audit(
            tx,
            Some(actor.id),
            "set_policy",
            json!({ "village": village_name, "name": policy.name }),
            now,
        )?;
        Ok(policy.clone())
    })
}

/// What a village's rules say about one household today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct HouseholdRules {
    pub policy_name: String,
    /// Under tiered redemption: the month looked at and the household's standing in it.
    pub tier: Option<(Period, TierStanding)>,
    /// Among the year's top households, who pay half.
    pub double_value: bool,
    pub only_on_redemption_day: bool,
}

pub fn household_rules(
    conn: &Connection,
    household_id: i64,
    now: NaiveDateTime,
) -> Result<(VillagePolicy, HouseholdRules)> {
    let (village_id, _) = rules::place_of(conn, household_id)?;
    let policy = policy_for_village(conn, village_id)?;
    let mut out = HouseholdRules {
        policy_name: policy.name.clone(),
        only_on_redemption_day: policy.redemption.only_on_redemption_day,
        ..HouseholdRules::default()
    };
    if let Some(tiers) = &policy.tiers {
        // The standing comes from the household's own group's sheet for the month before the
        // redemption, never from whichever village posted last (issue 14).
        let month = previous_month(now.date());
        // Ranked in the group it was in that month, even if it has moved since (issue 24).
        let group_id = crate::store::transfers::group_at(
            conn,
            household_id,
            month.next().first_day().pred_opt().unwrap_or(now.date()),
        )?;
        let standing = if rules::group_sheet_posted(conn, group_id, month)? {
            let score = rules::score_of(conn, household_id, month)?;
            let group = rules::group_scores(conn, group_id, month)?;
            tiers.standing(score, &group)
        } else {
            TierStanding::SheetNotPosted {
                group: rules::group_name(conn, group_id)?,
                period: month,
            }
        };
        out.tier = Some((month, standing));
    }
    if let Some(double) = &policy.double_value {
        let totals = rules::year_totals(conn, village_id, now.year())?;
        let all: Vec<i64> = totals.iter().map(|t| t.total).collect();
        out.double_value = totals
            .iter()
            .find(|t| t.household_id == household_id)
            .is_some_and(|t| double.earned(t.total, &all));
    }
    Ok((policy, out))
}

/// The month before the one `day` falls in: the month a tiered redemption looks at.
pub fn previous_month(day: chrono::NaiveDate) -> Period {
    Period::of(day.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(day))
}

/// Records that the year-end warning notice was printed and put up; the reset needs it first.
pub fn record_reset_warning(
    db: &mut Db,
    actor: &Actor,
    village_name: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::PostPoints)?;
    db.write(|tx| {
        let id = village(tx, village_name)?;
        if !rules::year_event(tx, id, year, "warning_printed")? {
            rules::insert_year_event(tx, id, year, "warning_printed", actor.id, now)?;
            audit(
                tx,
                Some(actor.id),
                "year_end_warning",
                json!({ "village": village_name, "year": year }),
                now,
            )?;
        }
        Ok(())
    })
}

/// The year-end reset (年底清零): one expiry entry per household with points, in one step,
/// only under rules that call for it, only after the warning notice, and only once a year.
pub fn year_end_reset(
    db: &mut Db,
    actor: &Actor,
    village_name: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<usize> {
    actor.require(Action::PostPoints)?;
    db.write(|tx| {
        let id = village(tx, village_name)?;
        if !policy_for_village(tx, id)?.year_end_reset {
            return Err(Refusal::RuleNoReset(village_name.to_string()).into());
        }
        if !rules::year_event(tx, id, year, "warning_printed")? {
            return Err(Refusal::ResetWithoutWarning(village_name.to_string()).into());
        }
        if rules::year_event(tx, id, year, "reset_done")? {
            return Err(Refusal::ResetDone {
                village: village_name.to_string(),
                year,
            }
            .into());
        }
        // The reset belongs to the turn of the year: from December to the end of January.
        let season = chrono::NaiveDate::from_ymd_opt(year, 12, 1)
            .zip(chrono::NaiveDate::from_ymd_opt(year + 1, 2, 1));
        if !season.is_some_and(|(from, until)| now.date() >= from && now.date() < until) {
            return Err(Refusal::ResetOutOfSeason { year }.into());
        }
        let mut count = 0;
        for (household_id, number, balance) in rules::balances_in_village(tx, id)? {
            // Only the points credited for the old year expire, less what was spent since,
            // oldest first (the rule and its proptest are in core::year_end).
            let entries = rules::year_end_entries(tx, household_id)?;
            let balance = year_end::expiring_points(&entries, year).min(balance);
            if balance <= 0 {
                continue;
            }
            let number: crate::core::HouseholdNo = number
                .parse()
                .map_err(|_| Error::Refused(Refusal::Overflow))?;
            crate::store::ledger::append_point_entry(
                tx,
                crate::store::ledger::NewPointEntry {
                    household_id,
                    household_no: &number,
                    kind: crate::core::ledger::PointEntryKind::YearEndExpiry,
                    amount: crate::core::Points(-balance),
                    period: None,
                    redemption_id: None,
                    receipt_no: None,
                    reason: Some(format!("{year} 年终清零")),
                    approved_by: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
            count += 1;
        }
        rules::insert_year_event(tx, id, year, "reset_done", actor.id, now)?;
        audit(
            tx,
            Some(actor.id),
            "year_end_reset",
            json!({ "village": village_name, "year": year, "households": count }),
            now,
        )?;
        Ok(count)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrizeWinner {
    pub group: String,
    pub household: String,
    pub head_name: String,
    pub year_score: i64,
    /// 1, 2 or 3.
    pub prize: u8,
}

/// The annual prize list of a village: per group, the best households by their year's total.
pub fn annual_prizes(db: &mut Db, village_name: &str, year: i32) -> Result<Vec<PrizeWinner>> {
    db.read(|tx| {
        let id = village(tx, village_name)?;
        let policy = policy_for_village(tx, id)?;
        let prize = policy
            .annual_prize
            .ok_or_else(|| Refusal::RuleNoPrize(village_name.to_string()))?;
        let totals = rules::year_totals(tx, id, year)?;
        let mut groups: Vec<i64> = totals.iter().map(|t| t.group_id).collect();
        groups.sort_unstable();
        groups.dedup();
        let mut out = Vec::new();
        for group in groups {
            let members: Vec<_> = totals.iter().filter(|t| t.group_id == group).collect();
            let (first, second, third) = prize_counts(&prize, members.len());
            for (i, t) in members.iter().take(first + second + third).enumerate() {
                let prize = if i < first {
                    1
                } else if i < first + second {
                    2
                } else {
                    3
                };
                out.push(PrizeWinner {
                    group: t.group.clone(),
                    household: t.number.clone(),
                    head_name: t.head_name.clone(),
                    year_score: t.total,
                    prize,
                });
            }
        }
        Ok(out)
    })
}
