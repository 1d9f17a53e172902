//! Household cards as stored: who got which serial when, and when it stopped working.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::StaffId;
use crate::core::card::{CardReason, CardSecret, CardSerial, StoreCode};

/// What cards need from the `store` row: the name printed on them, the code and the key.
#[derive(Debug, Clone)]
pub struct StoreKeys {
    pub name: String,
    pub code: StoreCode,
    pub secret: CardSecret,
}

pub fn store_keys(conn: &Connection) -> Result<Option<StoreKeys>> {
    Ok(conn
        .query_row(
            "SELECT name, store_code, card_secret FROM store WHERE id = 1",
            [],
            |r| {
                let code: i64 = r.get(1)?;
                let secret: Vec<u8> = r.get(2)?;
                Ok(StoreKeys {
                    name: r.get(0)?,
                    code: parse_stored(&code.to_string(), |_| StoreCode::new(code))?,
                    secret: parse_stored("card_secret", |_| CardSecret::from_slice(&secret))?,
                })
            },
        )
        .optional()?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCard {
    pub id: i64,
    pub household_id: i64,
    pub serial: CardSerial,
    pub reason: CardReason,
    pub issued_at: NaiveDateTime,
    pub issued_by: StaffId,
    pub replaced_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

const SELECT: &str =
    "SELECT id, household_id, serial, reason, issued_at, issued_by, replaced_at, revoked_at
    FROM card";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCard> {
    let serial: i64 = r.get(2)?;
    let reason: String = r.get(3)?;
    let issued_at: String = r.get(4)?;
    let replaced_at: Option<String> = r.get(6)?;
    let revoked_at: Option<String> = r.get(7)?;
    Ok(StoredCard {
        id: r.get(0)?,
        household_id: r.get(1)?,
        serial: parse_stored(&serial.to_string(), |_| CardSerial::new(serial))?,
        reason: parse_stored(&reason, CardReason::from_db)?,
        issued_at: parse_time(&issued_at)?,
        issued_by: StaffId(r.get(5)?),
        replaced_at: replaced_at.as_deref().map(parse_time).transpose()?,
        revoked_at: revoked_at.as_deref().map(parse_time).transpose()?,
    })
}

pub fn find(
    conn: &Connection,
    household_id: i64,
    serial: CardSerial,
) -> Result<Option<StoredCard>> {
    let sql = format!("{SELECT} WHERE household_id = ?1 AND serial = ?2");
    Ok(conn
        .query_row(&sql, params![household_id, serial.get()], from_row)
        .optional()?)
}

/// The card of a household that works now, if any.
pub fn live(conn: &Connection, household_id: i64) -> Result<Option<StoredCard>> {
    let sql =
        format!("{SELECT} WHERE household_id = ?1 AND replaced_at IS NULL AND revoked_at IS NULL");
    Ok(conn.query_row(&sql, [household_id], from_row).optional()?)
}

/// The highest serial ever issued to a household (revoked cards count: serials never repeat).
pub fn last_serial(conn: &Connection, household_id: i64) -> Result<Option<CardSerial>> {
    let last: Option<i64> = conn.query_row(
        "SELECT MAX(serial) FROM card WHERE household_id = ?1",
        [household_id],
        |r| r.get(0),
    )?;
    last.map(|s| parse_stored(&s.to_string(), |_| CardSerial::new(s)))
        .transpose()
        .map_err(Into::into)
}

pub fn insert(
    conn: &Connection,
    household_id: i64,
    serial: CardSerial,
    reason: CardReason,
    staff: StaffId,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO card (household_id, serial, reason, issued_at, issued_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            household_id,
            serial.get(),
            reason.as_db(),
            format_time(now),
            staff.0
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn mark_replaced(conn: &Connection, card_id: i64, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "UPDATE card SET replaced_at = ?2 WHERE id = ?1",
        params![card_id, format_time(now)],
    )?;
    Ok(())
}

pub fn mark_revoked(
    conn: &Connection,
    card_id: i64,
    staff: StaffId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "UPDATE card SET revoked_at = ?2, revoked_by = ?3, revoke_reason = ?4 WHERE id = ?1",
        params![card_id, format_time(now), staff.0, reason],
    )?;
    Ok(())
}

/// A village group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub id: i64,
    pub village: String,
    pub group: String,
}

/// Groups with this name, in this village when one is given; with no village, the
/// run-together form (`青山村第一组`, as CLI.md accepts everywhere) matches too.
pub fn groups_named(
    conn: &Connection,
    village: Option<&str>,
    group: &str,
) -> Result<Vec<GroupRef>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id
         WHERE (g.name = ?1 AND (?2 IS NULL OR v.name = ?2)) OR (?2 IS NULL AND v.name || g.name = ?1)
         ORDER BY v.name",
    )?;
    let rows = stmt.query_map(params![group, village], |r| {
        Ok(GroupRef {
            id: r.get(0)?,
            village: r.get(1)?,
            group: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The row ids of a group's households, in the order of their numbers.
pub fn households_in_group(conn: &Connection, group_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM household WHERE group_id = ?1 ORDER BY number")?;
    let rows = stmt.query_map([group_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
