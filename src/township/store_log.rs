//! The store's own record of its township pushes and of the rows the township handed back
//! (SQLite migration 018), and the township address setting.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Result;
use crate::core::StaffId;
use crate::store::{Db, format_time, parse_time};

/// The setting holding the township's address (with the store's credentials from `enrol`).
pub const URL_SETTING: &str = "township.url";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Refused,
    Failed,
}

impl Outcome {
    fn as_db(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
    fn from_db(s: &str) -> Outcome {
        match s {
            "done" => Outcome::Done,
            "refused" => Outcome::Refused,
            _ => Outcome::Failed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushRecord {
    pub at: NaiveDateTime,
    /// push, export or recover.
    pub via: String,
    /// Without the password.
    pub address: String,
    pub outcome: Outcome,
    pub rows_added: i64,
    /// What was added, or why it was refused, in the words shown to the clerk.
    pub detail: String,
}

pub fn record(db: &mut Db, entry: &PushRecord, staff: Option<StaffId>) -> Result<()> {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO township_push (at, via, address, outcome, rows_added, detail, staff_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                format_time(entry.at),
                entry.via,
                entry.address,
                entry.outcome.as_db(),
                entry.rows_added,
                entry.detail,
                staff.map(|s| s.0)
            ],
        )?;
        Ok(())
    })
}

/// The latest push, export or recovery, for the manager screen.
pub fn last(db: &mut Db) -> Result<Option<PushRecord>> {
    db.read(|tx| {
        Ok(tx
            .query_row(
                "SELECT at, via, address, outcome, rows_added, detail FROM township_push
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(PushRecord {
                        at: parse_time(&r.get::<_, String>(0)?)?,
                        via: r.get(1)?,
                        address: r.get(2)?,
                        outcome: Outcome::from_db(&r.get::<_, String>(3)?),
                        rows_added: r.get(4)?,
                        detail: r.get(5)?,
                    })
                },
            )
            .optional()?)
    })
}

/// One row the township kept from a rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoveredRow {
    pub rollback_id: i64,
    pub ledger: String,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    /// The row as the township holds it (JSON).
    pub body: String,
}

/// Keeps rows handed back by the township; rows already kept are left as they are. Returns
/// how many were new.
pub fn keep_recovered(db: &mut Db, rows: &[RecoveredRow], now: NaiveDateTime) -> Result<usize> {
    db.write(|tx| {
        let mut stmt = tx.prepare(
            "INSERT OR IGNORE INTO township_recovered
                 (rollback_id, ledger, seq, prev_hash, hash, body, recovered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut added = 0;
        for r in rows {
            added += stmt.execute(params![
                r.rollback_id,
                r.ledger,
                r.seq,
                r.prev_hash,
                r.hash,
                r.body,
                format_time(now)
            ])?;
        }
        Ok(added)
    })
}

pub fn recovered_count(db: &mut Db) -> Result<i64> {
    db.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM township_recovered", [], |r| r.get(0))?))
}
