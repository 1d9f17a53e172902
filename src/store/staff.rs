//! Staff accounts: PIN hashes, the sign-in lockout counters, disabling and PIN resets.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::StaffId;
use crate::core::staff::{Role, Staff};

pub struct StoredStaff {
    pub staff: Staff,
    pub pin_hash: String,
    pub failed_pins: i64,
    pub locked_until: Option<NaiveDateTime>,
}

pub fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    pin_hash: &str,
    now: NaiveDateTime,
) -> Result<StaffId> {
    conn.execute(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_db(), pin_hash, format_time(now)],
    )?;
    Ok(StaffId(conn.last_insert_rowid()))
}

fn optional_time(text: Option<String>) -> rusqlite::Result<Option<NaiveDateTime>> {
    text.map(|t| parse_time(&t)).transpose()
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredStaff> {
    let role: String = r.get(2)?;
    Ok(StoredStaff {
        staff: Staff {
            id: StaffId(r.get(0)?),
            name: r.get(1)?,
            role: parse_stored(&role, Role::from_db)?,
            active: r.get(3)?,
            disabled_reason: r.get(7)?,
            disabled_at: optional_time(r.get(8)?)?,
            must_change_pin: r.get::<_, Option<i64>>(9)? == Some(1),
        },
        pin_hash: r.get(4)?,
        failed_pins: r.get(5)?,
        locked_until: optional_time(r.get(6)?)?,
    })
}

const SELECT: &str = "SELECT id, name, role, active, pin_hash, failed_pins, locked_until,
    disabled_reason, disabled_at, must_change_pin FROM staff";

pub fn find(conn: &Connection, id: StaffId) -> Result<Option<StoredStaff>> {
    let sql = format!("{SELECT} WHERE id = ?1");
    Ok(conn.query_row(&sql, [id.0], from_row).optional()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Staff>> {
    let sql = format!("{SELECT} ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| from_row(r).map(|s| s.staff))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records the outcome of a PIN attempt: resets on success, counts and maybe locks on failure.
pub fn record_pin_attempt(
    conn: &Connection,
    id: StaffId,
    failed_pins: i64,
    locked_until: Option<NaiveDateTime>,
) -> Result<()> {
    conn.execute(
        "UPDATE staff SET failed_pins = ?2, locked_until = ?3 WHERE id = ?1",
        params![id.0, failed_pins, locked_until.map(format_time)],
    )?;
    Ok(())
}

/// Disables a member (with why and when) or, with `None`, enables them again.
pub fn set_disabled(
    conn: &Connection,
    id: StaffId,
    disabled: Option<(&str, NaiveDateTime)>,
) -> Result<()> {
    let (active, reason, at) = match disabled {
        Some((reason, at)) => (0, Some(reason), Some(format_time(at))),
        None => (1, None, None),
    };
    conn.execute(
        "UPDATE staff SET active = ?2, disabled_reason = ?3, disabled_at = ?4 WHERE id = ?1",
        params![id.0, active, reason, at],
    )?;
    Ok(())
}

/// A new PIN hash; `must_change` when a manager set it for the member. Clears the lockout.
pub fn set_pin(conn: &Connection, id: StaffId, pin_hash: &str, must_change: bool) -> Result<()> {
    conn.execute(
        "UPDATE staff SET pin_hash = ?2, must_change_pin = ?3, failed_pins = 0, locked_until = NULL
         WHERE id = ?1",
        params![id.0, pin_hash, must_change.then_some(1)],
    )?;
    Ok(())
}

pub fn active_managers(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM staff WHERE role = 'manager' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}
