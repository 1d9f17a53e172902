//! Witness codes (issue 15): a code printed on a receipt proves the history it saw, even
//! against a forger who rewrites an earlier entry and recomputes the chain.

use std::process::Command;

use jifen::app::check::{current_witness, verify_witnesses};
use jifen::app::redeem::redeem;
use jifen::store::witness::Verdict;

use crate::common::*;

/// A careful forger: change an early points entry and recompute every later hash.
fn rewrite_points_from(s: &Store, id: i64) {
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch("DROP TRIGGER point_entry_no_update;")
        .unwrap();
    let mut entries = Vec::new();
    jifen::store::ledger::for_each_point_entry(&conn, |e, _| entries.push(e.unwrap())).unwrap();
    let mut prev = entries[0].prev_hash.clone();
    for e in &mut entries {
        if e.id == id {
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
}

#[test]
fn a_receipts_witness_holds_until_an_earlier_entry_is_rewritten() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let code = done
        .receipt
        .witness
        .clone()
        .expect("a receipt carries its witness");
    assert!(code.starts_with("P4-S"), "{code}");
    // Later work does not disturb it.
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    assert_eq!(
        verify_witnesses(&mut s.db, std::slice::from_ref(&code)).unwrap(),
        vec![(code.clone(), Verdict::Holds)]
    );
    let now = current_witness(&mut s.db).unwrap();
    assert!(now.starts_with("P5-"), "{now}");

    rewrite_points_from(&s, 2);
    let verdicts = verify_witnesses(&mut s.db, &[code.clone(), now.clone()]).unwrap();
    assert_eq!(
        verdicts[0].1,
        Verdict::Rewritten {
            points_to: 4,
            stock_to: code_stock(&code)
        }
    );
    assert!(matches!(verdicts[1].1, Verdict::Rewritten { .. }));

    drop(s.db);
    let out = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(s.dir.path())
        .args(["check", "--witness", &code])
        .env_remove("JIFEN_DATA")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("核验码 {code} 不一致")), "{err}");
    assert!(err.contains("积分流水第 1–4 条"), "{err}");
}

fn code_stock(code: &str) -> i64 {
    jifen::core::chain::Witness::parse(code).unwrap().stock_id
}

#[test]
fn a_witness_of_entries_no_longer_there_says_so_and_nonsense_is_refused() {
    let mut s = small_store();
    let verdicts = verify_witnesses(
        &mut s.db,
        &["P999-S1-ABCDEFGH".to_string(), "hello".to_string()],
    )
    .unwrap();
    assert_eq!(
        verdicts[0].1,
        Verdict::Missing {
            points_to: 999,
            stock_to: 1
        }
    );
    assert_eq!(verdicts[1].1, Verdict::Malformed);
}

#[test]
fn a_printed_receipt_shows_its_witness() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let doc = jifen::print::receipt(&done.receipt, "");
    let text = format!("{doc:?}");
    assert!(text.contains("核验码"), "{text}");
    assert!(
        text.contains(done.receipt.witness.as_deref().unwrap()),
        "{text}"
    );
}

#[test]
fn a_notices_witness_holds_until_an_earlier_entry_is_rewritten() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let period = "2026-11".parse().unwrap();
    let notice =
        jifen::app::notices::stock_notice(&mut s.db, period, at(2026, 12, 1, 8, 0)).unwrap();
    let code = notice.fingerprint.witness();
    assert_eq!(
        verify_witnesses(&mut s.db, std::slice::from_ref(&code)).unwrap()[0].1,
        Verdict::Holds
    );
    rewrite_points_from(&s, 1);
    assert!(matches!(
        verify_witnesses(&mut s.db, std::slice::from_ref(&code)).unwrap()[0].1,
        Verdict::Rewritten { .. }
    ));
}
