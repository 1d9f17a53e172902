//! What is refused or caught: leaving with an open voucher; `check` on transfer pairs that
//! do not balance (forged ones included).

use super::*;

#[test]
fn moving_away_with_an_open_voucher_is_refused_naming_it() {
    let mut s = crate::services::with_haircut();
    let done = redeem(&mut s.db, &s.cashier, &cart("101002", &[("9001", 1)]), t0()).unwrap();
    let voucher = done.receipt.vouchers[0].voucher_no.clone();
    let before = content(&s.path());
    let c = committee();
    // Refused both in the preview and in the move itself, even with the committee's decision.
    let preview = changes::preview_move(
        &mut s.db,
        &hh("101002"),
        &MoveTo::Away,
        Some(&c),
        "迁往县城",
        t0().date(),
    );
    let away = mv(
        &mut s,
        &hh("101002"),
        &MoveTo::Away,
        "迁往县城",
        Some(&c),
        t0().date(),
        t0(),
    );
    for r in [refusal(preview), refusal(away)] {
        match &r {
            Refusal::HouseholdChange(ChangeRefusal::OpenVoucher {
                household,
                voucher_no,
                ..
            }) => assert_eq!((household, voucher_no), (&hh("101002"), &voucher)),
            other => panic!("{other:?}"),
        }
        let text = jifen::app::messages::refusal(&r);
        assert!(
            text.contains(&voucher) && text.contains("不能迁出"),
            "{text}"
        );
    }
    assert_eq!(content(&s.path()), before, "nothing written");
    // Once the voucher is cancelled (its points come back), the household may leave.
    jifen::app::services::cancel_voucher(&mut s.db, &s.manager, &voucher, "要迁走", t0()).unwrap();
    let done = mv(
        &mut s,
        &hh("101002"),
        &MoveTo::Away,
        "迁往县城",
        Some(&c),
        t0().date(),
        t0(),
    )
    .unwrap();
    assert_eq!(done.household.status, HouseholdStatus::MovedAway);
    assert_eq!(balance(&mut s.db, "101002"), 0);
}

#[test]
fn check_finds_a_transfer_pair_that_does_not_balance() {
    let mut s = small_store();
    split(&mut s.db, &s.manager, &the_split(40), t0()).unwrap();
    assert!(check(&mut s.db).unwrap().is_empty());
    // A forged second transfer pointing at the opening entries: not corrections, not opposite.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute(
        "INSERT INTO point_transfer (kind, from_household_id, to_household_id, out_entry_id, in_entry_id, points, approved_by, reason, staff_id, created_at)
         VALUES ('split', 1, 2, 1, 2, 100, 'x', 'y', 1, '2026-11-20 09:00:00')",
        [],
    )
    .unwrap();
    assert!(
        conn.execute("DELETE FROM point_transfer", []).is_err(),
        "append-only"
    );
    let faults = check(&mut s.db).unwrap();
    // Both entries are named as not a transfer between the two households, and the row itself
    // is caught as written outside the app (it has no signed record, issue 15).
    assert_eq!(faults.len(), 3, "{faults:?}");
    let unbalanced = faults
        .iter()
        .filter(|f| {
            matches!(
                f,
                jifen::store::check::Fault::Unreadable {
                    table: "point_transfer",
                    ..
                }
            ) && jifen::app::messages::fault(f).contains("不是这两户之间的更正记录")
        })
        .count();
    assert_eq!(unbalanced, 2, "{faults:?}");
    assert!(faults.iter().any(|f| matches!(
        f,
        jifen::store::check::Fault::RowUnrecorded {
            table: "point_transfer",
            ..
        }
    )));
}

#[test]
fn check_finds_a_forged_transfer_whose_halves_are_not_equal_and_opposite() {
    let mut s = small_store();
    // Two genuine, signed corrections that look like a transfer, but 40 out and only 30 in,
    // and the in half does not name the household the points came from.
    for (number, points, reason) in [
        ("101001", -40, "分户转出至 101002：伪造"),
        ("101002", 30, "分户转入：伪造"),
    ] {
        jifen::app::points::correct_points(
            &mut s.db,
            &s.manager,
            &hh(number),
            Points(points),
            reason,
            "甲,乙,丙",
            t0(),
        )
        .unwrap();
    }
    assert!(check(&mut s.db).unwrap().is_empty());
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let id = |number: &str| -> i64 {
        conn.query_row(
            "SELECT MAX(id) FROM point_entry WHERE household_no = ?1",
            [number],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (out, inn) = (id("101001"), id("101002"));
    conn.execute(
        "INSERT INTO point_transfer (kind, from_household_id, to_household_id, out_entry_id, in_entry_id, points, approved_by, reason, staff_id, created_at)
         VALUES ('split', 1, 2, ?1, ?2, 40, '甲,乙,丙', '伪造', 1, '2026-11-20 09:00:00')",
        [out, inn],
    )
    .unwrap();
    let words: Vec<String> = check(&mut s.db)
        .unwrap()
        .iter()
        .filter(|f| {
            matches!(
                f,
                jifen::store::check::Fault::Unreadable {
                    table: "point_transfer",
                    ..
                }
            )
        })
        .map(jifen::app::messages::fault)
        .collect();
    assert_eq!(words.len(), 1, "{words:?}");
    assert!(
        words[0].contains(&format!("积分流水 #{inn} 为 30 分，应为 40 分")),
        "{words:?}"
    );
}
