//! The signed "verified up to here" mark (issues 15 and 23). When a check passes, the heads it
//! verified — each chain's last row and its hash, each signed table's highest rowid — are
//! recorded and signed by a staff member: the one signed in, or, when the check ran before
//! anyone signed in (the start-up check), the next one to sign in (the heads wait in the
//! `Db`, never in the file, so nobody signs heads they did not see verified).
//!
//! The incremental check verifies the last mark (its signature, with the key its signer had,
//! and that every row it names still has the hash it recorded) and then only what came after:
//! the chains and running totals from the heads on, the signatures and change records made
//! since, the rows added to the signed tables since, and the derived facts of the new entries.
//!
//! What the incremental check does not see: a row from before the mark rewritten in place
//! without touching a head (an UPDATE of an old score with the triggers dropped). Only the full
//! `jifen check` rehashes every row; it stays the one to run after any doubt, and the daily
//! backup runs it.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Result;
use super::check::Fault;
use super::check_signatures::SigningSummary;
use super::keys::parse_public;
use super::records::SIGNED_TABLES;
use crate::core::StaffId;
use crate::core::chain::{GENESIS, link_hash};

/// The tables whose last row a mark names, and the column that row is known by: the hash
/// chains by their hash, the signatures by the signature, receipts by their number.
const HEAD_COLUMNS: &[(&str, &str)] = &[
    ("point_entry", "hash"),
    ("stock_movement", "hash"),
    ("audit_log", "hash"),
    ("record_change", "hash"),
    ("staff_key", "hash"),
    ("txn_signature", "signature"),
    ("register_event", "hash"),
    ("redemption", "receipt_no"),
    ("register_approval", "created_at"),
    ("register_adjustment", "created_at"),
];

/// One table's last row at the time of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub table: String,
    pub id: i64,
    pub value: String,
}

/// What a passed check verified.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Heads {
    pub chains: Vec<Head>,
    /// Each signed table's highest rowid.
    pub tables: Vec<(String, i64)>,
}

impl Heads {
    /// The last verified row of `table`: (id, its hash or value). Before any row: (0, GENESIS).
    pub fn of(&self, table: &str) -> (i64, String) {
        self.chains
            .iter()
            .find(|h| h.table == table)
            .map(|h| (h.id, h.value.clone()))
            .unwrap_or_else(|| (0, GENESIS.to_string()))
    }

    pub fn id(&self, table: &str) -> i64 {
        self.of(table).0
    }

    fn max_rowid(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, id)| *id)
            .unwrap_or(0)
    }

    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The heads as they stand (read inside the check's own read transaction, so they are the
/// heads of exactly what it verified).
pub fn current(conn: &Connection) -> Result<Heads> {
    let mut chains = Vec::new();
    for (table, column) in HEAD_COLUMNS {
        let sql = format!("SELECT id, {column} FROM {table} ORDER BY id DESC LIMIT 1");
        let last: Option<(i64, String)> = conn
            .query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, value)) = last {
            chains.push(Head {
                table: table.to_string(),
                id,
                value,
            });
        }
    }
    let mut tables = Vec::new();
    for table in SIGNED_TABLES {
        let sql = format!("SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\"");
        tables.push((table.to_string(), conn.query_row(&sql, [], |r| r.get(0))?));
    }
    Ok(Heads { chains, tables })
}

/// What a passed check verified, waiting to be signed: the heads, whether the check was the
/// full one, and when it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub heads: Heads,
    pub full: bool,
    pub checked_at: chrono::NaiveDateTime,
}

/// What is wrong with a mark itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkFault {
    /// The signature does not verify with the key its signer had, or names another's key.
    BadSignature { mark: i64 },
    /// A row the mark named no longer holds what it held when it was verified.
    HeadChanged { mark: i64, table: String, id: i64 },
    /// The mark's record cannot be read.
    Unreadable { mark: i64 },
}

/// A signed mark as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub id: i64,
    pub checked_at: String,
    pub full: bool,
    pub staff: i64,
    pub heads: Heads,
}

/// The bytes a mark's signature is made over: the words, who, with which key, when, and the
/// heads, length-prefixed like every other hash here.
fn message(staff: i64, key_id: i64, checked_at: &str, full: bool, heads_text: &str) -> Vec<u8> {
    let fields = [
        "jifen-check-mark-v1".to_string(),
        staff.to_string(),
        key_id.to_string(),
        checked_at.to_string(),
        u8::from(full).to_string(),
        heads_text.to_string(),
    ];
    link_hash(GENESIS, &fields).into_bytes()
}

/// Records a mark, signed with a staff member's unlocked key. Refused (nothing written) when
/// a row the heads name changed since they were verified. Returns the mark's id.
pub fn record(
    conn: &Connection,
    (staff, key_id, key): (StaffId, i64, &SigningKey),
    verified: &Verified,
    now: chrono::NaiveDateTime,
) -> Result<Option<i64>> {
    if !heads_hold(conn, &verified.heads)?.is_empty() {
        return Ok(None);
    }
    let full = verified.full;
    let checked_at = super::format_time(verified.checked_at);
    let text = verified.heads.text();
    let signature = key.sign(&message(staff.0, key_id, &checked_at, full, &text));
    conn.prepare_cached(
        "INSERT INTO check_mark (checked_at, full_check, heads, staff_id, key_id, signed_at, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        checked_at,
        full,
        text,
        staff.0,
        key_id,
        super::format_time(now),
        hex::encode(signature.to_bytes())
    ])?;
    Ok(Some(conn.last_insert_rowid()))
}

/// The rows a set of heads names that no longer hold what they held: (table, id).
fn heads_hold(conn: &Connection, heads: &Heads) -> Result<Vec<(String, i64)>> {
    let mut changed = Vec::new();
    for head in &heads.chains {
        let Some((_, column)) = HEAD_COLUMNS.iter().find(|(t, _)| *t == head.table) else {
            changed.push((head.table.clone(), head.id));
            continue;
        };
        let sql = format!("SELECT {column} FROM {} WHERE id = ?1", head.table);
        let now: Option<String> = conn
            .prepare_cached(&sql)?
            .query_row([head.id], |r| r.get(0))
            .optional()?;
        if now.as_deref() != Some(head.value.as_str()) {
            changed.push((head.table.clone(), head.id));
        }
    }
    Ok(changed)
}

/// The last mark and what is wrong with it (nothing: it can be started from). `None` when no
/// mark was ever made.
pub fn last_verified(conn: &Connection) -> Result<Option<(Mark, Vec<MarkFault>)>> {
    let row: Option<(i64, String, bool, String, i64, i64, String)> = conn
        .query_row(
            "SELECT id, checked_at, full_check, heads, staff_id, key_id, signature
             FROM check_mark ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .optional()?;
    let Some((id, checked_at, full, text, staff, key_id, signature)) = row else {
        return Ok(None);
    };
    let Ok(heads) = serde_json::from_str::<Heads>(&text) else {
        let mark = Mark {
            id,
            checked_at,
            full,
            staff,
            heads: Heads::default(),
        };
        return Ok(Some((mark, vec![MarkFault::Unreadable { mark: id }])));
    };
    let mut faults = Vec::new();
    // The key must be one the staff history gave this member (that history is itself
    // chained and signed, and checked again below from the mark on).
    let public: Option<VerifyingKey> = conn
        .query_row(
            "SELECT public_key FROM staff_key WHERE id = ?1 AND staff_id = ?2",
            params![key_id, staff],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|text| parse_public(&text));
    let signature = hex::decode(&signature)
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok());
    let verified = match (public, signature) {
        (Some(public), Some(signature)) => public
            .verify(
                &message(staff, key_id, &checked_at, full, &text),
                &signature,
            )
            .is_ok(),
        _ => false,
    };
    if !verified {
        faults.push(MarkFault::BadSignature { mark: id });
    }
    for (table, row) in heads_hold(conn, &heads)? {
        faults.push(MarkFault::HeadChanged {
            mark: id,
            table,
            id: row,
        });
    }
    Ok(Some((
        Mark {
            id,
            checked_at,
            full,
            staff,
            heads,
        },
        faults,
    )))
}

/// Rows added to the signed tables since the mark: each must have a change record (a row
/// inserted behind the app's back has none). Rows changed since are compared by the change
/// records themselves (`check_signatures::check_rows_since`).
pub(super) fn new_rows_recorded(
    conn: &Connection,
    heads: &Heads,
    faults: &mut Vec<Fault>,
) -> Result<()> {
    for table in SIGNED_TABLES {
        let sql = format!(
            "SELECT t.rowid FROM \"{table}\" t WHERE t.rowid > ?1 AND NOT EXISTS
               (SELECT 1 FROM record_change c WHERE c.table_name = ?2 AND c.row_id = t.rowid)
             ORDER BY t.rowid"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![heads.max_rowid(table), table], |r| r.get(0))?;
        for rowid in rows {
            faults.push(Fault::RowUnrecorded {
                table,
                rowid: rowid?,
            });
        }
    }
    Ok(())
}

/// The incremental check: the last mark, then everything after it. `None` when there is no
/// mark yet (the caller runs the full check). Returns the mark, the faults, and the heads now.
///
/// SQLite's own page checks are left to the full check: even `quick_check` reads the whole
/// file (seconds on years of records), and a damaged page under the new rows fails the reads
/// below anyway.
pub fn run_incremental(conn: &Connection) -> Result<Option<Incremental>> {
    let heads = current(conn)?;
    let Some((mark, mark_faults)) = last_verified(conn)? else {
        return Ok(None);
    };
    let mut faults: Vec<Fault> = mark_faults.into_iter().map(Fault::Mark).collect();
    let mut summary = SigningSummary::default();
    if faults.is_empty() {
        super::check::ledger_checks(conn, &mark.heads, &mut |_| {}, &mut faults)?;
        summary = super::check_signatures::run(conn, Some(&mark.heads), &mut faults)?;
    }
    Ok(Some(Incremental {
        mark,
        faults,
        summary,
        heads,
    }))
}

/// What the incremental check found, from which mark, and the heads now.
pub struct Incremental {
    pub mark: Mark,
    pub faults: Vec<Fault>,
    pub summary: SigningSummary,
    pub heads: Heads,
}
