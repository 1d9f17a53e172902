//! The signed record: how every write joins it without the code that writes having to ask.
//!
//! `Db::write` hands its closure a [`Tx`]. SQLite's update hook tells the `Db` which rows the
//! transaction inserted, changed or deleted; just before the commit [`seal`] then
//! - appends one chained `record_change` row for every row of a [`SIGNED_TABLES`] table whose
//!   content changed (the hash of its new state, or NULL when it was deleted), and
//! - signs the transaction once, with the Ed25519 key of the staff member named by the rows it
//!   appended (`point_entry`, `stock_movement`, `audit_log`: every service writes an audit
//!   record with its actor), over the last hash of each chain it extended (`txn_signature`).
//!
//! So a new service that calls `db.write(…)` with `append_point_entry`, `append_audit` or an
//! UPDATE of a household is signed automatically; one whose staff member has not signed in
//! (no unlocked key in this `Db`) fails at the commit and writes nothing. A transaction with
//! nobody signed in may only append unsigned audit records (a failed sign-in, a backup) and
//! touch unsigned tables; it can never move points or stock.
//!
//! How a new table joins: add it to `SIGNED_TABLES` if it decides points (its rows are then
//! compared with their last signed state by `check`), or to `UNSIGNED_TABLES` with the reason
//! why not (a test fails while a table is in neither list). A column added to a signed table
//! must be added nullable with no default (NULLs are left out of a row's state), or the
//! migration must re-record the rows. Never VACUUM: tables without an INTEGER PRIMARY KEY
//! would get new rowids and every change record would point at the wrong row.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use ed25519_dalek::{Signer, SigningKey};
use rusqlite::hooks::Action;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, StoreError};
use crate::core::StaffId;
use crate::core::chain::{
    CellValue, GENESIS, SIGNED_CHAINS, Span, change_hash, signed_message, state_hash,
};

/// Mutable tables that decide points: every change of a row is recorded and signed.
pub const SIGNED_TABLES: &[&str] = &[
    "store",
    "staff",
    "village",
    "village_group",
    "household",
    "goods",
    "price",
    "donation",
    "purchase",
    "redemption_void",
    "score_sheet",
    "score",
    "card",
    "redemption_session",
    "designated_staff",
    "redemption_day",
    "village_policy",
    "dispute",
    "year_end_event",
    "setting",
    "stocktake",
    "stocktake_line",
    "service",
    "voucher",
    "signing_start",
    "redemption_day_group",
    "opening_stock",
    "register_item_table",
    "register_item",
    "register_event",
    "register_approval",
    "register_adjustment",
    "register_dispute_event",
    "point_transfer",
    "household_change",
];

/// Tables outside the change records, and why.
pub const UNSIGNED_TABLES: &[(&str, &str)] = &[
    ("point_entry", "a chain of its own, signed by its span"),
    ("stock_movement", "a chain of its own, signed by its span"),
    ("audit_log", "a chain of its own, signed by its span"),
    ("record_change", "the change chain itself"),
    ("staff_key", "a chain of its own, signed by its span"),
    ("txn_signature", "the signatures themselves"),
    (
        "redemption",
        "append-only; check ties it to its signed debit and stock movements",
    ),
    (
        "redemption_line",
        "append-only; check ties it to its signed debit and stock movements",
    ),
    ("receipt_counter", "check ties it to the last receipt"),
    (
        "movement_best_before",
        "append-only dates beside a signed stock movement",
    ),
    (
        "household_group_history",
        "filled by migration 019 and a trigger on new households; each move is in the signed household_change",
    ),
    (
        "township_push",
        "a log of pushes to the township, which holds the signed rows themselves",
    ),
    (
        "township_recovered",
        "rows handed back by the township as it holds them, append-only",
    ),
    (
        "check_mark",
        "a check's verified heads, signed by its own signature over them",
    ),
    (
        "print_job",
        "a print queue, not a record: reprints read the stored receipt",
    ),
];

/// Columns that change with nobody signed in and decide nothing (the sign-in lockout).
fn unsigned_column(table: &str, column: &str) -> bool {
    table == "staff" && matches!(column, "failed_pins" | "locked_until")
}

/// Rows the update hook saw since the transaction began: (table, rowid).
pub(crate) type Touched = Arc<Mutex<Vec<(String, i64)>>>;

pub(crate) fn install_hook(conn: &Connection) -> Result<Touched> {
    let touched: Touched = Arc::default();
    let sink = Arc::clone(&touched);
    conn.update_hook(Some(
        move |_: Action, _db: &str, table: &str, rowid: i64| {
            if let Ok(mut rows) = sink.lock() {
                rows.push((table.to_string(), rowid));
            }
        },
    ))?;
    Ok(touched)
}

pub(crate) fn take(touched: &Touched) -> Vec<(String, i64)> {
    touched
        .lock()
        .map(|mut rows| std::mem::take(&mut *rows))
        .unwrap_or_default()
}

/// A write transaction: the SQLite transaction, plus the keys created inside it (the first
/// manager's, a staff member's first key) so that the commit can sign with them.
pub struct Tx<'c> {
    tx: Transaction<'c>,
    pub(crate) new_keys: RefCell<Vec<(StaffId, i64, SigningKey)>>,
}

impl<'c> Tx<'c> {
    pub(crate) fn new(tx: Transaction<'c>) -> Self {
        Tx {
            tx,
            new_keys: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn into_inner(self) -> (Transaction<'c>, Vec<(StaffId, i64, SigningKey)>) {
        (self.tx, self.new_keys.into_inner())
    }
}

impl<'c> Deref for Tx<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

/// Unlocked signing keys of the staff signed in on this `Db`: staff → (key row, key).
pub(crate) type Keyring = HashMap<StaffId, (i64, SigningKey)>;

/// The hash of a row's current state, or `None` if the row is gone.
pub fn row_state(conn: &Connection, table: &str, rowid: i64) -> Result<Option<String>> {
    let sql = format!("SELECT * FROM \"{table}\" WHERE rowid = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.query([rowid])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(hash_row(table, &names, row, 0)?))
}

/// Hashes a row whose table columns start at `offset`, named by `names`.
pub(crate) fn hash_row(
    table: &str,
    names: &[String],
    row: &rusqlite::Row<'_>,
    offset: usize,
) -> Result<String> {
    use rusqlite::types::ValueRef;
    let mut cells = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if unsigned_column(table, name) {
            continue;
        }
        let value = match row.get_ref(i + offset)? {
            ValueRef::Null => CellValue::Null,
            ValueRef::Integer(v) => CellValue::Integer(v),
            ValueRef::Real(v) => CellValue::Real(v),
            ValueRef::Text(t) => CellValue::Text(t),
            ValueRef::Blob(b) => CellValue::Blob(b),
        };
        cells.push((name.as_str(), value));
    }
    Ok(state_hash(table, cells.into_iter()))
}

/// The last recorded state of a row: `None` if never recorded, `Some(None)` if deleted.
fn last_state(conn: &Connection, table: &str, rowid: i64) -> Result<Option<Option<String>>> {
    Ok(conn
        .prepare_cached(
            "SELECT state_hash FROM record_change WHERE table_name = ?1 AND row_id = ?2
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![table, rowid], |r| r.get(0))
        .optional()?)
}

fn chain_head(conn: &Connection, table: &str) -> Result<(i64, String)> {
    let sql = format!("SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1");
    let last: Option<(i64, String)> = conn
        .prepare_cached(&sql)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(last.unwrap_or((0, GENESIS.to_string())))
}

/// Records a row's state if it differs from the last recorded one; the new change's id.
pub(crate) fn record_state(conn: &Connection, table: &str, rowid: i64) -> Result<Option<i64>> {
    let state = row_state(conn, table, rowid)?;
    let last = last_state(conn, table, rowid)?;
    if last.as_ref() == Some(&state) || (last.is_none() && state.is_none()) {
        return Ok(None);
    }
    let (id, prev) = chain_head(conn, "record_change")?;
    let hash = change_hash(&prev, table, rowid, &state);
    conn.prepare_cached(
        "INSERT INTO record_change (id, table_name, row_id, state_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id + 1, table, rowid, state, prev, hash])?;
    Ok(Some(id + 1))
}

/// Records the state of every row of the signed tables that has no record yet: the baseline
/// the first manager attests after the upgrade (and the store's creation signs).
pub(crate) fn record_baseline(conn: &Connection) -> Result<usize> {
    let mut recorded = 0;
    for table in SIGNED_TABLES {
        let sql = format!(
            "SELECT rowid FROM \"{table}\" t WHERE NOT EXISTS (SELECT 1 FROM record_change c
             WHERE c.table_name = '{table}' AND c.row_id = t.rowid) ORDER BY rowid"
        );
        let rowids: Vec<i64> = conn
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for rowid in rowids {
            recorded += usize::from(record_state(conn, table, rowid)?.is_some());
        }
    }
    Ok(recorded)
}

/// What the transaction appended to one chain, from the rowids the hook saw (appends under
/// the write lock take consecutive ids, so the range is exactly the transaction's rows).
fn span_of(conn: &Connection, touched: &[(String, i64)], table: &str) -> Result<Span> {
    let ids = touched
        .iter()
        .filter(|(t, _)| t == table)
        .map(|(_, id)| *id);
    let (Some(from), Some(to)) = (ids.clone().min(), ids.max()) else {
        return Ok(Span::default());
    };
    let head: String = conn
        .prepare_cached(&format!("SELECT hash FROM {table} WHERE id = ?1"))?
        .query_row([to], |r| r.get(0))?;
    Ok(Span {
        from: Some(from),
        to: Some(to),
        head: Some(head),
    })
}

/// Who the appended rows name. More than one staff member in one transaction is a bug.
fn signer_of(conn: &Connection, spans: [&Span; 3]) -> Result<Option<StaffId>> {
    let mut staff: Vec<i64> = Vec::new();
    for (table, span) in SIGNED_CHAINS.iter().zip(spans) {
        let (Some(from), Some(to)) = (span.from, span.to) else {
            continue;
        };
        let sql = format!(
            "SELECT DISTINCT staff_id FROM {table} WHERE id BETWEEN ?1 AND ?2 AND staff_id IS NOT NULL"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        for id in stmt.query_map([from, to], |r| r.get::<_, i64>(0))? {
            let id = id?;
            if !staff.contains(&id) {
                staff.push(id);
            }
        }
    }
    match staff.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(StaffId(*one))),
        _ => Err(StoreError::Invariant(format!(
            "one transaction written in the names of staff {staff:?}"
        ))),
    }
}

/// The hash that binds the rows written before signatures: the hashes of the three chains'
/// rows at the heads recorded by the upgrade.
pub fn legacy_heads_hash(conn: &Connection) -> Result<String> {
    let (p, s, a): (i64, i64, i64) = conn.query_row(
        "SELECT points_head, stock_head, audit_head FROM signing_start WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut fields = Vec::new();
    for (table, id) in [("point_entry", p), ("stock_movement", s), ("audit_log", a)] {
        let hash: Option<String> = conn
            .query_row(
                &format!("SELECT hash FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        fields.push(format!(
            "{table}:{id}:{}",
            hash.unwrap_or_else(|| GENESIS.to_string())
        ));
    }
    Ok(crate::core::chain::link_hash(GENESIS, &fields))
}

/// The first manager's attestation of everything written before signatures (or, in a new
/// store, its creation): records the state of every row of the signed tables not yet recorded
/// and marks who attested the heads. False if the store was already attested.
pub fn attest(tx: &Tx<'_>, staff: StaffId, now: chrono::NaiveDateTime) -> Result<bool> {
    let attested: Option<i64> = tx.query_row(
        "SELECT attested_by FROM signing_start WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    if attested.is_some() {
        return Ok(false);
    }
    record_baseline(tx)?;
    let heads = legacy_heads_hash(tx)?;
    tx.execute(
        "UPDATE signing_start SET attested_by = ?1, attested_at = ?2, heads_hash = ?3 WHERE id = 1",
        params![staff.0, super::format_time(now), heads],
    )?;
    Ok(true)
}

/// Refuses an unsigned transaction that changed a row already on the signed record. A row
/// never recorded (written before the attestation) is left for `check` to report.
fn refuse_unsigned_changes(conn: &Connection, touched: &[(String, i64)]) -> Result<()> {
    for (table, rowid) in touched {
        if !SIGNED_TABLES.contains(&table.as_str()) {
            continue;
        }
        if let Some(last) = last_state(conn, table, *rowid)?
            && last != row_state(conn, table, *rowid)?
        {
            return Err(StoreError::Unsigned(table.clone()));
        }
    }
    if touched
        .iter()
        .any(|(t, _)| t == "staff_key" || t == "record_change")
    {
        return Err(StoreError::Unsigned("staff_key".into()));
    }
    Ok(())
}

/// Records the changed rows and signs the transaction; called by `Db::write` before commit.
pub(crate) fn seal(tx: &Tx<'_>, touched: Vec<(String, i64)>, keys: &Keyring) -> Result<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let points = span_of(tx, &touched, "point_entry")?;
    let stock = span_of(tx, &touched, "stock_movement")?;
    let audit = span_of(tx, &touched, "audit_log")?;
    let Some(signer) = signer_of(tx, [&points, &stock, &audit])? else {
        return refuse_unsigned_changes(tx, &touched);
    };
    // Changes recorded earlier in the transaction (an attestation's baseline) and now.
    let mut change_ids: Vec<i64> = touched
        .iter()
        .filter(|(t, _)| t == "record_change")
        .map(|(_, id)| *id)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (table, rowid) in &touched {
        if SIGNED_TABLES.contains(&table.as_str()) && seen.insert((table.as_str(), *rowid)) {
            change_ids.extend(record_state(tx, table, *rowid)?);
        }
    }
    let changes = match (change_ids.iter().min(), change_ids.iter().max()) {
        (Some(&from), Some(&to)) => Span {
            from: Some(from),
            to: Some(to),
            head: Some(chain_head(tx, "record_change")?.1),
        },
        _ => Span::default(),
    };
    let spans = [
        points,
        stock,
        audit,
        changes,
        span_of(tx, &touched, "staff_key")?,
    ];
    let new_keys = tx.new_keys.borrow();
    let (key_id, key) = new_keys
        .iter()
        .rev()
        .find(|(s, _, _)| *s == signer)
        .map(|(_, id, key)| (*id, key))
        .or_else(|| keys.get(&signer).map(|(id, key)| (*id, key)))
        .ok_or(StoreError::NotSignedIn(signer))?;
    let message = signed_message(signer.0, key_id, &spans);
    let signature = hex::encode(key.sign(&message).to_bytes());
    let [p, s, a, c, k] = &spans;
    tx.prepare_cached(
        "INSERT INTO txn_signature (staff_id, key_id,
            points_from, points_to, points_head, stock_from, stock_to, stock_head,
            audit_from, audit_to, audit_head, changes_from, changes_to, changes_head,
            keys_from, keys_to, keys_head, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        signer.0, key_id, p.from, p.to, p.head, s.from, s.to, s.head, a.from, a.to, a.head, c.from,
        c.to, c.head, k.from, k.to, k.head, signature
    ])?;
    Ok(())
}
