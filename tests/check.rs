//! `check` passes on a sound store and names the row when one is altered behind the app's back.

use jifen::app::check::check;
use jifen::app::redeem::redeem;
use jifen::store::check::Fault;

use crate::common::*;

fn tamper(s: &Store, sql: &str) {
    // What someone with the sqlite3 shell could do: drop the guard, then edit a row.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn the_demo_store_passes_check() {
    let mut s = demo_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 1)]), t0()).unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn ledger_rows_cannot_be_updated_or_deleted_through_sql() {
    let s = small_store();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let err = conn
        .execute("UPDATE point_entry SET amount = 1000 WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(conn.execute("DELETE FROM stock_movement", []).is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    // A balance below zero cannot be inserted either, even continuing the chain and the
    // running total correctly.
    let head: String = conn
        .query_row(
            "SELECT hash FROM point_entry ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let err = conn
        .execute(
            "INSERT INTO point_entry (household_id, household_no, kind, amount, balance_after, reason, approved_by,
                staff_id, created_at, prev_hash, hash)
             VALUES (1, '101001', 'correction', -101, -1, 'r', 'a', 1, '2026-11-20 09:00:00', ?1, 'y')",
            [head],
        )
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[test]
fn an_altered_points_row_is_named() {
    let mut s = small_store();
    tamper(
        &s,
        "DROP TRIGGER point_entry_no_update; UPDATE point_entry SET amount = 900, balance_after = 900 WHERE id = 2;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::HashMismatch {
            table: "point_entry",
            id: 2
        }),
        "{faults:?}"
    );
    let text: Vec<String> = faults.iter().map(jifen::app::messages::fault).collect();
    assert!(text.iter().any(|t| t.contains("积分流水 #2")), "{text:?}");
}

#[test]
fn an_altered_stock_row_and_a_deleted_audit_row_are_named() {
    let mut s = small_store();
    tamper(
        &s,
        "DROP TRIGGER stock_movement_no_update; UPDATE stock_movement SET created_at = '2026-01-01 00:00:00' WHERE id = 3;",
    );
    tamper(
        &s,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::HashMismatch {
            table: "stock_movement",
            id: 3
        }),
        "{faults:?}"
    );
    assert!(
        faults.contains(&Fault::BrokenChain {
            table: "audit_log",
            id: 3
        }),
        "{faults:?}"
    );
}

#[test]
fn a_redemption_whose_total_was_edited_is_named() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 2)]), t0()).unwrap();
    tamper(
        &s,
        "DROP TRIGGER redemption_no_update; UPDATE redemption SET total_points = 10, balance_after = 90;",
    );
    let faults = check(&mut s.db).unwrap();
    assert_eq!(
        faults,
        vec![Fault::RedemptionMismatch {
            receipt_no: "2026-000001".into()
        }]
    );
}

#[test]
fn a_removed_void_a_moved_entry_and_a_removed_last_receipt_are_named() {
    let mut s = small_store();
    let first = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    jifen::app::redeem::void_redemption(
        &mut s.db,
        &s.manager,
        &first.receipt.receipt_no,
        "拿错了",
        t0(),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    assert!(
        conn.execute("DELETE FROM redemption_void", []).is_err(),
        "voids are append-only"
    );
    tamper(
        &s,
        "DROP TRIGGER redemption_void_no_delete; DELETE FROM redemption_void;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::RedemptionMismatch {
            receipt_no: "2026-000001".into()
        }),
        "{faults:?}"
    );

    let mut s = small_store();
    // Household 101002's opening entry (id 2) moved onto 101001 behind the app's back.
    tamper(
        &s,
        "DROP TRIGGER point_entry_no_update; UPDATE point_entry SET household_id = 1 WHERE id = 2;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::HashMismatch {
            table: "point_entry",
            id: 2
        }),
        "{faults:?}"
    );

    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    tamper(
        &s,
        // The whole tail goes: the last receipt with its lines and its last ledger and audit rows,
        // which leaves every chain intact. Only the receipt counter remembers.
        "DROP TRIGGER redemption_no_delete; DROP TRIGGER redemption_line_no_delete;
         DROP TRIGGER point_entry_no_delete; DROP TRIGGER stock_movement_no_delete; DROP TRIGGER audit_log_no_delete;
         DELETE FROM point_entry WHERE redemption_id = 2; DELETE FROM stock_movement WHERE redemption_id = 2;
         DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log);
         DELETE FROM redemption_line WHERE redemption_id = 2; DELETE FROM redemption WHERE id = 2;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        faults.contains(&Fault::ReceiptGap {
            year: 2026,
            missing: 2
        }),
        "{faults:?}"
    );
}
