//! The push at a day's close runs on its own thread: the close returns while the push is
//! still waiting on the township, the manager's screen says 正在上传…, then what came of it.
//! The township is held back deterministically (a lock on its store table), not by timing.

use egui_kittest::kittest::Queryable;
use jifen::township::background::{PushState, push_at_close};
use jifen::township::service::status_line;
use jifen::township::spec::Ledger;

use super::{Town, store_rows};
use crate::common::{at, small_store, t0};

/// Holds the township's store table locked until dropped: every push waits at its login.
fn hold_township(town: &Town) -> postgres::Client {
    let mut client = town.client();
    client
        .batch_execute("BEGIN; LOCK TABLE township.store IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    client
}

#[test]
fn the_push_at_a_days_close_runs_in_the_background_and_says_how_it_went() {
    let town = Town::new();
    let mut s = small_store();
    let url = town.enrol("测试积分超市");
    let now = at(2026, 11, 20, 17, 0);
    jifen::app::settings::set(&mut s.db, &s.manager, "township.url", &url, now).unwrap();

    let held = hold_township(&town);
    let push = push_at_close(&mut s.db, &s.manager, now, || {})
        .expect("an address is set")
        .unwrap();
    // Back at once, the push still waiting on the township: the counter goes on meanwhile.
    assert_eq!(push.state(), PushState::Pushing { done: 0, total: 0 });
    assert!(!push.finished());
    assert!(push.state().describe().contains("正在上传到镇里"));
    jifen::app::settings::set(&mut s.db, &s.manager, "receipt.footer", "谢谢", now).unwrap();
    drop(held);
    let done = push.wait();
    let PushState::Done { rows } = done else {
        panic!("{done:?}")
    };
    assert!(rows > 0);
    assert!(
        done.describe().contains("已上传到镇里"),
        "{}",
        done.describe()
    );
    assert_eq!(
        town.rows("测试积分超市", Ledger::AuditLog).len(),
        store_rows(&s, Ledger::AuditLog)
    );
    let line = status_line(&mut s.db).unwrap();
    assert!(line.contains("成功"), "{line}");

    // A township that cannot be reached: the push fails in the background and says why.
    let bad = "host=/nonexistent-socket-dir dbname=township user=nobody";
    jifen::app::settings::set(&mut s.db, &s.manager, "township.url", bad, now).unwrap();
    let failed = push_at_close(&mut s.db, &s.manager, now, || {})
        .unwrap()
        .unwrap()
        .wait();
    assert!(matches!(failed, PushState::Failed { .. }), "{failed:?}");
    assert!(
        failed.describe().contains("上传到镇里没有成功"),
        "{}",
        failed.describe()
    );
    assert!(status_line(&mut s.db).unwrap().contains("失败"));
}

#[test]
fn the_day_screen_shows_pushing_at_the_close_and_then_the_last_push() {
    let town = Town::new();
    let mut s = small_store();
    let url = town.enrol("测试积分超市");
    jifen::app::settings::set(&mut s.db, &s.manager, "township.url", &url, t0()).unwrap();
    jifen::app::sessions::open_session(&mut s.db, &s.manager, t0().date(), &[], &[], t0()).unwrap();
    let mut h = crate::ui::harness(&s);
    crate::ui::sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("兑换日").click();
    h.run();

    let held = hold_township(&town);
    h.get_by_label("结束兑换日并出报告").click();
    h.run();
    // The close is done and on screen while the township has not answered yet.
    assert!(h.query_by_label_contains("已备份到").is_some());
    assert!(h.query_by_label_contains("正在上传到镇里").is_some());
    drop(held);
    // Then the screen follows the push to its end (the thread asks for a repaint). Bounded, so
    // a push that never ends fails the test instead of hanging it.
    let mut shown = false;
    for _ in 0..600 {
        h.run();
        if h.query_by_label_contains("上次上传到镇里").is_some() {
            shown = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(shown, "the day screen shows the push's outcome");
    assert!(h.query_by_label_contains("成功").is_some());
    assert!(h.query_by_label_contains("正在上传到镇里").is_none());
}
