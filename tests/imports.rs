//! Imports as villages really send them, and every broken file in fixtures/bad refused by
//! row and column without changing the database.

use jifen::app::Error;
use jifen::app::import::{import_goods, import_households, import_scores};
use jifen::core::Period;

use crate::common::*;

#[test]
fn every_bad_fixture_is_refused_at_its_row_and_column_and_changes_nothing() {
    let mut s = demo_store();
    let expected = std::fs::read_to_string(fixture("bad/expected.tsv")).unwrap();
    let approvers: Vec<String> = ["王建华", "李国强", "赵秀英"].map(String::from).to_vec();
    let october: Period = "2026-10".parse().unwrap();
    let mut checked = 0;
    for line in expected.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (file, kind, row, column) = (
            fields[0],
            fields[1],
            fields[2].parse::<usize>().unwrap(),
            fields[3],
        );
        let path = fixture(&format!("bad/{file}"));
        let before = content(&s.path());
        let result = match kind {
            "households" => import_households(&mut s.db, &s.manager, &path, t0()),
            "goods" => import_goods(&mut s.db, &s.manager, &path, t0()),
            "scores" => import_scores(&mut s.db, &s.manager, &path, october, &approvers, t0()),
            other => panic!("unknown kind {other}"),
        };
        let err = result.expect_err(file);
        let message = err.to_string();
        assert!(
            message.contains(file),
            "{file}: message {message:?} does not name the file"
        );
        match (&err, row) {
            (Error::File { .. }, 0) => {}
            (Error::Import { cell, .. }, _) => {
                assert_eq!(
                    (cell.row, cell.column.as_str()),
                    (row, column),
                    "{file}: {message}"
                );
                assert!(
                    message.contains(&format!("第 {row} 行“{column}”列")),
                    "{file}: {message}"
                );
            }
            _ => panic!("{file}: unexpected error {err:?}"),
        }
        assert_eq!(content(&s.path()), before, "{file} changed the database");
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} bad fixtures checked");
}

#[test]
fn a_gbk_csv_from_chinese_excel_imports_with_correct_names() {
    let mut s = small_store();
    let summary =
        import_households(&mut s.db, &s.manager, &fixture("households_gbk.csv"), t0()).unwrap();
    assert_eq!(summary.rows, 12);
    let b = jifen::app::queries::balance(&mut s.db, &hh("301001")).unwrap();
    assert_eq!(
        (
            b.household.head_name.as_str(),
            b.household.village.as_str(),
            b.balance_points.0
        ),
        ("邓志强", "山脚村", 120)
    );
    // 珺 and 堃 are GBK but not GB2312: a GB2312 decoder would garble these.
    assert_eq!(
        jifen::app::queries::balance(&mut s.db, &hh("301004"))
            .unwrap()
            .household
            .head_name,
        "邓珺"
    );
    assert_eq!(
        jifen::app::queries::balance(&mut s.db, &hh("301007"))
            .unwrap()
            .household
            .head_name,
        "邓堃"
    );
}

#[test]
fn the_demo_keeps_rare_characters_in_names() {
    let mut s = demo_store();
    let name = |db: &mut jifen::store::Db, n| {
        jifen::app::queries::balance(db, &hh(n))
            .unwrap()
            .household
            .head_name
    };
    assert_eq!(name(&mut s.db, "102015"), "李𠇔");
    assert_eq!(name(&mut s.db, "201012"), "刘䶮");
}

#[test]
fn goods_import_from_xlsx_matches_the_csv() {
    let mut from_xlsx = small_store_without_goods();
    import_goods(
        &mut from_xlsx.db,
        &from_xlsx.manager,
        &fixture("goods.xlsx"),
        t0(),
    )
    .unwrap();
    let mut from_csv = small_store_without_goods();
    import_goods(
        &mut from_csv.db,
        &from_csv.manager,
        &fixture("goods.csv"),
        t0(),
    )
    .unwrap();
    let a = jifen::app::queries::stock(&mut from_xlsx.db, None, t0().date()).unwrap();
    let b = jifen::app::queries::stock(&mut from_csv.db, None, t0().date()).unwrap();
    assert_eq!(a.len(), 46);
    assert_eq!(a, b);
    let rice = a.iter().find(|g| g.goods.code.as_str() == "1001").unwrap();
    assert_eq!(
        (
            rice.goods.name.as_str(),
            rice.price_points.map(|p| p.0),
            rice.goods.monthly_limit.map(|q| q.0)
        ),
        ("大米 5kg", Some(50), Some(2))
    );
}

fn small_store_without_goods() -> Store {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let mut db = jifen::store::Db::open_in(dir.path()).unwrap();
    let id = jifen::app::setup::init_store(&mut db, "测试", "张丽", "842619", t0()).unwrap();
    let manager = jifen::app::sign_in(&mut db, id, "842619", t0()).unwrap();
    Store {
        dir,
        db,
        cashier: manager.clone(),
        auditor: manager.clone(),
        manager,
    }
}

/// Issue 17: re-importing the full roster to add new households was refused at the first
/// household already there. Now the new ones are added and the old ones left as they are.
#[test]
fn reimporting_the_roster_adds_the_new_households_and_leaves_the_old() {
    let mut s = small_store();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("again.csv");
    std::fs::write(
        &file,
        "户号,户主,村,村小组\n201001,新户,河湾村,第一组\n101002,李秀英,青山村,第一组\n",
    )
    .unwrap();
    let before = balance(&mut s.db, "101002");
    let done = import_households(&mut s.db, &s.manager, &file, t0()).unwrap();
    assert_eq!(done.rows, 1, "only the new household is added");
    assert_eq!(balance(&mut s.db, "101002"), before);
    let again = import_households(&mut s.db, &s.manager, &file, t0()).unwrap();
    assert_eq!(again.rows, 0, "a second run adds nothing");
}

#[test]
fn scores_post_once_with_three_approvers() {
    let mut s = demo_store();
    let october: Period = "2026-10".parse().unwrap();
    let path = fixture("scores/2026-10.csv");
    let two = vec!["王建华".to_string(), "李国强".to_string()];
    let err = import_scores(&mut s.db, &s.manager, &path, october, &two, t0()).unwrap_err();
    assert!(err.to_string().contains("至少要 3 人"), "{err}");
    let before = balance(&mut s.db, "101001");
    let three: Vec<String> = ["王建华", "李国强", "赵秀英"].map(String::from).to_vec();
    let summary = import_scores(&mut s.db, &s.manager, &path, october, &three, t0()).unwrap();
    assert_eq!(summary.rows, 300);
    assert_eq!(balance(&mut s.db, "101001"), before + 96);
    let err = import_scores(&mut s.db, &s.manager, &path, october, &three, t0()).unwrap_err();
    assert!(err.to_string().contains("已经发放过"), "{err}");
}

#[test]
fn two_villages_post_their_own_sheets_for_the_same_month_but_no_household_twice() {
    let mut s = demo_store();
    let october: Period = "2026-10".parse().unwrap();
    let three: Vec<String> = ["王建华", "李国强", "赵秀英"].map(String::from).to_vec();
    let grid = jifen::app::import::read_grid(&fixture("scores/2026-10.csv")).unwrap();
    let rows = jifen::core::import_rows::scores(&grid).unwrap();
    let (qingshan, hewan): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|r| r.household.as_str().starts_with('1'));
    jifen::app::import::post_scores(
        &mut s.db,
        &s.manager,
        "青山村.csv",
        october,
        &three,
        &qingshan,
        t0(),
    )
    .unwrap();
    jifen::app::import::post_scores(
        &mut s.db,
        &s.manager,
        "河湾村.csv",
        october,
        &three,
        &hewan,
        t0(),
    )
    .unwrap();
    let before = content(&s.path());
    let err = jifen::app::import::post_scores(
        &mut s.db,
        &s.manager,
        "青山村-again.csv",
        october,
        &three,
        &qingshan,
        t0(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("第 2 行“户号”列：户号 101001 的 2026-10 积分已经发放过"),
        "{err}"
    );
    assert_eq!(content(&s.path()), before);
}
