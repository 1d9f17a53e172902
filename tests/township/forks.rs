//! History that cannot be rewritten: a rewritten entry or an older file written again is a
//! fork, named and refused whole; an audited restore is a marked rollback whose rows the
//! township keeps and hands back.

use std::collections::BTreeMap;
use std::path::Path;

use jifen::app::backup::backup_to;
use jifen::app::backup::{RestoreRequest, restore};
use jifen::app::redeem::redeem;
use jifen::core::chain::{link_hash, opt_field};
use jifen::store::Db;
use jifen::township::TownshipError;
use jifen::township::restore_record::{RestoreRecord, heads};
use jifen::township::service::recover_store;
use jifen::township::spec::Ledger;

use super::{Town, busy_store, push, store_rows};
use crate::common::{Store, at, cart};

/// What a forger with the file and a Python script would do: change one entry and recompute
/// every hash after it, so the store's own chain is whole again.
fn rewrite_points_entry(db: &Db, id: i64, extra: i64) {
    let conn = db.connection();
    conn.execute_batch(
        "DROP TRIGGER point_entry_no_update; DROP TRIGGER point_entry_running_balance;",
    )
    .unwrap();
    conn.execute(
        "UPDATE point_entry SET amount = amount + ?2, balance_after = balance_after + ?2 WHERE id = ?1",
        [id, extra],
    )
    .unwrap();
    let mut prev: String = conn
        .query_row(
            "SELECT prev_hash FROM point_entry WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let rows: Vec<(i64, Vec<String>, String)> = conn
        .prepare(
            "SELECT id, household_no, kind, amount, balance_after, period, receipt_no, reason,
                    approved_by, staff_id, created_at, hash FROM point_entry WHERE id >= ?1 ORDER BY id",
        )
        .unwrap()
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                vec![
                    r.get::<_, i64>(0)?.to_string(),
                    r.get(1)?,
                    r.get(2)?,
                    r.get::<_, i64>(3)?.to_string(),
                    r.get::<_, i64>(4)?.to_string(),
                    opt_field(&r.get::<_, Option<String>>(5)?),
                    opt_field(&r.get::<_, Option<String>>(6)?),
                    opt_field(&r.get::<_, Option<String>>(7)?),
                    opt_field(&r.get::<_, Option<String>>(8)?),
                    r.get::<_, i64>(9)?.to_string(),
                    r.get(10)?,
                ],
                r.get(11)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (row_id, fields, old) in rows {
        let hash = link_hash(&prev, &fields);
        if row_id > id {
            assert_ne!(hash, old, "the recomputed chain differs from the original");
        }
        conn.execute(
            "UPDATE point_entry SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![row_id, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn a_rewritten_earlier_entry_is_refused_as_a_fork_naming_it_and_the_township_keeps_the_original() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    push(&mut a, &url).unwrap();
    let original = town.rows("青山河湾A", Ledger::PointEntry);
    // A month's credit well before the head: the forger gives a household 500 more points.
    let target: i64 = a
        .db
        .connection()
        .query_row("SELECT id FROM point_entry WHERE kind = 'monthly_credit' ORDER BY id DESC LIMIT 1 OFFSET 40", [], |r| r.get(0))
        .unwrap();
    let kind: String =
        a.db.connection()
            .query_row(
                "SELECT kind FROM point_entry WHERE id = ?1",
                [target],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(kind, "monthly_credit");
    assert!((target as usize) < original.len());
    rewrite_points_entry(&a.db, target, 500);
    // Something new after the rewrite, so the push would have rows to send.
    redeem(
        &mut a.db,
        &a.cashier,
        &cart("101003", &[("1015", 1)]),
        at(2026, 12, 3, 9, 0),
    )
    .unwrap();
    let err = push(&mut a, &url).expect_err("a fork");
    match &err {
        TownshipError::Fork { ledger, seq, .. } => {
            assert_eq!(*ledger, Ledger::PointEntry);
            assert_eq!(*seq, target);
        }
        other => panic!("expected a fork, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains(&format!("第 {target} 条")), "{message}");
    // Nothing of the push was taken; the township keeps the original; the fork is on record.
    assert_eq!(town.rows("青山河湾A", Ledger::PointEntry), original);
    let forks: Vec<(String, i64)> = town
        .client()
        .query("SELECT ledger, seq FROM township.fork_report", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(forks, vec![("point_entry".to_string(), target)]);
}

fn replace_file(store: &mut Store, with: &Path) {
    let path = store.path();
    let placeholder = Db::open(&store.dir.path().join("placeholder.db")).unwrap();
    drop(std::mem::replace(&mut store.db, placeholder));
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(with, &path).unwrap();
    store.db = Db::open(&path).unwrap();
}

/// The store's state A (kept as a file), then more redemptions (state B) pushed.
fn store_pushed_past_a_copy(
    town: &Town,
) -> (Store, String, std::path::PathBuf, BTreeMap<Ledger, i64>) {
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    let copy = a.dir.path().join("old-copy.db");
    backup_to(&a.db, &copy).unwrap();
    let heads_a: BTreeMap<Ledger, i64> = Ledger::ALL
        .iter()
        .map(|l| (*l, store_rows(&a, *l) as i64))
        .collect();
    for (i, h) in ["101001", "102002", "201002"].iter().enumerate() {
        redeem(
            &mut a.db,
            &a.cashier,
            &cart(h, &[("1001", 1)]),
            at(2026, 12, 5, 9, i as u32),
        )
        .unwrap();
    }
    push(&mut a, &url).unwrap();
    (a, url, copy, heads_a)
}

#[test]
fn a_file_replaced_by_an_older_copy_and_written_again_is_a_fork_and_the_township_keeps_the_original()
 {
    let town = Town::new();
    let (mut a, url, copy, heads_a) = store_pushed_past_a_copy(&town);
    let held: Vec<Vec<String>> = Ledger::ALL
        .iter()
        .map(|l| town.rows("青山河湾A", *l))
        .collect();
    replace_file(&mut a, &copy);
    // Not written yet: the store is behind the township, and says so.
    assert!(matches!(
        push(&mut a, &url),
        Err(TownshipError::Behind { .. })
    ));
    // The cashier signs in again on the swapped-in file (its sessions are the old copy's).
    a.cashier =
        jifen::app::sign_in(&mut a.db, a.cashier.id, "5827", at(2026, 12, 6, 8, 30)).unwrap();
    redeem(
        &mut a.db,
        &a.cashier,
        &cart("101001", &[("1015", 1)]),
        at(2026, 12, 6, 9, 0),
    )
    .unwrap();
    match push(&mut a, &url) {
        Err(TownshipError::Fork { ledger, seq, .. }) => {
            assert_eq!(ledger, Ledger::PointEntry);
            assert_eq!(seq, heads_a[&Ledger::PointEntry] + 1);
        }
        other => panic!("expected a fork, got {other:?}"),
    }
    let after: Vec<Vec<String>> = Ledger::ALL
        .iter()
        .map(|l| town.rows("青山河湾A", *l))
        .collect();
    assert_eq!(after, held, "the township keeps the original rows");
}

#[test]
fn an_audited_restore_is_a_marked_rollback_and_recover_brings_the_lost_rows_back() {
    let town = Town::new();
    let (mut a, url, copy, heads_a) = store_pushed_past_a_copy(&town);
    let heads_b = heads(a.db.connection()).unwrap();
    let lost: BTreeMap<Ledger, Vec<String>> = Ledger::ALL
        .iter()
        .map(|l| {
            let rows = town.rows("青山河湾A", *l);
            (*l, rows[heads_a[l] as usize..].to_vec())
        })
        .collect();
    let lost_points: BTreeMap<String, i64> = {
        let mut m = BTreeMap::new();
        a.db.connection()
            .prepare("SELECT household_no, amount FROM point_entry WHERE id > ?1")
            .unwrap()
            .query_map([heads_a[&Ledger::PointEntry]], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .for_each(|(h, n)| *m.entry(h).or_insert(0) += n);
        m
    };
    // The real audited restore (issue 15): the manager signs in on the old copy, accepts the
    // three redemptions lost, and the restored store's first new record is the signed
    // `restore` record naming the replaced heads.
    let manager = a.manager.id;
    let dir = a.dir.path().to_path_buf();
    let placeholder = Db::open(&dir.join("placeholder.db")).unwrap();
    drop(std::mem::replace(&mut a.db, placeholder));
    restore(
        &dir,
        &RestoreRequest {
            file: &copy,
            manager,
            pin: "842619",
            reason: "硬盘损坏，用U盘上的备份恢复",
            confirm_loss: Some(3),
            last_receipt: None,
        },
        at(2026, 12, 6, 8, 0),
    )
    .expect("the manager restores the old copy");
    a.db = Db::open(&a.path()).unwrap();
    let (action, detail): (String, String) =
        a.db.connection()
            .query_row(
                "SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!(action, "restore");
    let record = RestoreRecord::parse(&detail).expect("the township reads the restore record");
    assert_eq!(
        record.kept[&Ledger::AuditLog].seq,
        heads_a[&Ledger::AuditLog]
    );
    assert_eq!(record.replaced.as_ref(), Some(&heads_b));
    // The cashier signs in again on the restored store before selling.
    a.cashier =
        jifen::app::sign_in(&mut a.db, a.cashier.id, "5827", at(2026, 12, 6, 8, 30)).unwrap();
    redeem(
        &mut a.db,
        &a.cashier,
        &cart("101001", &[("1015", 1)]),
        at(2026, 12, 6, 9, 0),
    )
    .unwrap();

    let done = push(&mut a, &url).expect("an audited restore is accepted");
    let rolled: Vec<(Ledger, i64, i64)> = done
        .rollbacks
        .iter()
        .map(|r| (r.ledger, r.kept_seq, r.rolled_to))
        .collect();
    assert_eq!(
        rolled,
        Ledger::ALL
            .iter()
            .map(|l| (*l, heads_a[l], heads_b[l].seq))
            .collect::<Vec<_>>()
    );
    // The township now holds the store's restored history…
    for ledger in Ledger::ALL {
        assert_eq!(town.rows("青山河湾A", ledger).len(), store_rows(&a, ledger));
    }
    // …the signed record rolled back with it, under the same restore record…
    for t in jifen::township::spec::Signed::ALL {
        let sql = format!("SELECT COUNT(*) FROM {}", t.table());
        let here: i64 = a.db.connection().query_row(&sql, [], |r| r.get(0)).unwrap();
        let held: i64 = town
            .client()
            .query_one(&format!("SELECT COUNT(*) FROM township.{}", t.table()), &[])
            .unwrap()
            .get(0);
        assert_eq!(held, here, "{t:?}");
    }
    // …and kept every rolled-back row as it was.
    let mut pg = town.client();
    for ledger in Ledger::ALL {
        let kept: Vec<String> = pg
            .query(
                "SELECT body::text FROM township.rolled_back_row WHERE ledger = $1 ORDER BY seq",
                &[&ledger.table()],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let kept: Vec<serde_json::Value> = kept
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        let expected: Vec<serde_json::Value> = lost[&ledger]
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        assert_eq!(kept, expected, "{ledger:?}");
    }
    // A second push is quiet; recover hands the rows back to the store.
    assert_eq!(push(&mut a, &url).unwrap().rows_added(), 0);
    let recovered = recover_store(&mut a.db, &url, Some(manager), at(2026, 12, 6, 10, 0)).unwrap();
    let total: usize = lost.values().map(Vec::len).sum();
    assert_eq!(recovered.rows, total);
    assert_eq!(recovered.new_rows, total);
    assert_eq!(recovered.points, lost_points);
    assert_eq!(
        recover_store(&mut a.db, &url, None, at(2026, 12, 6, 10, 5))
            .unwrap()
            .new_rows,
        0
    );
    let kept_here: i64 =
        a.db.connection()
            .query_row("SELECT COUNT(*) FROM township_recovered", [], |r| r.get(0))
            .unwrap();
    assert_eq!(kept_here as usize, total);
}
