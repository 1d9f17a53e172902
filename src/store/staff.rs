//! Staff accounts: PIN hashes and the sign-in lockout counters.

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

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredStaff> {
    let role: String = r.get(2)?;
    let locked: Option<String> = r.get(6)?;
    Ok(StoredStaff {
        staff: Staff {
            id: StaffId(r.get(0)?),
            name: r.get(1)?,
            role: parse_stored(&role, Role::from_db)?,
            active: r.get(3)?,
        },
        pin_hash: r.get(4)?,
        failed_pins: r.get(5)?,
        locked_until: match locked {
            Some(t) => Some(parse_time(&t)?),
            None => None,
        },
    })
}

const SELECT: &str =
    "SELECT id, name, role, active, pin_hash, failed_pins, locked_until FROM staff";

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
