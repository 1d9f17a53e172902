//! Backups of the counter PC's only copy of years of records: on demand to any folder (a USB
//! stick), automatically into `DIR/backups` keeping a number of generations, and a restore
//! that refuses a damaged file and keeps the database it replaces.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::error::FileProblem;
use super::{Error, Result};
use crate::store::{Db, backup, check};

/// How many automatic backups are kept in `DIR/backups`.
pub const KEEP_GENERATIONS: usize = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub file: PathBuf,
    pub bytes: u64,
}

fn file_error(path: &Path, reason: FileProblem) -> Error {
    Error::File {
        path: path.display().to_string(),
        reason,
    }
}

/// Writes a consistent backup to `dest` and proves it readable.
pub fn backup_to(db: &Db, dest: &Path) -> Result<BackupInfo> {
    backup_to_with_progress(db, dest, |_, _| {})
}

/// [`backup_to`], calling `progress(pages_done, pages_total)` as the copy goes.
pub fn backup_to_with_progress(
    db: &Db,
    dest: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<BackupInfo> {
    // Said as "插好U盘或选择其他文件夹", not as SQLite's "unable to open database file".
    if let Some(dir) = dest.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(file_error(
            dest,
            FileProblem::FolderMissing(dir.display().to_string()),
        ));
    }
    backup::backup_in_steps(db.connection(), dest, backup::PAGES_PER_STEP, progress)?;
    // The register's evidence photos go beside the backup (issue 20).
    if let (Some(data), Some(folder)) = (db.path().parent(), dest.parent()) {
        super::register::carry_evidence(data, folder)
            .map_err(|e| file_error(dest, FileProblem::Unreadable(e.to_string())))?;
    }
    let bytes = std::fs::metadata(dest)
        .map(|m| m.len())
        .map_err(|e| file_error(dest, FileProblem::Unreadable(e.to_string())))?;
    Ok(BackupInfo {
        file: dest.to_path_buf(),
        bytes,
    })
}

/// The automatic backup: `DIR/backups/jifen-YYYYMMDD-HHMMSS.db`, oldest pruned past `keep`.
/// A store that fails `check` is backed up apart, into `DIR/backups/damaged/`, marked in its
/// name, never counted among the generations and never pruning one: after any number of
/// starts on a damaged store the last good backups are all still there.
pub fn auto_backup(
    db: &Db,
    data_dir: &Path,
    now: NaiveDateTime,
    keep: usize,
) -> Result<BackupInfo> {
    let sound = check::run(db.connection())?.is_empty();
    auto_backup_checked(db, data_dir, now, keep, sound, |_, _| {})
}

/// Whether today's automatic backup is still to be taken.
pub fn backup_due(data_dir: &Path, now: NaiveDateTime) -> bool {
    last_backup_time(data_dir).is_none_or(|last| last.date() < now.date())
}

/// [`auto_backup`] of a store whose check has already been run (`sound`: it found no fault),
/// with the copy's progress: the counter's start-up takes it on its own thread after its check.
pub fn auto_backup_checked(
    db: &Db,
    data_dir: &Path,
    now: NaiveDateTime,
    keep: usize,
    sound: bool,
    progress: impl FnMut(u64, u64),
) -> Result<BackupInfo> {
    let folder = if sound {
        data_dir.join("backups")
    } else {
        data_dir.join("backups").join("damaged")
    };
    std::fs::create_dir_all(&folder)
        .map_err(|e| file_error(&folder, FileProblem::Unreadable(e.to_string())))?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let name = if sound {
        format!("jifen-{stamp}.db")
    } else {
        format!("damaged-jifen-{stamp}.db")
    };
    let info = backup_to_with_progress(db, &folder.join(name), progress)?;
    if sound {
        let mut existing = automatic_backups(data_dir);
        while existing.len() > keep {
            let _ = std::fs::remove_file(existing.remove(0));
        }
    }
    Ok(info)
}

/// Backups taken of a store that failed its check, oldest first.
pub fn damaged_backups(data_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir.join("backups").join("damaged"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Automatic backups, oldest first (their names sort by time).
pub fn automatic_backups(data_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir.join("backups"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("jifen-") && n.ends_with(".db"))
    });
    files.sort();
    files
}

/// When the newest automatic backup was taken, read from its name.
pub fn last_backup_time(data_dir: &Path) -> Option<NaiveDateTime> {
    let newest = automatic_backups(data_dir).pop()?;
    let name = newest
        .file_stem()?
        .to_str()?
        .strip_prefix("jifen-")?
        .to_string();
    NaiveDateTime::parse_from_str(&name, "%Y%m%d-%H%M%S").ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// Where the database that was replaced now lives (`None` if there was none).
    pub replaced: Option<PathBuf>,
}

/// Copies `file` aside as `DIR/restore-staging.db` and checks it — SQLite integrity, both
/// ledgers, every chain and signature — returning the staging path of a sound copy.
pub(crate) fn prepare_candidate(data_dir: &Path, file: &Path) -> Result<PathBuf> {
    let staging = data_dir.join("restore-staging.db");
    remove_database_files(&staging);
    std::fs::create_dir_all(data_dir)
        .map_err(|e| file_error(data_dir, FileProblem::Unreadable(e.to_string())))?;
    std::fs::copy(file, &staging)
        .map_err(|e| file_error(file, FileProblem::Unreadable(e.to_string())))?;
    // The register's evidence photos kept beside the backup come back first (issue 20).
    if let Some(folder) = file.parent() {
        super::register::carry_evidence(folder, data_dir)
            .map_err(|e| file_error(file, FileProblem::Unreadable(e.to_string())))?;
    }
    let verdict = verify_candidate(&staging);
    if let Err(problem) = verdict {
        remove_database_files(&staging);
        return Err(file_error(file, FileProblem::BadBackup(problem)));
    }
    Ok(staging)
}

/// Puts the staged copy in place; the current database is kept as `jifen.db.replaced-<time>`.
/// No connection may be open on the store.
pub(crate) fn swap_in(data_dir: &Path, staging: &Path, now: NaiveDateTime) -> Result<Restored> {
    let current = data_dir.join("jifen.db");
    let replaced = if current.exists() {
        // A store that cannot be opened is moved aside as it is.
        if let Ok(db) = Db::open(&current) {
            let _ = backup::settle(&db);
        }
        let aside = data_dir.join(format!("jifen.db.replaced-{}", now.format("%Y%m%d-%H%M%S")));
        std::fs::rename(&current, &aside)
            .map_err(|e| file_error(&current, FileProblem::Unreadable(e.to_string())))?;
        remove_database_files(&current);
        Some(aside)
    } else {
        None
    };
    std::fs::rename(staging, &current)
        .map_err(|e| file_error(&current, FileProblem::Unreadable(e.to_string())))?;
    Ok(Restored { replaced })
}

pub use super::restore::{RestoreRequest, restore};

/// Opens a copied candidate and runs every check; the reason it is unfit, if it is.
pub(crate) fn verify_candidate(path: &Path) -> std::result::Result<(), String> {
    let mut db = Db::open(path).map_err(|e| e.to_string())?;
    let faults = db.read(|tx| check::run(tx)).map_err(|e| e.to_string())?;
    if let Some(first) = faults.first() {
        return Err(super::messages::fault(first));
    }
    let has_store: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM store", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if has_store == 0 {
        return Err(super::messages::refusal(
            &crate::core::refusal::Refusal::NotInitialised,
        ));
    }
    backup::settle(&db).map_err(|e| e.to_string())
}

pub(crate) fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}
