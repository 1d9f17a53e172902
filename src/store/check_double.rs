//! Whether a half-price line (积分翻倍, double value) was earned: the household must have been
//! among its village's top N of the year at the moment it redeemed. The redemption decided it
//! with `DoubleValue::earned` over `rules::year_totals` (the year's scores of the village's
//! active households, as the store stood then); `check` recomputes those totals as they stood
//! at the redemption's time and asks the same function.
//!
//! What "as they stood" means, from what the store records:
//! - a score counts from its sheet's `created_at`;
//! - a household is in the village by its group then: the move's own record says when the
//!   counter saw it (`household_change.created_at`); `household_group_history.from_date`
//!   says from which day it counts (`transfers::group_at`), which can be earlier (a move may
//!   be dated back);
//! - a household is active from its `created_at` until the `created_at` of the `move_away`
//!   or `merge` that ended it (issue 24).
//!
//! Where the records leave a moment open (a sheet posted in the same second as the
//! redemption, a backdated move, a group changed with no move record, a household marked
//! moved away before changes were recorded), the household gets the benefit of the doubt:
//! its own total counts every score it may have had, the others' only those they surely had,
//! and another household counts only if it surely was in the village and active. Ranks only
//! improve that way, so a line is reported only when no reading of the records would have
//! earned it: a false alarm at the counter costs more trust than it catches.
//!
//! Cost: nothing is read until a half-price line appears; then the households, their moves
//! and ends once, and each year's scores once (small: one row per household and month); the
//! totals of a (village, year, moment) are computed once and kept.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::Connection;

use super::Result;
use super::check_derived::Places;
use crate::core::policy::{DoubleValue, rank};

/// A year's scores by household: (the sheet's `created_at`, or `None` when the score names
/// no sheet, so when it counted is unknown; the score).
type YearScores = HashMap<i64, Vec<(Option<String>, i64)>>;

/// The check's answer for one household at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Standing {
    /// In the top N of a village whose rules then had double value.
    Earned,
    /// None of the villages it may have been in had double value then.
    NoDoubleValue,
    /// Outside the top N even with the benefit of every doubt.
    NotEarned {
        household: String,
        year_total: i64,
        rank: i64,
        top_n: i64,
    },
}

struct Household {
    number: String,
    created_at: String,
    active_now: bool,
    /// When a `move_away` or `merge` ended it (the first, if several).
    ended_at: Option<String>,
}

struct Roster {
    households: HashMap<i64, Household>,
    /// household → for each row of its group history (same order as `Places::moves`), when
    /// the counter saw that group: the move's `created_at`, else the start of the next day
    /// after `from_date` (a row no move explains was written some time on that day).
    seen_from: HashMap<i64, Vec<String>>,
    /// village → the households that may ever have been in it.
    members: HashMap<i64, Vec<i64>>,
}

/// Standings, read and computed only when asked.
#[derive(Default)]
pub(super) struct Standings {
    roster: Option<Roster>,
    years: HashMap<i32, YearScores>,
    /// (village, year, moment) → the year totals the other households surely had.
    totals: HashMap<(i64, i32, String), Vec<i64>>,
}

impl Standings {
    /// Whether `household`, redeeming at `at` (a stored timestamp), had earned double value.
    pub(super) fn at(
        &mut self,
        conn: &Connection,
        places: &Places,
        household: i64,
        at: &str,
    ) -> Result<Standing> {
        let roster = match self.roster.take() {
            Some(roster) => roster,
            None => Roster::read(conn, places)?,
        };
        let result = self.standing(conn, places, &roster, household, at);
        self.roster = Some(roster);
        result
    }

    fn standing(
        &mut self,
        conn: &Connection,
        places: &Places,
        roster: &Roster,
        household: i64,
        at: &str,
    ) -> Result<Standing> {
        let year: i32 = at.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        let scores = match self.years.entry(year) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(read_year(conn, year)?),
        };
        let scores = &*scores;
        // Every score it may have had by then (those of its own sheets posted the same second
        // too).
        let own: i64 = scores.get(&household).map_or(0, |s| {
            s.iter()
                .filter(|(posted, _)| posted.as_deref().is_none_or(|p| p <= at))
                .map(|(_, score)| score)
                .sum()
        });
        // The best rank it had in a village with double value, and that village's rule.
        let mut best: Option<(i64, DoubleValue)> = None;
        for village in roster.villages_of(places, household, at) {
            let Some(double) = places
                .rules_at(village, at)
                .ok()
                .and_then(|rules| rules.double_value)
            else {
                continue;
            };
            let others = self
                .totals
                .entry((village, year, at.to_string()))
                .or_insert_with(|| roster.sure_totals(places, scores, village, at));
            if double.earned(own, others) {
                return Ok(Standing::Earned);
            }
            let placed = rank(own, others);
            if best.as_ref().is_none_or(|(r, _)| placed < *r) {
                best = Some((placed, double));
            }
        }
        Ok(match best {
            Some((rank, double)) => Standing::NotEarned {
                household: roster
                    .households
                    .get(&household)
                    .map_or_else(|| household.to_string(), |h| h.number.clone()),
                year_total: own,
                rank,
                top_n: double.top_n,
            },
            None => Standing::NoDoubleValue,
        })
    }
}

fn read_year(conn: &Connection, year: i32) -> Result<YearScores> {
    // The range, not LIKE, so that the score's primary key (period, household) finds the year.
    let mut stmt = conn.prepare(
        "SELECT s.household_id, sh.created_at, s.score FROM score s
         LEFT JOIN score_sheet sh ON sh.id = s.sheet_id
         WHERE s.period >= ?1 AND s.period < ?2",
    )?;
    let mut rows = stmt.query([format!("{year:04}-"), format!("{:04}-", year + 1)])?;
    let mut out: YearScores = HashMap::new();
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

impl Roster {
    fn read(conn: &Connection, places: &Places) -> Result<Roster> {
        let mut ended: HashMap<i64, String> = HashMap::new();
        // Each (household, day) a move was dated, with when each was recorded, in order.
        let mut recorded: HashMap<(i64, String), Vec<String>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT household_id, kind, effective_on, created_at FROM household_change
             WHERE kind IN ('move_away', 'merge', 'move_group') ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (household, kind, on, at): (i64, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            if kind == "move_group" {
                recorded.entry((household, on)).or_default().push(at);
            } else {
                ended.entry(household).or_insert(at);
            }
        }
        let mut households = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, number, created_at, status FROM household")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            households.insert(
                id,
                Household {
                    number: r.get(1)?,
                    created_at: r.get(2)?,
                    active_now: r.get::<_, String>(3)? == "active",
                    ended_at: ended.remove(&id),
                },
            );
        }
        let mut seen_from = HashMap::new();
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        for &id in households.keys() {
            let mut villages: Vec<i64> = Vec::new();
            let mut seen = Vec::new();
            let mut used: HashMap<&str, usize> = HashMap::new();
            for (from, group) in places.moves.get(&id).into_iter().flatten() {
                villages.extend(places.village_of_group.get(group));
                let n = used.entry(from.as_str()).or_default();
                let by_move = recorded
                    .get(&(id, from.clone()))
                    .and_then(|times| times.get(*n));
                *n += 1;
                seen.push(match by_move {
                    Some(at) => at.clone(),
                    None => next_day(from),
                });
            }
            villages.extend(
                places
                    .current
                    .get(&id)
                    .and_then(|g| places.village_of_group.get(g)),
            );
            villages.sort_unstable();
            villages.dedup();
            for village in villages {
                members.entry(village).or_default().push(id);
            }
            seen_from.insert(id, seen);
        }
        Ok(Roster {
            households,
            seen_from,
            members,
        })
    }

    /// The villages a household may have been in at `at`: by the day its group counts from
    /// (`from_date`, as `transfers::group_at`) and by when the counter saw the move.
    fn villages_of(&self, places: &Places, household: i64, at: &str) -> Vec<i64> {
        let mut out: Vec<i64> = places.village(household, at).into_iter().collect();
        if let Some(seen) = self.village_seen(places, household, at)
            && !out.contains(&seen)
        {
            out.push(seen);
        }
        out
    }

    /// The village of the household's group as the counter had it at `at`.
    fn village_seen(&self, places: &Places, household: i64, at: &str) -> Option<i64> {
        let group = places
            .moves
            .get(&household)
            .zip(self.seen_from.get(&household))
            .and_then(|(moves, seen)| {
                moves
                    .iter()
                    .zip(seen)
                    .rev()
                    .find(|(_, seen)| seen.as_str() <= at)
                    .map(|((_, g), _)| *g)
            })
            .or_else(|| places.current.get(&household).copied())?;
        places.village_of_group.get(&group).copied()
    }

    /// Whether a household surely was an active household of `village` at `at`.
    fn surely_in(&self, places: &Places, household: i64, village: i64, at: &str) -> bool {
        let Some(h) = self.households.get(&household) else {
            return false;
        };
        let existed = h.created_at.as_str() < at;
        // Ended after the moment, or never ended and active now. A household moved away with
        // no record of when (before issue 24's records) is in doubt: left out.
        let active = match &h.ended_at {
            Some(ended) => ended.as_str() > at,
            None => h.active_now,
        };
        existed
            && active
            && places.village(household, at) == Some(village)
            && self.village_seen(places, household, at) == Some(village)
    }

    /// The year totals the village's households surely had at `at`: only scores of sheets
    /// posted before that second, only households surely there.
    fn sure_totals(
        &self,
        places: &Places,
        scores: &YearScores,
        village: i64,
        at: &str,
    ) -> Vec<i64> {
        self.members
            .get(&village)
            .into_iter()
            .flatten()
            .filter(|&&id| self.surely_in(places, id, village, at))
            .map(|id| {
                scores.get(id).map_or(0, |s| {
                    s.iter()
                        .filter(|(posted, _)| posted.as_deref().is_some_and(|p| p < at))
                        .map(|(_, score)| score)
                        .sum()
                })
            })
            .collect()
    }
}

/// The stored day after `day` (`YYYY-MM-DD`), or `day` itself if it cannot be read.
fn next_day(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .map_or_else(|| day.to_string(), |d| d.to_string())
}
