//! Online backups with SQLite's backup API, and the checks a restore candidate must pass.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Db, Result, StoreError};

/// Copies the whole database to `dest` as one consistent snapshot while the counter keeps
/// working: a single backup step reads every page inside one read transaction, so the copy
/// holds exactly what was committed before it began. Written to a side file and renamed, so
/// `dest` is never a half-written backup.
pub fn backup_to(db: &Db, dest: &Path) -> Result<()> {
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    {
        let mut target = Connection::open(&partial)?;
        let backup = Backup::new(db.connection(), &mut target)?;
        match backup.step(-1)? {
            StepResult::Done => {}
            other => {
                return Err(StoreError::Invariant(format!(
                    "backup did not finish: {other:?}"
                )));
            }
        }
        drop(backup);
        // A backup is one self-contained file: no WAL beside it.
        target
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
    }
    #[cfg(feature = "failpoints")]
    fail::fail_point!("backup::before_rename", |_| Err(StoreError::Invariant(
        "fault injected before rename".into()
    )));
    std::fs::rename(&partial, dest).map_err(|source| StoreError::Folder {
        path: dest.to_path_buf(),
        source,
    })?;
    Ok(())
}

/// Folds the WAL into the main file and leaves it in rollback mode, so the file can be moved
/// aside or replaced as one file.
pub fn settle(db: &Db) -> Result<()> {
    db.connection()
        .pragma_update_and_check(None, "wal_checkpoint", "TRUNCATE", |_| Ok(()))?;
    db.connection()
        .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
    Ok(())
}
