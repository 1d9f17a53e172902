//! The redemption calendar: each village's planned days and the village groups each serves.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;

/// A village group with its village, as written everywhere: `村/组`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: i64,
    pub village_id: i64,
    pub village: String,
    pub group: String,
}

impl GroupRow {
    pub fn written(&self) -> String {
        format!("{}/{}", self.village, self.group)
    }
}

/// Every village group of the store, by village then group name.
pub fn all_groups(conn: &Connection) -> Result<Vec<GroupRow>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, v.id, v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id
         ORDER BY v.name, g.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(GroupRow {
            id: r.get(0)?,
            village_id: r.get(1)?,
            village: r.get(2)?,
            group: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the calendar plans for a village on a day: `None` if the day is not planned, else the
/// groups it serves (ids; empty means the whole village).
pub fn planned(conn: &Connection, village_id: i64, day: NaiveDate) -> Result<Option<Vec<i64>>> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM redemption_day WHERE village_id = ?1 AND day = ?2",
            params![village_id, day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if found.is_none() {
        return Ok(None);
    }
    let mut stmt = conn.prepare(
        "SELECT group_id FROM redemption_day_group WHERE village_id = ?1 AND day = ?2 ORDER BY group_id",
    )?;
    let rows = stmt.query_map(params![village_id, day.to_string()], |r| r.get(0))?;
    Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
}

/// Takes a day off a village's calendar (a holiday move), with its groups.
pub fn unplan(conn: &Connection, village_id: i64, day: NaiveDate) -> Result<()> {
    conn.execute(
        "DELETE FROM redemption_day_group WHERE village_id = ?1 AND day = ?2",
        params![village_id, day.to_string()],
    )?;
    conn.execute(
        "DELETE FROM redemption_day WHERE village_id = ?1 AND day = ?2",
        params![village_id, day.to_string()],
    )?;
    Ok(())
}

/// Puts a day on a village's calendar for these groups (empty: the whole village); planning a
/// day again replaces what it serves.
pub fn plan(
    conn: &Connection,
    village_id: i64,
    day: NaiveDate,
    moved_from: Option<NaiveDate>,
    note: Option<&str>,
    groups: &[i64],
) -> Result<()> {
    conn.execute(
        "INSERT INTO redemption_day (village_id, day, moved_from, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (village_id, day) DO UPDATE SET moved_from = excluded.moved_from, note = excluded.note",
        params![village_id, day.to_string(), moved_from.map(|d| d.to_string()), note],
    )?;
    conn.execute(
        "DELETE FROM redemption_day_group WHERE village_id = ?1 AND day = ?2",
        params![village_id, day.to_string()],
    )?;
    for group in groups {
        conn.execute(
            "INSERT OR IGNORE INTO redemption_day_group (village_id, day, group_id) VALUES (?1, ?2, ?3)",
            params![village_id, day.to_string(), group],
        )?;
    }
    Ok(())
}

/// A planned day as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDay {
    pub day: String,
    pub moved_from: Option<String>,
    pub note: Option<String>,
    /// Group names (without the village); empty means the whole village.
    pub groups: Vec<String>,
}

/// A village's planned days in a year, in order.
pub fn days_in_year(conn: &Connection, village_id: i64, year: i32) -> Result<Vec<PlannedDay>> {
    let mut stmt = conn.prepare(
        "SELECT d.day, d.moved_from, d.note,
                (SELECT group_concat(name, '、') FROM (
                    SELECT g.name FROM redemption_day_group x JOIN village_group g ON g.id = x.group_id
                    WHERE x.village_id = d.village_id AND x.day = d.day ORDER BY g.name))
         FROM redemption_day d WHERE d.village_id = ?1 AND d.day LIKE ?2 ORDER BY d.day",
    )?;
    let rows = stmt.query_map(params![village_id, format!("{year:04}-%")], |r| {
        let groups: Option<String> = r.get(3)?;
        Ok(PlannedDay {
            day: r.get(0)?,
            moved_from: r.get(1)?,
            note: r.get(2)?,
            groups: groups
                .map(|g| g.split('、').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
