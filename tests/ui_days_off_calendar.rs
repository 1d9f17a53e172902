//! Issue 14 in the app: a redemption day the calendar does not plan opens only by a manager
//! with a written reason, typed on the 兑换日 screen (as `session open --reason` does).

use egui_kittest::kittest::Queryable;

use crate::common::*;
use crate::ui::{fill, harness, sign_in};

/// 青山村 redeems only on its calendar's days, and the calendar plans none today.
fn calendar_store() -> Store {
    let mut s = small_store();
    let rules = "name = \"兑换日规定\"\n[redemption]\nonly_on_redemption_day = true\n";
    jifen::app::rules::set_policy(&mut s.db, &s.manager, "青山村", rules, t0()).unwrap();
    s
}

fn sessions(s: &Store) -> Vec<Option<String>> {
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT off_calendar_reason FROM redemption_session ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_cashier_cannot_open_a_day_off_the_calendar_even_with_a_reason() {
    let s = calendar_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    h.get_by_label("兑换日").click();
    h.run();
    fill(&mut h, "服务小组（逗号分隔）", "青山村第一组");
    h.get_by_label("开始兑换日").click();
    h.run();
    assert!(
        h.query_by_label_contains("不是青山村的兑换日").is_some(),
        "the calendar's refusal is shown"
    );
    fill(&mut h, "开日原因（日历外）", "村里通知");
    h.get_by_label("开始兑换日").click();
    h.run();
    assert!(
        h.query_by_label_contains("请管理员开并写明理由").is_some(),
        "a cashier's reason is not enough"
    );
    assert!(sessions(&s).is_empty(), "nothing opened");
}

#[test]
fn a_manager_opens_a_day_off_the_calendar_with_the_reason_typed_on_the_day_screen() {
    let s = calendar_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("兑换日").click();
    h.run();
    fill(&mut h, "服务小组（逗号分隔）", "青山村第一组");
    // Without a reason even a manager is refused.
    h.get_by_label("开始兑换日").click();
    h.run();
    assert!(h.query_by_label_contains("不是青山村的兑换日").is_some());
    assert!(sessions(&s).is_empty());
    fill(&mut h, "开日原因（日历外）", "镇里检查，临时兑换");
    h.get_by_label("开始兑换日").click();
    h.run();
    assert!(
        h.query_by_label_contains("日历外开日：镇里检查，临时兑换")
            .is_some()
    );
    assert_eq!(sessions(&s), vec![Some("镇里检查，临时兑换".to_string())]);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let audit: String = conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'open_session'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audit.contains("镇里检查，临时兑换"), "{audit}");
    assert!(h.query_by_label("结束兑换日并出报告").is_some());
}
