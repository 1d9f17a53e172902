//! Stock and prices: stocktakes, goods added on the spot, retirement, price history, low stock
//! and best-before warnings.

use jifen::app::{goods_admin, stocktake};
use jifen::core::goods::{Goods, NewGoods};
use jifen::core::{Points, Qty};

use crate::common::*;

#[test]
fn a_stocktake_posts_exactly_the_differences_and_stock_then_equals_the_counts() {
    let mut s = small_store();
    let sheet = stocktake::start_stocktake(&mut s.db, &s.cashier, t0()).unwrap();
    assert_eq!(
        sheet.lines.iter().map(|l| l.expected.0).collect::<Vec<_>>(),
        vec![5, 5, 5]
    );
    let counts = [
        (code("1001"), Qty(4)),
        (code("1002"), Qty(5)),
        (code("1003"), Qty(7)),
    ];
    stocktake::record_counts(&mut s.db, &s.cashier, &counts, t0()).unwrap();
    let err = stocktake::post_stocktake(&mut s.db, &s.cashier, t0()).unwrap_err();
    assert!(err.to_string().contains("无权调整库存"), "{err}");
    let posted = stocktake::post_stocktake(&mut s.db, &s.manager, t0()).unwrap();
    let diffs: Vec<(String, i64)> = posted
        .iter()
        .map(|(c, d, _)| (c.to_string(), d.0))
        .collect();
    assert_eq!(
        diffs,
        vec![("1001".into(), -1), ("1003".into(), 2)],
        "only the differences, nothing for 1002"
    );
    for (c, counted) in counts {
        assert_eq!(on_hand(&mut s.db, c.as_str()), counted.0);
    }
    assert_eq!(jifen::app::check::check(&mut s.db).unwrap(), vec![]);
    assert!(stocktake::open_sheet(&mut s.db).unwrap().is_none());
}

#[test]
fn the_counter_keeps_redeeming_during_a_stocktake() {
    let mut s = small_store();
    stocktake::start_stocktake(&mut s.db, &s.manager, t0()).unwrap();
    // Counted 5 soap on the shelf, then one is redeemed before the sheet is posted.
    stocktake::record_counts(&mut s.db, &s.manager, &[(code("1003"), Qty(5))], t0()).unwrap();
    jifen::app::redeem::redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0())
        .unwrap();
    let posted = stocktake::post_stocktake(&mut s.db, &s.manager, t0()).unwrap();
    assert!(
        posted.is_empty(),
        "the count matched the start; nothing to correct"
    );
    assert_eq!(on_hand(&mut s.db, "1003"), 4);
}

#[test]
fn a_good_added_on_the_spot_can_be_received_redeemed_retired_and_keeps_its_price_history() {
    let mut s = small_store();
    let new = NewGoods {
        goods: Goods {
            code: code("2001"),
            barcode: None,
            name: "暖水瓶".into(),
            unit: "个".into(),
            category: Some("家居".into()),
            monthly_limit: None,
            retired: false,
        },
        price_points: Points(30),
    };
    goods_admin::add_goods(&mut s.db, &s.manager, &new, t0()).unwrap();
    assert!(
        goods_admin::add_goods(&mut s.db, &s.manager, &new, t0())
            .unwrap_err()
            .to_string()
            .contains("已经存在")
    );
    let donation = jifen::app::stock::Donation {
        donor: "乡贤 王建国".into(),
        contact: None,
        received_on: t0().date(),
        lines: vec![jifen::app::stock::ReceiveLine {
            code: code("2001"),
            qty: Qty(3),
            value: None,
        }],
    };
    jifen::app::stock::receive_donation(&mut s.db, &s.cashier, &donation, t0()).unwrap();
    jifen::app::stock::set_price(
        &mut s.db,
        &s.manager,
        &code("2001"),
        Points(25),
        at(2026, 12, 1, 0, 0).date(),
        Some("村两委会议".into()),
        t0(),
    )
    .unwrap();
    let history = goods_admin::price_history(&mut s.db, &code("2001")).unwrap();
    let versions: Vec<(i64, &str)> = history
        .iter()
        .map(|v| (v.price_points.0, v.effective_from.as_str()))
        .collect();
    assert_eq!(versions, vec![(25, "2026-12-01"), (30, "2026-11-20")]);
    let done =
        jifen::app::redeem::redeem(&mut s.db, &s.cashier, &cart("101001", &[("2001", 1)]), t0())
            .unwrap();
    goods_admin::retire_goods(&mut s.db, &s.manager, &code("2001"), t0()).unwrap();
    let err =
        jifen::app::redeem::redeem(&mut s.db, &s.cashier, &cart("101002", &[("2001", 1)]), t0())
            .unwrap_err();
    assert!(err.to_string().contains("已下架"), "{err}");
    let old = jifen::store::redemptions::load_receipt(s.db.connection(), 1).unwrap();
    assert_eq!(
        old, done.receipt,
        "old receipts still show the retired good"
    );
}

#[test]
fn low_stock_and_best_before_warnings_and_the_lot_to_issue_first() {
    let mut s = small_store();
    goods_admin::set_low_stock(&mut s.db, &s.manager, &code("1002"), Some(Qty(10)), t0()).unwrap();
    let mut dates = jifen::app::stock::BestBefore::new();
    dates.insert(code("1001"), at(2026, 12, 5, 0, 0).date());
    let rice = |qty| jifen::app::stock::Donation {
        donor: "青山米业有限公司".into(),
        contact: None,
        received_on: t0().date(),
        lines: vec![jifen::app::stock::ReceiveLine {
            code: code("1001"),
            qty: Qty(qty),
            value: None,
        }],
    };
    jifen::app::stock::receive_donation_dated(&mut s.db, &s.manager, &rice(4), &dates, t0())
        .unwrap();
    dates.insert(code("1001"), at(2027, 6, 1, 0, 0).date());
    jifen::app::stock::receive_donation_dated(&mut s.db, &s.manager, &rice(10), &dates, t0())
        .unwrap();
    // 5 undated + 4 (Dec) + 10 (June) = 19; 2 redeemed are taken as undated ones, so all 4 of
    // the December lot may still be on the shelf: warn about all of them.
    jifen::app::redeem::redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 2)]), t0())
        .unwrap();
    let warnings = goods_admin::stock_warnings(&mut s.db, t0().date()).unwrap();
    let towel = warnings
        .iter()
        .find(|w| w.code.as_str() == "1002")
        .expect("towels are below 10");
    assert_eq!(towel.low_stock_threshold, Some(Qty(10)));
    let rice = warnings
        .iter()
        .find(|w| w.code.as_str() == "1001")
        .expect("rice expires within 30 days");
    assert_eq!(rice.issue_first, Some(at(2026, 12, 5, 0, 0).date()));
    assert_eq!(rice.expiring.len(), 1);
    assert_eq!(rice.expiring[0].qty, Qty(4));
}

#[test]
fn redemptions_between_the_start_and_the_count_are_not_counted_twice() {
    let mut s = small_store();
    stocktake::start_stocktake(&mut s.db, &s.manager, t0()).unwrap();
    // Toothpaste shows 5 at the start; 2 are redeemed; staff then find 3 on the shelf.
    jifen::app::redeem::redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 2)]), t0())
        .unwrap();
    stocktake::record_counts(&mut s.db, &s.manager, &[(code("1003"), Qty(3))], t0()).unwrap();
    let posted = stocktake::post_stocktake(&mut s.db, &s.manager, t0()).unwrap();
    assert!(posted.is_empty(), "{posted:?}");
    assert_eq!(on_hand(&mut s.db, "1003"), 3);
}
