//! Redemption days: the closing report agrees with the ledgers, and closing backs up.

use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::sessions::{close_session, current_session, open_session};

use crate::common::*;

#[test]
fn the_closing_report_equals_the_ledgers() {
    let mut s = small_store();
    // A redemption before the day opens does not belong to it.
    redeem(&mut s.db, &s.cashier, &cart("102001", &[("1003", 1)]), t0()).unwrap();
    let groups = vec!["青山村第一组".to_string()];
    let session = open_session(&mut s.db, &s.cashier, t0().date(), &[], &groups, t0()).unwrap();
    assert_eq!(session.staff_on_duty, vec!["王芳"]);
    assert!(
        open_session(&mut s.db, &s.manager, t0().date(), &[], &groups, t0())
            .unwrap_err()
            .to_string()
            .contains("还没有结束")
    );
    let a = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1003", 2)]),
        t0(),
    )
    .unwrap();
    redeem(&mut s.db, &s.manager, &cart("101002", &[("1002", 2)]), t0()).unwrap();
    let voided = redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    void_redemption(
        &mut s.db,
        &s.manager,
        &voided.receipt.receipt_no,
        "重复录入",
        t0(),
    )
    .unwrap();

    let (report, backup) =
        close_session(&mut s.db, s.dir.path(), &s.cashier, at(2026, 11, 20, 17, 0)).unwrap();
    assert!(
        backup.unwrap().file.exists(),
        "closing a day takes a backup"
    );
    assert_eq!((report.households_served, report.redemptions), (2, 2));
    assert_eq!(report.points_redeemed.0, a.receipt.total_points.0 + 30);
    // Goods issued per good equal the stock ledger's redemption movements of the day's receipts.
    let issued: Vec<(String, i64)> = report
        .goods
        .iter()
        .map(|g| (g.code.to_string(), g.qty.0))
        .collect();
    assert_eq!(
        issued,
        vec![("1001".into(), 1), ("1002".into(), 2), ("1003".into(), 2)]
    );
    let from_ledger: i64 = s
        .db
        .connection()
        .query_row(
            "SELECT -SUM(m.qty) FROM stock_movement m JOIN redemption r ON r.id = m.redemption_id
             WHERE r.session_id = ?1 AND m.goods_code = '1003'",
            [session.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(from_ledger, 2, "issued 3, one voided back");
    assert_eq!(
        report.goods[2].on_hand_at_close.0,
        on_hand(&mut s.db, "1003")
    );
    assert_eq!(report.voids.len(), 1);
    assert_eq!(report.voids[0].reason, "重复录入");
    let staff: Vec<(String, i64)> = report
        .per_staff
        .iter()
        .map(|p| (p.name.clone(), p.redemptions))
        .collect();
    assert_eq!(staff, vec![("张丽".into(), 1), ("王芳".into(), 1)]);
    assert!(current_session(&mut s.db).unwrap().is_none());
}

#[test]
fn a_session_left_open_past_midnight_is_flagged() {
    let mut s = small_store();
    let session = open_session(&mut s.db, &s.cashier, t0().date(), &[], &[], t0()).unwrap();
    assert!(!session.open_past_midnight(at(2026, 11, 20, 23, 59)));
    assert!(session.open_past_midnight(at(2026, 11, 21, 0, 1)));
}

#[test]
fn an_auditor_cannot_open_a_redemption_day() {
    let mut s = small_store();
    assert!(open_session(&mut s.db, &s.auditor, t0().date(), &[], &[], t0()).is_err());
}
