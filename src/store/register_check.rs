//! `check` for the scoring register: the events' chain, every approved month's credits
//! against what its events give under the village's rules, every later correction against
//! the difference it claims, and every evidence file against its SHA-256.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::Result;
use super::register::{self as stored, Approval};
use crate::core::Period;
use crate::core::policy::VillagePolicy;
use crate::core::register::{self, RegisterEvent};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterFault {
    /// An event that cannot be read back.
    Unreadable {
        detail: String,
    },
    BrokenChain {
        event: i64,
    },
    HashMismatch {
        event: i64,
    },
    /// The month's score from its events is not the score the month stands at.
    ScoreMismatch {
        household: String,
        period: Period,
        computed: i64,
        recorded: i64,
    },
    /// The monthly credit is not the sheet's score under the rules.
    CreditMismatch {
        household: String,
        period: Period,
        expected: i64,
        found: i64,
    },
    /// A correction after approval that did not move the points by the difference it claims.
    AdjustmentMismatch {
        household: String,
        period: Period,
    },
    /// An evidence file missing or not the file the event recorded.
    Evidence {
        event: i64,
        file: String,
        problem: String,
    },
    /// The village's rules or items cannot be read.
    Rules {
        village_id: i64,
        detail: String,
    },
}

/// The hook `check::run` calls: everything after `after` (all of it from the default heads);
/// an approval is looked at again when a correction since touched its month.
pub fn check_register_into(
    conn: &Connection,
    after: &super::check::Heads,
    faults: &mut Vec<super::check::Fault>,
) -> Result<()> {
    let mut found = Vec::new();
    let folder = conn
        .path()
        .filter(|p| !p.is_empty())
        .and_then(|p| Path::new(p).parent().map(Path::to_path_buf));
    check_events(
        conn,
        after.of("register_event"),
        folder.as_deref(),
        &mut found,
    )?;
    let (approvals, adjustments) = (
        after.id("register_approval"),
        after.id("register_adjustment"),
    );
    let mut stmt = conn.prepare(
        "SELECT id FROM register_approval WHERE id > ?1
         UNION SELECT approval_id FROM register_adjustment WHERE id > ?2",
    )?;
    let since: std::collections::HashSet<i64> = stmt
        .query_map([approvals, adjustments], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for approval in stored::all_approvals(conn)? {
        if since.contains(&approval.id) {
            check_approval(conn, &approval, &mut found)?;
        }
    }
    faults.extend(found.into_iter().map(super::check::Fault::Register));
    Ok(())
}

pub fn check_register(conn: &Connection, faults: &mut Vec<RegisterFault>) -> Result<()> {
    let mut all = Vec::new();
    check_register_into(conn, &Default::default(), &mut all)?;
    faults.extend(all.into_iter().filter_map(|f| match f {
        super::check::Fault::Register(f) => Some(f),
        _ => None,
    }));
    Ok(())
}

fn check_events(
    conn: &Connection,
    (after, mut prev): (i64, String),
    folder: Option<&Path>,
    faults: &mut Vec<RegisterFault>,
) -> Result<()> {
    let mut with_evidence: Vec<RegisterEvent> = Vec::new();
    stored::for_each_event_after(conn, after, |event| match event {
        Err(e) => faults.push(RegisterFault::Unreadable {
            detail: e.to_string(),
        }),
        Ok(e) => {
            if e.prev_hash != prev {
                faults.push(RegisterFault::BrokenChain { event: e.id });
            }
            if e.hash != e.expected_hash() {
                faults.push(RegisterFault::HashMismatch { event: e.id });
            }
            prev = e.hash.clone();
            if e.evidence.is_some() {
                with_evidence.push(e);
            }
        }
    })?;
    let Some(folder) = folder else { return Ok(()) };
    for e in with_evidence {
        let Some(evidence) = &e.evidence else {
            continue;
        };
        let path: PathBuf = folder.join(&evidence.file);
        let problem = match std::fs::read(&path) {
            Err(err) => Some(err.to_string()),
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)) != evidence.sha256 => {
                Some("SHA-256".to_string())
            }
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            faults.push(RegisterFault::Evidence {
                event: e.id,
                file: evidence.file.clone(),
                problem,
            });
        }
    }
    Ok(())
}

fn check_approval(
    conn: &Connection,
    approval: &Approval,
    faults: &mut Vec<RegisterFault>,
) -> Result<()> {
    let village_id: i64 = conn.query_row(
        "SELECT village_id FROM village_group WHERE id = ?1",
        [approval.group_id],
        |r| r.get(0),
    )?;
    // The rules in force when the month was approved: a later change of rules does not
    // rewrite what was credited then.
    let policy = match stored::policy_text_at(conn, village_id, approval.created_at)? {
        None => VillagePolicy::default(),
        Some(text) => match VillagePolicy::parse(&text) {
            Ok(p) => p,
            Err(detail) => {
                faults.push(RegisterFault::Rules { village_id, detail });
                return Ok(());
            }
        },
    };
    let period = approval.period;
    let Some(table) = stored::table_for(conn, village_id, period.year)? else {
        faults.push(RegisterFault::Rules {
            village_id,
            detail: format!("no items for {}", period.year),
        });
        return Ok(());
    };
    let points = |score: i64| score.saturating_mul(policy.scoring.points_per_score);
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
    for (household_id, sheet_score) in stored::sheet_scores(conn, approval.sheet_id)? {
        let number: String = conn.query_row(
            "SELECT number FROM household WHERE id = ?1",
            [household_id],
            |r| r.get(0),
        )?;
        let credit = stored::credit_of(conn, household_id, period)?;
        if credit != points(sheet_score) {
            faults.push(RegisterFault::CreditMismatch {
                household: number.clone(),
                period,
                expected: points(sheet_score),
                found: credit,
            });
        }
        let mut standing = sheet_score;
        for adj in stored::adjustments(conn, approval.id, household_id)? {
            let claimed = points(adj.score_after) - points(adj.score_before);
            let moved = match adj.entry_id {
                Some(id) => stored::entry_amount(conn, id)?.unwrap_or(0),
                None => 0,
            };
            if adj.score_before != standing || claimed != moved {
                faults.push(RegisterFault::AdjustmentMismatch {
                    household: number.clone(),
                    period,
                });
            }
            standing = adj.score_after;
        }
        let events = stored::events_of(conn, household_id, first, last)?;
        if events.iter().any(|e| e.table_id != table.id) {
            faults.push(RegisterFault::Rules {
                village_id,
                detail: format!("events of {number} under another items table"),
            });
        }
        let computed = register::month_total(&policy.register, &table.items, &events, period).total;
        if computed != standing {
            faults.push(RegisterFault::ScoreMismatch {
                household: number,
                period,
                computed,
                recorded: standing,
            });
        }
    }
    Ok(())
}
