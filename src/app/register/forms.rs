//! The figures behind the register's forms: 家庭积分情况统计表 (one household's year, by month
//! and class, with its events) and 小组家庭积分情况汇总表 (a group's month with ranks).

use serde::Serialize;

use super::review::{GroupMonth, group_month};
use super::{Result, resolve_group, year_rules};
use crate::app::notices::store_name;
use crate::core::refusal::Refusal;
use crate::core::register::{self, MonthScore, RegisterEvent, ScoringItem};
use crate::core::{HouseholdNo, Period};
use crate::store::register as stored;
use crate::store::{Db, households, rules};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdYear {
    pub store: String,
    pub household: String,
    pub head_name: String,
    pub village: String,
    pub group: String,
    pub year: i32,
    pub classes: Vec<String>,
    pub items: Vec<ScoringItem>,
    /// Each month's score and whether the month is approved.
    pub months: Vec<(Period, MonthScore, bool)>,
    /// Every event of the year, corrections included, oldest first.
    pub events: Vec<RegisterEvent>,
    /// The household's changes of the year (split, merge, new head, move, join; issue 24),
    /// worded as on the points notice's 变动情况.
    pub changes: Vec<crate::core::notices::ChangeLine>,
}

impl HouseholdYear {
    pub fn total(&self) -> i64 {
        self.months.iter().map(|(_, s, _)| s.total).sum()
    }
}

pub fn household_year(db: &mut Db, number: &HouseholdNo, year: i32) -> Result<HouseholdYear> {
    db.read(|tx| {
        let found = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        let (village_id, group_id) = rules::place_of(tx, found.id)?;
        let yr = year_rules(tx, village_id, year)?;
        let first = Period { year, month: 1 }.first_day();
        let last = Period { year, month: 12 }.first_day() + chrono::Days::new(30);
        let mut events = stored::events_of(tx, found.id, first, last)?;
        events.sort_by_key(|e| (e.date, e.id));
        let mut months = Vec::new();
        for (period, score) in register::year_scores(&yr.rules, &yr.table.items, &events, year) {
            let approved = stored::approval(tx, group_id, period)?.is_some();
            months.push((period, score, approved));
        }
        let mut classes: Vec<String> = Vec::new();
        for item in &yr.table.items {
            if !classes.contains(&item.class) {
                classes.push(item.class.clone());
            }
        }
        let changes = crate::app::household_changes::year_changes(
            tx,
            found.id,
            year,
            crate::notice::document::NOTICE_LOCALE,
        )?;
        Ok(HouseholdYear {
            changes,
            store: store_name(tx)?,
            household: number.to_string(),
            head_name: found.household.head_name.clone(),
            village: found.household.village.clone(),
            group: found.household.group.clone(),
            year,
            classes,
            items: yr.table.items.clone(),
            months,
            events,
        })
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub store: String,
    pub month: GroupMonth,
    /// Rank of each household (in `month.households` order), 1 the best.
    pub ranks: Vec<i64>,
}

pub fn group_summary(db: &mut Db, group: &str, period: Period) -> Result<GroupSummary> {
    db.read(|tx| {
        let at = resolve_group(tx, group)?;
        let month = group_month(tx, &at, period)?;
        let totals: Vec<i64> = month.households.iter().map(|h| h.score.total).collect();
        Ok(GroupSummary {
            store: store_name(tx)?,
            ranks: register::ranks(&totals),
            month,
        })
    })
}

/// The dates and places of the scoring photos in `[first, last]`, for one group or all.
pub fn scoring_photos(
    db: &mut Db,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    group: Option<&crate::app::cards::GroupSpec>,
) -> Result<Vec<String>> {
    db.read(|tx| {
        let group_id = crate::app::notices::group_filter(tx, group)?;
        let mut stmt = tx.prepare(
            "SELECT e.id FROM register_event e JOIN household h ON h.id = e.household_id
             WHERE e.evidence_sha256 IS NOT NULL AND e.event_date BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR h.group_id = ?3) ORDER BY e.event_date, e.id",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(
                rusqlite::params![first.to_string(), last.to_string(), group_id],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut events = Vec::new();
        for id in ids {
            events.extend(stored::event(tx, id)?);
        }
        Ok(crate::notice::register::photo_lines(events.iter()))
    })
}
