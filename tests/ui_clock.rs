//! The start-up clock warning in the real app (issue 15), driven through egui_kittest on a
//! real store: a PC clock behind the last entry, or days ahead of the last backup, is said at
//! start in a band that stays over sign-in until someone presses 知道了.

use chrono::{Duration, NaiveDateTime};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::store::Db;
use jifen::ui::JifenApp;

use crate::common::*;

fn harness_at(s: &Store, when: NaiveDateTime) -> Harness<'static, JifenApp> {
    let db = Db::open(&s.path()).unwrap();
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(move || when)))
}

#[test]
fn a_clock_behind_the_last_entry_is_said_at_start_and_stays_until_dismissed() {
    let s = small_store();
    let mut h = harness_at(&s, t0() - Duration::days(1));
    h.run();
    let warning = "电脑时间不对：电脑显示 2026-11-19 09:00，比最后一条记录（2026-11-20 09:00）还早";
    assert!(h.query_by_label_contains(warning).is_some());
    assert!(
        h.query_by_label_contains("不早于 2026-11-20 09:00")
            .is_some()
    );
    crate::ui::sign_in(&mut h, "张丽（管理员）", "842619");
    assert!(
        h.query_by_label_contains(warning).is_some(),
        "still shown after sign-in"
    );
    h.get_by_label("知道了").click();
    h.run();
    assert!(h.query_by_label_contains("电脑时间不对").is_none());
}

#[test]
fn a_clock_days_ahead_of_the_last_backup_asks_to_check_it_and_a_right_one_says_nothing() {
    let s = small_store();
    jifen::app::backup::auto_backup(&s.db, s.dir.path(), t0(), 14).unwrap();
    let mut h = harness_at(&s, t0() + Duration::days(3));
    h.run();
    assert!(
        h.query_by_label_contains(
            "请核对电脑时间：电脑显示 2026-11-23 09:00，离最近一次备份（2026-11-20 09:00）已有 3 天"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains("如果今天不是 2026年11月23日")
            .is_some()
    );
    // The day's backup runs after the first frame, on its own thread: wait for it.
    for _ in 0..3_000 {
        if !h.state().startup_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    assert!(
        !h.state().startup_running(),
        "the start-up work never ended"
    );
    drop(h);
    // Two hours later: the first start took the day's backup, so the clock is trusted again.
    let mut h = harness_at(&s, t0() + Duration::days(3) + Duration::hours(2));
    h.run();
    assert!(h.query_by_label_contains("请核对电脑时间").is_none());
    assert!(h.query_by_label_contains("电脑时间不对").is_none());
}
