//! Locking the counter (锁定/换人, F9, or idle): the sign-in screen that faces the room shows
//! nothing of the last household served (found by a clerk's-eye test: the redemption's message,
//! with the household's name and balance, stayed under the sign-in screen).

use eframe::egui;
use egui_kittest::kittest::Queryable;

use crate::common::*;
use crate::ui::{confirm, harness, scan, sign_in, type_code};

#[test]
fn after_locking_the_sign_in_screen_shows_nothing_of_the_last_household() {
    let mut s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "王芳（收银员）", "5827");
    scan(&mut h, "101001");
    type_code(&mut h, "1003");
    confirm(&mut h);
    assert!(
        h.query_by_label_contains("王大山 用 10 分，余额 90 分")
            .is_some()
    );
    assert_eq!(balance(&mut s.db, "101001"), 90);
    h.key_press(egui::Key::F9);
    h.run();
    assert!(
        h.query_by_label("密码").is_some(),
        "locked: the sign-in screen"
    );
    assert!(
        h.query_by_label_contains("王大山").is_none()
            && h.query_by_label_contains("余额").is_none(),
        "nothing of the household is left on the screen"
    );
}
