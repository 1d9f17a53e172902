//! The day's closing report (issue 18): every redemption of the day, including one made before
//! the redemption day was opened (marked), voids with their reasons, no-card redemptions,
//! goods and stock, per staff; shown and printed in the app at close, and again for a past
//! day by `jifen session report --day`, with the ledgers' numbers.

use std::process::Command;

use egui_kittest::kittest::Queryable;
use jifen::core::redemption::Via;

use crate::common::*;
use crate::ui::{confirm, fill, harness, scan, sign_in, type_code};

/// 101002 with no card, before the day opens; 101001 and 102001 in the session;
/// 102001's is voided. Returns the store after the day is closed in the app.
fn a_day_with_an_early_redemption_and_a_void()
-> (Store, egui_kittest::Harness<'static, jifen::ui::JifenApp>) {
    let mut s = small_store();
    let mut early = cart("101002", &[("1003", 1)]);
    early.via = Via::Manual {
        reason: "忘带卡".into(),
    };
    // At the store's opening moment (a ledger's clock never goes back before its last entry).
    jifen::app::redeem::redeem(&mut s.db, &s.cashier, &early, t0()).unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    h.get_by_label("兑换日").click();
    h.run();
    fill(&mut h, "服务小组（逗号分隔）", "青山村第一组");
    h.get_by_label("开始兑换日").click();
    h.run();
    h.key_press(eframe::egui::Key::F6);
    h.run();
    scan(&mut h, "101001");
    type_code(&mut h, "1002");
    confirm(&mut h);
    scan(&mut h, "102001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    jifen::app::redeem::void_redemption(
        &mut s.db,
        &s.manager,
        &"2026-000003".parse().unwrap(),
        "录错了户",
        t0(),
    )
    .unwrap();
    h.get_by_label("兑换日").click();
    h.run();
    h.get_by_label("结束兑换日并出报告").click();
    h.run();
    (s, h)
}

#[test]
fn the_closing_report_covers_an_earlier_redemption_and_a_void() {
    let (_s, h) = a_day_with_an_early_redemption_and_a_void();
    assert!(
        h.query_by_label("服务 2 户，兑换 2 笔，共 25 分；其中未用卡 2 笔")
            .is_some(),
        "the early redemption counts, the voided one does not (101001 was scanned by number and never had a card: 无卡)"
    );
    assert!(
        h.query_by_label_contains(
            "2026-000001 101002 李秀英 10 分 王芳 【不在兑换日场次内，未用卡：忘带卡】"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains("2026-000003 102001 刘䶮 10 分 王芳 【未用卡：无卡，已作废】")
            .is_some()
    );
    assert!(h.query_by_label_contains("原因：录错了户，张丽").is_some());
    assert!(h.query_by_label("  牙膏 × 1，10 分，结存 4").is_some());
    assert!(h.query_by_label("打印日结报告").is_some());
    assert!(
        h.query_by_label_contains("未设置打印机，日结报告没有打印")
            .is_some()
    );
}

#[test]
fn a_past_days_report_is_shown_again_in_the_app_and_printed_from_its_button() {
    let (mut s, mut h) = a_day_with_an_early_redemption_and_a_void();
    drop(h);
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
    h = crate::ui::harness_with_printer(&s);
    sign_in(&mut h, "李明（监督员）", "7391");
    h.get_by_label("兑换日").click();
    h.run();
    fill(&mut h, "日期（如 2026-11-20）", "2026-11-20");
    h.get_by_label("查看这一天").click();
    h.run();
    assert!(
        h.query_by_label("服务 2 户，兑换 2 笔，共 25 分；其中未用卡 2 笔")
            .is_some()
    );
    h.get_by_label("打印日结报告").click();
    h.run();
    crate::ui::wait_for(&mut h, |_| {
        std::fs::metadata(&printer).is_ok_and(|m| m.len() > 0)
    });
    let text =
        jifen_hardware::preview_text(&jifen_hardware::decode(&std::fs::read(&printer).unwrap()));
    assert!(text.contains("2026-11-20 日结报告"), "{text}");
    assert!(text.contains("不在兑换日场次内"), "{text}");
}

#[test]
fn session_report_day_prints_a_closed_days_figures_equal_to_the_ledgers() {
    let (s, _h) = a_day_with_an_early_redemption_and_a_void();
    let out = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args([
            "--data",
            s.dir.path().to_str().unwrap(),
            "--json",
            "session",
            "report",
            "--day",
            "2026-11-20",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = s;
    let ledger = |sql: &str| -> i64 { s.db.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    let standing = "FROM redemption r WHERE r.created_at LIKE '2026-11-20%' AND r.id NOT IN (SELECT redemption_id FROM redemption_void)";
    assert_eq!(
        v["redemptions"],
        ledger(&format!("SELECT COUNT(*) {standing}"))
    );
    assert_eq!(
        v["points"],
        ledger(&format!("SELECT SUM(total_points) {standing}"))
    );
    assert_eq!(
        v["households"],
        ledger(&format!("SELECT COUNT(DISTINCT household_id) {standing}"))
    );
    assert_eq!(
        v["no_card"],
        ledger(&format!("SELECT COUNT(*) {standing} AND via = 'manual'"))
    );
    assert_eq!(v["voids"], 1);
    // The points the households' ledgers lost that day are the report's points.
    let spent = -ledger(
        "SELECT COALESCE(SUM(amount), 0) FROM point_entry WHERE created_at LIKE '2026-11-20%' AND redemption_id IS NOT NULL",
    );
    assert_eq!(v["points"], spent);
    // And as text, for reading out.
    let out = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args([
            "--data",
            s.dir.path().to_str().unwrap(),
            "session",
            "report",
            "--day",
            "2026-11-20",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("服务 2 户，兑换 2 笔，共 25 分；其中未用卡 2 笔"),
        "{text}"
    );
    assert!(text.contains("不在兑换日场次内"), "{text}");
}
