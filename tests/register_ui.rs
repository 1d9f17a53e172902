//! The register's fast entry grid (issue 20) in the real app through egui_kittest: a scoring
//! group fills in a month for a village group of 20 households with the keyboard only.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::app::{self, register as reg, rules};
use jifen::core::Period;
use jifen::store::Db;
use jifen::ui::JifenApp;

use crate::common::*;

fn store_with_twenty_households() -> Store {
    let mut s = small_store();
    let mut grid = vec![
        ["户号", "户主", "村", "村小组", "期初积分"]
            .map(String::from)
            .to_vec(),
    ];
    for i in 1..=20 {
        grid.push(vec![
            format!("1050{i:02}"),
            format!("村民{i}"),
            "青山村".into(),
            "第五组".into(),
            "0".into(),
        ]);
    }
    app::import::import_households_grid(&mut s.db, &s.manager, "h.csv", &grid, t0()).unwrap();
    let text = std::fs::read_to_string(fixture("policies/fuling.toml")).unwrap();
    rules::set_policy(&mut s.db, &s.manager, "青山村", &text, t0()).unwrap();
    reg::import_items(
        &mut s.db,
        &s.manager,
        &fixture("register/fuling_items.xlsx"),
        "青山村",
        2026,
        t0(),
    )
    .unwrap();
    s
}

fn press(h: &mut Harness<'static, JifenApp>, keys: &[egui::Key]) {
    for key in keys {
        h.key_press(*key);
    }
    h.run();
}

fn open_register(s: &Store, who: &str, pin: &str) -> Harness<'static, JifenApp> {
    let db = Db::open(&s.path()).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)));
    h.get_by_label(who).click();
    h.run();
    let field = h.get_by_label("密码");
    field.focus();
    field.type_text(pin);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("积分台账").click();
    h.run();
    h
}

#[test]
fn the_manager_approves_the_month_from_the_grid_and_the_credits_are_the_totals() {
    let mut s = store_with_twenty_households();
    for (i, item) in ["1", "2", "12"].iter().enumerate() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3 + i as u32).unwrap();
        reg::add_event(
            &mut s.db,
            &s.cashier,
            &reg::EventInput::new(hh("105001"), *item, day),
            t0(),
        )
        .unwrap();
    }
    let mut h = open_register(&s, "张丽（管理员）", "842619");
    h.event(egui::Event::Text("青山村/第五组".into()));
    h.run();
    press(&mut h, &[egui::Key::Enter]);
    assert!(
        h.query_by_label_contains("本月已登记：11-03 1.爱党爱国 1分")
            .is_some(),
        "the household's events are shown"
    );
    let field = h.get_by_label("评议小组（至少 3 人，逗号分隔，第一位为组长）");
    field.focus();
    field.type_text("王建华,李国强,赵秀英");
    h.run();
    press(&mut h, &[egui::Key::Enter]);
    assert!(
        h.query_by_label_contains("青山村/第五组 2026-11 已审定，入账 6 分")
            .is_some()
    );
    assert!(h.query_by_label_contains("（已审定）").is_some());
    assert_eq!(balance(&mut s.db, "105001"), 6);
    assert_eq!(balance(&mut s.db, "105002"), 0);
}

#[test]
fn approving_with_marked_cells_not_saved_is_refused_and_keeps_them() {
    // Found by a clerk's-eye test: two cells marked, no F12, then 审定本月并入账: the month was
    // approved with 0 points and locked, the marks silently gone.
    let mut s = store_with_twenty_households();
    let mut h = open_register(&s, "张丽（管理员）", "842619");
    h.event(egui::Event::Text("青山村/第五组".into()));
    h.run();
    press(&mut h, &[egui::Key::Enter]);
    press(
        &mut h,
        &[
            egui::Key::Home,
            egui::Key::Space,
            egui::Key::ArrowRight,
            egui::Key::Space,
        ],
    );
    assert!(h.query_by_label_contains("已填 2 格").is_some());
    let field = h.get_by_label("评议小组（至少 3 人，逗号分隔，第一位为组长）");
    field.focus();
    field.type_text("王建华,李国强,赵秀英");
    h.run();
    h.get_by_label("审定本月并入账").click();
    h.run();
    assert!(
        h.query_by_label_contains("还有 2 格填了没保存").is_some(),
        "the clerk is told to save first"
    );
    assert!(
        h.query_by_label_contains("已填 2 格").is_some(),
        "the marks are kept"
    );
    let november = Period {
        year: 2026,
        month: 11,
    };
    let month = reg::month_review(&mut s.db, "青山村/第五组", november).unwrap();
    assert!(month.approved_by.is_none(), "not approved");
    // Saved, then approved: the points go in.
    press(&mut h, &[egui::Key::F12]);
    assert!(h.query_by_label_contains("已登记 2 条积分事件").is_some());
    h.get_by_label("审定本月并入账").click();
    h.run();
    assert!(
        h.query_by_label_contains("青山村/第五组 2026-11 已审定，入账 2 分")
            .is_some(),
        "approved with the saved marks"
    );
    assert_eq!(balance(&mut s.db, "105001"), 2);
}

#[test]
fn the_entry_grid_fills_a_group_of_20_households_by_keyboard_only() {
    use egui::Key::{ArrowRight, Enter, F12, Home, Space};
    let mut s = store_with_twenty_households();
    let db = Db::open(&s.path()).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)));
    // Signing in and choosing the tab, as the other UI tests do; the grid itself is keyboard only.
    h.get_by_label("王芳（收银员）").click();
    h.run();
    let pin = h.get_by_label("密码");
    pin.focus();
    pin.type_text("5827");
    h.run();
    h.key_press(Enter);
    h.run();
    h.get_by_label("积分台账").click();
    h.run();

    // The group field has the focus; the month defaults to this month (2026-11).
    h.event(egui::Event::Text("青山村五组".into()));
    h.run();
    press(&mut h, &[Enter]);
    assert!(
        h.query_by_label_contains("青山村/第五组 2026-11（待审定）：已填 0 格")
            .is_some()
    );

    for row in 0..20 {
        let mut keys = vec![Home];
        for item in 0..6 {
            if item > 0 {
                keys.push(ArrowRight);
            }
            keys.push(Space);
        }
        if row == 0 {
            keys.extend([ArrowRight; 6]); // to item 12, 助人为乐 (4分)
            keys.push(Space);
        }
        press(&mut h, &keys);
        if row == 1 {
            press(&mut h, &[ArrowRight; 31]); // to item 37, 违规办酒 (负面清单)
            press(&mut h, &[Space]);
        }
        press(&mut h, &[Enter]);
    }
    assert!(h.query_by_label_contains("已填 122 格").is_some());
    // A typo is cleared and typed again: the last household's first item.
    press(&mut h, &[Home, egui::Key::Backspace]);
    h.event(egui::Event::Text("1".into()));
    h.run();
    press(&mut h, &[F12]);
    assert!(
        h.query_by_label_contains("已登记 122 条积分事件").is_some(),
        "saved in one go"
    );

    let month = reg::month_review(
        &mut s.db,
        "青山村/第五组",
        Period {
            year: 2026,
            month: 11,
        },
    )
    .unwrap();
    let totals: Vec<i64> = month.households.iter().map(|x| x.score.total).collect();
    let mut expected = vec![6; 20];
    expected[0] = 10;
    expected[1] = 0;
    assert_eq!(totals, expected);
    assert!(month.households[1].score.negative);
    assert_eq!(month.households[5].events.len(), 6);
}
