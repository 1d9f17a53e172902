//! Issue 17: from an empty counter PC to the first printed receipt, through the app only; the
//! import rules on an Excel roster as village offices make it; every screen in Chinese.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::app::import_preview::{ImportOptions, apply_households, preview_households};
use jifen::core::import_preview::ImportKind;
use jifen::store::Db;
use jifen::ui::JifenApp;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::common::*;

/// A roster as a village office makes it in Excel: a merged title row, a date line, headers
/// 户编号 / 户主姓名 / 组别 / 家庭人口 / 联系电话 / 原有积分 (no 村 column: the title says the
/// village),
/// and each group's name merged down its households.
pub fn roster_xlsx(path: &Path, rows: &[(&str, &str, &str, i64, &str)]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    sheet
        .merge_range(0, 0, 0, 6, "青山村农户花名册", &title)
        .unwrap();
    sheet.write_string(1, 0, "填表日期：2026年11月").unwrap();
    for (c, h) in [
        "序号",
        "户编号",
        "户主姓名",
        "组别",
        "家庭人口",
        "联系电话",
        "原有积分",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let mut r = 3u32;
    let mut i = 0;
    while i < rows.len() {
        // A group's households are consecutive; its name is merged down them.
        let group = rows[i].2;
        let n = rows[i..].iter().take_while(|row| row.2 == group).count();
        if n > 1 {
            sheet
                .merge_range(r, 3, r + n as u32 - 1, 3, group, &Format::new())
                .unwrap();
        } else {
            sheet.write_string(r, 3, group).unwrap();
        }
        for (number, head, _, members, phone) in &rows[i..i + n] {
            sheet.write_number(r, 0, f64::from(r - 2)).unwrap();
            sheet.write_string(r, 1, *number).unwrap();
            sheet.write_string(r, 2, *head).unwrap();
            sheet.write_number(r, 4, *members as f64).unwrap();
            sheet.write_string(r, 5, *phone).unwrap();
            // Carried over from the paper ledger.
            sheet.write_number(r, 6, 100.0).unwrap();
            r += 1;
        }
        i += n;
    }
    book.save(path).unwrap();
}

const FIRST_ROSTER: &[(&str, &str, &str, i64, &str)] = &[
    ("101001", "王大山", "一组", 4, "13800000001"),
    ("101002", "李秀英", "一组", 3, "13800000002"),
    ("101003", "张建国", "一组", 5, "13800000003"),
    ("102001", "刘䶮", "二组", 2, "13800000004"),
    ("102002", "陈堃", "二组", 3, "13800000005"),
];

/// The full roster a month later: three new households, a new head in 101002 and one more
/// member in 102002.
const FULL_ROSTER: &[(&str, &str, &str, i64, &str)] = &[
    ("101001", "王大山", "一组", 4, "13800000001"),
    ("101002", "李小英", "一组", 3, "13800000002"),
    ("101003", "张建国", "一组", 5, "13800000003"),
    ("101004", "赵春生", "一组", 2, "13800000006"),
    ("102001", "刘䶮", "二组", 2, "13800000004"),
    ("102002", "陈堃", "二组", 4, "13800000005"),
    ("102003", "孙桂兰", "二组", 1, "13800000007"),
    ("102004", "周海", "二组", 3, "13800000008"),
];

fn store_with_village() -> (tempfile::TempDir, Db, jifen::app::Actor) {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_in(dir.path()).unwrap();
    let new = jifen::app::setup::NewStore {
        store_name: "青山村积分超市".into(),
        places: vec![("青山村".into(), vec!["一组".into(), "二组".into()])],
        manager_name: "张丽".into(),
        pin: "842619".into(),
    };
    let id = jifen::app::setup::create_store(&mut db, &new, t0()).unwrap();
    let actor = jifen::app::sign_in(&mut db, id, "842619", t0()).unwrap();
    (dir, db, actor)
}

fn village() -> ImportOptions {
    ImportOptions {
        default_village: Some("青山村".into()),
        ..Default::default()
    }
}

/// Issue 17: "第 1 行“户号”列：缺少这一列" for a roster with a merged title and 户主姓名, and
/// a re-import of the full roster refused at its first existing household.
#[test]
fn an_excel_roster_with_a_merged_title_imports_and_a_reimport_adds_3_and_shows_2_changes() {
    let (dir, mut db, manager) = store_with_village();
    let first = dir.path().join("花名册.xlsx");
    roster_xlsx(&first, FIRST_ROSTER);
    let grid = jifen::app::import::read_grid(&first).unwrap();
    let shown = preview_households(&mut db, "花名册.xlsx", &grid, &village()).unwrap();
    assert!(shown.refused.is_empty(), "{:?}", shown.refused);
    assert_eq!(shown.add.len(), 5);
    assert_eq!(
        shown.add[0].row, 4,
        "the header is row 3, the first household row 4"
    );
    apply_households(&mut db, &manager, "花名册.xlsx", &grid, &village(), t0()).unwrap();
    let liu = jifen::app::queries::search_households(&mut db, "102001", 1).unwrap();
    let h = &liu[0].household;
    assert_eq!(
        (
            h.head_name.as_str(),
            h.village.as_str(),
            h.group.as_str(),
            h.members
        ),
        ("刘䶮", "青山村", "二组", 2),
        "the merged 组别 cell gives every household of the group its name"
    );

    let full = dir.path().join("花名册（全）.xlsx");
    roster_xlsx(&full, FULL_ROSTER);
    let grid = jifen::app::import::read_grid(&full).unwrap();
    let shown = preview_households(&mut db, "花名册（全）.xlsx", &grid, &village()).unwrap();
    assert!(shown.refused.is_empty(), "{:?}", shown.refused);
    let added: Vec<&str> = shown.add.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(added, ["101004", "102003", "102004"]);
    assert_eq!(shown.unchanged.len(), 3);
    let changes: Vec<(&str, &str, &str, &str)> = shown
        .changes
        .iter()
        .flat_map(|c| {
            c.changes
                .iter()
                .map(move |f| (c.key.as_str(), f.column, f.old.as_str(), f.new.as_str()))
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("101002", "户主", "李秀英", "李小英"),
            ("102002", "人口", "3", "4")
        ]
    );

    // Not ticked: the new households come in, the old ones stay as they were.
    let done = apply_households(
        &mut db,
        &manager,
        "花名册（全）.xlsx",
        &grid,
        &village(),
        t0(),
    )
    .unwrap();
    assert_eq!((done.added, done.changed, done.unchanged), (3, 0, 3));
    let head = |db: &mut Db, n: &str| {
        jifen::app::queries::search_households(db, n, 1).unwrap()[0]
            .household
            .head_name
            .clone()
    };
    assert_eq!(head(&mut db, "101002"), "李秀英");
    // Ticked: each change is made, and each is an audited change naming the file and row.
    let ticked = ImportOptions {
        apply_changes: true,
        ..village()
    };
    let done =
        apply_households(&mut db, &manager, "花名册（全）.xlsx", &grid, &ticked, t0()).unwrap();
    assert_eq!((done.added, done.changed), (0, 2));
    assert_eq!(head(&mut db, "101002"), "李小英");
    let audited: Vec<String> = db
        .connection()
        .prepare(
            "SELECT detail FROM audit_log WHERE action = 'import_household_change' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audited.len(), 2);
    assert!(
        audited[0].contains("李秀英") && audited[0].contains("\"row\":5"),
        "{}",
        audited[0]
    );
    let households: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(households, 8);
}

/// A row that would move a household is refused by row and column, and nothing is written.
#[test]
fn a_reimport_that_moves_a_household_is_refused_whole() {
    let (dir, mut db, manager) = store_with_village();
    let first = dir.path().join("a.xlsx");
    roster_xlsx(&first, FIRST_ROSTER);
    let grid = jifen::app::import::read_grid(&first).unwrap();
    apply_households(&mut db, &manager, "a.xlsx", &grid, &village(), t0()).unwrap();
    let moved = dir.path().join("b.xlsx");
    roster_xlsx(
        &moved,
        &[
            ("109001", "新户", "一组", 1, ""),
            ("101001", "王大山", "二组", 4, ""),
        ],
    );
    let grid = jifen::app::import::read_grid(&moved).unwrap();
    let err = apply_households(&mut db, &manager, "b.xlsx", &grid, &village(), t0()).unwrap_err();
    assert!(err.to_string().contains("第 5 行“村小组”列"), "{err}");
    let households: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        households, 5,
        "the new household of the same file was not kept either"
    );
}

type App = Harness<'static, JifenApp>;

fn run(h: &mut App) {
    h.run();
}

fn click(h: &mut App, label: &str) {
    h.get_by_label(label).click();
    run(h);
}

fn type_into(h: &mut App, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    run(h);
}

fn sign_in(h: &mut App, who: &str, pin: &str) {
    click(h, who);
    type_into(h, "密码", pin);
    h.key_press(egui::Key::Enter);
    run(h);
}

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

/// Writes the rosters above into `fixtures/roster/` (run by hand after changing them:
/// `cargo test --test tests setup::write_roster_fixtures -- --ignored`); the screenshots and
/// README examples use these files.
#[test]
#[ignore]
fn write_roster_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/roster");
    std::fs::create_dir_all(&dir).unwrap();
    roster_xlsx(&dir.join("青山村花名册.xlsx"), FIRST_ROSTER);
    roster_xlsx(&dir.join("青山村花名册（全）.xlsx"), FULL_ROSTER);
}

fn cli(data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA")
        .env("JIFEN_PIN", "842619")
        .output()
        .unwrap()
}

/// `import households --dry-run` prints the preview and writes nothing; `--apply-changes`
/// applies the roster's changes; `import stock` enters opening stock with its source, and the
/// stock notice shows it as the goods' 期初 with where it came from.
#[test]
fn the_command_line_previews_imports_and_enters_opening_stock_shown_on_the_notice() {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let out = cli(
        data,
        &[
            "init",
            "--store-name",
            "青山村积分超市",
            "--manager-name",
            "张丽",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let roster = data.join("花名册.xlsx");
    roster_xlsx(&roster, FIRST_ROSTER);
    let r = roster.to_str().unwrap();
    let dry = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            r,
            "--village",
            "青山村",
            "--dry-run",
        ],
    );
    let shown = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        dry.status.success() && shown.contains("新增 5 行"),
        "{shown}"
    );
    let mut db = Db::open_in(data).unwrap();
    assert_eq!(
        jifen::app::queries::search_households(&mut db, "1", 10)
            .unwrap()
            .len(),
        0,
        "a dry run writes nothing"
    );
    drop(db);
    assert!(
        cli(
            data,
            &[
                "--staff",
                "1",
                "import",
                "households",
                r,
                "--village",
                "青山村"
            ]
        )
        .status
        .success()
    );
    let full = data.join("全.xlsx");
    roster_xlsx(&full, FULL_ROSTER);
    let f = full.to_str().unwrap();
    let dry = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            f,
            "--village",
            "青山村",
            "--dry-run",
        ],
    );
    let shown = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(shown.contains("户主：李秀英 → 李小英"), "{shown}");
    let out = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            f,
            "--village",
            "青山村",
            "--apply-changes",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("新增 3 户") && said.contains("修改 2 户"),
        "{said}"
    );

    let goods = fixture("goods.csv");
    assert!(
        cli(
            data,
            &["--staff", "1", "import", "goods", goods.to_str().unwrap()]
        )
        .status
        .success()
    );
    let stock = data.join("期初库存.csv");
    std::fs::write(
        &stock,
        "编码,数量,来源\n1001,40,县供销社捐赠\n1003,12,村集体采购\n",
    )
    .unwrap();
    let out = cli(
        data,
        &["--staff", "1", "import", "stock", stock.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = cli(
        data,
        &["--staff", "1", "import", "stock", stock.to_str().unwrap()],
    );
    assert!(!again.status.success(), "opening stock is entered once");
    assert!(String::from_utf8_lossy(&again.stderr).contains("期初库存只能录一次"));

    let mut db = Db::open_in(data).unwrap();
    let period =
        jifen::core::notice_period::NoticePeriod::month_of(chrono::Local::now().date_naive());
    let request =
        jifen::app::notices::NoticeRequest::new(jifen::app::notices::NoticeKind::Stock, period);
    let doc = jifen::app::notices::document(&mut db, &request, chrono::Local::now().naive_local())
        .unwrap();
    let text = doc.all_text();
    assert!(text.contains("大米 5kg 40袋（县供销社捐赠）"), "{text}");
    let notice =
        jifen::app::notices::stock_notice(&mut db, period, chrono::Local::now().naive_local())
            .unwrap();
    let rice = notice
        .lines
        .iter()
        .find(|l| l.code.as_str() == "1001")
        .unwrap();
    assert_eq!(
        (rice.opening.0, rice.corrected.0, rice.closing.0),
        (40, 0, 40),
        "opening stock is the 期初"
    );
}
