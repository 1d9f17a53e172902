//! The township export opens with calamine and its totals equal the ledgers'; designated staff
//! and the redemption calendar.

use calamine::{Data, DataType, Reader, open_workbook_auto};
use jifen::app;

use crate::common::*;

fn column_sum(range: &calamine::Range<Data>, col: usize) -> f64 {
    range
        .rows()
        .skip(1)
        .filter_map(|r| r.get(col))
        .filter_map(|c| c.as_f64())
        .sum()
}

#[test]
fn the_xlsx_export_totals_equal_the_ledgers() {
    let mut s = demo_store();
    app::redeem::redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1020", 2)]),
        t0(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("青山河湾-导出.xlsx");
    let summary = app::export::export_xlsx(&mut s.db, &file, t0().date()).unwrap();
    let mut book = open_workbook_auto(&file).unwrap();
    let households = book.worksheet_range("农户积分").unwrap();
    let entries = book.worksheet_range("积分流水").unwrap();
    let stock = book.worksheet_range("库存").unwrap();
    let movements = book.worksheet_range("库存流水").unwrap();

    let conn = s.db.connection();
    let ledger_sum: i64 = conn
        .query_row("SELECT SUM(amount) FROM point_entry", [], |r| r.get(0))
        .unwrap();
    let entry_count: i64 = conn
        .query_row("SELECT COUNT(*) FROM point_entry", [], |r| r.get(0))
        .unwrap();
    let movement_sum: i64 = conn
        .query_row("SELECT SUM(qty) FROM stock_movement", [], |r| r.get(0))
        .unwrap();
    assert_eq!(households.rows().count() - 1, 300);
    assert_eq!(
        column_sum(&households, 7) as i64,
        ledger_sum,
        "balances in the sheet = the sum of all entries"
    );
    assert_eq!(summary.points_total, ledger_sum);
    assert_eq!(entries.rows().count() as i64 - 1, entry_count);
    assert_eq!(column_sum(&entries, 4) as i64, ledger_sum);
    assert_eq!(
        column_sum(&stock, 4) as i64,
        movement_sum,
        "stock on hand = the sum of all movements"
    );
    assert_eq!(column_sum(&movements, 4) as i64, movement_sum);
    let name = households.rows().find(|r| r[0] == "102015").unwrap()[1].to_string();
    assert_eq!(name, "李𠇔", "rare characters survive the export");
}

#[test]
fn designated_staff_and_the_redemption_calendar() {
    let mut s = small_store();
    let from = at(2026, 1, 1, 0, 0).date();
    app::duty::appoint(
        &mut s.db,
        &s.manager,
        s.cashier.id,
        "超市管理员",
        from,
        None,
        t0(),
    )
    .unwrap();
    assert!(
        app::duty::appoint(
            &mut s.db,
            &s.cashier,
            s.cashier.id,
            "超市管理员",
            from,
            None,
            t0()
        )
        .is_err(),
        "managers appoint"
    );
    let on_duty = app::duty::in_charge_on(&mut s.db, t0().date()).unwrap();
    assert_eq!(
        (on_duty[0].staff.as_str(), on_duty[0].duty.as_str()),
        ("王芳", "超市管理员")
    );
    assert!(
        app::duty::in_charge_on(&mut s.db, at(2025, 12, 31, 0, 0).date())
            .unwrap()
            .is_empty()
    );

    let day = |m, d| at(2027, m, d, 0, 0).date();
    app::duty::plan_day(
        &mut s.db,
        &s.manager,
        "青山村",
        day(1, 10),
        None,
        None,
        t0(),
    )
    .unwrap();
    app::duty::plan_day(
        &mut s.db,
        &s.manager,
        "青山村",
        day(2, 10),
        None,
        None,
        t0(),
    )
    .unwrap();
    // Spring Festival: February's day moves to the 20th.
    app::duty::plan_day(
        &mut s.db,
        &s.manager,
        "青山村",
        day(2, 20),
        Some(day(2, 10)),
        Some("春节顺延"),
        t0(),
    )
    .unwrap();
    let days: Vec<(String, Option<String>)> = app::duty::calendar(&mut s.db, "青山村", 2027)
        .unwrap()
        .into_iter()
        .map(|d| (d.day, d.moved_from))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2027-01-10".into(), None),
            ("2027-02-20".into(), Some("2027-02-10".into()))
        ]
    );
}
