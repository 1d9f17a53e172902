//! What the counter does at every start once its first frame is on the screen, on a thread of
//! its own with its own connection (issue 23): the ledger checks, then the day's automatic
//! backup if it is due. On years of records these take seconds to minutes; the counter is
//! usable the whole time (the backup holds one WAL read snapshot, which never blocks a
//! redemption), and the status bar shows how far they are.

use std::path::Path;

use chrono::NaiveDateTime;
use rust_i18n::t;

use super::backup::{self, BackupInfo};
use crate::store::Db;
use crate::store::check_mark::Verified;

/// What the start-up work says as it goes, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupEvent {
    Checking,
    /// The check's verdict: `None` when the store is sound, else the sentence to show.
    Checked(Option<String>),
    /// What a passed check verified: the counter's own connection signs it as the "verified up
    /// to here" mark (now if someone is signed in, else at the next sign-in).
    Verified(Verified),
    /// The automatic backup's copy: pages done of all pages.
    BackingUp {
        done: u64,
        total: u64,
    },
    /// The automatic backup: where it went, or the sentence saying why it failed.
    BackedUp(Result<BackupInfo, String>),
    /// Nothing more will come.
    Finished,
}

/// Checks the store at `path`, then takes the day's automatic backup if none was taken on
/// `now`'s day, reporting each step. A store whose check fails (or cannot run) is still backed
/// up, apart (`backups/damaged/`), so the good generations are never pruned for it.
pub fn run(path: &Path, now: NaiveDateTime, mut report: impl FnMut(StartupEvent)) {
    let mut db = match Db::open(path) {
        Ok(db) => db,
        Err(e) => {
            report(StartupEvent::Checked(Some(
                super::Error::Store(e).to_string(),
            )));
            report(StartupEvent::Finished);
            return;
        }
    };
    // The check and the copy read the store once through: no 16 MB cache to keep for them.
    if let Err(e) = db.stream_reads() {
        report(StartupEvent::Checked(Some(
            super::Error::Store(e).to_string(),
        )));
    }
    report(StartupEvent::Checking);
    // The incremental check from the last signed mark (the full one when there is none yet):
    // milliseconds on years of records. But on the day's first start, whose backup decides
    // whether the oldest good generation may go, the full check: only it sees an old row
    // rewritten in place, and a store damaged that way must never prune a good backup.
    let data_dir = path.parent().unwrap_or(Path::new("."));
    let backup_due = backup::backup_due(data_dir, now);
    let checked = if backup_due {
        super::check_mark::check_full(&mut db, now, &mut |_| {})
    } else {
        super::check_mark::check_incremental(&mut db, now)
    };
    let (verdict, sound) = match checked {
        Ok(outcome) if outcome.passed() => {
            report(StartupEvent::Verified(outcome.verified));
            (None, true)
        }
        Ok(outcome) => {
            let first = super::messages::fault(&outcome.faults[0]);
            let sentence = t!(
                "ui.check_failed",
                count = outcome.faults.len(),
                first = first
            );
            (Some(sentence.to_string()), false)
        }
        Err(e) => (Some(e.to_string()), false),
    };
    report(StartupEvent::Checked(verdict));
    if backup_due {
        report(StartupEvent::BackingUp { done: 0, total: 0 });
        let mut last_percent = None;
        let outcome =
            backup::auto_backup_checked(&db, data_dir, now, backup::KEEP_GENERATIONS, sound, {
                let report = &mut report;
                move |done, total| {
                    // One event per percent: the status bar needs no more.
                    let percent = (done * 100).checked_div(total);
                    if percent != last_percent {
                        last_percent = percent;
                        report(StartupEvent::BackingUp { done, total });
                    }
                }
            });
        report(StartupEvent::BackedUp(outcome.map_err(|e| {
            t!("days.backup_failed", error = e.to_string()).to_string()
        })));
    }
    report(StartupEvent::Finished);
}
