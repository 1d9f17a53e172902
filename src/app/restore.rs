//! Restore as a manager's audited act (issue 15). The backup is checked, the manager signs in
//! on it, and one signed audit record in the restored store names what the replaced store had:
//! its last receipt and ledger heads, the range rolled back, the redemptions lost. The receipt
//! counter continues after the highest number the replaced store (or the paper) had issued, so
//! no number printed on paper is ever given out twice. The township copy (issue 21) reads this
//! record as a marked rollback.

use std::path::Path;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

use super::auth::sign_in_tx;
use super::backup::{Restored, prepare_candidate, remove_database_files, swap_in};
use super::{Error, Result, audit};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{ReceiptNo, StaffId};
use crate::store::{Db, StoreError, backup};

pub struct RestoreRequest<'a> {
    pub file: &'a Path,
    pub manager: StaffId,
    pub pin: &'a str,
    pub reason: &'a str,
    /// The number of redemptions the manager accepts to lose.
    pub confirm_loss: Option<i64>,
    /// The last receipt number printed on paper, when the current store cannot be read.
    pub last_receipt: Option<ReceiptNo>,
}

/// What a store had at its end: each chain's last (id, hash), its last receipt, its receipts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Heads {
    pub(crate) points: (i64, String),
    pub(crate) stock: (i64, String),
    pub(crate) audit: (i64, String),
    pub(crate) last_receipt: Option<ReceiptNo>,
    pub(crate) receipts: Vec<String>,
}

fn head(conn: &Connection, table: &str) -> rusqlite::Result<(i64, String)> {
    Ok(conn
        .query_row(
            &format!("SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, String::new())))
}

pub(crate) fn heads_of(conn: &Connection) -> rusqlite::Result<Heads> {
    let last_receipt = conn
        .query_row(
            "SELECT year, last_seq FROM receipt_counter WHERE last_seq > 0 ORDER BY year DESC LIMIT 1",
            [],
            |r| Ok(ReceiptNo { year: r.get(0)?, seq: r.get(1)? }),
        )
        .optional()?;
    let receipts = conn
        .prepare("SELECT receipt_no FROM redemption")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Heads {
        points: head(conn, "point_entry")?,
        stock: head(conn, "stock_movement")?,
        audit: head(conn, "audit_log")?,
        last_receipt,
        receipts,
    })
}

/// The replaced store's heads, or `None` if it cannot be read (the usual reason to restore).
pub(crate) fn replaced_heads(current: &Path) -> Option<Heads> {
    if !current.exists() {
        return None;
    }
    let db = Db::open(current).ok()?;
    heads_of(db.connection()).ok()
}

pub(crate) fn lost_redemptions(replaced: Option<&Heads>, restored: &Heads) -> i64 {
    // A set: the five-year store has a million receipts on each side.
    let kept: std::collections::HashSet<&String> = restored.receipts.iter().collect();
    replaced.map_or(0, |r| {
        r.receipts.iter().filter(|no| !kept.contains(no)).count() as i64
    })
}

pub(crate) fn later(a: Option<ReceiptNo>, b: Option<ReceiptNo>) -> Option<ReceiptNo> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if (b.year, b.seq) > (a.year, a.seq) {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    }
}

/// Restores `req.file` as the store of `data_dir`, as the manager named. Refused (and nothing
/// written, the current store untouched) without a manager's right PIN, without a reason,
/// when redemptions would be lost without `confirm_loss`, or when the current store cannot be
/// read and no `last_receipt` is given.
pub fn restore(data_dir: &Path, req: &RestoreRequest<'_>, now: NaiveDateTime) -> Result<Restored> {
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    let staging = prepare_candidate(data_dir, req.file)?;
    let outcome = stage(data_dir, &staging, req, reason, now);
    if outcome.is_err() {
        remove_database_files(&staging);
    }
    outcome?;
    swap_in(data_dir, &staging, now)
}

fn stage(
    data_dir: &Path,
    staging: &Path,
    req: &RestoreRequest<'_>,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let current = data_dir.join("jifen.db");
    let replaced = replaced_heads(&current);
    if current.exists() && replaced.is_none() && req.last_receipt.is_none() {
        return Err(Refusal::RestoreNeedsLastReceipt.into());
    }
    let mut db = Db::open(staging)?;
    // The heads of the backup as it is, before anyone signs in on it: the township holds these
    // rows, and the `restore` record must come straight after them.
    let restored = heads_of(db.connection()).map_err(StoreError::from)?;
    let lost = lost_redemptions(replaced.as_ref(), &restored);
    let continue_after = later(
        later(
            restored.last_receipt,
            replaced.as_ref().and_then(|r| r.last_receipt),
        ),
        req.last_receipt,
    );
    let range = |from: &(i64, String), to: Option<&(i64, String)>| {
        to.filter(|to| to.0 > from.0).map(|to| [from.0 + 1, to.0])
    };
    let detail = json!({
        "reason": reason,
        "file": req.file.display().to_string(),
        "lost_redemptions": lost,
        "typed_last_receipt": req.last_receipt.map(|r| r.to_string()),
        "continue_after": continue_after.map(|r| r.to_string()),
        "continue_after_year": continue_after.map(|r| r.year),
        "continue_after_seq": continue_after.map(|r| r.seq),
        "replaced": replaced.as_ref().map(|r| json!({
            "points_head": r.points, "stock_head": r.stock, "audit_head": r.audit,
            "last_receipt": r.last_receipt.map(|n| n.to_string()),
        })),
        "restored": json!({
            "points_head": restored.points, "stock_head": restored.stock, "audit_head": restored.audit,
        }),
        "rolled_back": json!({
            "points": range(&restored.points, replaced.as_ref().map(|r| &r.points)),
            "stock": range(&restored.stock, replaced.as_ref().map(|r| &r.stock)),
            "audit": range(&restored.audit, replaced.as_ref().map(|r| &r.audit)),
        }),
    });
    // One transaction, the `restore` record first: the manager's sign-in on the backup may
    // write records of its own (the key enrolment of a store made before signatures, the first
    // manager's attestation), and ahead of the restore record the township would read them as
    // a fork (`township::push::rollback::plan_rollbacks`). A wrong PIN or a refusal rolls it
    // all back.
    db.write(|tx| -> Result<()> {
        audit(tx, Some(req.manager), "restore", detail, now)?;
        if let Some(after) = continue_after {
            tx.execute(
                "INSERT INTO receipt_counter (year, last_seq) VALUES (?1, ?2)
                 ON CONFLICT(year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)",
                rusqlite::params![after.year, after.seq],
            )?;
        }
        let (_, _, role, must_change_pin, key) =
            sign_in_tx(tx, req.manager, req.pin, now)?.map_err(Error::Refused)?;
        if must_change_pin {
            return Err(Refusal::MustChangePin.into());
        }
        if !role.may(Action::Restore) {
            return Err(Refusal::NotPermitted {
                action: Action::Restore,
            }
            .into());
        }
        if lost > 0 && req.confirm_loss != Some(lost) {
            return Err(Refusal::RestoreLoses { lost }.into());
        }
        // A key the sign-in opened (not made in this transaction) signs this transaction.
        if let Some((key_id, key)) = key {
            tx.new_keys.borrow_mut().push((req.manager, key_id, key));
        }
        Ok(())
    })?;
    backup::settle(&db)?;
    Ok(())
}
