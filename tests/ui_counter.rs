//! Issue 18 at the counter, driven through the real app with egui_kittest: the receipt's fate
//! on every redemption, the basket protected from a stray scan or Esc, a card scan read in any
//! text box, refusal before confirming, typed quantities.

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::*;
use crate::ui::{confirm, harness, harness_with_printer, scan, sign_in, type_code, wait_for};

fn audit_count(s: &mut Store, action: &str) -> i64 {
    s.db.connection()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn with_no_printer_every_redemption_says_no_receipt_and_a_bar_stays_until_marked() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    assert!(
        h.query_by_label_contains("未设置小票打印机").is_some(),
        "standing warning"
    );
    assert!(
        h.query_by_label("本店不打小票").is_none(),
        "a cashier may not mark the store"
    );
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    assert!(
        h.query_by_label_contains(
            "兑换成功：单号 2026-000001，王大山 用 10 分，余额 90 分。未设置打印机，没有打印小票"
        )
        .is_some()
    );
    assert_eq!(balance(&mut s.db, "101001"), 90);
    h.key_press(egui::Key::F9);
    h.run();
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("柜台 F6").click();
    h.run();
    h.get_by_label("本店不打小票").click();
    h.run();
    assert!(
        h.query_by_label_contains("未设置小票打印机").is_none(),
        "bar gone once marked"
    );
    scan(&mut h, "101002");
    type_code(&mut h, "1003");
    confirm(&mut h);
    assert!(
        h.query_by_label_contains("余额 90 分。本店不打小票")
            .is_some()
    );
}

#[test]
fn a_failed_print_says_so_on_the_redemption_and_f7_reprints() {
    let mut s = small_store();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri = format!("tcp:127.0.0.1:{port}");
    jifen::app::settings::set(
        &mut s.db,
        &s.manager,
        jifen::app::settings::PRINTER_URI,
        &uri,
        t0(),
    )
    .unwrap();
    let mut h = harness_with_printer(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    assert!(h.query_by_label_contains("未设置小票打印机").is_none());
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    wait_for(&mut h, |h| {
        h.query_by_label_contains("兑换单 2026-000001 已兑换成功，但小票打印失败（")
            .is_some()
    });
    assert!(
        h.query_all_by_label_contains("重打 F7").count() >= 1,
        "the failure says how to reprint"
    );
    h.key_press(egui::Key::F7);
    h.run();
    let jobs =
        jifen::app::printing::receipt_jobs(&mut s.db, &"2026-000001".parse().unwrap()).unwrap();
    assert_eq!(jobs.len(), 2, "the first print and the F7 reprint");
}

#[test]
fn a_printed_receipt_says_printed() {
    let mut s = small_store();
    let out = tempfile::tempdir().unwrap();
    let uri = format!("file:{}", out.path().join("lp0").display());
    jifen::app::settings::set(
        &mut s.db,
        &s.manager,
        jifen::app::settings::PRINTER_URI,
        &uri,
        t0(),
    )
    .unwrap();
    let mut h = harness_with_printer(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    wait_for(&mut h, |h| {
        h.query_by_label_contains("兑换单 2026-000001：小票已打印")
            .is_some()
    });
}

#[test]
fn esc_with_a_basket_asks_and_enter_keeps_it_then_discarding_is_logged() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1002");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("放弃本单？").is_some());
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("放弃本单？").is_none());
    assert!(
        h.query_by_label("合计 15 分").is_some(),
        "Enter keeps the basket"
    );
    // A second Esc asks again; it never empties the basket by itself.
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("合计 15 分").is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("放弃本单").click();
    h.run();
    assert!(h.query_by_label("请扫描农户积分卡").is_some());
    assert_eq!(audit_count(&mut s, "discard_basket"), 1);
    assert_eq!(balance(&mut s.db, "101001"), 100);
}

#[test]
fn the_next_households_scan_with_a_basket_asks_before_switching() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1002");
    scan(&mut h, "101002");
    assert!(h.query_by_label("放弃本单？").is_some());
    assert!(
        h.query_by_label("王大山 101001").is_some(),
        "still the first household"
    );
    h.get_by_label("放弃本单").click();
    h.run();
    assert!(
        h.query_by_label("李秀英 101002").is_some(),
        "the scan goes ahead once given up"
    );
    assert_eq!(audit_count(&mut s, "discard_basket"), 1);
}

#[test]
fn a_card_scanned_while_f2_has_focus_is_a_scan_and_the_box_keeps_its_text() {
    let mut s = small_store();
    let card =
        jifen::app::cards::issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    h.key_press(egui::Key::F2);
    h.run();
    let search = h.get_by_label("查找农户 F2");
    search.type_text("王");
    h.run();
    scan(&mut h, &card.face.payload.to_string());
    assert!(
        h.query_by_label("王大山 101001").is_some(),
        "taken as a card scan"
    );
    assert!(h.query_by_label_contains("没有找到").is_none());
    assert_eq!(
        h.state().counter.search_input,
        "王",
        "the box keeps its text"
    );
    assert!(
        h.query_by_label_contains("未用卡").is_none(),
        "a card, not a no-card redemption"
    );
}

#[test]
fn f2_finds_a_household_by_the_digits_printed_on_its_card() {
    let mut s = small_store();
    let card =
        jifen::app::cards::issue_card(&mut s.db, &s.manager, &hh("102001"), None, t0()).unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    let search = h.get_by_label("查找农户 F2");
    search.focus();
    // Typed by hand, as printed under the QR: in groups with spaces.
    search.type_text(&card.face.payload.grouped());
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("刘䶮 102001").is_some());
}

#[test]
fn a_basket_over_the_balance_is_refused_before_confirming_with_the_shortfall() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101002");
    type_code(&mut h, "1001*2");
    type_code(&mut h, "1002");
    assert!(h.query_by_label("积分不够，还差 15 分").is_some());
    assert!(
        h.get_by_label("确认兑换 F12")
            .accesskit_node()
            .is_disabled(),
        "确认 is disabled while the basket is short"
    );
    h.key_press(egui::Key::F12);
    h.run();
    assert!(
        h.query_by_label("确认（回车）").is_none(),
        "no confirmation offered"
    );
    assert!(
        h.query_by_label_contains("余额 100 分，这单要 115 分，还差 15 分")
            .is_some()
    );
    assert_eq!(balance(&mut s.db, "101002"), 100);
}

#[test]
fn a_typed_quantity_fills_the_line_and_over_stock_says_how_much_is_missing() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1003*4");
    assert!(h.query_by_label("合计 40 分").is_some());
    type_code(&mut h, "1003*3");
    assert!(
        h.query_by_label_contains("库存只有 5，这单要 7，还差 2")
            .is_some(),
        "over stock refused at once with the figures"
    );
    assert!(
        h.query_by_label("合计 40 分").is_some(),
        "the basket is unchanged"
    );
    // The line's own quantity box.
    let qty = h.get_by_label("数量：牙膏");
    qty.focus();
    h.key_press(egui::Key::Backspace);
    h.run();
    let qty = h.get_by_label("数量：牙膏");
    qty.type_text("2");
    h.run();
    assert!(h.query_by_label("合计 20 分").is_some());
    confirm(&mut h);
    assert_eq!(balance(&mut s.db, "101001"), 80);
    assert_eq!(on_hand(&mut s.db, "1003"), 3);
}

#[test]
fn counter_buttons_are_at_least_36_px_and_tiles_keep_their_place() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    let before: Vec<egui::Rect> = ["大米 5kg", "毛巾", "牙膏"]
        .iter()
        .map(|n| h.get_by_label_contains(n).rect())
        .collect();
    type_code(&mut h, "1001*2");
    for name in ["−", "+", "✕"] {
        let r = h.get_by_label(name).rect();
        assert!(r.width() >= 36.0 && r.height() >= 36.0, "{name}: {r:?}");
    }
    // 大米 reached its limit of 2: its tile changes text but not size, nothing moves.
    assert!(h.query_by_label_contains("已达限量").is_some());
    let after: Vec<egui::Rect> = ["大米 5kg", "毛巾", "牙膏"]
        .iter()
        .map(|n| {
            h.get_all_by_label_contains(n)
                .map(|n| n.rect())
                .find(|r| (r.height() - 60.0).abs() < 0.5)
                .unwrap()
        })
        .collect();
    assert_eq!(before, after);
}
