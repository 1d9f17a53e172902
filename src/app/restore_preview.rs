//! What the app's restore screen shows before anything is done (issue 15): the backups there
//! are (the automatic ones with their dates, the damaged ones marked), and for a chosen file
//! what the restore would do — its date, its last receipt and the current store's, the
//! redemptions that would be lost, where the receipt numbers would continue. Manager only.
//! Reading a backup never writes the store: the file is checked on a copy that is removed.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;

use super::backup::{automatic_backups, damaged_backups, remove_database_files, verify_candidate};
use super::error::FileProblem;
use super::restore::{Heads, heads_of, later, lost_redemptions, replaced_heads};
use super::{Actor, Error, Result};
use crate::core::ReceiptNo;
use crate::core::staff::Action;
use crate::store::{Db, StoreError};

/// One backup the screen offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupListing {
    pub file: PathBuf,
    /// When it was taken (from the automatic backup's name).
    pub taken: Option<NaiveDateTime>,
    /// False for a backup of a store that failed its check when it was taken.
    pub sound: bool,
}

/// The automatic backups, newest first, then the damaged ones (marked, newest first).
pub fn backups(actor: &Actor, data_dir: &Path) -> Result<Vec<BackupListing>> {
    actor.require(Action::Restore)?;
    let listing = |file: PathBuf, sound: bool| BackupListing {
        taken: taken_from_name(&file),
        file,
        sound,
    };
    let mut out: Vec<BackupListing> = automatic_backups(data_dir)
        .into_iter()
        .rev()
        .map(|f| listing(f, true))
        .collect();
    out.extend(
        damaged_backups(data_dir)
            .into_iter()
            .rev()
            .map(|f| listing(f, false)),
    );
    Ok(out)
}

/// `jifen-20261120-090000.db` or `damaged-jifen-…` → 2026-11-20 09:00:00.
fn taken_from_name(file: &Path) -> Option<NaiveDateTime> {
    let stem = file.file_stem()?.to_str()?;
    let stamp = stem.strip_prefix("damaged-").unwrap_or(stem);
    NaiveDateTime::parse_from_str(stamp.strip_prefix("jifen-")?, "%Y%m%d-%H%M%S").ok()
}

/// What restoring `file` would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePreview {
    pub file: PathBuf,
    /// The automatic backup's time, if its name says it.
    pub taken: Option<NaiveDateTime>,
    /// The backup's last record (any ledger).
    pub last_entry: Option<NaiveDateTime>,
    pub backup_last_receipt: Option<ReceiptNo>,
    /// False when the current store cannot be read: the last receipt on paper must be typed.
    pub current_readable: bool,
    pub current_last_receipt: Option<ReceiptNo>,
    /// Redemptions in the current store that the backup does not have.
    pub lost: i64,
    /// The receipt counter continues after this (before any number typed from paper).
    pub continue_after: Option<ReceiptNo>,
}

/// Checks `file` on a copy (integrity, chains, signatures) and says what restoring it would
/// do. Refused for anyone but a manager, and for a damaged or unreadable file, in words.
pub fn preview(actor: &Actor, data_dir: &Path, file: &Path) -> Result<RestorePreview> {
    actor.require(Action::Restore)?;
    let copy = data_dir.join("restore-preview.db");
    remove_database_files(&copy);
    let outcome = read_copy(data_dir, file, &copy);
    remove_database_files(&copy);
    let (backup, last_entry) = outcome?;
    let current = data_dir.join("jifen.db");
    let replaced = replaced_heads(&current);
    Ok(RestorePreview {
        file: file.to_path_buf(),
        taken: taken_from_name(file),
        last_entry,
        backup_last_receipt: backup.last_receipt,
        current_readable: replaced.is_some() || !current.exists(),
        current_last_receipt: replaced.as_ref().and_then(|r| r.last_receipt),
        lost: lost_redemptions(replaced.as_ref(), &backup),
        continue_after: later(
            backup.last_receipt,
            replaced.as_ref().and_then(|r| r.last_receipt),
        ),
    })
}

fn read_copy(data_dir: &Path, file: &Path, copy: &Path) -> Result<(Heads, Option<NaiveDateTime>)> {
    let unfit = |reason| Error::File {
        path: file.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(data_dir).map_err(|e| unfit(FileProblem::Unreadable(e.to_string())))?;
    std::fs::copy(file, copy).map_err(|e| unfit(FileProblem::Unreadable(e.to_string())))?;
    verify_candidate(copy).map_err(|problem| unfit(FileProblem::BadBackup(problem)))?;
    let db = Db::open(copy)?;
    let conn = db.connection();
    let heads = heads_of(conn).map_err(StoreError::from)?;
    let mut last: Option<NaiveDateTime> = None;
    for table in ["point_entry", "stock_movement", "audit_log"] {
        let at: Option<String> = conn
            .query_row(
                &format!("SELECT created_at FROM {table} ORDER BY id DESC LIMIT 1"),
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?;
        let at = at.and_then(|t| crate::store::parse_time(&t).ok());
        last = last.max(at);
    }
    Ok((heads, last))
}

/// The restore as the signed-in manager asks it in the app: refused for anyone else (the
/// request must name the member signed in, whose PIN then signs it on the backup).
pub fn restore_signed_in(
    actor: &Actor,
    data_dir: &Path,
    req: &super::restore::RestoreRequest<'_>,
    now: NaiveDateTime,
) -> Result<super::backup::Restored> {
    actor.require(Action::Restore)?;
    if req.manager != actor.id {
        return Err(crate::core::refusal::Refusal::NotPermitted {
            action: Action::Restore,
        }
        .into());
    }
    super::restore::restore(data_dir, req, now)
}
