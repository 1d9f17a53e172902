//! Issue 18 on the notices screen: files named by kind, period and group, never overwritten
//! unasked; PNG pages numbered -01, -02…; previews rendered off the UI thread and never shown
//! under another notice.

use egui_kittest::kittest::Queryable;

use crate::common::*;
use crate::ui::{fill, harness, sign_in};

/// Steps until the preview's pages are there (a long notice renders for seconds in a debug
/// build); not a timing assertion, only a bound on a hung render.
fn wait_for_pages(h: &mut egui_kittest::Harness<'static, jifen::ui::JifenApp>) {
    for _ in 0..1200 {
        h.step();
        if !h.state().notice_pages().is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the preview never came");
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_notice_saved_twice_asks_and_defaults_to_a_new_name() {
    let s = small_store();
    let out = tempfile::tempdir().unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("公示").click();
    h.run();
    h.get_by_label("积分公示").click();
    h.run();
    fill(&mut h, "期间（2026-11、2026-Q4 或 2026）", "2026-09");
    fill(&mut h, "村小组（可空，如 青山村/第一组）", "青山村/第一组");
    fill(&mut h, "保存到文件夹", out.path().to_str().unwrap());
    h.get_by_label("保存 PDF（A4）").click();
    h.run();
    assert_eq!(files(out.path()), vec!["积分公示-2026-09-青山村第一组.pdf"]);
    let first = std::fs::read(out.path().join("积分公示-2026-09-青山村第一组.pdf")).unwrap();
    // Another period never lands on the same file.
    fill(&mut h, "期间（2026-11、2026-Q4 或 2026）", "");
    let period = h.get_by_label("期间（2026-11、2026-Q4 或 2026）");
    period.focus();
    for _ in 0..7 {
        h.key_press(eframe::egui::Key::Backspace);
    }
    period.type_text("2026-08");
    h.run();
    h.get_by_label("保存 PDF（A4）").click();
    h.run();
    assert!(files(out.path()).contains(&"积分公示-2026-08-青山村第一组.pdf".to_string()));
    // The same notice again: asked, and the default keeps the first file.
    h.get_by_label("保存 PDF（A4）").click();
    h.run();
    assert!(h.query_by_label_contains("文件已存在").is_some());
    h.get_by_label_contains("另存为").click();
    h.run();
    assert!(files(out.path()).contains(&"积分公示-2026-08-青山村第一组(2).pdf".to_string()));
    assert_eq!(
        std::fs::read(out.path().join("积分公示-2026-09-青山村第一组.pdf")).unwrap(),
        first,
        "nothing overwritten"
    );
}

#[test]
fn png_pages_are_numbered_to_sort_and_a_stale_preview_is_never_shown_under_another_notice() {
    let s = demo_store();
    let out = tempfile::tempdir().unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("公示").click();
    h.run();
    h.get_by_label("积分公示").click();
    h.run();
    fill(&mut h, "期间（2026-11、2026-Q4 或 2026）", "2026-10");
    h.get_by_label("生成并预览").click();
    h.step();
    assert!(
        h.state().notice_pages().is_empty(),
        "no old pages while rendering"
    );
    wait_for_pages(&mut h);
    let pages = h.state().notice_pages().len();
    assert!(
        pages > 1,
        "the demo village's points notice runs over pages"
    );
    // Another notice chosen: the points pages are gone from under it.
    h.get_by_label("明码标价").click();
    h.run();
    assert!(h.state().notice_pages().is_empty());
    assert!(h.query_by_label("选好公告和期间后点“生成并预览”").is_some());
    h.get_by_label("积分公示").click();
    h.run();
    fill(&mut h, "保存到文件夹", out.path().to_str().unwrap());
    h.get_by_label("保存图片（发微信群）").click();
    h.run();
    let names = files(out.path());
    assert!(names[0].ends_with("积分公示-2026-10-01.png"), "{names:?}");
    assert!(
        names.iter().all(|n| n.starts_with("积分公示-2026-10-")),
        "{names:?}"
    );
}
