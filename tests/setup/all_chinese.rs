//! Every screen in Chinese: no English words on any screen, refusal or preview, other than
//! codes, numbers and units.

use std::cell::RefCell;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::core::import_preview::ImportKind;
use jifen::store::Db;
use jifen::ui::JifenApp;

use super::{App, click, run, sign_in};
use crate::common::*;

/// ASCII words a Chinese screen may show: units, codes and names clerks use as they are.
const ALLOWED_ASCII: &[&str] = &[
    "kg", "ml", "mm", "QR", "USB", "COM", "PDF", "A4", "Excel", "CSV", "xlsx", "xls", "csv",
    "Windows", "Linux", "English", "GBK", "XP", "PIN", "Enter", "Esc", "Tab", "PNG", "TXT",
    // Goods names in the demo village's catalogue, as the village wrote them.
    "LED",
];

/// Every label and value on the screen, read from the accessibility tree.
fn screen_text(h: &App) -> Vec<String> {
    let seen: RefCell<Vec<String>> = RefCell::default();
    let _ = h
        .query_all(
            egui_kittest::kittest::By::new()
                .include_labels()
                .predicate(|n| {
                    seen.borrow_mut()
                        .extend(n.label().into_iter().chain(n.value()));
                    false
                }),
        )
        .count();
    seen.into_inner()
}

/// ASCII words of two letters or more that are neither allowed nor part of a path or a code
/// the clerk typed (/dev/usb/lp0, tcp addresses).
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || (!c.is_ascii() && c != '/' && c != '\\'))
        .filter(|token| !token.contains('/') && !token.contains('\\'))
        .flat_map(|token| {
            token
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2 && !ALLOWED_ASCII.contains(w))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Names egui gives its own parts for screen readers; never drawn as text.
const EGUI_OWN: &[&str] = &["Resize panel"];

fn no_english(h: &App, screen: &str) {
    for text in screen_text(h)
        .into_iter()
        .filter(|t| !EGUI_OWN.contains(&t.as_str()))
    {
        let words = english_words(&text);
        assert!(words.is_empty(), "{screen}: {words:?} in {text:?}");
    }
}

#[test]
fn english_words_are_found_and_units_are_not() {
    assert!(english_words("大米 5kg 500ml 58 毫米 /dev/usb/lp0 F12").is_empty());
    assert_eq!(
        english_words("无法读取：No such file (os error 2)"),
        ["No", "such", "file", "os", "error"]
    );
}

/// Every screen of the app in Chinese, with data, previews, refusals and the printer kinds
/// shown: no English words other than codes, numbers and units.
#[test]
fn every_screen_in_chinese_shows_no_english_words() {
    use jifen::ui::setup::SetupAction;
    use jifen::ui::{Action, Tab};
    chinese();
    // First start.
    let empty = tempfile::tempdir().unwrap();
    let db = Db::open_in(empty.path()).unwrap();
    let mut h: App = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        // The start-up work's thread repaints when it reports: a few more steps to settle.
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)));
    run(&mut h);
    no_english(&h, "set-up");
    click(&mut h, "建店");
    no_english(&h, "set-up refused");

    let s = demo_store();
    let files = tempfile::tempdir().unwrap();
    let bad = files.path().join("坏表.csv");
    std::fs::write(
        &bad,
        "户号,户主,村,村小组,人口\n101001,王大山,青山村,第一组,三\n,李四,青山村,第一组,2\n",
    )
    .unwrap();
    let db = Db::open(&s.path()).unwrap();
    let mut h: App = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        // The start-up work's thread repaints when it reports: a few more steps to settle.
        .with_max_steps(12)
        .build_eframe(move |cc| {
            JifenApp::new(cc, db, Box::new(t0))
                .with_file_picker(Box::new(move |_| Some(bad.clone())))
        });
    run(&mut h);
    no_english(&h, "sign-in");
    sign_in(&mut h, "张丽（管理员）", "842619");
    for tab in Tab::for_role(jifen::core::staff::Role::Manager)
        .iter()
        .chain(&[Tab::Imports, Tab::Cards, Tab::Rules])
    {
        h.state_mut().apply(Action::ShowTab(*tab));
        run(&mut h);
        no_english(&h, &format!("{tab:?}"));
    }
    h.state_mut().apply(Action::ShowTab(Tab::Settings));
    run(&mut h);
    for kind in [
        "串口（COM 口）",
        "网口（网络打印机）",
        "USB 设备文件",
        "Windows 共享打印机",
    ] {
        click(&mut h, kind);
        no_english(&h, kind);
    }
    click(&mut h, "测试打印机");
    no_english(&h, "printer test");
    for kind in ImportKind::ALL {
        h.state_mut()
            .apply(Action::Setup(SetupAction::Go(match kind {
                ImportKind::Households => jifen::app::checklist::Step::Households,
                ImportKind::Goods => jifen::app::checklist::Step::Goods,
                ImportKind::Stock => jifen::app::checklist::Step::OpeningStock,
                ImportKind::Scores => jifen::app::checklist::Step::Households,
            })));
        h.state_mut()
            .apply(Action::Setup(SetupAction::PickFile(kind)));
        run(&mut h);
        no_english(&h, &format!("import preview {kind:?}"));
        if kind == ImportKind::Households {
            assert!(
                h.query_all_by_label_contains("不能导入 2 行").count() > 0,
                "the walk saw the refusals"
            );
            assert!(h.query_all_by_label_contains("第 2 行“人口”列").count() > 0);
        }
    }
    h.state_mut().apply(Action::BackupTo(
        files
            .path()
            .join("没有的文件夹")
            .join("b.db")
            .display()
            .to_string(),
    ));
    run(&mut h);
    no_english(&h, "backup refused");
    assert!(
        h.query_by_label_contains("找不到文件夹").is_some(),
        "{:?}",
        h.state().banner
    );
    h.state_mut().apply(Action::Setup(SetupAction::FileChosen(
        ImportKind::Households,
        files.path().join("拔掉的U盘").join("花名册.xlsx"),
    )));
    run(&mut h);
    no_english(&h, "file gone");
    assert!(
        h.query_by_label_contains("找不到文件").is_some(),
        "{:?}",
        h.state().banner
    );
    // The system's own words are behind 详情, and only there.
    let before = screen_text(&h).len();
    click(&mut h, "详情");
    assert!(screen_text(&h).len() > before, "详情 shows the detail");
}
