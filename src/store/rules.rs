//! What the village rules need from the store: the policy in force, scores by group and year.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time};
use crate::core::{Period, StaffId};

/// A household's village and village group ids.
pub fn place_of(conn: &Connection, household_id: i64) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT g.village_id, g.id FROM household h JOIN village_group g ON g.id = h.group_id WHERE h.id = ?1",
        [household_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn village_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM village WHERE name = ?1",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?)
}

/// The TOML text of a village's rules in force, if any were ever set.
pub fn policy_text(conn: &Connection, village_id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT toml FROM village_policy WHERE village_id = ?1 ORDER BY id DESC LIMIT 1",
            [village_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn insert_policy(
    conn: &Connection,
    village_id: i64,
    toml: &str,
    by: StaffId,
    now: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO village_policy (village_id, toml, set_by, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![village_id, toml, by.0, format_time(now)],
    )?;
    Ok(())
}

/// The most recent month with a posted score sheet, up to and including `period`.
pub fn latest_posted(conn: &Connection, period: Period) -> Result<Option<Period>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT MAX(period) FROM score_sheet WHERE period <= ?1",
            [period.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(text.and_then(|t| t.parse().ok()))
}

pub fn score_of(conn: &Connection, household_id: i64, period: Period) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT score FROM score WHERE household_id = ?1 AND period = ?2",
            params![household_id, period.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Scores of the active households of a village group in a month.
pub fn group_scores(conn: &Connection, group_id: i64, period: Period) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT s.score FROM score s JOIN household h ON h.id = s.household_id
         WHERE h.group_id = ?1 AND h.status = 'active' AND s.period = ?2",
    )?;
    let rows = stmt.query_map(params![group_id, period.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One active household's total score in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTotal {
    pub household_id: i64,
    pub number: String,
    pub head_name: String,
    pub group_id: i64,
    pub group: String,
    pub total: i64,
}

/// Each active household of a village with its total score in a year, best first, ties by
/// household number.
pub fn year_totals(conn: &Connection, village_id: i64, year: i32) -> Result<Vec<YearTotal>> {
    let mut stmt = conn.prepare(
        "SELECT h.id, h.number, h.head_name, g.id, g.name,
                COALESCE((SELECT SUM(s.score) FROM score s WHERE s.household_id = h.id AND s.period LIKE ?2), 0) AS total
         FROM household h JOIN village_group g ON g.id = h.group_id
         WHERE g.village_id = ?1 AND h.status = 'active'
         ORDER BY total DESC, h.number",
    )?;
    let rows = stmt.query_map(params![village_id, format!("{year:04}-%")], |r| {
        Ok(YearTotal {
            household_id: r.get(0)?,
            number: r.get(1)?,
            head_name: r.get(2)?,
            group_id: r.get(3)?,
            group: r.get(4)?,
            total: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn year_event(conn: &Connection, village_id: i64, year: i32, kind: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM year_end_event WHERE village_id = ?1 AND year = ?2 AND kind = ?3",
        params![village_id, year, kind],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

pub fn insert_year_event(
    conn: &Connection,
    village_id: i64,
    year: i32,
    kind: &str,
    by: StaffId,
    now: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO year_end_event (village_id, year, kind, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![village_id, year, kind, by.0, format_time(now)],
    )?;
    Ok(())
}

/// Ids of the households of a village with a balance above zero, with that balance.
pub fn balances_in_village(conn: &Connection, village_id: i64) -> Result<Vec<(i64, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT h.id, h.number,
                COALESCE((SELECT balance_after FROM point_entry p WHERE p.household_id = h.id ORDER BY p.id DESC LIMIT 1), 0) AS b
         FROM household h JOIN village_group g ON g.id = h.group_id
         WHERE g.village_id = ?1 ORDER BY h.number",
    )?;
    let rows = stmt.query_map([village_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A household's balance as it stood before `time` (`YYYY-MM-DD HH:MM:SS`).
pub fn balance_before(conn: &Connection, household_id: i64, time: &str) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT balance_after FROM point_entry WHERE household_id = ?1 AND created_at < ?2 ORDER BY id DESC LIMIT 1",
            params![household_id, time],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}
