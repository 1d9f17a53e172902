//! Found by a clerk's-eye test of the demo store at 1024×768: the counter's household search
//! needs the keyboard path whole (the hint says 回车; Enter on one match opens it; ↑↓ + Enter
//! pick among several), and 设置 must agree with the counter's 未设置小票打印机 warning.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::ui::JifenApp;

use crate::common::*;
use crate::ui::sign_in;
use crate::ui_fits::{cut_off, harness_at};

const SIZE: egui::Vec2 = egui::vec2(1024.0, 768.0);

fn search_for(h: &mut Harness<'static, JifenApp>, text: &str) {
    h.key_press(egui::Key::F2);
    h.run();
    h.get_by_label("查找农户 F2").type_text(text);
    h.run();
}

fn at_counter(h: &Harness<'static, JifenApp>) -> Option<String> {
    h.state()
        .counter
        .household
        .as_ref()
        .map(|found| found.household.number.to_string())
}

#[test]
fn counter_search_hint_says_press_enter_and_enter_again_opens_the_one_match() {
    let s = small_store();
    let mut h = harness_at(&s, SIZE);
    sign_in(&mut h, "王芳（收银员）", "5827");
    assert!(
        h.query_by_label("输入后按回车查找").is_some(),
        "the hint says to press Enter"
    );
    search_for(&mut h, "101001");
    assert!(
        h.query_by_label_contains("101001 王大山").is_none(),
        "nothing is searched before Enter"
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label_contains("101001 王大山").is_some());
    assert!(
        h.query_by_label("找到 1 户：上下键选择，回车打开")
            .is_some()
    );
    assert_eq!(at_counter(&h), None, "a search alone opens nobody");
    let faults = cut_off(&h, SIZE);
    assert!(faults.is_empty(), "cut off at 1024×768: {faults:?}");
    // The box has the focus back: Enter again opens the match, as a click would.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(at_counter(&h).as_deref(), Some("101001"));
    assert!(
        h.query_by_label_contains("未用卡：").is_some(),
        "chosen without a card, and said so"
    );
}

#[test]
fn counter_search_with_several_matches_arrow_down_and_enter_open_the_second() {
    let s = small_store();
    let mut h = harness_at(&s, SIZE);
    sign_in(&mut h, "王芳（收银员）", "5827");
    search_for(&mut h, "1010");
    h.key_press(egui::Key::Enter);
    h.run();
    let found: Vec<String> = h
        .state()
        .counter
        .search_results
        .iter()
        .map(|r| r.household.number.to_string())
        .collect();
    assert_eq!(found, ["101001", "101002"]);
    assert!(
        h.query_by_label("找到 2 户：上下键选择，回车打开")
            .is_some()
    );
    // Down past the end stays on the last; up comes back; down again picks the second.
    for key in [
        egui::Key::ArrowDown,
        egui::Key::ArrowDown,
        egui::Key::ArrowUp,
        egui::Key::ArrowDown,
    ] {
        h.key_press(key);
        h.run();
    }
    assert_eq!(at_counter(&h), None, "moving the highlight opens nobody");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(at_counter(&h).as_deref(), Some("101002"));
    // The results went with the choice: Enter in the box now searches again.
    h.key_press(egui::Key::F2);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        h.query_by_label("找到 2 户：上下键选择，回车打开")
            .is_some()
    );
    assert_eq!(at_counter(&h).as_deref(), Some("101002"));
}

fn open_settings(h: &mut Harness<'static, JifenApp>) {
    h.get_by_label("设置").click();
    h.run();
}

fn click(h: &mut Harness<'static, JifenApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

#[test]
fn printer_banner_and_settings_agree_no_printer_saved_in_settings_clears_the_banner() {
    let mut s = small_store();
    let mut h = harness_at(&s, SIZE);
    sign_in(&mut h, "张丽（管理员）", "842619");
    click(&mut h, "柜台 F6");
    assert!(h.query_by_label_contains("未设置小票打印机").is_some());
    open_settings(&mut h);
    assert!(
        h.query_by_label_contains("还没有选择小票打印机").is_some(),
        "设置 says not chosen yet, not 不用打印机"
    );
    // Saving nothing claims nothing.
    click(&mut h, "保存设置");
    assert!(h.query_by_label_contains("已保存").is_none());
    assert!(
        h.query_by_label_contains("设置没有改动，没有保存。小票打印机还没有选择")
            .is_some()
    );
    click(&mut h, "不用打印机");
    assert!(h.query_by_label_contains("还没有选择小票打印机").is_none());
    click(&mut h, "保存设置");
    assert!(h.query_by_label("已保存 1 项设置").is_some());
    assert_eq!(
        jifen::app::settings::get(&mut s.db, jifen::app::settings::RECEIPT_NOT_PRINTED)
            .unwrap()
            .as_deref(),
        Some("1"),
        "the same mark the banner's 本店不打小票 button records"
    );
    let faults = cut_off(&h, SIZE);
    assert!(faults.is_empty(), "cut off at 1024×768: {faults:?}");
    click(&mut h, "柜台 F6");
    assert!(
        h.query_by_label_contains("未设置小票打印机").is_none(),
        "banner gone"
    );
    open_settings(&mut h);
    assert!(h.query_by_label_contains("还没有选择小票打印机").is_none());
    assert!(h.query_by_label_contains("不接打印机也能兑换").is_some());
    let checklist = jifen::app::checklist::checklist(&mut s.db).unwrap();
    assert!(checklist.is_done(jifen::app::checklist::Step::Printer));
}

#[test]
fn printer_marked_at_the_counter_shows_as_no_printer_in_settings() {
    let s = small_store();
    let mut h = harness_at(&s, SIZE);
    sign_in(&mut h, "张丽（管理员）", "842619");
    click(&mut h, "柜台 F6");
    click(&mut h, "本店不打小票");
    open_settings(&mut h);
    assert!(h.query_by_label_contains("还没有选择小票打印机").is_none());
    assert!(h.query_by_label_contains("不接打印机也能兑换").is_some());
    click(&mut h, "保存设置");
    assert!(h.query_by_label("设置没有改动，没有保存").is_some());
}
