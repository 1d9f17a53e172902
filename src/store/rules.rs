//! What the village rules need from the store: the policy in force, scores by group and year.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::ledger::PointEntryKind;
use crate::core::{Period, StaffId, year_end};

/// A household's village and village group ids.
pub fn place_of(conn: &Connection, household_id: i64) -> Result<(i64, i64)> {
    Ok(conn.prepare_cached("SELECT g.village_id, g.id FROM household h JOIN village_group g ON g.id = h.group_id WHERE h.id = ?1")?.query_row([household_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn village_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM village WHERE name = ?1")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?)
}

/// The TOML text of a village's rules in force, if any were ever set.
pub fn policy_text(conn: &Connection, village_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT toml FROM village_policy WHERE village_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([village_id], |r| r.get(0))
        .optional()?)
}

pub fn insert_policy(
    conn: &Connection,
    village_id: i64,
    toml: &str,
    by: StaffId,
    now: NaiveDateTime,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO village_policy (village_id, toml, set_by, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![village_id, toml, by.0, format_time(now)])?;
    Ok(())
}

/// Whether a village group's score sheet for a month is posted: any of its households (moved
/// away or not) has a score for it. Other villages' sheets never count.
pub fn group_sheet_posted(conn: &Connection, group_id: i64, period: Period) -> Result<bool> {
    // The group each household was in that month (issue 24: moves follow from their day).
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM score s JOIN household h ON h.id = s.household_id
                        WHERE {} = ?1 AND s.period = ?2)",
        super::transfers::group_at_sql("?3")
    );
    Ok(conn.prepare_cached(&sql)?.query_row(
        params![group_id, period.to_string(), month_end(period)],
        |r| r.get(0),
    )?)
}

/// The last day of a month, as stored dates are written.
fn month_end(period: Period) -> String {
    let next = period.next().first_day();
    next.pred_opt().unwrap_or(next).to_string()
}

/// A village group's name as written everywhere: `村/组`.
pub fn group_name(conn: &Connection, group_id: i64) -> Result<String> {
    Ok(conn.prepare_cached("SELECT v.name || '/' || g.name FROM village_group g JOIN village v ON v.id = g.village_id WHERE g.id = ?1")?.query_row([group_id],
        |r| r.get(0),
    )?)
}

pub fn score_of(conn: &Connection, household_id: i64, period: Period) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT score FROM score WHERE household_id = ?1 AND period = ?2")?
        .query_row(params![household_id, period.to_string()], |r| r.get(0))
        .optional()?)
}

/// Scores of the active households of a village group in a month.
pub fn group_scores(conn: &Connection, group_id: i64, period: Period) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT s.score FROM score s JOIN household h ON h.id = s.household_id
         WHERE {} = ?1 AND h.status = 'active' AND s.period = ?2",
        super::transfers::group_at_sql("?3")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![group_id, period.to_string(), month_end(period)],
        |r| r.get(0),
    )?;
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
    let mut stmt = conn.prepare_cached(
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
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM year_end_event WHERE village_id = ?1 AND year = ?2 AND kind = ?3",
        )?
        .query_row(params![village_id, year, kind], |r| r.get(0))?;
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
    conn.prepare_cached("INSERT INTO year_end_event (village_id, year, kind, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![village_id, year, kind, by.0, format_time(now)],
    )?;
    Ok(())
}

/// Ids of the households of a village with a balance above zero, with that balance.
pub fn balances_in_village(conn: &Connection, village_id: i64) -> Result<Vec<(i64, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.number,
                COALESCE((SELECT balance_after FROM point_entry p WHERE p.household_id = h.id ORDER BY p.id DESC LIMIT 1), 0) AS b
         FROM household h JOIN village_group g ON g.id = h.group_id
         WHERE g.village_id = ?1 ORDER BY h.number",
    )?;
    let rows = stmt.query_map([village_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A household's point entries in ledger order, as the year-end rule reads them.
pub fn year_end_entries(conn: &Connection, household_id: i64) -> Result<Vec<year_end::Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, amount, period, created_at, redemption_id FROM point_entry
         WHERE household_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([household_id], |r| {
        let kind: String = r.get(0)?;
        let period: Option<String> = r.get(2)?;
        let created: String = r.get(3)?;
        Ok(year_end::Entry {
            kind: parse_stored(&kind, PointEntryKind::from_db)?,
            amount: r.get(1)?,
            period: period
                .map(|p| parse_stored(&p, |t| t.parse().ok()))
                .transpose()?,
            on: parse_time(&created)?.date(),
            redemption: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
