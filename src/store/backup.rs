//! Online backups with SQLite's backup API, and the checks a restore candidate must pass.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Db, Result, StoreError};

/// Pages copied per backup step: 4 MB, so the progress moves and no step holds the disk long.
pub const PAGES_PER_STEP: i32 = 1024;

/// Copies the whole database to `dest` as one consistent snapshot while the counter keeps
/// working. Written to a side file and renamed, so `dest` is never a half-written backup.
pub fn backup_to(db: &Db, dest: &Path) -> Result<()> {
    backup_in_steps(db.connection(), dest, PAGES_PER_STEP, |_, _| {})
}

/// The same copy in steps of `pages_per_step` ([`PAGES_PER_STEP`] in the app), calling `progress(pages_done, pages_total)`
/// after each. The source connection holds one read transaction from the first step to the
/// last, so the copy is the snapshot committed before it began; in WAL mode a reader never
/// blocks a writer, so a redemption on another connection commits while the copy runs, and
/// because the snapshot never moves, SQLite never restarts the copy because of it (a stepped
/// backup without the held snapshot starts again after every commit elsewhere).
pub fn backup_in_steps(
    source: &Connection,
    dest: &Path,
    pages_per_step: i32,
    mut progress: impl FnMut(u64, u64),
) -> Result<()> {
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let snapshot = Snapshot::begin(source)?;
    {
        let mut target = Connection::open(&partial)?;
        // The side file is thrown away unless whole: no journal, one fsync at the end.
        target.pragma_update(None, "journal_mode", "OFF")?;
        target.pragma_update(None, "synchronous", "OFF")?;
        let backup = Backup::new(source, &mut target)?;
        loop {
            let step = backup.step(pages_per_step)?;
            let p = backup.progress();
            let total = p.pagecount.max(0) as u64;
            progress(total.saturating_sub(p.remaining.max(0) as u64), total);
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Another process holds a lock on the backup file or the store: wait, retry.
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                other => {
                    return Err(StoreError::Invariant(format!(
                        "backup did not finish: {other:?}"
                    )));
                }
            }
        }
        drop(backup);
        // A backup is one self-contained file: no WAL beside it.
        target
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
    }
    snapshot.end()?;
    // Opened for writing: Windows refuses to flush a handle opened read-only (found by the
    // Wine smoke: "access denied" on a backup to a USB stick).
    std::fs::OpenOptions::new()
        .write(true)
        .open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::Folder {
            path: partial.clone(),
            source,
        })?;
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

/// A read transaction held on the source for the whole copy (ended on drop if not before).
struct Snapshot<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Snapshot<'c> {
    fn begin(conn: &'c Connection) -> Result<Self> {
        if !conn.is_autocommit() {
            // Already inside a transaction (a caller's read): its snapshot is the one copied.
            return Ok(Snapshot { conn, open: false });
        }
        conn.execute_batch("BEGIN DEFERRED")?;
        let snapshot = Snapshot { conn, open: true };
        // The read transaction starts at the first read.
        conn.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(snapshot)
    }

    fn end(mut self) -> Result<()> {
        if self.open {
            self.open = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
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
