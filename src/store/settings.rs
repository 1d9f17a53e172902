//! Counter settings: one text value per key. The services parse and check the values.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time};
use crate::core::StaffId;

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn put(
    conn: &Connection,
    key: &str,
    value: &str,
    by: StaffId,
    now: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = ?2, updated_by = ?3, updated_at = ?4",
        params![key, value, by.0, format_time(now)],
    )?;
    Ok(())
}

/// Every stored setting, by key.
pub fn all(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM setting ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
