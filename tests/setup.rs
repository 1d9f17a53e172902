//! Issue 17: from an empty counter PC to the first printed receipt, through the app only; the
//! import rules on an Excel roster as village offices make it; every screen in Chinese.

use std::path::Path;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::app::import_preview::{ImportOptions, apply_households, preview_households};
use jifen::store::Db;
use jifen::ui::JifenApp;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::common::*;

mod all_chinese;
mod command_line;
mod through_the_app;

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
