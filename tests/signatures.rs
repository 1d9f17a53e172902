//! Forgers (issue 15): rows made behind the app's back, correctly chained, are caught by
//! `check` because nobody who lacks a PIN can sign them.

use std::path::Path;
use std::process::Command;

use jifen::app::check::check;
use jifen::app::points::correct_points;
use jifen::app::sign_in;
use jifen::core::chain::GENESIS;
use jifen::core::ledger::{PointEntry, PointEntryKind};
use jifen::core::{Points, StaffId};
use jifen::store::Db;
use jifen::store::check::Fault;

use crate::common::*;

fn jifen_check(data: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .arg("check")
        .env_remove("JIFEN_DATA")
        .env_remove("JIFEN_PIN")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

/// What a forger with a short script does: read the head, build a correct row, insert it.
fn forge_correction(path: &Path, household_id: i64, amount: i64) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let (id, prev): (i64, String) = conn
        .query_row(
            "SELECT id, hash FROM point_entry ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or((0, GENESIS.to_string()));
    let (number, balance): (String, i64) = conn
        .query_row(
            "SELECT h.number, COALESCE((SELECT balance_after FROM point_entry p WHERE p.household_id = h.id
                ORDER BY p.id DESC LIMIT 1), 0) FROM household h WHERE h.id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut entry = PointEntry {
        id: id + 1,
        household: number.parse().unwrap(),
        kind: PointEntryKind::Correction,
        amount: Points(amount),
        balance_after: Points(balance + amount),
        period: None,
        receipt_no: None,
        reason: Some("补录".into()),
        approved_by: Some("张丽,王芳,李明".into()),
        staff: StaffId(1),
        created_at: t0(),
        prev_hash: prev,
        hash: String::new(),
    };
    entry.hash = entry.expected_hash();
    // The triggers would pass a correct row anyway; a forger drops them and puts them back.
    conn.execute_batch("DROP TRIGGER point_entry_no_update;")
        .unwrap();
    conn.execute(
        "INSERT INTO point_entry (id, household_id, household_no, kind, amount, balance_after, reason,
            approved_by, staff_id, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, 'correction', ?4, ?5, ?6, ?7, 1, '2026-11-20 09:00:00', ?8, ?9)",
        rusqlite::params![
            entry.id, household_id, number, amount, entry.balance_after.0, entry.reason,
            entry.approved_by, entry.prev_hash, entry.hash
        ],
    )
    .unwrap();
    conn.execute_batch(
        "CREATE TRIGGER point_entry_no_update BEFORE UPDATE ON point_entry
         BEGIN SELECT RAISE(ABORT, 'point_entry is append-only'); END;",
    )
    .unwrap();
    entry.id
}

#[test]
fn a_correctly_chained_correction_inserted_with_sql_fails_check_naming_it() {
    let mut s = small_store();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let forged = forge_correction(&s.path(), 1, 5000);
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::Unsigned {
            table: "point_entry",
            id: forged
        }),
        "{faults:?}"
    );
    // The chain itself is sound: only the missing signature gives it away.
    assert!(
        !faults
            .iter()
            .any(|f| matches!(f, Fault::HashMismatch { .. } | Fault::BrokenChain { .. }))
    );
    drop(s.db);
    let (code, text) = jifen_check(s.dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(&format!("积分流水第 {forged} 条")), "{text}");
}

#[test]
fn a_signature_row_forged_for_the_entry_does_not_verify() {
    let mut s = small_store();
    let forged = forge_correction(&s.path(), 1, 5000);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let head: String = conn
        .query_row(
            "SELECT hash FROM point_entry WHERE id = ?1",
            [forged],
            |r| r.get(0),
        )
        .unwrap();
    let key_id: i64 = conn
        .query_row("SELECT id FROM staff_key WHERE staff_id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute(
        "INSERT INTO txn_signature (staff_id, key_id, points_from, points_to, points_head, signature)
         VALUES (1, ?1, ?2, ?2, ?3, ?4)",
        rusqlite::params![key_id, forged, head, "ab".repeat(64)],
    )
    .unwrap();
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults
            .iter()
            .any(|f| matches!(f, Fault::BadSignature { .. })),
        "{faults:?}"
    );
}

/// Copies a staff member's PIN hash and sealed key from one store into another.
fn staff_columns(path: &Path, id: i64) -> (String, String, String) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT pin_hash, key_salt, sealed_key FROM staff WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

fn put_staff_columns(path: &Path, id: i64, cols: &(String, String, String)) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(
        "UPDATE staff SET pin_hash = ?2, key_salt = ?3, sealed_key = ?4 WHERE id = ?1",
        rusqlite::params![id, cols.0, cols.1, cols.2],
    )
    .unwrap();
}

/// The manager's public key row, as (public key, hash) for every row from it on.
fn key_rows(path: &Path) -> Vec<(i64, String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, public_key, prev_hash, hash FROM staff_key ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn put_key_rows(path: &Path, rows: &[(i64, String, String, String)]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER staff_key_no_update;")
        .unwrap();
    for (id, public, prev, hash) in rows {
        conn.execute(
            "UPDATE staff_key SET public_key = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            rusqlite::params![id, public, prev, hash],
        )
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TRIGGER staff_key_no_update BEFORE UPDATE ON staff_key
         BEGIN SELECT RAISE(ABORT, 'staff_key is append-only'); END;",
    )
    .unwrap();
}

/// Recomputes the key chain after replacing the manager's public key, as a careful forger would.
fn forged_key_rows(path: &Path, public: &str) -> Vec<(i64, String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, staff_id, public_key, reason, created_at FROM staff_key ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, i64, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = GENESIS.to_string();
    let mut out = Vec::new();
    for (id, staff, key, reason, created) in rows {
        let key = if staff == 1 { public.to_string() } else { key };
        let hash = jifen::core::chain::key_hash(&prev, staff, &key, &reason, &created);
        out.push((id, key, prev.clone(), hash.clone()));
        prev = hash;
    }
    out
}

fn other_store_with_pin(pin: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_in(dir.path()).unwrap();
    jifen::app::setup::init_store(&mut db, "别的超市", "赵强", pin, t0()).unwrap();
    dir
}

#[test]
fn i_replaced_the_pin_a_correction_made_with_a_borrowed_key_fails_check() {
    // The village's store: its manager's PIN is not known to the forger.
    let mut s = small_store();
    let original_staff = staff_columns(&s.path(), 1);
    let original_keys = key_rows(&s.path());
    // Another store where the forger chose the PIN.
    let other = other_store_with_pin("739158");
    let borrowed = staff_columns(&other.path().join("jifen.db"), 1);
    let borrowed_public = key_rows(&other.path().join("jifen.db"))[0].1.clone();

    // Only the staff columns: the app notices the key is not the one on record.
    put_staff_columns(&s.path(), 1, &borrowed);
    let mut db = Db::open(&s.path()).unwrap();
    let refused = sign_in(&mut db, StaffId(1), "739158", t0()).unwrap_err();
    assert_eq!(
        refused.refusal(),
        Some(&jifen::core::refusal::Refusal::KeyMismatch),
        "{refused}"
    );

    // The staff key history too, its chain recomputed: the app signs with the borrowed key…
    put_key_rows(&s.path(), &forged_key_rows(&s.path(), &borrowed_public));
    let mut db = Db::open(&s.path()).unwrap();
    let forger = sign_in(&mut db, StaffId(1), "739158", t0()).unwrap();
    correct_points(
        &mut db,
        &forger,
        &hh("101001"),
        Points(5000),
        "补录",
        "张丽,王芳,李明",
        t0(),
    )
    .unwrap();
    drop(db);
    // …and then puts the file back as it was.
    put_staff_columns(&s.path(), 1, &original_staff);
    put_key_rows(&s.path(), &original_keys);

    let faults = check(&mut s.db).unwrap();
    assert!(
        faults
            .iter()
            .any(|f| matches!(f, Fault::BadSignature { .. })),
        "{faults:?}"
    );
    drop(s.db);
    let (code, text) = jifen_check(s.dir.path());
    assert_eq!(code, 1, "{text}");
}

#[test]
fn the_borrowed_key_left_in_place_fails_check_too() {
    let mut s = small_store();
    let other = other_store_with_pin("739158");
    let borrowed = staff_columns(&other.path().join("jifen.db"), 1);
    let borrowed_public = key_rows(&other.path().join("jifen.db"))[0].1.clone();
    put_staff_columns(&s.path(), 1, &borrowed);
    put_key_rows(&s.path(), &forged_key_rows(&s.path(), &borrowed_public));
    let faults = check(&mut s.db).unwrap();
    // The staff row differs from its signed state, and the key history from what was signed.
    assert!(
        faults.contains(&Fault::RowChanged {
            table: "staff",
            rowid: 1
        }),
        "{faults:?}"
    );
    assert!(
        faults
            .iter()
            .any(|f| matches!(f, Fault::BadSignature { .. })),
        "{faults:?}"
    );
}

fn sql(s: &Store, statements: &str) {
    rusqlite::Connection::open(s.path())
        .unwrap()
        .execute_batch(statements)
        .unwrap();
}

#[test]
fn a_score_a_price_and_a_rule_altered_with_sql_are_caught() {
    let mut s = demo_store();
    let rules = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/policies/wengyuan.toml"),
    )
    .unwrap();
    jifen::app::rules::set_policy(&mut s.db, &s.manager, "青山村", &rules, t0()).unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let score_row: i64 = rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row("SELECT rowid FROM score ORDER BY rowid LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    sql(
        &s,
        &format!("UPDATE score SET score = score + 7 WHERE rowid = {score_row};"),
    );
    sql(&s, "UPDATE price SET price_points = 1 WHERE id = 1;");
    sql(
        &s,
        "UPDATE village_policy SET toml = toml || '\n# 改' WHERE id = (SELECT MIN(id) FROM village_policy);",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::RowChanged {
            table: "score",
            rowid: score_row
        }),
        "{faults:?}"
    );
    assert!(
        faults.contains(&Fault::RowChanged {
            table: "price",
            rowid: 1
        }),
        "{faults:?}"
    );
    assert!(
        faults.iter().any(|f| matches!(
            f,
            Fault::RowChanged {
                table: "village_policy",
                ..
            }
        )),
        "{faults:?}"
    );
    let text: Vec<String> = faults.iter().map(jifen::app::messages::fault).collect();
    assert!(
        text.iter().any(|t| t.contains("积分价格（第 1 行）")),
        "{text:?}"
    );
}

#[test]
fn a_household_added_or_deleted_with_sql_is_caught() {
    let mut s = small_store();
    sql(
        &s,
        "INSERT INTO household (number, head_name, group_id, members, kind, status, created_at)
         SELECT '109999', '假户', group_id, 1, 'registered', 'active', created_at FROM household LIMIT 1;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.iter().any(|f| matches!(
            f,
            Fault::RowUnrecorded {
                table: "household",
                ..
            }
        )),
        "{faults:?}"
    );
}

#[test]
fn a_signature_copied_onto_a_second_row_is_caught_as_signing_rows_twice() {
    // The copy verifies (a signature does not sign its own row id); only the spans say that
    // the same ledger rows are now signed twice.
    let mut s = small_store();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let from: i64 = s
        .db
        .connection()
        .query_row(
            "SELECT points_from FROM txn_signature WHERE points_from IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    sql(
        &s,
        &format!(
            "INSERT INTO txn_signature (staff_id, key_id, points_from, points_to, points_head,
                 stock_from, stock_to, stock_head, audit_from, audit_to, audit_head,
                 changes_from, changes_to, changes_head, keys_from, keys_to, keys_head, signature)
             SELECT staff_id, key_id, points_from, points_to, points_head,
                 stock_from, stock_to, stock_head, audit_from, audit_to, audit_head,
                 changes_from, changes_to, changes_head, NULL, NULL, NULL, signature
             FROM txn_signature WHERE points_from = {from} AND keys_from IS NULL LIMIT 1;"
        ),
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::Unsigned {
            table: "point_entry",
            id: from
        }),
        "{faults:?}"
    );
}

#[test]
fn a_ledger_row_rewritten_to_name_another_staff_member_is_caught() {
    let mut s = small_store();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let (id, staff): (i64, i64) =
        s.db.connection()
            .query_row(
                "SELECT id, staff_id FROM point_entry ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    let other: i64 =
        s.db.connection()
            .query_row(
                "SELECT id FROM staff WHERE id <> ?1 ORDER BY id LIMIT 1",
                [staff],
                |r| r.get(0),
            )
            .unwrap();
    sql(
        &s,
        &format!(
            "DROP TRIGGER point_entry_no_update;
             UPDATE point_entry SET staff_id = {other} WHERE id = {id};
             CREATE TRIGGER point_entry_no_update BEFORE UPDATE ON point_entry
             BEGIN SELECT RAISE(ABORT, 'point_entry is append-only'); END;"
        ),
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::WrongSigner {
            table: "point_entry",
            id
        }),
        "{faults:?}"
    );
}

#[test]
fn a_price_deleted_with_sql_is_caught_as_vanished() {
    let mut s = demo_store();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let (first, last): (i64, i64) =
        s.db.connection()
            .query_row("SELECT MIN(id), MAX(id) FROM price", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
    // The first, a middle and the last row: the check reads the table and its change records
    // side by side, and a row may go missing before, between or after the others.
    let middle = (first + last) / 2;
    sql(
        &s,
        &format!(
            "PRAGMA foreign_keys = OFF; DELETE FROM price WHERE id IN ({first}, {middle}, {last});"
        ),
    );
    let faults = check(&mut s.db).unwrap();
    for rowid in [first, middle, last] {
        assert!(
            faults.contains(&Fault::RowVanished {
                table: "price",
                rowid
            }),
            "price {rowid}: {faults:?}"
        );
    }
}

#[test]
fn a_write_by_someone_not_signed_in_on_this_store_is_refused() {
    let mut s = small_store();
    // The same actor, on a second connection where nobody signed in.
    let mut other = Db::open(&s.path()).unwrap();
    let refused = correct_points(
        &mut other,
        &s.manager,
        &hh("101001"),
        Points(5),
        "r",
        "a,b,c",
        t0(),
    );
    assert!(refused.is_err());
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    correct_points(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        Points(5),
        "r",
        "a,b,c",
        t0(),
    )
    .unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

/// A table someone adds must say whether it joins the signed record (see store::records).
#[test]
fn every_table_is_either_signed_or_says_why_not() {
    let s = small_store();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    use jifen::store::records::{SIGNED_TABLES, UNSIGNED_TABLES};
    for table in tables {
        assert!(
            SIGNED_TABLES.contains(&table.as_str())
                || UNSIGNED_TABLES.iter().any(|(t, _)| *t == table),
            "table {table} is in neither records::SIGNED_TABLES nor records::UNSIGNED_TABLES"
        );
    }
}
