//! A store made before signatures (migrations 001–010 only, as today's released code leaves
//! it) upgrades: its rows stay valid unsigned, the first manager to sign in attests them, and
//! from then on everything is signed and checked.

use jifen::app::check::{check, check_with_summary};
use jifen::app::points::correct_points;
use jifen::app::sign_in;
use jifen::core::chain::GENESIS;
use jifen::core::ledger::{AuditRecord, PointEntry, PointEntryKind};
use jifen::core::{Points, StaffId};
use jifen::store::Db;
use jifen::store::check::Fault;
use rusqlite_migration::{M, Migrations};

use crate::common::*;

const RELEASED: &[M<'_>] = &[
    M::up(include_str!("../src/store/migrations/001_schema.sql")),
    M::up(include_str!("../src/store/migrations/002_cards.sql")),
    M::up(include_str!("../src/store/migrations/003_sessions.sql")),
    M::up(include_str!(
        "../src/store/migrations/004_village_rules.sql"
    )),
    M::up(include_str!("../src/store/migrations/005_print.sql")),
    M::up(include_str!("../src/store/migrations/006_stock.sql")),
    M::up(include_str!("../src/store/migrations/007_score_sheets.sql")),
    M::up(include_str!("../src/store/migrations/008_services.sql")),
    M::up(include_str!("../src/store/migrations/009_void_guard.sql")),
    M::up(include_str!(
        "../src/store/migrations/010_ledger_indexes.sql"
    )),
];

/// A released store with a manager (PIN 842619), a cashier (5827), two households with opening
/// points and an audit record, written the way the released code wrote them.
fn released_store(dir: &std::path::Path) {
    let mut conn = rusqlite::Connection::open(dir.join("jifen.db")).unwrap();
    Migrations::from_slice(RELEASED)
        .to_latest(&mut conn)
        .unwrap();
    let manager = jifen::app::auth::hash_pin("842619", jifen::core::staff::Role::Manager).unwrap();
    let cashier = jifen::app::auth::hash_pin("5827", jifen::core::staff::Role::Cashier).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO store (id, name, store_code, card_secret, created_at)
             VALUES (1, '旧积分超市', 1234, zeroblob(32), '2026-01-05 08:00:00');
         INSERT INTO staff (name, role, pin_hash, created_at) VALUES ('张丽', 'manager', '{manager}', '2026-01-05 08:00:00');
         INSERT INTO staff (name, role, pin_hash, created_at) VALUES ('王芳', 'cashier', '{cashier}', '2026-01-05 08:00:00');
         INSERT INTO village (name) VALUES ('青山村');
         INSERT INTO village_group (village_id, name) VALUES (1, '第一组');
         INSERT INTO household (number, head_name, group_id, members, kind, status, created_at)
             VALUES ('101001', '王大山', 1, 3, 'registered', 'active', '2026-01-05 08:00:00'),
                    ('101002', '李秀英', 1, 2, 'registered', 'active', '2026-01-05 08:00:00');"
    ))
    .unwrap();
    let mut prev = GENESIS.to_string();
    for (id, household) in [(1, "101001"), (2, "101002")] {
        let mut e = PointEntry {
            id,
            household: household.parse().unwrap(),
            kind: PointEntryKind::Opening,
            amount: Points(100),
            balance_after: Points(100),
            period: None,
            receipt_no: None,
            reason: Some("households.csv".into()),
            approved_by: None,
            staff: StaffId(1),
            created_at: at(2026, 1, 5, 8, 0),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        e.hash = e.expected_hash();
        conn.execute(
            "INSERT INTO point_entry (id, household_id, household_no, kind, amount, balance_after, reason,
                staff_id, created_at, prev_hash, hash)
             VALUES (?1, ?1, ?2, 'opening', 100, 100, 'households.csv', 1, '2026-01-05 08:00:00', ?3, ?4)",
            rusqlite::params![id, household, e.prev_hash, e.hash],
        )
        .unwrap();
        prev = e.hash;
    }
    let mut a = AuditRecord {
        id: 1,
        staff: Some(StaffId(1)),
        action: "import_households".into(),
        detail: "{}".into(),
        created_at: at(2026, 1, 5, 8, 0),
        prev_hash: GENESIS.to_string(),
        hash: String::new(),
    };
    a.hash = a.expected_hash();
    conn.execute(
        "INSERT INTO audit_log (id, staff_id, action, detail, created_at, prev_hash, hash)
         VALUES (1, 1, 'import_households', '{}', '2026-01-05 08:00:00', ?1, ?2)",
        rusqlite::params![a.prev_hash, a.hash],
    )
    .unwrap();
}

#[test]
fn a_released_store_upgrades_and_the_first_manager_attests_it() {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    released_store(dir.path());
    let mut db = Db::open_in(dir.path()).unwrap();
    // Before anyone signs in: sound, but not attested yet.
    let (faults, summary) = check_with_summary(&mut db).unwrap();
    assert_eq!(faults, vec![]);
    assert_eq!(summary.attested_by, None);
    assert_eq!(summary.signed_from, [3, 1, 2]);

    // The cashier signs in first (gets a key), then the manager (gets one and attests).
    let cashier = sign_in(&mut db, StaffId(2), "5827", t0()).unwrap();
    let manager = sign_in(&mut db, StaffId(1), "842619", t0()).unwrap();
    let (faults, summary) = check_with_summary(&mut db).unwrap();
    assert_eq!(faults, vec![]);
    assert_eq!(summary.attested_by, Some(1));
    assert_eq!(summary.keys.len(), 2);
    // A second sign-in opens the same key, attests nothing new.
    sign_in(&mut db, StaffId(1), "842619", t0()).unwrap();
    correct_points(
        &mut db,
        &manager,
        &hh("101001"),
        Points(5),
        "补录",
        "张丽,王芳,李明",
        t0(),
    )
    .unwrap();
    let _ = cashier;
    assert_eq!(check(&mut db).unwrap(), vec![]);

    // A household of the old store changed behind the app after the attestation: caught.
    db.connection()
        .execute(
            "UPDATE household SET head_name = '王小山' WHERE number = '101001'",
            [],
        )
        .unwrap();
    let faults = check(&mut db).unwrap();
    assert!(
        faults.contains(&Fault::RowChanged {
            table: "household",
            rowid: 1
        }),
        "{faults:?}"
    );
}

#[test]
fn rewriting_a_pre_upgrade_entry_breaks_the_attestation() {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    released_store(dir.path());
    let mut db = Db::open_in(dir.path()).unwrap();
    sign_in(&mut db, StaffId(1), "842619", t0()).unwrap();
    // A careful forger rewrites entry 1 and recomputes entry 2's link.
    let conn = rusqlite::Connection::open(dir.path().join("jifen.db")).unwrap();
    conn.execute_batch("DROP TRIGGER point_entry_no_update;")
        .unwrap();
    let mut entries = Vec::new();
    jifen::store::ledger::for_each_point_entry(&conn, |e, _| entries.push(e.unwrap())).unwrap();
    let mut prev = GENESIS.to_string();
    for e in &mut entries {
        if e.id == 1 {
            e.reason = Some("改过".into());
        }
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
        conn.execute(
            "UPDATE point_entry SET reason = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            rusqlite::params![e.id, e.reason, e.prev_hash, e.hash],
        )
        .unwrap();
    }
    let faults = check(&mut db).unwrap();
    assert!(faults.contains(&Fault::AttestationBroken), "{faults:?}");
}
