//! Redemption: what the counter does, and every way it refuses without writing anything.

use jifen::app::Error;
use jifen::app::redeem::{redeem, void_redemption};
use jifen::core::refusal::Refusal;
use jifen::core::{IdempotencyKey, Points, ReceiptNo};

use crate::common::*;

#[test]
fn redemption_debits_points_and_stock_and_numbers_the_receipt() {
    let mut s = small_store();
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1003", 2)]),
        t0(),
    )
    .unwrap();
    let r = &done.receipt;
    assert_eq!(r.receipt_no.to_string(), "2026-000001");
    assert_eq!(
        (r.total_points, r.balance_before, r.balance_after),
        (Points(70), Points(100), Points(30))
    );
    assert_eq!(r.lines[1].unit_price_points, Points(10));
    assert_eq!(r.staff_name, "王芳");
    assert_eq!(balance(&mut s.db, "101001"), 30);
    assert_eq!(
        (on_hand(&mut s.db, "1001"), on_hand(&mut s.db, "1003")),
        (4, 3)
    );
}

fn assert_refused_and_nothing_written(
    s: &mut Store,
    request: jifen::core::redemption::RedemptionRequest,
    expected_words: &str,
) {
    let before = content(&s.path());
    let err = redeem(&mut s.db, &s.cashier, &request, t0()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(expected_words),
        "message {message:?} lacks {expected_words:?}"
    );
    assert_eq!(
        content(&s.path()),
        before,
        "a refused redemption wrote something"
    );
}

#[test]
fn over_balance_is_refused_in_chinese_and_writes_nothing() {
    let mut s = small_store();
    // 2 × 50 + 1 × 15 = 115 > 100
    assert_refused_and_nothing_written(
        &mut s,
        cart("101001", &[("1001", 2), ("1002", 1)]),
        "积分不足：余额 100 分，需要 115 分，还差 15 分",
    );
}

#[test]
fn over_stock_is_refused_and_writes_nothing() {
    let mut s = small_store();
    assert_refused_and_nothing_written(
        &mut s,
        cart("101001", &[("1003", 6)]),
        "库存不足：“牙膏”只剩 5，需要 6",
    );
}

#[test]
fn over_monthly_limit_is_refused_and_writes_nothing() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("1001", 1)]), t0()).unwrap();
    assert_refused_and_nothing_written(
        &mut s,
        cart("101002", &[("1001", 2)]),
        "每户每月限 2，本月已领 1，这次要 2",
    );
    // Next month the limit starts again.
    let december = at(2026, 12, 1, 9, 0);
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101002", &[("1001", 1)]),
        december,
    )
    .unwrap();
}

#[test]
fn a_refused_redemption_consumes_no_receipt_number() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    for bad in [
        cart("101001", &[("1003", 99)]),
        cart("999999", &[("1003", 1)]),
        cart("101001", &[("9999", 1)]),
    ] {
        redeem(&mut s.db, &s.cashier, &bad, t0()).unwrap_err();
    }
    let next = redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    assert_eq!(next.receipt.receipt_no, ReceiptNo { year: 2026, seq: 2 });
    let new_year = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101002", &[("1003", 1)]),
        at(2027, 1, 5, 9, 0),
    )
    .unwrap();
    assert_eq!(new_year.receipt.receipt_no.to_string(), "2027-000001");
}

#[test]
fn the_same_key_twice_writes_once_and_a_changed_cart_under_it_is_refused() {
    let mut s = small_store();
    let mut request = cart("101001", &[("1002", 2)]);
    request.key = Some("counter1-0001".parse::<IdempotencyKey>().unwrap());
    let first = redeem(&mut s.db, &s.cashier, &request, t0()).unwrap();
    let after_first = content(&s.path());
    let retry = redeem(&mut s.db, &s.cashier, &request, t0()).unwrap();
    assert!(retry.replayed && !first.replayed);
    assert_eq!(retry.receipt, first.receipt);
    assert_eq!(content(&s.path()), after_first, "a retry wrote something");
    assert_eq!(balance(&mut s.db, "101001"), 70);

    let mut changed = request.clone();
    changed.lines[0].qty = jifen::core::Qty(3);
    let err = redeem(&mut s.db, &s.cashier, &changed, t0()).unwrap_err();
    assert!(matches!(err, Error::Refused(Refusal::KeyReused { .. })));
    assert_eq!(content(&s.path()), after_first);
}

#[test]
fn void_returns_points_and_goods_as_new_entries_and_keeps_the_original() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 1)]), t0()).unwrap();
    let no = done.receipt.receipt_no;
    let refused = void_redemption(&mut s.db, &s.cashier, &no, "拿错了", t0()).unwrap_err();
    assert!(refused.to_string().contains("无权作废兑换"), "{refused}");
    let voided = void_redemption(&mut s.db, &s.manager, &no, "拿错了", t0()).unwrap();
    assert_eq!(voided.void.as_ref().unwrap().reason, "拿错了");
    assert_eq!(balance(&mut s.db, "101001"), 100);
    assert_eq!(on_hand(&mut s.db, "1001"), 5);
    let (_, entries) = jifen::app::queries::ledger(&mut s.db, &hh("101001")).unwrap();
    let kinds: Vec<_> = entries.iter().map(|e| e.kind.as_db()).collect();
    assert_eq!(kinds, ["opening", "redemption_debit", "reversal"]);
    assert!(
        void_redemption(&mut s.db, &s.manager, &no, "again", t0())
            .unwrap_err()
            .to_string()
            .contains("已经作废")
    );
    // A voided redemption no longer counts toward the month's limit.
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 2)]), t0()).unwrap();
}

#[test]
fn yesterdays_redemption_cannot_be_voided() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let err = void_redemption(
        &mut s.db,
        &s.manager,
        &done.receipt.receipt_no,
        "迟了",
        at(2026, 11, 21, 9, 0),
    )
    .unwrap_err();
    assert!(err.to_string().contains("只能作废当天的兑换"), "{err}");
}

#[test]
fn roles_are_enforced_by_the_services() {
    let mut s = small_store();
    let e = redeem(&mut s.db, &s.auditor, &cart("101001", &[("1003", 1)]), t0()).unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::NotPermitted { .. })));
    let e = jifen::app::stock::adjust_stock(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 1)]).lines,
        "盘盈",
        t0(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("无权调整库存"), "{e}");
    let e = jifen::app::setup::add_staff(
        &mut s.db,
        &s.cashier,
        "新人",
        jifen::core::staff::Role::Manager,
        "1111",
        t0(),
    )
    .unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::NotPermitted { .. })));
}

#[test]
fn a_moved_away_or_unknown_household_cannot_redeem() {
    let mut s = small_store();
    let e = redeem(&mut s.db, &s.cashier, &cart("909090", &[("1003", 1)]), t0()).unwrap_err();
    assert!(e.to_string().contains("查无此户：户号 909090"), "{e}");
}

#[test]
fn purchases_need_an_invoice_and_write_offs_cannot_go_below_zero() {
    let mut s = small_store();
    let purchase = jifen::app::stock::Purchase {
        supplier: "县城百货批发部".into(),
        invoice_no: "  ".into(),
        amount: jifen::core::AmountCents(12_000),
        received_on: t0().date(),
        lines: vec![jifen::app::stock::ReceiveLine {
            code: code("1002"),
            qty: jifen::core::Qty(10),
            value: None,
        }],
    };
    let e =
        jifen::app::stock::receive_purchase(&mut s.db, &s.manager, &purchase, t0()).unwrap_err();
    assert!(e.to_string().contains("增值税发票号"), "{e}");
    let before = content(&s.path());
    let e = jifen::app::stock::adjust_stock(
        &mut s.db,
        &s.manager,
        &cart("x", &[("1002", -6)]).lines,
        "过期",
        t0(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("库存只有 5"), "{e}");
    assert_eq!(content(&s.path()), before);
    jifen::app::stock::adjust_stock(
        &mut s.db,
        &s.manager,
        &cart("x", &[("1002", -5)]).lines,
        "受潮",
        t0(),
    )
    .unwrap();
    assert_eq!(on_hand(&mut s.db, "1002"), 0);
}

#[test]
fn a_redemption_line_keeps_the_price_it_was_charged() {
    let mut s = small_store();
    let first = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let tomorrow = at(2026, 11, 21, 9, 0);
    jifen::app::stock::set_price(
        &mut s.db,
        &s.manager,
        &code("1003"),
        Points(12),
        tomorrow.date(),
        Some("村两委".into()),
        t0(),
    )
    .unwrap();
    // Today the old price still holds; tomorrow the new one.
    let today = redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    assert_eq!(today.receipt.lines[0].unit_price_points, Points(10));
    let next = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101002", &[("1003", 1)]),
        tomorrow,
    )
    .unwrap();
    assert_eq!(next.receipt.lines[0].unit_price_points, Points(12));
    let reloaded = jifen::store::redemptions::load_receipt(s.db.connection(), 1).unwrap();
    assert_eq!(reloaded, first.receipt);
}

#[test]
fn five_wrong_pins_lock_the_account() {
    let mut s = small_store();
    let cashier = s.cashier.id;
    for _ in 0..4 {
        let e = jifen::app::sign_in(&mut s.db, cashier, "0000", t0()).unwrap_err();
        assert!(matches!(e, Error::Refused(Refusal::WrongPin)));
    }
    let e = jifen::app::sign_in(&mut s.db, cashier, "0000", t0()).unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::AccountLocked { .. })));
    // Even the right PIN waits out the lock.
    assert!(jifen::app::sign_in(&mut s.db, cashier, "5827", t0()).is_err());
    assert!(jifen::app::sign_in(&mut s.db, cashier, "5827", at(2026, 11, 20, 9, 16)).is_ok());
}
