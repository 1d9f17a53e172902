//! Issue 18: every screen fits at 1024×768 and at 1366×768. The app is driven to each screen
//! (and the counter to its dialogs) and every widget egui laid out is checked: one that runs
//! past the window's edge with its visible part cut by that edge (not by a scroll area) is text
//! or a control the clerk cannot see. A widget scrolled out of view is fine.

use eframe::egui;
use egui_kittest::Harness;
use jifen::store::Db;
use jifen::ui::{Action, JifenApp, Tab};

use crate::common::*;
use crate::ui::{scan, sign_in, type_code};

pub(crate) fn harness_at(s: &Store, size: egui::Vec2) -> Harness<'static, JifenApp> {
    let db = Db::open(&s.path()).unwrap();
    Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)))
}

/// Widgets cut off by the window: (id, rect) of each one.
pub(crate) fn cut_off(h: &Harness<'static, JifenApp>, size: egui::Vec2) -> Vec<String> {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    let inside = window.shrink(0.5);
    h.ctx.viewport(|v| {
        v.prev_pass
            .widgets
            .layers()
            .flat_map(|(_, widgets)| widgets.iter())
            .filter(|w| w.interact_rect.is_positive() && !window.contains_rect(w.rect))
            .filter(|w| {
                let seen = w.interact_rect;
                // Cut where the window ends, not where a scroll area's view ends.
                (w.rect.max.x > window.max.x && seen.max.x >= inside.max.x)
                    || (w.rect.max.y > window.max.y && seen.max.y >= inside.max.y)
                    || (w.rect.min.x < 0.0 && seen.min.x <= inside.min.x)
                    || (w.rect.min.y < 0.0 && seen.min.y <= inside.min.y)
            })
            .map(|w| format!("{:?} {:?}", w.id, w.rect))
            .collect()
    })
}

fn check(
    h: &mut Harness<'static, JifenApp>,
    size: egui::Vec2,
    what: &str,
    faults: &mut Vec<String>,
) {
    h.run();
    for w in cut_off(h, size) {
        faults.push(format!("{}×{} {what}: {w}", size.x, size.y));
    }
}

#[test]
fn every_screen_fits_at_1024x768_and_1366x768() {
    let s = small_store();
    let mut faults = Vec::new();
    for size in [egui::vec2(1024.0, 768.0), egui::vec2(1366.0, 768.0)] {
        let mut h = harness_at(&s, size);
        check(&mut h, size, "sign-in", &mut faults);
        sign_in(&mut h, "张丽（管理员）", "842619");
        for tab in [
            Tab::Counter,
            Tab::Today,
            Tab::Day,
            Tab::Goods,
            Tab::Households,
            Tab::Stock,
            Tab::Staff,
            Tab::Notices,
            Tab::Settings,
        ] {
            h.state_mut().apply(Action::ShowTab(tab));
            check(&mut h, size, &format!("{tab:?}"), &mut faults);
        }
        h.state_mut().apply(Action::ShowTab(Tab::Counter));
        h.run();
        scan(&mut h, "101001");
        type_code(&mut h, "1001*2");
        type_code(&mut h, "1002*3");
        type_code(&mut h, "1003");
        check(&mut h, size, "counter with a basket", &mut faults);
        h.key_press(egui::Key::F12);
        check(&mut h, size, "confirmation", &mut faults);
        h.key_press(egui::Key::Escape);
        h.run();
        h.key_press(egui::Key::Escape);
        check(&mut h, size, "放弃本单？", &mut faults);
        h.state_mut().apply(Action::StartStocktake);
        h.state_mut().apply(Action::ShowTab(Tab::Stock));
        check(&mut h, size, "stocktake", &mut faults);
    }
    assert!(faults.is_empty(), "cut off:\n{}", faults.join("\n"));
}
