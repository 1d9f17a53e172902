//! Backups taken while the counter works, and restores that refuse damaged files.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jifen::app::backup::{auto_backup, automatic_backups, backup_to, restore};
use jifen::app::redeem::redeem;
use jifen::store::Db;

use crate::common::*;

#[test]
fn a_backup_during_redemptions_holds_every_one_committed_before_it_began() {
    let mut s = small_store();
    // Plenty of stock and points so the redeeming thread never runs dry.
    jifen::app::points::correct_points(
        &mut s.db,
        &s.manager,
        &hh("101002"),
        jifen::core::Points(900),
        "补录纸质台账",
        "王建华,李国强,赵秀英",
        t0(),
    )
    .unwrap();
    let donation = jifen::app::stock::Donation {
        donor: "爱心企业".into(),
        contact: None,
        received_on: t0().date(),
        lines: vec![jifen::app::stock::ReceiveLine {
            code: code("1003"),
            qty: jifen::core::Qty(500),
            value: None,
        }],
    };
    jifen::app::stock::receive_donation(&mut s.db, &s.manager, &donation, t0()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let worker = {
        let (stop, committed, path, cashier) =
            (stop.clone(), committed.clone(), s.path(), s.cashier.clone());
        std::thread::spawn(move || {
            let mut db = Db::open(&path).unwrap();
            while !stop.load(Ordering::Relaxed) {
                match redeem(&mut db, &cashier, &cart("101002", &[("1003", 1)]), t0()) {
                    Ok(done) => committed
                        .lock()
                        .unwrap()
                        .push(done.receipt.receipt_no.to_string()),
                    Err(_) => break,
                }
            }
        })
    };
    while committed.lock().unwrap().len() < 5 {
        std::thread::yield_now();
    }
    let before_backup: Vec<String> = committed.lock().unwrap().clone();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("usb-backup.db");
    backup_to(&s.db, &file).unwrap();
    stop.store(true, Ordering::Relaxed);
    worker.join().unwrap();

    let target = tempfile::tempdir().unwrap();
    restore(target.path(), &file, t0()).unwrap();
    let mut restored = Db::open_in(target.path()).unwrap();
    assert_eq!(jifen::app::check::check(&mut restored).unwrap(), vec![]);
    for receipt in &before_backup {
        let found: i64 = restored
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM redemption WHERE receipt_no = ?1",
                [receipt],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            found, 1,
            "receipt {receipt} committed before the backup is missing"
        );
    }
}

fn damaged_copy(s: &Store, damage: impl Fn(&mut Vec<u8>)) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    damage(&mut bytes);
    std::fs::write(&file, bytes).unwrap();
    out
}

fn assert_refused_and_untouched(s: &mut Store, damaged: &tempfile::TempDir) {
    let before = content(&s.path());
    let err = restore(s.dir.path(), &damaged.path().join("backup.db"), t0()).unwrap_err();
    assert!(err.to_string().contains("已损坏或不完整"), "{err}");
    assert_eq!(content(&s.path()), before);
    assert!(!s.dir.path().join("restore-staging.db").exists());
}

#[test]
fn a_truncated_backup_is_refused_and_the_store_is_untouched() {
    let mut s = small_store();
    let damaged = damaged_copy(&s, |bytes| bytes.truncate(bytes.len() / 2));
    assert_refused_and_untouched(&mut s, &damaged);
}

#[test]
fn a_backup_with_a_scrambled_page_is_refused() {
    let mut s = small_store();
    // The b-tree page header of page 2: SQLite's own integrity check must notice.
    let damaged = damaged_copy(&s, |bytes| {
        for b in &mut bytes[4096..4160] {
            *b ^= 0x5A;
        }
    });
    assert_refused_and_untouched(&mut s, &damaged);
}

#[test]
fn a_backup_with_one_altered_ledger_hash_is_refused() {
    let mut s = small_store();
    let hash: String =
        s.db.connection()
            .query_row("SELECT hash FROM point_entry WHERE id = 2", [], |r| {
                r.get(0)
            })
            .unwrap();
    // Bit rot inside one ledger row: the file is still a valid database, the chain is not.
    let damaged = damaged_copy(&s, |bytes| {
        let at = bytes
            .windows(hash.len())
            .position(|w| w == hash.as_bytes())
            .expect("the hash is stored");
        bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    });
    assert_refused_and_untouched(&mut s, &damaged);
}

#[test]
fn a_sound_restore_keeps_the_replaced_database() {
    let mut s = small_store();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let dir = s.dir.path().to_path_buf();
    drop(s.db);
    let restored = restore(&dir, &file, t0()).unwrap();
    let aside = restored.replaced.expect("the replaced database is kept");
    let mut back = Db::open_in(&dir).unwrap();
    assert_eq!(
        balance(&mut back, "101001"),
        100,
        "the restore brings back the state at backup time"
    );
    let mut kept = Db::open(&aside).unwrap();
    assert_eq!(
        balance(&mut kept, "101001"),
        90,
        "the replaced database still holds the later redemption"
    );
}

#[test]
fn automatic_backups_keep_a_fixed_number_of_generations() {
    let s = small_store();
    for minute in 0..5 {
        auto_backup(&s.db, s.dir.path(), at(2026, 11, 20, 18, minute), 3).unwrap();
    }
    let kept = automatic_backups(s.dir.path());
    assert_eq!(kept.len(), 3);
    assert!(
        kept[0]
            .to_string_lossy()
            .ends_with("jifen-20261120-180200.db")
    );
    assert_eq!(
        jifen::app::backup::last_backup_time(s.dir.path()),
        Some(at(2026, 11, 20, 18, 4))
    );
}
