//! The signed "verified up to here" mark (issues 15 and 23): a passed check leaves one, signed
//! by whoever is signed in or by the next to sign in; the incremental check verifies the mark
//! and everything after it, and a rewrite under the mark or a forgery after it still fails.

use egui_kittest::kittest::Queryable;
use jifen::app::check_mark::{self, Kind};
use jifen::app::redeem::redeem;
use jifen::app::sign_in;
use jifen::core::ledger::PointEntryKind;
use jifen::store::Db;
use jifen::store::check::Fault;
use jifen::store::check_mark::MarkFault;

use crate::check_facts::{forge_entry, jifen};
use crate::common::*;

fn marks(db: &Db) -> Vec<(i64, i64)> {
    let mut stmt = db
        .connection()
        .prepare("SELECT id, staff_id FROM check_mark ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A store with a mark signed by its cashier, made the way the app makes it at start: the
/// check runs with nobody signed in, the next sign-in signs it.
fn marked_store() -> Store {
    let s = small_store();
    let mut db = Db::open(&s.path()).unwrap();
    let outcome = check_mark::check_incremental(&mut db, t0()).unwrap();
    assert_eq!(outcome.kind, Kind::Full, "no mark yet: the full check");
    assert!(outcome.passed(), "{:?}", outcome.faults);
    assert_eq!(
        check_mark::passed(&mut db, None, outcome.verified, t0()).unwrap(),
        None
    );
    assert_eq!(marks(&db), vec![], "nobody signed in: nothing written yet");
    sign_in(&mut db, staff(2), "5827", t0()).unwrap();
    assert_eq!(marks(&db).len(), 1);
    assert_eq!(marks(&db)[0].1, 2, "signed by the cashier who signed in");
    s
}

#[test]
fn the_next_sign_in_signs_the_mark_and_the_next_check_starts_from_it() {
    let mut s = marked_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1002", 1)]), t0()).unwrap();
    let outcome = check_mark::check_incremental(&mut s.db, t0()).unwrap();
    let Kind::Incremental(mark) = &outcome.kind else {
        panic!("{:?}", outcome.kind)
    };
    assert_eq!(mark.id, marks(&s.db)[0].0);
    assert_eq!(outcome.faults, vec![]);
    // A signed-in member signs the new mark at once.
    let id = check_mark::passed(&mut s.db, Some(&s.manager), outcome.verified, t0()).unwrap();
    assert!(id.is_some());
    assert_eq!(marks(&s.db).last().unwrap().1, 1);
    let again = check_mark::check_incremental(&mut s.db, t0()).unwrap();
    assert!(matches!(&again.kind, Kind::Incremental(m) if Some(m.id) == id));
    assert_eq!(again.faults, vec![]);
}

#[test]
fn a_forged_entry_after_the_mark_fails_the_incremental_check() {
    let mut s = marked_store();
    let forged = forge_entry(
        &s.path(),
        1,
        PointEntryKind::Correction,
        5000,
        None,
        Some("张丽,王芳,李明"),
    );
    let outcome = check_mark::check_incremental(&mut s.db, t0()).unwrap();
    assert!(matches!(outcome.kind, Kind::Incremental(_)));
    assert!(
        outcome.faults.contains(&Fault::Unsigned {
            table: "point_entry",
            id: forged
        }),
        "{:?}",
        outcome.faults
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check", "--incremental"], None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("增量检查"), "{text}");
    assert!(text.contains(&format!("积分流水第 {forged} 条")), "{text}");
}

#[test]
fn a_wrong_running_total_after_the_mark_fails_the_incremental_check() {
    let mut s = marked_store();
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("1002", 1)]), t0()).unwrap();
    let last: i64 =
        s.db.connection()
            .query_row("SELECT MAX(id) FROM point_entry", [], |r| r.get(0))
            .unwrap();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER point_entry_no_update;
         UPDATE point_entry SET balance_after = balance_after + 40 WHERE id = {last};
         CREATE TRIGGER point_entry_no_update BEFORE UPDATE ON point_entry
         BEGIN SELECT RAISE(ABORT, 'point_entry is append-only'); END;"
    ))
    .unwrap();
    let faults = check_mark::check_incremental(&mut s.db, t0())
        .unwrap()
        .faults;
    assert!(
        faults.iter().any(
            |f| matches!(f, Fault::RunningTotal { table: "point_entry", id, .. } if *id == last)
        ),
        "{faults:?}"
    );
}

#[test]
fn history_rewritten_under_the_mark_fails_the_incremental_check() {
    let mut s = marked_store();
    let (head, mark) = {
        let conn = s.db.connection();
        let head: i64 = conn
            .query_row("SELECT MAX(id) FROM point_entry", [], |r| r.get(0))
            .unwrap();
        (head, marks(&s.db)[0].0)
    };
    // Rewrite an early entry and recompute the chain to the head, as a careful forger would.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch("DROP TRIGGER point_entry_no_update;")
        .unwrap();
    let mut entries = Vec::new();
    jifen::store::ledger::for_each_point_entry(&conn, |e, _| entries.push(e.unwrap())).unwrap();
    let mut prev = jifen::core::chain::GENESIS.to_string();
    for mut e in entries {
        if e.id == 1 {
            e.reason = Some("改写".into());
        }
        e.prev_hash = prev.clone();
        e.hash = e.expected_hash();
        conn.execute(
            "UPDATE point_entry SET reason = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            rusqlite::params![e.id, e.reason, e.prev_hash, e.hash],
        )
        .unwrap();
        prev = e.hash;
    }
    let faults = check_mark::check_incremental(&mut s.db, t0())
        .unwrap()
        .faults;
    assert!(
        faults.contains(&Fault::Mark(MarkFault::HeadChanged {
            mark,
            table: "point_entry".into(),
            id: head
        })),
        "{faults:?}"
    );
}

#[test]
fn a_mark_altered_with_sql_fails_its_signature() {
    let mut s = marked_store();
    let mark = marks(&s.db)[0].0;
    // Pushing the mark's heads forward over a forged row would spare it the incremental check.
    let forged = forge_entry(
        &s.path(),
        1,
        PointEntryKind::Correction,
        5000,
        None,
        Some("张丽,王芳,李明"),
    );
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT hash FROM point_entry WHERE id = ?1",
            [forged],
            |r| r.get(0),
        )
        .unwrap();
    let heads: String = conn
        .query_row("SELECT heads FROM check_mark WHERE id = ?1", [mark], |r| {
            r.get(0)
        })
        .unwrap();
    let mut heads: serde_json::Value = serde_json::from_str(&heads).unwrap();
    for head in heads["chains"].as_array_mut().unwrap() {
        if head["table"] == "point_entry" {
            head["id"] = forged.into();
            head["value"] = hash.clone().into();
        }
    }
    conn.execute_batch("DROP TRIGGER check_mark_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE check_mark SET heads = ?2 WHERE id = ?1",
        rusqlite::params![mark, heads.to_string()],
    )
    .unwrap();
    let faults = check_mark::check_incremental(&mut s.db, t0())
        .unwrap()
        .faults;
    assert_eq!(faults, vec![Fault::Mark(MarkFault::BadSignature { mark })]);
    // The full check names the forged row itself.
    let full = jifen::app::check::check(&mut s.db).unwrap();
    assert!(full.contains(&Fault::Unsigned {
        table: "point_entry",
        id: forged
    }));
}

#[test]
fn a_score_row_inserted_after_the_mark_fails_the_incremental_check() {
    let mut s = marked_store();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(
        "INSERT INTO score_sheet (period, approved_by, staff_id, created_at)
           VALUES ('2026-10', '王建华,李国强,赵秀英', 1, '2026-11-20 09:00:00');",
    )
    .unwrap();
    let faults = check_mark::check_incremental(&mut s.db, t0())
        .unwrap()
        .faults;
    assert!(
        faults.iter().any(|f| matches!(
            f,
            Fault::RowUnrecorded {
                table: "score_sheet",
                ..
            }
        )),
        "{faults:?}"
    );
}

#[test]
fn jifen_check_with_staff_records_a_mark_and_incremental_starts_from_it() {
    let s = small_store();
    let dir = s.dir.path().to_path_buf();
    drop(s.db);
    let (code, text) = jifen(&dir, &["check"], None);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("未记录检查标记"), "{text}");
    let (code, text) = jifen(&dir, &["--staff", "1", "check"], Some("842619"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("已记录检查标记 #1"), "{text}");
    let (code, text) = jifen(&dir, &["check", "--incremental", "--json"], None);
    assert_eq!(code, 0, "{text}");
    let json: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["incremental_from"], 1);
}

#[test]
fn the_app_start_up_check_is_signed_by_the_first_sign_in_and_the_next_start_checks_from_it() {
    let s = small_store();
    let mut h = crate::ui::harness(&s);
    crate::ui::sign_in(&mut h, "王芳（收银员）", "5827");
    let watcher = Db::open(&s.path()).unwrap();
    crate::ui::wait_for(&mut h, |_| marks(&watcher).len() == 1);
    assert_eq!(
        marks(&watcher)[0].1,
        2,
        "signed by the cashier who signed in"
    );
    drop(h);
    // A forgery after the mark: the next start's incremental check names it.
    let forged = forge_entry(
        &s.path(),
        1,
        PointEntryKind::Correction,
        5000,
        None,
        Some("张丽,王芳,李明"),
    );
    let mut h = crate::ui::harness(&s);
    crate::ui::wait_for(&mut h, |h| {
        h.query_by_label_contains(&format!("积分流水第 {forged} 条"))
            .is_some()
    });
    assert_eq!(marks(&watcher).len(), 1, "a failed check leaves no mark");
}

/// An early entry edited in place (its hash left as it was) lies under the mark, where only
/// the full check looks. The day's first start, whose backup may prune the oldest good
/// generation, runs the full check: that store's backup goes to `backups/damaged/` and no good
/// backup is deleted for it.
#[test]
fn a_backup_day_start_runs_the_full_check_so_a_row_edited_under_the_mark_never_prunes_a_good_backup()
 {
    let s = marked_store();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER point_entry_no_update;
         UPDATE point_entry SET reason = '改写' WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    let mut db = Db::open(&s.path()).unwrap();
    let incremental = check_mark::check_incremental(&mut db, t0()).unwrap();
    assert!(matches!(incremental.kind, Kind::Incremental(_)));
    assert!(
        incremental.passed(),
        "under the mark: only the full check sees it"
    );
    drop(db);

    let mut events = Vec::new();
    jifen::app::startup::run(&s.path(), t0() + chrono::Duration::days(1), |e| {
        events.push(e)
    });
    assert!(
        events
            .iter()
            .any(|e| matches!(e, jifen::app::startup::StartupEvent::Checked(Some(_)))),
        "the start-up check names the damage: {events:?}"
    );
    let damaged = std::fs::read_dir(s.dir.path().join("backups/damaged"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(damaged, 1, "the damaged store's backup is kept apart");
    assert!(
        jifen::app::backup::automatic_backups(s.dir.path()).is_empty(),
        "and not counted among the good generations"
    );
}
