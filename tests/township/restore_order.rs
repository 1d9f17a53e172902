//! A restore whose manager's sign-in on the backup writes records of its own (the first
//! manager's attestation after an upgrade, the key enrolment of a member who never signed in
//! since): the `restore` record must still be the restored store's first new record, or the
//! township would read the sign-in rows as a fork instead of a marked rollback.

use jifen::app::backup::{RestoreRequest, backup_to, restore};
use jifen::app::redeem::redeem;
use jifen::app::sign_in;
use jifen::core::StaffId;
use jifen::core::staff::Role;
use jifen::store::Db;
use jifen::township::spec::Ledger;

use super::{Town, push};
use crate::common::{Store, at, cart, chinese};

/// The released store (2026-11-23, before signatures) with PINs today's rules accept.
fn released_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jifen.db");
    std::fs::copy("fixtures/stores/released-2026-11-23.db", &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (id, pin, role) in [
        (1, "842619", Role::Manager),
        (2, "5827", Role::Cashier),
        (3, "7391", Role::Auditor),
    ] {
        let hash = jifen::app::auth::hash_pin(pin, role).unwrap();
        conn.execute(
            "UPDATE staff SET pin_hash = ?2 WHERE id = ?1",
            rusqlite::params![id, hash],
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_restore_whose_sign_in_attests_the_backup_is_a_marked_rollback_not_a_fork() {
    chinese();
    let town = Town::new();
    let url = town.enrol("旧积分超市");
    let dir = released_store();
    let mut db = Db::open_in(dir.path()).unwrap();
    // The automatic backup of the first start after the upgrade: nobody has signed in yet, so
    // the copy is not attested and no member holds a key in it.
    let copy = dir.path().join("first-start.db");
    backup_to(&db, &copy).unwrap();
    let now = at(2026, 12, 1, 18, 0);
    let manager = sign_in(&mut db, StaffId(1), "842619", now).unwrap();
    let cashier = sign_in(&mut db, StaffId(2), "5827", now).unwrap();
    let auditor = sign_in(&mut db, StaffId(3), "7391", now).unwrap();
    let mut store = Store {
        dir,
        db,
        manager,
        cashier,
        auditor,
    };
    for (i, h) in ["101001", "101002"].iter().enumerate() {
        redeem(
            &mut store.db,
            &store.cashier,
            &cart(h, &[("1003", 1)]),
            at(2026, 12, 1, 18, 1 + i as u32),
        )
        .unwrap();
    }
    push(&mut store, &url).expect("the upgraded store pushes");
    let kept_audit: i64 = Db::open(&copy)
        .unwrap()
        .connection()
        .query_row("SELECT MAX(id) FROM audit_log", [], |r| r.get(0))
        .unwrap();

    let data = store.dir.path().to_path_buf();
    let placeholder = Db::open(&data.join("placeholder.db")).unwrap();
    drop(std::mem::replace(&mut store.db, placeholder));
    restore(
        &data,
        &RestoreRequest {
            file: &copy,
            manager: StaffId(1),
            pin: "842619",
            reason: "电脑中毒，用开机时的自动备份恢复",
            confirm_loss: Some(2),
            last_receipt: None,
        },
        at(2026, 12, 1, 18, 30),
    )
    .expect("the manager restores the first-start backup");
    store.db = Db::open_in(&data).unwrap();
    // The restore record comes straight after the backup's last record; the sign-in's own
    // records (key enrolment, attestation) after it.
    let first_new: String = store
        .db
        .connection()
        .query_row(
            "SELECT action FROM audit_log WHERE id = ?1",
            [kept_audit + 1],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first_new, "restore");
    assert_eq!(jifen::app::check::check(&mut store.db).unwrap(), vec![]);

    store.cashier = sign_in(&mut store.db, StaffId(2), "5827", at(2026, 12, 1, 18, 40)).unwrap();
    redeem(
        &mut store.db,
        &store.cashier,
        &cart("101001", &[("1003", 1)]),
        at(2026, 12, 1, 18, 45),
    )
    .unwrap();
    let done = push(&mut store, &url).expect("a marked rollback, not a fork");
    let audit = done
        .rollbacks
        .iter()
        .find(|r| r.ledger == Ledger::AuditLog)
        .expect("the audit log is rolled back");
    assert_eq!(audit.kept_seq, kept_audit);
    assert_eq!(
        town.rows("旧积分超市", Ledger::AuditLog).len() as i64,
        {
            let n: i64 = store
                .db
                .connection()
                .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
                .unwrap();
            n
        }
    );
}
