//! A store made by the code of 2026-12-01 (migrations through 020: the demo village, two
//! redemptions, a donation with a best-before date, a 分户 whose transfer references two point
//! entries; fixtures/stores/README.md) upgrades through 021, which rebuilds `point_entry`,
//! `stock_movement` and `audit_log` without the UNIQUE index on their hash (issue 23). What a
//! village would check: every entry is still there as it was, `check` passes (chains and
//! signatures), the ledgers are still append-only, and the counter redeems on it.

use jifen::app::check::check;
use jifen::app::redeem::redeem;
use jifen::app::sign_in;
use jifen::core::StaffId;
use jifen::store::Db;
use rusqlite::types::Value;

use crate::common::*;

const FIXTURE: &str = "fixtures/stores/released-2026-12-01.db";
const LEDGERS: [&str; 3] = ["point_entry", "stock_movement", "audit_log"];

fn store_of_2026_12_01() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(FIXTURE, dir.path().join("jifen.db")).unwrap();
    dir
}

/// Every row of a table, every column, in id order.
fn rows(conn: &rusqlite::Connection, table: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn user_version(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Whether some UNIQUE index of `table` is on its `hash` column alone.
fn hash_is_unique(conn: &rusqlite::Connection, table: &str) -> bool {
    let unique: Vec<String> = conn
        .prepare(&format!("PRAGMA index_list({table})"))
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))
        .unwrap()
        .filter_map(|r| r.ok().filter(|(_, u)| *u).map(|(name, _)| name))
        .collect();
    unique.iter().any(|index| {
        let columns: Vec<String> = conn
            .prepare(&format!("PRAGMA index_info({index})"))
            .unwrap()
            .query_map([], |r| r.get(2))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        columns == ["hash"]
    })
}

#[test]
fn a_store_of_2026_12_01_upgrades_keeping_every_entry_and_its_signatures() {
    let dir = store_of_2026_12_01();
    let path = dir.path().join("jifen.db");
    let before: Vec<_> = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(
            user_version(&conn),
            19,
            "the fixture is a store of migration 020"
        );
        assert!(LEDGERS.iter().all(|t| hash_is_unique(&conn, t)));
        LEDGERS.iter().map(|t| rows(&conn, t)).collect()
    };
    assert!(before.iter().all(|r| !r.is_empty()));

    let mut db = Db::open(&path).unwrap();
    let conn = db.connection();
    assert_eq!(user_version(conn), 20);
    for (table, was) in LEDGERS.iter().zip(&before) {
        assert_eq!(&rows(conn, table), was, "{table} changed in the upgrade");
        assert!(
            !hash_is_unique(conn, table),
            "{table}.hash is still indexed"
        );
    }
    let foreign_keys: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(
        foreign_keys,
        "foreign keys are enforced again after migrating"
    );
    let transfers: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM point_transfer t JOIN point_entry o ON o.id = t.out_entry_id
             JOIN point_entry i ON i.id = t.in_entry_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(transfers, 1, "the 分户 still points at both of its entries");
    assert_eq!(check(&mut db).unwrap(), vec![], "check after the upgrade");

    // Still append-only, still chained: the rebuilt tables got their triggers back.
    for (sql, says) in [
        (
            "UPDATE point_entry SET amount = amount + 1 WHERE id = 1",
            "append-only",
        ),
        ("DELETE FROM stock_movement WHERE id = 1", "append-only"),
        (
            "UPDATE audit_log SET detail = '{}' WHERE id = 1",
            "append-only",
        ),
        (
            "INSERT INTO audit_log (action, detail, created_at, prev_hash, hash)
             VALUES ('forged', '{}', '2026-12-02 09:00:00', 'x', 'y')",
            "chain does not continue",
        ),
    ] {
        let err = db.connection().execute(sql, []).unwrap_err();
        assert!(err.to_string().contains(says), "{sql}: {err}");
    }

    // And the counter redeems on it, signed and checked.
    let now = at(2026, 12, 2, 9, 0);
    let cashier = sign_in(&mut db, StaffId(2), "5827", now).unwrap();
    let balance = |db: &mut Db| {
        jifen::app::queries::balance(db, &hh("101001"))
            .unwrap()
            .balance_points
    };
    let before_points = balance(&mut db);
    let done = redeem(&mut db, &cashier, &cart("101001", &[("1027", 1)]), now).unwrap();
    assert_eq!(done.receipt.receipt_no.to_string(), "2026-000003");
    assert_eq!(
        balance(&mut db).0,
        before_points.0 - 15,
        "one towel, 15 points"
    );
    assert_eq!(check(&mut db).unwrap(), vec![]);
}

#[test]
fn a_store_with_a_reference_already_broken_upgrades_and_check_names_it() {
    // A reference broken behind the app's back before the upgrade (a best-before date of a
    // movement that does not exist, written with foreign keys off): the rebuild keeps every id,
    // so it neither mends nor hides it; the store opens and `check` reports it, as it did
    // before the upgrade, rather than the upgrade refusing to open the store.
    let dir = store_of_2026_12_01();
    let path = dir.path().join("jifen.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute(
        "INSERT INTO movement_best_before (movement_id, best_before) VALUES (999999, '2027-01-01')",
        [],
    )
    .unwrap();
    drop(conn);

    let mut db = Db::open(&path).unwrap();
    assert_eq!(user_version(db.connection()), 20);
    let faults = check(&mut db).unwrap();
    assert!(
        faults.contains(&jifen::store::check::Fault::ForeignKey {
            table: "movement_best_before".into(),
            rowid: 999999
        }),
        "{faults:?}"
    );
}

#[test]
fn the_upgrade_gives_the_counters_two_lookups_their_covering_indexes() {
    // A household's last balance and a good's last stock, read by every redemption and its
    // insert triggers, come from the index alone (issue 23).
    let dir = store_of_2026_12_01();
    let db = Db::open(&dir.path().join("jifen.db")).unwrap();
    let conn = db.connection();
    let columns = |index: &str| -> Vec<String> {
        conn.prepare(&format!("PRAGMA index_info({index})"))
            .unwrap()
            .query_map([], |r| r.get(2))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        columns("point_entry_by_household"),
        ["household_id", "id", "balance_after"]
    );
    assert_eq!(
        columns("stock_movement_by_goods"),
        ["goods_code", "id", "stock_after"]
    );
    for (sql, index) in [
        (
            "SELECT balance_after FROM point_entry WHERE household_id = 1 ORDER BY id DESC LIMIT 1",
            "COVERING INDEX point_entry_by_household",
        ),
        (
            "SELECT stock_after FROM stock_movement WHERE goods_code = '1027' ORDER BY id DESC LIMIT 1",
            "COVERING INDEX stock_movement_by_goods",
        ),
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(plan.iter().any(|p| p.contains(index)), "{sql}: {plan:?}");
    }
}
