//! Villages, village groups and households.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored};
use crate::core::HouseholdNo;
use crate::core::household::{Household, HouseholdKind, HouseholdStatus};

/// A household as stored, with the row id the ledgers refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHousehold {
    pub id: i64,
    pub household: Household,
}

/// Finds or creates a village and its group, returning the group's id.
pub fn ensure_group(conn: &Connection, village: &str, group: &str) -> Result<i64> {
    conn.prepare_cached("INSERT OR IGNORE INTO village (name) VALUES (?1)")?
        .execute([village])?;
    let village_id: i64 = conn
        .prepare_cached("SELECT id FROM village WHERE name = ?1")?
        .query_row([village], |r| r.get(0))?;
    conn.prepare_cached("INSERT OR IGNORE INTO village_group (village_id, name) VALUES (?1, ?2)")?
        .execute(params![village_id, group])?;
    Ok(conn
        .prepare_cached("SELECT id FROM village_group WHERE village_id = ?1 AND name = ?2")?
        .query_row(params![village_id, group], |r| r.get(0))?)
}

pub fn insert(conn: &Connection, household: &Household, now: NaiveDateTime) -> Result<i64> {
    let group_id = ensure_group(conn, &household.village, &household.group)?;
    conn.prepare_cached("INSERT INTO household (number, head_name, group_id, members, phone, kind, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(params![
            household.number.as_str(),
            household.head_name,
            group_id,
            household.members,
            household.phone,
            household.kind.as_db(),
            household.status.as_db(),
            format_time(now),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT h.id, h.number, h.head_name, v.name, g.name, h.members, h.phone, h.kind, h.status
    FROM household h JOIN village_group g ON g.id = h.group_id JOIN village v ON v.id = g.village_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredHousehold> {
    let number: String = r.get(1)?;
    let kind: String = r.get(7)?;
    let status: String = r.get(8)?;
    Ok(StoredHousehold {
        id: r.get(0)?,
        household: Household {
            number: parse_stored(&number, |s| s.parse().ok())?,
            head_name: r.get(2)?,
            village: r.get(3)?,
            group: r.get(4)?,
            members: r.get(5)?,
            phone: r.get(6)?,
            kind: parse_stored(&kind, HouseholdKind::from_db)?,
            status: parse_stored(&status, HouseholdStatus::from_db)?,
        },
    })
}

pub fn find(conn: &Connection, number: &HouseholdNo) -> Result<Option<StoredHousehold>> {
    let sql = format!("{SELECT} WHERE h.number = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([number.as_str()], from_row)
        .optional()?)
}

pub fn find_by_id(conn: &Connection, id: i64) -> Result<Option<StoredHousehold>> {
    let sql = format!("{SELECT} WHERE h.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

/// Households whose number, head's name or phone contains `text` (for "no card" at the counter).
pub fn search(conn: &Connection, text: &str, limit: usize) -> Result<Vec<StoredHousehold>> {
    let sql = format!(
        "{SELECT} WHERE h.number LIKE ?1 ESCAPE '\\' OR h.head_name LIKE ?1 ESCAPE '\\' OR h.phone LIKE ?1 ESCAPE '\\'
         ORDER BY h.number LIMIT ?2"
    );
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![format!("%{escaped}%"), limit as i64], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn all(conn: &Connection) -> Result<Vec<StoredHousehold>> {
    let sql = format!("{SELECT} ORDER BY h.number");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
