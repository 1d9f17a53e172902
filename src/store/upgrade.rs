//! Before the first start of a new version: is the store's schema older than this program's,
//! and a backup of it as it is, before the migrations change it.
//!
//! These open the file with their own read-only connection instead of `Db::open`, on
//! purpose: `Db::open` migrates, and the point here is to look (and copy) before migrating.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::SchemaVersion;

use super::{MIGRATIONS, MIGRATIONS_SLICE, Result, StoreError};

/// The schema version this program migrates stores to.
pub fn program_version() -> usize {
    MIGRATIONS_SLICE.len()
}

/// How a store on disk relates to this program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// No database file yet (a fresh install).
    Missing,
    /// Already at this program's version.
    Current,
    /// Made by an older version: back it up, then migrate.
    Older { store: usize, program: usize },
    /// Made by a newer version (an old program reinstalled): `Db::open` will refuse it.
    Newer { store: usize, program: usize },
}

pub fn schema_of(db_path: &Path) -> Result<Schema> {
    if !db_path.exists() {
        return Ok(Schema::Missing);
    }
    let conn = Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let program = program_version();
    Ok(match MIGRATIONS.current_version(&conn)? {
        SchemaVersion::NoneSet => Schema::Older { store: 0, program },
        SchemaVersion::Inside(v) if v.get() < program => Schema::Older {
            store: v.get(),
            program,
        },
        SchemaVersion::Inside(_) => Schema::Current,
        SchemaVersion::Outside(v) => Schema::Newer {
            store: v.get(),
            program,
        },
    })
}

/// Copies the store at `db_path`, unmigrated, to `dest` (through a side file renamed at the
/// end, so `dest` is never half written), calling `progress(done_pages, total_pages)`
/// between steps so a window can show how far it is.
pub fn backup_unmigrated(
    db_path: &Path,
    dest: &Path,
    mut progress: impl FnMut(u64, u64),
) -> Result<()> {
    let source = Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    {
        let mut target = Connection::open(&partial)?;
        let backup = Backup::new(&source, &mut target)?;
        loop {
            let step = backup.step(256)?;
            let p = backup.progress();
            let total = u64::try_from(p.pagecount).unwrap_or(0);
            let left = u64::try_from(p.remaining).unwrap_or(0);
            progress(total.saturating_sub(left), total);
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Another program holds the store for a moment: wait for it, then go on.
                _ => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        }
        drop(backup);
        target
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
    }
    std::fs::rename(&partial, dest).map_err(|source| StoreError::Folder {
        path: dest.to_path_buf(),
        source,
    })
}

/// A store at an older schema version, as an older program would have left it (for tests of
/// the upgrade path).
pub fn create_at_version(db_path: &Path, version: usize) -> Result<()> {
    let mut conn = Connection::open(db_path)?;
    MIGRATIONS.to_version(&mut conn, version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    #[test]
    fn an_older_store_is_seen_backed_up_as_it_was_and_then_migrated() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("jifen.db");
        assert_eq!(schema_of(&path).expect("looks"), Schema::Missing);
        let older = program_version() - 1;
        create_at_version(&path, older).expect("old store");
        assert_eq!(
            schema_of(&path).expect("looks"),
            Schema::Older {
                store: older,
                program: program_version()
            }
        );

        let copy = dir.path().join("升级前.db");
        let mut calls = Vec::new();
        backup_unmigrated(&path, &copy, |done, total| calls.push((done, total))).expect("backup");
        let last = *calls.last().expect("progress reported");
        assert!(last.0 == last.1 && last.1 > 0, "{calls:?}");
        // The copy is the store as the old program left it, not migrated.
        assert!(matches!(
            schema_of(&copy).expect("copy"),
            Schema::Older { store, .. } if store == older
        ));

        drop(Db::open(&path).expect("migrates"));
        assert_eq!(schema_of(&path).expect("looks"), Schema::Current);
    }
}
