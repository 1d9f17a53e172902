//! Services as well as goods (积分换服务): a service is redeemed like goods but issues vouchers
//! instead of taking stock; vouchers are used once or cancelled for exactly their points.

use jifen::app::check::check;
use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::services::{ServiceInfo, add_service, cancel_voucher, use_voucher};
use jifen::core::goods::{Goods, NewGoods};
use jifen::core::refusal::Refusal;
use jifen::core::{Points, Qty};
use jifen::store::check::Fault;

use crate::common::*;

/// The small store plus a haircut (理发, 20 points, 2 a day, vouchers valid 30 days).
pub fn with_haircut() -> Store {
    let mut s = small_store();
    let new = NewGoods {
        goods: Goods {
            code: code("9001"),
            barcode: None,
            name: "理发".into(),
            unit: "次".into(),
            category: Some("服务".into()),
            monthly_limit: None,
            retired: false,
        },
        price_points: Points(20),
    };
    let info = ServiceInfo {
        provider_name: "张师傅理发店".into(),
        provider_contact: Some("13800000000".into()),
        capacity_per_day: Some(Qty(2)),
        validity_days: 30,
    };
    add_service(&mut s.db, &s.manager, &new, &info, t0()).unwrap();
    s
}

fn refusal(e: jifen::app::Error) -> Refusal {
    e.refusal().cloned().expect("a refusal")
}

fn count(s: &Store, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_mixed_cart_commits_once_with_vouchers_and_no_stock_for_the_service() {
    let mut s = with_haircut();
    let movements = count(&s, "SELECT COUNT(*) FROM stock_movement");
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 1), ("9001", 2)]),
        t0(),
    )
    .unwrap();
    let r = done.receipt;
    assert_eq!(r.total_points, Points(55));
    assert_eq!(balance(&mut s.db, "101001"), 45);
    assert_eq!(on_hand(&mut s.db, "1002"), 4);
    let numbers: Vec<_> = r.vouchers.iter().map(|v| v.voucher_no.as_str()).collect();
    assert_eq!(numbers, ["V2026-000001-1", "V2026-000001-2"]);
    assert_eq!(r.vouchers[0].valid_until.to_string(), "2026-12-20");
    assert_eq!(count(&s, "SELECT COUNT(*) FROM redemption"), 1);
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM point_entry WHERE kind = 'redemption_debit'"
        ),
        1
    );
    // Only the towel moved stock; the service has no stock row at all.
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM stock_movement"),
        movements + 1
    );
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM stock_movement WHERE goods_code = '9001'"
        ),
        0
    );
    let printed = format!("{:?}", jifen::print::receipt(&r, "").items);
    assert!(printed.contains("V2026-000001-2"), "{printed}");
    assert!(printed.contains("2026-12-20"), "{printed}");
    // The counter grid and the price list see it as a service with its price.
    let shelf = jifen::app::queries::stock(&mut s.db, Some(&code("9001")), t0().date()).unwrap();
    assert_eq!(shelf[0].price_points, Some(Points(20)));
    assert_eq!(
        shelf[0].service.as_ref().map(|i| i.provider_name.as_str()),
        Some("张师傅理发店")
    );
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_refusal_of_either_part_writes_nothing() {
    let mut s = with_haircut();
    let before = content(&s.path());
    let goods_refused = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 9), ("9001", 1)]),
        t0(),
    )
    .unwrap_err();
    assert!(matches!(refusal(goods_refused), Refusal::OutOfStock { .. }));
    let service_refused = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 1), ("9001", 3)]),
        t0(),
    )
    .unwrap_err();
    assert!(matches!(
        refusal(service_refused),
        Refusal::ServiceFull { .. }
    ));
    let poor = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1002", 1), ("9001", 2)]),
        t0(),
    )
    .unwrap_err();
    assert!(matches!(refusal(poor), Refusal::InsufficientPoints { .. }));
    assert_eq!(content(&s.path()), before);
}

#[test]
fn capacity_per_day_is_enforced_and_frees_up_the_next_day() {
    let mut s = with_haircut();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("9001", 1)]), t0()).unwrap();
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("9001", 1)]), t0()).unwrap();
    let full = redeem(&mut s.db, &s.cashier, &cart("102001", &[("9001", 1)]), t0()).unwrap_err();
    assert!(matches!(refusal(full), Refusal::ServiceFull { .. }));
    let text = redeem(&mut s.db, &s.cashier, &cart("102001", &[("9001", 1)]), t0())
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("理发") && text.contains("今日名额已满"),
        "{text}"
    );
    let tomorrow = at(2026, 11, 21, 9, 0);
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("102001", &[("9001", 2)]),
        tomorrow,
    )
    .unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_voucher_is_used_once_and_a_used_one_cannot_be_cancelled() {
    let mut s = with_haircut();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("9001", 1)]), t0()).unwrap();
    let later = at(2026, 11, 25, 15, 0);
    let used = use_voucher(&mut s.db, &s.cashier, "V2026-000001-1", "张师傅", later).unwrap();
    assert_eq!(used.used_at, Some(later));
    assert_eq!(used.used_by.as_deref(), Some("张师傅"));
    let again = use_voucher(&mut s.db, &s.cashier, "V2026-000001-1", "张师傅", later).unwrap_err();
    assert_eq!(
        refusal(again),
        Refusal::VoucherUsed {
            voucher: "V2026-000001-1".into(),
            used_on: later.date()
        }
    );
    let cancel =
        cancel_voucher(&mut s.db, &s.manager, "V2026-000001-1", "没去", later).unwrap_err();
    assert!(matches!(refusal(cancel), Refusal::VoucherUsed { .. }));
    assert_eq!(balance(&mut s.db, "101001"), 80);
}

#[test]
fn an_expired_voucher_is_refused() {
    let mut s = with_haircut();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("9001", 1)]), t0()).unwrap();
    let late = at(2026, 12, 21, 9, 0);
    let e = use_voucher(&mut s.db, &s.cashier, "V2026-000001-1", "张师傅", late).unwrap_err();
    assert!(matches!(refusal(e), Refusal::VoucherExpired { .. }));
}

#[test]
fn cancelling_an_unused_voucher_returns_exactly_its_points() {
    let mut s = with_haircut();
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 1), ("9001", 2)]),
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 50);
    let refused =
        cancel_voucher(&mut s.db, &s.cashier, "V2026-000001-2", "病了", t0()).unwrap_err();
    assert!(matches!(refusal(refused), Refusal::NotPermitted { .. }));
    cancel_voucher(&mut s.db, &s.manager, "V2026-000001-2", "病了", t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 70);
    let twice = cancel_voucher(&mut s.db, &s.manager, "V2026-000001-2", "病了", t0()).unwrap_err();
    assert!(matches!(refusal(twice), Refusal::VoucherCancelled { .. }));
    let use_cancelled =
        use_voucher(&mut s.db, &s.cashier, "V2026-000001-2", "张师傅", t0()).unwrap_err();
    assert!(matches!(
        refusal(use_cancelled),
        Refusal::VoucherCancelled { .. }
    ));
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM point_entry WHERE kind = 'reversal' AND amount = 20"
        ),
        1
    );
    // The cancelled voucher no longer counts against today's capacity.
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("9001", 1)]), t0()).unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn voiding_a_redemption_cancels_its_unused_vouchers_and_refuses_if_one_was_used() {
    let mut s = with_haircut();
    let first = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 1), ("9001", 1)]),
        t0(),
    )
    .unwrap()
    .receipt;
    let movements = count(&s, "SELECT COUNT(*) FROM stock_movement");
    let voided = void_redemption(&mut s.db, &s.manager, &first.receipt_no, "拿错了", t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);
    assert!(voided.vouchers[0].cancelled_at.is_some());
    // Only the towel comes back to stock.
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM stock_movement"),
        movements + 1
    );
    let e = use_voucher(&mut s.db, &s.cashier, "V2026-000001-1", "张师傅", t0()).unwrap_err();
    assert!(matches!(refusal(e), Refusal::VoucherCancelled { .. }));

    let second = redeem(&mut s.db, &s.cashier, &cart("101002", &[("9001", 1)]), t0())
        .unwrap()
        .receipt;
    use_voucher(&mut s.db, &s.cashier, "V2026-000002-1", "张师傅", t0()).unwrap();
    let before = content(&s.path());
    let e = void_redemption(&mut s.db, &s.manager, &second.receipt_no, "拿错了", t0()).unwrap_err();
    assert!(matches!(refusal(e), Refusal::VoidVoucherUsed { .. }));
    assert_eq!(content(&s.path()), before);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn check_still_catches_a_tampered_goods_line_beside_a_service() {
    let mut s = with_haircut();
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 2), ("9001", 1)]),
        t0(),
    )
    .unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER redemption_line_no_update;
         UPDATE redemption_line SET qty = 1, line_points = 10 WHERE goods_code = '1003';
         UPDATE redemption_line SET line_points = 30, unit_price_points = 30 WHERE goods_code = '9001';",
    )
    .unwrap();
    // The service line's price was raised too: the price in force that day says so (issue 15).
    assert_eq!(
        check(&mut s.db).unwrap(),
        vec![
            Fault::RedemptionMismatch {
                receipt_no: "2026-000001".into()
            },
            Fault::Derived(jifen::store::check_derived::DerivedFault::PriceMismatch {
                receipt_no: "2026-000001".into(),
                line_no: 2,
                goods: "9001".into(),
                expected: Some(20),
                found: 30,
            })
        ]
    );
}

#[test]
fn the_closing_report_counts_services_apart_from_goods() {
    let mut s = with_haircut();
    jifen::app::sessions::open_session(&mut s.db, &s.cashier, t0().date(), &[], &[], t0()).unwrap();
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 1), ("9001", 2)]),
        t0(),
    )
    .unwrap();
    let id = jifen::app::sessions::current_session(&mut s.db)
        .unwrap()
        .unwrap()
        .id;
    let report = jifen::app::sessions::session_report(&mut s.db, id, "王芳").unwrap();
    assert_eq!(report.points_redeemed, Points(55));
    assert_eq!(report.goods.len(), 1);
    assert_eq!(report.services.len(), 1);
    assert_eq!(report.services[0].qty, Qty(2));
    assert_eq!(report.services[0].points, Points(40));
    assert_eq!(report.services[0].provider, "张师傅理发店");
}

#[test]
fn voiding_after_a_voucher_was_cancelled_does_not_return_its_points_twice() {
    let mut s = with_haircut();
    let r = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 1), ("9001", 2)]),
        t0(),
    )
    .unwrap()
    .receipt;
    cancel_voucher(&mut s.db, &s.manager, "V2026-000001-1", "病了", t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 70);
    void_redemption(&mut s.db, &s.manager, &r.receipt_no, "拿错了", t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}
