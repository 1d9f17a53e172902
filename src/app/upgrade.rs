//! The first start after an upgrade: when the store was made by an older version, back it up
//! as it is (kept in `DIR/backups`, never pruned) and only then run the new migrations. The
//! window that shows this is `ui::upgrade`; this is the work, with its progress reported.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::Result;
use super::error::{Error, FileProblem};
use crate::store::Db;
use crate::store::upgrade::{self, Schema};

/// How far an upgrade is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    BackingUp { pages_done: u64, pages: u64 },
    Migrating { from: usize, to: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upgraded {
    /// The copy of the store as the older version left it.
    pub backup: PathBuf,
    pub from: usize,
    pub to: usize,
}

/// What the store in `data_dir` needs before this program may open it.
pub fn schema(data_dir: &Path) -> Result<Schema> {
    Ok(upgrade::schema_of(&data_dir.join("jifen.db"))?)
}

/// Where the pre-upgrade copy goes: `DIR/backups/升级前-第10版-20261201-090000.db`. Not named
/// like the automatic backups (`jifen-…`), so their pruning never removes it.
pub fn backup_path(data_dir: &Path, from: usize, now: NaiveDateTime) -> PathBuf {
    data_dir.join("backups").join(format!(
        "升级前-第{from}版-{}.db",
        now.format("%Y%m%d-%H%M%S")
    ))
}

/// Backs the older store up, then migrates it. `None` when there was nothing to do (a new
/// store, or one already at this version); a store from a newer version is left alone
/// (opening it refuses it).
pub fn run(
    data_dir: &Path,
    now: NaiveDateTime,
    mut progress: impl FnMut(Stage),
) -> Result<Option<Upgraded>> {
    let Schema::Older {
        store: from,
        program: to,
    } = schema(data_dir)?
    else {
        return Ok(None);
    };
    let backup = backup_path(data_dir, from, now);
    let folder = data_dir.join("backups");
    std::fs::create_dir_all(&folder).map_err(|e| Error::File {
        path: folder.display().to_string(),
        reason: FileProblem::Unreadable(e.to_string()),
    })?;
    upgrade::backup_unmigrated(&data_dir.join("jifen.db"), &backup, |done, total| {
        progress(Stage::BackingUp {
            pages_done: done,
            pages: total,
        })
    })?;
    progress(Stage::Migrating { from, to });
    drop(Db::open_in(data_dir)?);
    Ok(Some(Upgraded { backup, from, to }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upgrade_backs_up_first_and_only_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A Chinese folder name, as on a Windows desktop (桌面).
        let data = dir.path().join("桌面").join("积分数据");
        std::fs::create_dir_all(&data).expect("folder");
        let older = upgrade::program_version() - 1;
        upgrade::create_at_version(&data.join("jifen.db"), older).expect("old store");
        let now = NaiveDateTime::parse_from_str("2026-12-01 09:00:00", "%Y-%m-%d %H:%M:%S")
            .expect("time");

        let mut stages = Vec::new();
        let done = run(&data, now, |s| stages.push(s))
            .expect("upgrade")
            .expect("was needed");
        assert_eq!((done.from, done.to), (older, upgrade::program_version()));
        assert!(done.backup.exists(), "{}", done.backup.display());
        assert!(
            matches!(stages.first(), Some(Stage::BackingUp { .. })),
            "backup comes before the migrations: {stages:?}"
        );
        assert_eq!(
            stages.last(),
            Some(&Stage::Migrating {
                from: older,
                to: upgrade::program_version()
            })
        );
        assert_eq!(schema(&data).expect("schema"), Schema::Current);
        // The second start is a normal start: no second backup.
        assert_eq!(run(&data, now, |_| {}).expect("second start"), None);
    }
}
