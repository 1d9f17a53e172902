//! Backups taken while the counter works, and restores that refuse damaged files.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jifen::app::backup::{auto_backup, automatic_backups, backup_to};
use jifen::app::redeem::redeem;
use jifen::core::StaffId;
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
            // A second connection signs with the key the cashier's PIN opened (issue 15).
            cashier.act_on(&mut db);
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
        assert!(
            !worker.is_finished(),
            "the redeeming counter stopped before five redemptions"
        );
        std::thread::yield_now();
    }
    let before_backup: Vec<String> = committed.lock().unwrap().clone();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("usb-backup.db");
    backup_to(&s.db, &file).unwrap();
    stop.store(true, Ordering::Relaxed);
    worker.join().unwrap();

    let target = tempfile::tempdir().unwrap();
    restore_by_manager(target.path(), &file, "842619", None).unwrap();
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
    let err = restore_by_manager(
        s.dir.path(),
        &damaged.path().join("backup.db"),
        "842619",
        None,
    )
    .unwrap_err();
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
    let restored = restore_by_manager(&dir, &file, "842619", Some(1)).unwrap();
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

fn receipt_numbers(db: &Db) -> Vec<String> {
    let mut stmt = db
        .connection()
        .prepare("SELECT receipt_no FROM redemption ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn restore_without_a_manager_pin_is_refused_and_writes_nothing() {
    let mut s = small_store();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    let before = content(&s.path());
    let backup_before = std::fs::read(&file).unwrap();
    // A wrong PIN, and the cashier's right PIN: neither may restore.
    let wrong = restore_by_manager(s.dir.path(), &file, "9999", None).unwrap_err();
    assert_eq!(
        wrong.refusal(),
        Some(&jifen::core::refusal::Refusal::WrongPin)
    );
    let cashier = jifen::app::backup::restore(
        s.dir.path(),
        &jifen::app::backup::RestoreRequest {
            file: &file,
            manager: s.cashier.id,
            pin: "5827",
            reason: "试试",
            confirm_loss: None,
            last_receipt: None,
        },
        t0(),
    )
    .unwrap_err();
    assert!(matches!(
        cashier.refusal(),
        Some(jifen::core::refusal::Refusal::NotPermitted { .. })
    ));
    assert_eq!(content(&s.path()), before);
    assert_eq!(std::fs::read(&file).unwrap(), backup_before);
    assert!(!s.dir.path().join("restore-staging.db").exists());
    assert_eq!(jifen::app::check::check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_restore_that_loses_redemptions_needs_their_number_and_never_reuses_a_receipt_number() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    for _ in 0..2 {
        redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    }
    let printed = receipt_numbers(&s.db);
    assert_eq!(printed.len(), 3);
    let dir = s.dir.path().to_path_buf();
    drop(s.db);

    let refused = restore_by_manager(&dir, &file, "842619", None).unwrap_err();
    assert_eq!(
        refused.refusal(),
        Some(&jifen::core::refusal::Refusal::RestoreLoses { lost: 2 })
    );
    assert!(
        refused.to_string().contains("--confirm-loss 2"),
        "{refused}"
    );
    restore_by_manager(&dir, &file, "842619", Some(2)).unwrap();

    let mut back = Db::open_in(&dir).unwrap();
    let cashier = jifen::app::sign_in(&mut back, s.cashier.id, "5827", t0()).unwrap();
    let next = redeem(&mut back, &cashier, &cart("102001", &[("1003", 1)]), t0())
        .unwrap()
        .receipt
        .receipt_no
        .to_string();
    assert!(
        printed.iter().all(|p| p < &next),
        "{next} must come after every printed number {printed:?}"
    );
    // The audit log names the rollback, and check reports it (and passes).
    let (faults, summary) = jifen::app::check::check_with_summary(&mut back).unwrap();
    assert_eq!(faults, vec![]);
    assert_eq!(summary.rollbacks.len(), 1);
    let rollback = &summary.rollbacks[0];
    assert_eq!(rollback.lost_redemptions, 2);
    assert_eq!(
        rollback.continue_after.as_deref(),
        Some(printed[2].as_str())
    );
    assert!(rollback.points.is_some());
    assert_eq!(rollback.staff, Some(1));
}

#[test]
fn restoring_over_an_unreadable_store_needs_the_last_printed_receipt() {
    let s = small_store();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    let dir = s.dir.path().to_path_buf();
    drop(s.db);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("jifen.db{suffix}")));
    }
    std::fs::write(
        dir.join("jifen.db"),
        b"not a database at all, the disk failed",
    )
    .unwrap();
    let refused = restore_by_manager(&dir, &file, "842619", None).unwrap_err();
    assert_eq!(
        refused.refusal(),
        Some(&jifen::core::refusal::Refusal::RestoreNeedsLastReceipt)
    );
    jifen::app::backup::restore(
        &dir,
        &jifen::app::backup::RestoreRequest {
            file: &file,
            manager: StaffId(1),
            pin: "842619",
            reason: "硬盘坏了",
            confirm_loss: None,
            last_receipt: Some("2026-000040".parse().unwrap()),
        },
        t0(),
    )
    .unwrap();
    let mut back = Db::open_in(&dir).unwrap();
    let cashier = jifen::app::sign_in(&mut back, s.cashier.id, "5827", t0()).unwrap();
    let done = redeem(&mut back, &cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    assert_eq!(done.receipt.receipt_no.to_string(), "2026-000041");
    assert_eq!(jifen::app::check::check(&mut back).unwrap(), vec![]);
}

#[test]
fn a_damaged_stores_automatic_backup_leaves_every_good_backup_in_place() {
    let s = small_store();
    for minute in 0..3 {
        auto_backup(&s.db, s.dir.path(), at(2026, 11, 20, 18, minute), 3).unwrap();
    }
    let good = automatic_backups(s.dir.path());
    assert_eq!(good.len(), 3);
    s.db.connection()
        .execute_batch(
            "DROP TRIGGER point_entry_no_update; UPDATE point_entry SET amount = 900 WHERE id = 2;",
        )
        .unwrap();
    // Fourteen starts on the damaged store.
    for minute in 10..24 {
        auto_backup(&s.db, s.dir.path(), at(2026, 11, 20, 18, minute), 3).unwrap();
    }
    assert_eq!(automatic_backups(s.dir.path()), good);
    let damaged = jifen::app::backup::damaged_backups(s.dir.path());
    assert_eq!(damaged.len(), 14);
    assert!(damaged[0].to_string_lossy().contains("damaged-jifen-"));
}

#[test]
fn restore_on_the_command_line_needs_a_manager_and_a_reason() {
    let s = small_store();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.db");
    backup_to(&s.db, &file).unwrap();
    let dir = s.dir.path().to_path_buf();
    drop(s.db);
    let before = content(&dir.join("jifen.db"));
    let run = |pin: Option<&str>, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jifen"));
        command
            .arg("--data")
            .arg(&dir)
            .args(args)
            .env_remove("JIFEN_DATA");
        match pin {
            Some(pin) => command.env("JIFEN_PIN", pin),
            None => command.env_remove("JIFEN_PIN"),
        };
        command.stdin(std::process::Stdio::null()).output().unwrap()
    };
    let path = file.to_str().unwrap();
    // No reason: a usage error. No PIN, or the cashier: refused, nothing written.
    assert_eq!(
        run(Some("842619"), &["--staff", "1", "restore", path])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(None, &["--staff", "1", "restore", path, "--reason", "x"])
            .status
            .code(),
        Some(1)
    );
    let cashier = run(
        Some("5827"),
        &["--staff", "2", "restore", path, "--reason", "x"],
    );
    assert_eq!(cashier.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&cashier.stderr).contains("恢复备份"),
        "{cashier:?}"
    );
    assert_eq!(content(&dir.join("jifen.db")), before);
    let done = run(
        Some("842619"),
        &["--staff", "1", "restore", path, "--reason", "演练恢复"],
    );
    assert!(done.status.success(), "{done:?}");
    let mut back = Db::open_in(&dir).unwrap();
    let (faults, summary) = jifen::app::check::check_with_summary(&mut back).unwrap();
    assert_eq!(faults, vec![]);
    assert_eq!(summary.rollbacks[0].reason, "演练恢复");
}

#[test]
fn a_redemption_during_the_automatic_backup_goes_through() {
    // Issue 23: the day's backup runs after the first frame on its own connection while the
    // counter redeems. A redemption committed between two steps of the copy must go through
    // at once, and the copy must still be the one snapshot taken when it began.
    let mut s = small_store();
    let source = Db::open(&s.path()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("jifen-during.db");
    let mut during = Vec::new();
    let mut steps = 0;
    jifen::store::backup::backup_in_steps(source.connection(), &file, 1, |done, total| {
        steps += 1;
        if steps == 2 {
            assert!(done < total, "the copy is still going");
            let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0())
                .expect("a redemption during the backup goes through");
            during.push(done.receipt.receipt_no.to_string());
        }
    })
    .unwrap();
    assert!(steps > 2, "the small store was copied in {steps} steps");
    assert_eq!(during.len(), 1);
    assert_eq!(
        receipt_numbers(&s.db),
        during,
        "the redemption is in the store"
    );
    let copy = Db::open(&file).unwrap();
    assert_eq!(
        receipt_numbers(&copy),
        Vec::<String>::new(),
        "the copy is the snapshot of before the redemption"
    );
    drop(copy);
    let target = tempfile::tempdir().unwrap();
    restore_by_manager(target.path(), &file, "842619", None).unwrap();
    let mut restored = Db::open_in(target.path()).unwrap();
    assert_eq!(jifen::app::check::check(&mut restored).unwrap(), vec![]);
}
