//! Issue 17 through the screens: from an empty folder to the first printed receipt, and the
//! clerk's sentence for a broken printer or a missing backup folder.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::core::import_preview::ImportKind;
use jifen::store::Db;
use jifen::ui::JifenApp;

use super::{App, FIRST_ROSTER, click, roster_xlsx, run, sign_in, store_with_village, type_into};
use crate::common::*;

/// Opening the app on an empty folder, creating the store, importing, entering stock, issuing
/// cards, setting the printer, adding a cashier, and the cashier's first redemption by card —
/// all through the screens; the receipt is found in the printer's file.
#[test]
fn from_an_empty_folder_to_the_first_printed_receipt_through_the_gui() {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let roster = files.path().join("青山村花名册.xlsx");
    roster_xlsx(&roster, FIRST_ROSTER);
    let printer_file = files.path().join("printer.bin");
    std::fs::write(&printer_file, b"").unwrap();
    let picks = {
        let roster = roster.clone();
        move |kind: ImportKind| -> Option<PathBuf> {
            match kind {
                ImportKind::Households => Some(roster.clone()),
                ImportKind::Goods => Some(fixture("goods.xlsx")),
                _ => None,
            }
        }
    };
    let viewed: Rc<RefCell<Vec<PathBuf>>> = Rc::default();
    let seen = viewed.clone();
    let db = Db::open_in(dir.path()).unwrap();
    let db_path = db.path().to_path_buf();
    let mut h: App = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let worker = jifen::app::print_worker::PrintWorker::start(&db_path).unwrap();
            JifenApp::new(cc, db, Box::new(t0))
                .with_file_picker(Box::new(picks))
                .with_viewer(Box::new(move |p: &Path| {
                    seen.borrow_mut().push(p.to_path_buf())
                }))
                .with_printer(worker)
        });
    run(&mut h);

    // 1. The set-up screen, not an error.
    assert!(h.query_by_label("欢迎使用积分超市：先建店").is_some());
    type_into(&mut h, "超市名称", "青山村积分超市");
    type_into(&mut h, "第 1 个村", "青山村");
    type_into(&mut h, "第 1 个村的小组", "一组、二组");
    type_into(&mut h, "管理员姓名", "张丽");
    type_into(&mut h, "管理员密码", "842619");
    type_into(&mut h, "再输一次密码", "842619");
    click(&mut h, "建店");
    assert!(
        h.query_by_label("开店清单").is_some(),
        "the manager lands on the checklist"
    );
    assert!(h.query_by_label("已完成 0 项，共 7 项").is_some());

    // 2. Households and goods from files (the dialog replaced by the hook).
    click(&mut h, "去办：导入农户");
    click(&mut h, "选择农户花名册文件…");
    assert!(
        h.query_by_label_contains("新增 5 行，没有变化 0 行")
            .is_some()
    );
    click(&mut h, "确认导入");
    assert!(h.query_by_label_contains("新增 5 户").is_some());
    click(&mut h, "开始");
    click(&mut h, "去办：导入商品");
    click(&mut h, "选择商品目录文件…");
    click(&mut h, "确认导入");
    assert!(h.query_by_label_contains("种商品").is_some());

    // 3. Opening stock in the form.
    click(&mut h, "开始");
    click(&mut h, "去办：录入期初库存");
    type_into(&mut h, "1003 数量", "20");
    type_into(&mut h, "1003 来源", "县供销社捐赠");
    click(&mut h, "保存期初库存");
    assert!(
        h.query_by_label_contains("已录入 1 种商品的期初库存")
            .is_some()
    );

    // 4. Cards for a group, and the A4 sheet shown.
    click(&mut h, "开始");
    click(&mut h, "去办：发放积分卡");
    click(&mut h, "青山村/一组");
    click(&mut h, "为本组没有卡的户发卡");
    assert!(h.query_by_label_contains("新发卡 3 张").is_some());
    click(&mut h, "打印本组卡片（A4）");
    let sheet = viewed
        .borrow()
        .last()
        .cloned()
        .expect("the sheet was opened");
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF"));

    // 5. A printer on a device file, chosen with widgets.
    click(&mut h, "开始");
    click(&mut h, "去办：设置小票打印机");
    click(&mut h, "USB 设备文件");
    type_into(&mut h, "设备文件", &printer_file.display().to_string());
    click(&mut h, "保存设置");
    assert!(
        h.query_by_label_contains("已保存").is_some(),
        "{:?}",
        h.state().banner
    );

    // A cashier, then the manager steps away.
    click(&mut h, "员工");
    type_into(&mut h, "姓名", "王芳");
    type_into(&mut h, "初始密码", "5827");
    click(&mut h, "添加");
    assert!(
        matches!(&h.state().banner, Some(jifen::ui::Banner::Done(_))),
        "{:?}",
        h.state().banner
    );
    click(&mut h, "锁定/换人 F9");

    // 6. The cashier scans a card and redeems.
    sign_in(&mut h, "王芳（收银员）", "5827");
    assert!(h.query_by_label("请扫描农户积分卡").is_some());
    let mut db = Db::open_in(dir.path()).unwrap();
    let card = jifen::app::cards::current_card(&mut db, &"101001".parse().unwrap()).unwrap();
    for c in card.payload.as_str().chars() {
        h.event(egui::Event::Text(c.to_string()));
    }
    h.key_press(egui::Key::Enter);
    run(&mut h);
    assert!(h.query_by_label("王大山 101001").is_some());
    h.get_by_label_contains("食用油 5L").click();
    run(&mut h);
    h.get_by_label("确认兑换 F12").click();
    run(&mut h);
    h.get_by_label("确认（回车）").click();
    run(&mut h);
    // The banner says 兑换成功, unless the printer's answer already took its place.
    let balance_after = balance(&mut db, "101001");
    assert_eq!(balance_after, 20, "{:?}", h.state().banner);

    // The receipt reaches the printer's file (the worker prints after the commit).
    let mut printed = Vec::new();
    for _ in 0..200 {
        printed = std::fs::read(&printer_file).unwrap();
        if !printed.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        run(&mut h);
    }
    let text = jifen_hardware::preview_text(&jifen_hardware::decode(&printed));
    assert!(text.contains("王大山") && text.contains("食用油"), "{text}");
    let checklist = jifen::app::checklist::checklist(&mut db).unwrap();
    use jifen::app::checklist::Step;
    for step in [
        Step::Households,
        Step::Goods,
        Step::OpeningStock,
        Step::Printer,
    ] {
        assert!(checklist.is_done(step), "{step:?} ticked");
    }
    assert!(!checklist.is_done(Step::Cards), "二组 has no cards yet");
}

/// Issue 17: "No such file or directory (os error 2)" for a broken printer, and "数据库错误：
/// database error: unable to open database file" for a backup to a folder that is not there.
#[test]
fn a_broken_printer_and_a_missing_backup_folder_are_said_in_a_sentence_the_clerk_can_act_on() {
    chinese();
    let settings = jifen::app::settings::PrinterSettings::default()
        .with_overrides(Some("file:/no/such/folder/lp0"), None)
        .unwrap();
    let problem = jifen::app::printing::send(&settings, b"x").unwrap_err();
    let message = problem.message("zh-CN");
    assert!(message.starts_with("找不到打印机"), "{message}");
    assert!(
        !message.contains("os error") && !message.contains("No such"),
        "{message}"
    );
    let (dir, db, _) = store_with_village();
    let missing = dir.path().join("E盘").join("备份");
    let err = jifen::app::backup::backup_to(&db, &missing.join("jifen.db")).unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        format!(
            "找不到文件夹 {}，请插好U盘或选择其他文件夹",
            missing.display()
        )
    );
    assert!(
        jifen::app::messages::detail(&err).is_some(),
        "the detail stays behind 详情"
    );
}
