//! `check`'s derived facts (issue 15 point 2): what an entry says must follow from the records
//! it was computed from. Each monthly credit is its sheet's score under the village rules in
//! force when the sheet was posted (`VillagePolicy::points_for_score`, the one formula the
//! posting used); each redemption line's unit price is the goods' price in force on the day of
//! the redemption, or half of it (`double_value_price`) only where the household was then
//! among its village's top N under double value (`check_double`); each correction names the
//! committee it needs (`staff_rules::approvers`).
//!
//! Each fact is one pass over its table; the rules, prices and group moves it needs are small
//! and read into memory first, so no row causes a query of its own. `since` limits the passes
//! to entries after a verified mark (the incremental check).

use std::collections::HashMap;

use rusqlite::Connection;

use super::Result;
use super::check::Fault;
use super::check_double::{Standing, Standings};
use crate::core::policy::{VillagePolicy, double_value_price};
use crate::core::staff_rules::{Approval, approvers};

/// One derived fact that does not hold, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DerivedFault {
    /// A monthly credit with no score on any sheet for its household and month.
    CreditWithoutScore {
        entry: i64,
        household: String,
        period: String,
    },
    /// A monthly credit that is not its score under the rules in force when it was posted.
    CreditMismatch {
        entry: i64,
        household: String,
        period: String,
        score: i64,
        expected: i64,
        found: i64,
    },
    /// A redemption line whose unit price is not the price in force that day.
    PriceMismatch {
        receipt_no: String,
        line_no: i64,
        goods: String,
        expected: Option<i64>,
        found: i64,
    },
    /// A redemption line at half price (积分翻倍) for a household that was not among its
    /// village's top N of the year when it redeemed (`check_double`): the year total and rank
    /// it had then, with every doubt in its favour.
    DoubleValueNotEarned {
        receipt_no: String,
        line_no: i64,
        goods: String,
        household: String,
        year_total: i64,
        rank: i64,
        top_n: i64,
        price: i64,
        found: i64,
    },
    /// A correction without the committee it needs.
    CorrectionUnapproved {
        entry: i64,
        household: String,
        approved_by: String,
    },
    /// Village rules stored in a form that cannot be read (the check cannot recompute).
    Rules { village_id: i64, detail: String },
}

/// Entry ids after which the passes look (0 for all): points, redemptions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Since {
    pub point_entry: i64,
    pub redemption: i64,
}

pub fn check(conn: &Connection, since: Since, faults: &mut Vec<Fault>) -> Result<()> {
    let places = Places::read(conn)?;
    let mut found = Vec::new();
    credits(conn, &places, since.point_entry, &mut found)?;
    prices(conn, &places, since.redemption, &mut found)?;
    corrections(conn, since.point_entry, &mut found)?;
    faults.extend(found.into_iter().map(Fault::Derived));
    Ok(())
}

/// One version of a village's rules: when it was set, and the rules or why they cannot be read.
type RulesVersion = (String, std::result::Result<VillagePolicy, String>);

/// Which village a household was in on a day, and that village's rules at a moment: the whole
/// history, small (tens of thousands of moves at most, a few rules per village).
pub(super) struct Places {
    /// household → (from_date, group), in date order.
    pub(super) moves: HashMap<i64, Vec<(String, i64)>>,
    /// household → its group now (before any history was kept).
    pub(super) current: HashMap<i64, i64>,
    pub(super) village_of_group: HashMap<i64, i64>,
    /// village → (created_at, rules or why they cannot be read), in id order.
    rules: HashMap<i64, Vec<RulesVersion>>,
}

impl Places {
    fn read(conn: &Connection) -> Result<Places> {
        let mut moves: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT household_id, from_date, group_id FROM household_group_history
             ORDER BY household_id, from_date, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            moves
                .entry(r.get(0)?)
                .or_default()
                .push((r.get(1)?, r.get(2)?));
        }
        let pairs = |sql: &str| -> Result<HashMap<i64, i64>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let current = pairs("SELECT id, group_id FROM household")?;
        let village_of_group = pairs("SELECT id, village_id FROM village_group")?;
        let mut rules: HashMap<i64, Vec<_>> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT village_id, created_at, toml FROM village_policy ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text: String = r.get(2)?;
            rules
                .entry(r.get(0)?)
                .or_default()
                .push((r.get(1)?, VillagePolicy::parse(&text)));
        }
        Ok(Places {
            moves,
            current,
            village_of_group,
            rules,
        })
    }

    /// The household's village on the day `at` begins with (`at` is a stored timestamp).
    pub(super) fn village(&self, household: i64, at: &str) -> Option<i64> {
        let day = at.get(..10).unwrap_or(at);
        let group = self
            .moves
            .get(&household)
            .and_then(|moves| {
                moves
                    .iter()
                    .rev()
                    .find(|(from, _)| from.as_str() <= day)
                    .map(|(_, g)| *g)
            })
            .or_else(|| self.current.get(&household).copied())?;
        self.village_of_group.get(&group).copied()
    }

    /// The rules in force in a village at `at`: the last set at or before it, else the defaults.
    pub(super) fn rules_at(
        &self,
        village: i64,
        at: &str,
    ) -> std::result::Result<VillagePolicy, String> {
        let set = self.rules.get(&village).and_then(|versions| {
            versions
                .iter()
                .rev()
                .find(|(created, _)| created.as_str() <= at)
        });
        match set {
            None => Ok(VillagePolicy::default()),
            Some((_, rules)) => rules.clone(),
        }
    }
}

fn credits(
    conn: &Connection,
    places: &Places,
    since: i64,
    faults: &mut Vec<DerivedFault>,
) -> Result<()> {
    // One scan of the points ledger; each credit finds its score by the score's primary key.
    let mut stmt = conn.prepare(
        "SELECT p.id, p.household_id, p.household_no, p.period, p.amount, s.score, sh.created_at
         FROM point_entry p
         LEFT JOIN score s ON s.period = p.period AND s.household_id = p.household_id
         LEFT JOIN score_sheet sh ON sh.id = s.sheet_id
         WHERE p.kind = 'monthly_credit' AND p.id > ?1
         ORDER BY p.id",
    )?;
    let mut rows = stmt.query([since])?;
    let mut reported_rules = Vec::new();
    while let Some(r) = rows.next()? {
        let (entry, household_id): (i64, i64) = (r.get(0)?, r.get(1)?);
        let household: String = r.get(2)?;
        let period: String = r.get::<_, Option<String>>(3)?.unwrap_or_default();
        let found: i64 = r.get(4)?;
        let (Some(score), Some(posted)) =
            (r.get::<_, Option<i64>>(5)?, r.get::<_, Option<String>>(6)?)
        else {
            faults.push(DerivedFault::CreditWithoutScore {
                entry,
                household,
                period,
            });
            continue;
        };
        let Some(village) = places.village(household_id, &posted) else {
            faults.push(DerivedFault::CreditWithoutScore {
                entry,
                household,
                period,
            });
            continue;
        };
        let rules = match places.rules_at(village, &posted) {
            Ok(rules) => rules,
            Err(detail) => {
                if !reported_rules.contains(&village) {
                    reported_rules.push(village);
                    faults.push(DerivedFault::Rules {
                        village_id: village,
                        detail,
                    });
                }
                continue;
            }
        };
        let expected = rules.points_for_score(score).map(|p| p.0);
        if expected != Some(found) {
            faults.push(DerivedFault::CreditMismatch {
                entry,
                household,
                period,
                score,
                expected: expected.unwrap_or(i64::MAX),
                found,
            });
        }
    }
    Ok(())
}

/// goods → (effective_from, price), in the order the counter ranks them (date, then id).
fn price_history(conn: &Connection) -> Result<HashMap<String, Vec<(String, i64)>>> {
    let mut out: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT goods_code, effective_from, price_points FROM price ORDER BY goods_code, effective_from, id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

fn prices(
    conn: &Connection,
    places: &Places,
    since: i64,
    faults: &mut Vec<DerivedFault>,
) -> Result<()> {
    let history = price_history(conn)?;
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no, r.household_id, r.created_at, l.line_no, l.goods_code, l.unit_price_points
         FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id
         WHERE r.id > ?1 ORDER BY r.id, l.line_no",
    )?;
    let mut rows = stmt.query([since])?;
    let mut standings = Standings::default();
    while let Some(r) = rows.next()? {
        let at: String = r.get(2)?;
        let day = at.get(..10).unwrap_or(&at);
        let goods: String = r.get(4)?;
        let found: i64 = r.get(5)?;
        // The same rule as `goods::price_on`: the latest version effective on or before the day.
        let in_force = history.get(&goods).and_then(|versions| {
            versions
                .iter()
                .rev()
                .find(|(from, _)| from.as_str() <= day)
                .map(|(_, p)| *p)
        });
        if in_force == Some(found) {
            continue;
        }
        // Half the price (积分翻倍) is right only if the household was among the year's top N
        // when it redeemed: recomputed only for such lines (`check_double`).
        let standing = match in_force {
            Some(price) if double_value_price(crate::core::Points(price)).0 == found => {
                standings.at(conn, places, r.get(1)?, &at)?
            }
            _ => Standing::NoDoubleValue,
        };
        match standing {
            Standing::Earned => {}
            Standing::NoDoubleValue => faults.push(DerivedFault::PriceMismatch {
                receipt_no: r.get(0)?,
                line_no: r.get(3)?,
                goods,
                expected: in_force,
                found,
            }),
            Standing::NotEarned {
                household,
                year_total,
                rank,
                top_n,
            } => faults.push(DerivedFault::DoubleValueNotEarned {
                receipt_no: r.get(0)?,
                line_no: r.get(3)?,
                goods,
                household,
                year_total,
                rank,
                top_n,
                price: in_force.unwrap_or_default(),
                found,
            }),
        }
    }
    Ok(())
}

fn corrections(conn: &Connection, since: i64, faults: &mut Vec<DerivedFault>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, household_no, approved_by FROM point_entry
         WHERE kind = 'correction' AND id > ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([since])?;
    while let Some(r) = rows.next()? {
        let approved_by: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        if approvers(std::slice::from_ref(&approved_by), Approval::Committee).is_err() {
            faults.push(DerivedFault::CorrectionUnapproved {
                entry: r.get(0)?,
                household: r.get(1)?,
                approved_by,
            });
        }
    }
    Ok(())
}
