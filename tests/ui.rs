//! The real counter app (the same `JifenApp` that `main` runs) driven through egui_kittest on a
//! real temporary store: what a cashier does with a scanner, a keyboard and a mouse.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::store::Db;
use jifen::ui::JifenApp;

use crate::common::*;

pub(crate) fn harness(s: &Store) -> Harness<'static, JifenApp> {
    let db = Db::open(&s.path()).unwrap();
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)))
}

pub(crate) fn sign_in(h: &mut Harness<'static, JifenApp>, who: &str, pin: &str) {
    h.get_by_label(who).click();
    h.run();
    let field = h.get_by_label("密码");
    field.focus();
    field.type_text(pin);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    // A manager of a store still getting ready lands on the checklist (issue 17); these
    // tests are about the counter, so go there as a manager would, with F6.
    h.key_press(egui::Key::F6);
    h.run();
}

/// A keyboard-wedge scanner: one Text event per character, then Enter, no field focused.
pub(crate) fn scan(h: &mut Harness<'static, JifenApp>, digits: &str) {
    for c in digits.chars() {
        h.event(egui::Event::Text(c.to_string()));
    }
    h.key_press(egui::Key::Enter);
    h.run();
}

pub(crate) fn type_code(h: &mut Harness<'static, JifenApp>, code: &str) {
    let field = h.get_by_label("商品编码/条码 F4");
    field.focus();
    field.type_text(code);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

pub(crate) fn confirm(h: &mut Harness<'static, JifenApp>) {
    h.get_by_label("确认兑换 F12").click();
    h.run();
    h.get_by_label("确认（回车）").click();
    h.run();
}

#[test]
fn a_cashier_scans_adds_goods_by_code_and_by_tapping_and_confirms() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    assert!(
        h.query_by_label("请扫描农户积分卡").is_some(),
        "counter screen not shown after sign-in"
    );
    scan(&mut h, "101001");
    assert!(h.query_by_label("积分余额 100").is_some());
    assert!(h.query_by_label("王大山 101001").is_some());
    type_code(&mut h, "1003");
    h.get_by_label_contains("毛巾").click();
    h.run();
    assert!(h.query_by_label("合计 25 分").is_some());
    confirm(&mut h);
    assert!(
        h.query_by_label_contains("兑换成功：单号 2026-000001")
            .is_some()
    );
    assert!(h.query_by_label_contains("余额 75 分").is_some());
    assert_eq!(balance(&mut s.db, "101001"), 75);
    assert!(
        h.query_by_label("请扫描农户积分卡").is_some(),
        "the counter should be ready for the next household"
    );
}

#[test]
fn over_balance_is_refused_with_the_reason_and_nothing_written() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101002");
    for code in ["1001", "1001", "1002"] {
        type_code(&mut h, code);
    }
    assert!(h.query_by_label("积分不够，还差 15 分").is_some());
    let before = content(&s.path());
    // Refused before confirming (issue 18): F12 says why instead of opening the confirmation.
    h.key_press(egui::Key::F12);
    h.run();
    h.state_mut().apply(jifen::ui::Action::Confirm);
    h.run();
    assert!(
        h.query_by_label_contains("余额 100 分，这单要 115 分，还差 15 分")
            .is_some()
    );
    assert_eq!(content(&s.path()), before);
    assert_eq!(balance(&mut s.db, "101002"), 100);
}

#[test]
fn confirming_twice_redeems_once() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "102001");
    type_code(&mut h, "1002");
    h.key_press(egui::Key::F12);
    h.run();
    // An impatient double press: Enter twice, then the confirm action once more.
    h.key_press(egui::Key::Enter);
    h.key_press(egui::Key::Enter);
    h.run();
    h.state_mut().apply(jifen::ui::Action::Confirm);
    h.run();
    assert_eq!(balance(&mut s.db, "102001"), 85);
    let count: i64 =
        s.db.connection()
            .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
            .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn no_card_search_logs_the_reason() {
    let mut s = small_store();
    let number = "102001".parse().unwrap();
    jifen::app::cards::issue_card(&mut s.db, &s.manager, &number, None, t0()).unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    let search = h.get_by_label("查找农户 F2");
    search.focus();
    search.type_text("刘");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label_contains("102001 刘䶮").click();
    h.run();
    assert!(h.query_by_label_contains("未用卡：忘带卡").is_some());
    type_code(&mut h, "1003");
    confirm(&mut h);
    let reason: String =
        s.db.connection()
            .query_row("SELECT manual_reason FROM redemption", [], |r| r.get(0))
            .unwrap();
    assert_eq!(reason, "忘带卡");
}

/// Issue 17: a household that never had a card was recorded as "忘带卡" (forgot its card).
#[test]
fn a_household_that_never_had_a_card_is_recorded_as_no_card_not_forgot_card() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    let search = h.get_by_label("查找农户 F2");
    search.focus();
    search.type_text("刘");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label_contains("102001 刘䶮").click();
    h.run();
    assert!(h.query_by_label_contains("未用卡：无卡").is_some());
    assert!(h.query_by_label_contains("未用卡：忘带卡").is_none());
    type_code(&mut h, "1003");
    confirm(&mut h);
    let reason: String =
        s.db.connection()
            .query_row("SELECT manual_reason FROM redemption", [], |r| r.get(0))
            .unwrap();
    assert_eq!(reason, "无卡");
}

#[test]
fn a_manager_voids_todays_redemption_and_the_balance_comes_back() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    scan(&mut h, "101001");
    type_code(&mut h, "1002");
    confirm(&mut h);
    assert_eq!(balance(&mut s.db, "101001"), 85);
    h.key_press(egui::Key::F5);
    h.run();
    h.get_by_label("作废").click();
    h.run();
    let reason = h.get_by_label("作废原因");
    reason.focus();
    reason.type_text("拿错了");
    h.run();
    h.get_by_label("确认作废").click();
    h.run();
    assert!(h.query_by_label_contains("已作废：拿错了").is_some());
    assert_eq!(balance(&mut s.db, "101001"), 100);
}

#[test]
fn a_wrong_pin_is_said_and_keeps_the_counter_locked() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "0000");
    assert!(h.query_by_label("密码错误").is_some());
    assert!(h.query_by_label("请扫描农户积分卡").is_none());
}

pub(crate) fn fill(h: &mut Harness<'static, JifenApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run();
}

#[test]
fn a_donation_is_received_through_the_stock_screen() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("库存").click();
    h.run();
    fill(&mut h, "捐赠方", "河湾农商银行");
    fill(&mut h, "物品（编码=数量，空格分隔）", "1002=20 1003=10");
    h.get_by_label("入库").click();
    h.run();
    // Issue 18: the form says what it wrote, by name, and clears.
    assert!(
        h.query_all_by_label_contains(
            "已入库 入库单 D2（捐赠）：毛巾 ×20（结存 25）、牙膏 ×10（结存 15）"
        )
        .count()
            >= 1
    );
    assert_eq!(h.get_by_label("捐赠方").value().as_deref(), Some(""));
    assert_eq!(
        (on_hand(&mut s.db, "1002"), on_hand(&mut s.db, "1003")),
        (25, 15)
    );
}

#[test]
fn an_auditor_reads_but_has_no_counter_and_no_void() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "李明（监督员）", "7391");
    assert!(h.query_by_label("柜台 F6").is_none());
    assert!(h.query_by_label("今日兑换（0 笔）").is_some());
    h.key_press(egui::Key::F6);
    h.run();
    assert!(
        h.query_by_label("请扫描农户积分卡").is_none(),
        "F6 must not open the counter for an auditor"
    );
    assert!(h.query_by_label("作废").is_none());
}

#[test]
fn a_scanned_card_identifies_the_household_and_a_replaced_card_is_refused() {
    let mut s = small_store();
    let old =
        jifen::app::cards::issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, &old.face.payload.to_string());
    assert!(h.query_by_label("王大山 101001").is_some());
    assert!(
        h.query_by_label_contains("未用卡").is_none(),
        "a card scan is not a no-card redemption"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    jifen::app::cards::issue_card(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        Some(jifen::core::card::CardReason::Lost),
        at(2026, 11, 20, 10, 0),
    )
    .unwrap();
    scan(&mut h, &old.face.payload.to_string());
    assert!(h.query_by_label_contains("已补办新卡").is_some());
    assert!(h.query_by_label("王大山 101001").is_none());
}

#[test]
fn a_stocktake_through_the_stock_screen() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("库存").click();
    h.run();
    h.get_by_label("盘点").click();
    h.run();
    assert!(h.query_by_label("盘点 #1").is_some());
    fill(&mut h, "大米 5kg（袋）", "3");
    fill(&mut h, "牙膏（支）", "6");
    h.get_by_label("过账（记录差额）").click();
    h.run();
    // Issue 18: 过账 first lists the differences and posts only after 确认过账.
    assert!(
        h.query_by_label("  1001 大米 5kg：账面 5，实点 3，差额 -2")
            .is_some()
    );
    assert!(
        h.query_by_label("  1003 牙膏：账面 5，实点 6，差额 +1")
            .is_some()
    );
    assert_eq!(
        on_hand(&mut s.db, "1001"),
        5,
        "nothing posted before the confirmation"
    );
    h.get_by_label("确认过账").click();
    h.run();
    assert!(
        h.query_by_label_contains("盘点已过账，2 项有差额")
            .is_some()
    );
    assert_eq!(
        (
            on_hand(&mut s.db, "1001"),
            on_hand(&mut s.db, "1002"),
            on_hand(&mut s.db, "1003")
        ),
        (3, 5, 6)
    );
}

#[test]
fn a_redemption_day_is_opened_and_closed_with_its_report_and_a_backup() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    h.get_by_label("兑换日").click();
    h.run();
    fill(&mut h, "服务小组（逗号分隔）", "青山村第一组");
    h.get_by_label("开始兑换日").click();
    h.run();
    h.key_press(egui::Key::F6);
    h.run();
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    h.get_by_label("兑换日").click();
    h.run();
    h.get_by_label("结束兑换日并出报告").click();
    h.run();
    assert!(
        h.query_by_label_contains("服务 1 户，兑换 1 笔，共 10 分")
            .is_some()
    );
    assert!(h.query_by_label_contains("已备份到").is_some());
}

// A household moving away through the app: tests/household_changes/ui.rs (issue 24).

pub(crate) fn harness_with_printer(s: &Store) -> Harness<'static, JifenApp> {
    let db = Db::open(&s.path()).unwrap();
    let worker = jifen::app::print_worker::PrintWorker::start(&s.path()).unwrap();
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)).with_printer(worker))
}

/// Steps the app until `done` holds (the print worker reports from its own thread).
pub(crate) fn wait_for(
    h: &mut Harness<'static, JifenApp>,
    done: impl Fn(&Harness<'static, JifenApp>) -> bool,
) {
    for _ in 0..100 {
        h.step();
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for the print worker");
}

#[test]
fn a_confirmed_redemption_prints_its_receipt_after_the_commit() {
    let mut s = small_store();
    let out = tempfile::tempdir().unwrap();
    let printer = out.path().join("lp0");
    let uri = format!("file:{}", printer.display());
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
    wait_for(&mut h, |_| {
        std::fs::metadata(&printer).is_ok_and(|m| m.len() > 0)
    });
    let bytes = std::fs::read(&printer).unwrap();
    let text = jifen_hardware::preview_text(&jifen_hardware::decode(&bytes));
    assert!(
        text.contains("2026-000001") && text.contains("王大山"),
        "{text}"
    );
}

#[test]
fn a_dead_printer_leaves_the_redemption_standing_and_offers_a_reprint() {
    let mut s = small_store();
    // Nothing listens on this port: every print fails at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    jifen::app::settings::set(
        &mut s.db,
        &s.manager,
        jifen::app::settings::PRINTER_URI,
        &format!("tcp:127.0.0.1:{port}"),
        t0(),
    )
    .unwrap();
    let mut h = harness_with_printer(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    wait_for(&mut h, |h| h.query_by_label("重打").is_some());
    assert!(
        h.query_by_label_contains("兑换单 2026-000001 已兑换成功，但小票打印失败")
            .is_some()
    );
    assert_eq!(balance(&mut s.db, "101001"), 90, "the redemption stands");
    h.get_by_label("重打").click();
    h.run();
    let jobs =
        jifen::app::printing::receipt_jobs(&mut s.db, &"2026-000001".parse().unwrap()).unwrap();
    assert_eq!(jobs.len(), 2, "the first print and the reprint");
}

#[test]
fn a_serial_scanner_feeds_the_same_scan_path() {
    use serialport::SerialPort;
    use std::io::Write;
    let mut s = small_store();
    let (mut master, slave) = serialport::TTYPort::pair().unwrap();
    let port = slave.name().unwrap();
    jifen::app::settings::set(
        &mut s.db,
        &s.manager,
        jifen::app::settings::SCANNER_PORT,
        &port,
        t0(),
    )
    .unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    master.write_all(b"101001\r\n").unwrap();
    wait_for(&mut h, |h| h.query_by_label("王大山 101001").is_some());
    drop(slave);
}

#[test]
fn a_notice_is_previewed_and_saved_as_pdf_and_png_from_the_app() {
    let s = small_store();
    let out = tempfile::tempdir().unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "李明（监督员）", "7391");
    h.get_by_label("公示").click();
    h.run();
    h.get_by_label("生成并预览").click();
    h.step();
    // Rendered off the UI thread (issue 18): wait for the pages.
    wait_for(&mut h, |h| !h.state().notice_pages().is_empty());
    fill(&mut h, "保存到文件夹", out.path().to_str().unwrap());
    h.get_by_label("保存 PDF（A4）").click();
    h.run();
    h.get_by_label("保存图片（发微信群）").click();
    h.run();
    let files: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.ends_with(".pdf")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".png")), "{files:?}");
    let pdf = files.iter().find(|f| f.ends_with(".pdf")).unwrap();
    assert!(
        std::fs::read(out.path().join(pdf))
            .unwrap()
            .starts_with(b"%PDF")
    );
}

#[test]
fn a_manager_edits_the_management_rules_text() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("公示").click();
    h.run();
    h.get_by_label("管理制度").click();
    h.run();
    h.get_by_label("编辑管理制度").click();
    h.run();
    let text = h.get_by_label_contains("管理制度正文");
    text.focus();
    text.type_text("\n## 第十条 本制度自张贴之日起施行");
    h.run();
    h.get_by_label("保存管理制度").click();
    h.run();
    assert!(h.query_by_label("管理制度已保存").is_some());
    let saved = jifen::app::notices::rules_template(&mut s.db).unwrap();
    assert!(saved.contains("本制度自张贴之日起施行"), "{saved}");
}

#[test]
fn a_service_is_tapped_in_the_grid_and_redeemed_for_a_voucher() {
    let mut s = crate::services::with_haircut();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    h.get_by_label_contains("理发").click();
    h.run();
    assert!(h.query_by_label("合计 20 分").is_some());
    confirm(&mut h);
    assert!(h.query_by_label_contains("兑换成功").is_some());
    let receipt = jifen::store::redemptions::load_receipt(s.db.connection(), 1).unwrap();
    assert_eq!(receipt.vouchers.len(), 1);
    assert_eq!(on_hand(&mut s.db, "1001"), 5, "a service touches no stock");
}

#[test]
fn a_tampered_store_is_reported_at_start_without_holding_up_the_counter() {
    let s = small_store();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch("DROP TRIGGER point_entry_no_update; UPDATE point_entry SET amount = 900, balance_after = 900 WHERE id = 2;").unwrap();
    drop(conn);
    let mut h = harness(&s);
    assert!(
        h.query_by_label("王芳（收银员）").is_some(),
        "sign-in is there at once"
    );
    wait_for(&mut h, |h| {
        h.query_by_label_contains("数据检查发现").is_some()
    });
}

#[test]
fn a_manager_splits_a_household_from_the_household_screen_to_the_new_card() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("农户").click();
    h.run();
    fill(&mut h, "户号 / 姓名 / 电话，回车查找", "101001");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label_contains("101001 王大山").click();
    h.run();
    h.get_by_label("分户").click();
    h.run();
    fill(&mut h, "新户号", "101009");
    fill(&mut h, "新户主", "王小山");
    fill(&mut h, "村小组", "第一组");
    fill(&mut h, "分给新户的积分", "40");
    fill(
        &mut h,
        "村委会同意人（至少三人，逗号分隔）",
        "王书记,李主任,赵组长",
    );
    fill(&mut h, "原因", "长子成家分户");
    h.get_by_label("预览将写入的积分流水").click();
    h.run();
    // The preview shows both halves of the transfer before anything is written.
    assert!(
        h.query_by_label_contains("101001 -40 分 → 余额 60 分")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("101009 +40 分 → 余额 40 分")
            .is_some()
    );
    assert_eq!(balance(&mut s.db, "101001"), 100);
    h.get_by_label("确认办理（记入操作日志）").click();
    h.run();
    assert!(
        h.query_by_label_contains("已发新户卡：101009 王小山（第一组）第 1 张")
            .is_some()
    );
    assert!(h.query_by_label_contains("已分户：新户 101009").is_some());
    assert_eq!(balance(&mut s.db, "101001"), 60);
    assert_eq!(balance(&mut s.db, "101009"), 40);
    // The card the screen announced is the one that works at the counter.
    let face = jifen::app::cards::current_card(&mut s.db, &hh("101009")).unwrap();
    assert_eq!(face.serial.get(), 1);
    let holder = jifen::app::cards::verify_card(&mut s.db, &face.payload.to_string()).unwrap();
    assert_eq!(holder.household.head_name, "王小山");
}
