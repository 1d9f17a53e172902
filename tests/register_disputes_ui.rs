//! 事件异议 on the register screen (issue 20 in the app): the event's number is shown with it,
//! a clerk records the objection, the manager decides with the committee, and the approved
//! month is corrected by the difference — as `event dispute` / `event decide` do.

use eframe::egui;
use egui_kittest::kittest::Queryable;

use crate::common::*;
use crate::register::{OCT, committee, event, register_store};
use crate::ui::{fill, harness, sign_in};

fn open_october(h: &mut egui_kittest::Harness<'static, jifen::ui::JifenApp>) {
    h.get_by_label("积分台账").click();
    h.run();
    let period = h.get_by_label("月份");
    period.focus();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..7 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_label("月份").type_text("2026-10");
    h.run();
    fill(h, "村小组（村/组）", "青山村/一组");
    h.key_press(egui::Key::Enter);
    h.run();
}

#[test]
fn an_event_dispute_is_recorded_and_upheld_from_the_register_screen() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let wrong = event(&mut s, "101001", "违规办酒", 10);
    event(&mut s, "101001", "助人为乐", 12);
    jifen::app::register::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    assert_eq!(
        balance(&mut s.db, "101001"),
        100,
        "the negative item zeroed October"
    );

    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    open_october(&mut h);
    assert!(
        h.query_by_label_contains(&format!("（事件 {wrong}）"))
            .is_some(),
        "each recorded event shows the number a dispute names"
    );
    h.get_by_label("事件异议（登记、评议决定）").click();
    h.run();
    fill(&mut h, "事件号", &wrong.to_string());
    fill(&mut h, "异议内容", "酒席是家宴，未违规");
    h.get_by_label("登记异议").click();
    h.run();
    assert!(h.query_by_label_contains("异议已登记，编号").is_some());
    // The dispute's number is filled in for the decision.
    h.get_by_label("成立").click();
    h.run();
    h.get_by_label("撤销该事件").click();
    h.run();
    fill(&mut h, "决定说明", "核实为家宴");
    // Two names are not a committee: refused, nothing corrected.
    fill(&mut h, "评议小组（至少三人，逗号分隔）", "王建华,李国强");
    h.get_by_label("作出决定（记入操作日志）").click();
    h.run();
    assert_eq!(balance(&mut s.db, "101001"), 100);
    fill(&mut h, "评议小组（至少三人，逗号分隔）", ",赵秀英");
    h.get_by_label("作出决定（记入操作日志）").click();
    h.run();
    assert!(
        h.query_by_label_contains("已处理：成立").is_some(),
        "the decision is confirmed in the clerk's words"
    );
    assert!(h.query_by_label_contains("upheld").is_none());
    assert_eq!(
        balance(&mut s.db, "101001"),
        104,
        "the approved month corrected by the difference"
    );
    let review = jifen::app::register::month_review(&mut s.db, "青山村/一组", OCT).unwrap();
    assert_eq!(review.households[0].score.total, 4);
    assert!(jifen::app::check::check(&mut s.db).unwrap().is_empty());
}

#[test]
fn a_cashier_records_an_event_dispute_but_cannot_decide_it() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let wrong = event(&mut s, "101001", "违规办酒", 10);
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    open_october(&mut h);
    h.get_by_label("事件异议（登记、评议决定）").click();
    h.run();
    // An objection without words is refused.
    fill(&mut h, "事件号", &wrong.to_string());
    h.get_by_label("登记异议").click();
    h.run();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let disputes = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT COUNT(*) FROM dispute", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(disputes(&conn), 0);
    fill(&mut h, "异议内容", "酒席是家宴");
    h.get_by_label("登记异议").click();
    h.run();
    assert!(h.query_by_label_contains("异议已登记，编号").is_some());
    assert_eq!(disputes(&conn), 1);
    assert!(h.query_by_label("作出决定（记入操作日志）").is_none());
}

/// Regression (the repeated committee name, in the app): "王建华,李国强,王建华" is two people,
/// so the decision is refused with the clerk's sentence on screen and nothing is corrected.
#[test]
fn a_repeated_committee_name_is_refused_on_the_register_screen_with_the_reason_shown() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let wrong = event(&mut s, "101001", "违规办酒", 10);
    jifen::app::register::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    let dispute =
        jifen::app::register::dispute_event(&mut s.db, &s.cashier, wrong, "酒席是家宴", t0())
            .unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    open_october(&mut h);
    h.get_by_label("事件异议（登记、评议决定）").click();
    h.run();
    fill(&mut h, "异议号", &dispute.to_string());
    h.get_by_label("成立").click();
    h.run();
    h.get_by_label("撤销该事件").click();
    h.run();
    fill(&mut h, "决定说明", "核实为家宴");
    fill(
        &mut h,
        "评议小组（至少三人，逗号分隔）",
        "王建华,李国强,王建华",
    );
    h.get_by_label("作出决定（记入操作日志）").click();
    h.run();
    assert!(
        h.query_by_label_contains("「王建华」出现了不止一次")
            .is_some(),
        "the clerk reads why the decision was refused"
    );
    assert_eq!(balance(&mut s.db, "101001"), 100, "nothing corrected");
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let decision: Option<String> = conn
        .query_row(
            "SELECT decision FROM dispute WHERE id = ?1",
            [dispute],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(decision, None, "the dispute is still open");
}
