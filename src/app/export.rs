//! Export for the township (乡镇): households with balances, both ledgers and stock on hand as
//! one .xlsx workbook that opens in Excel or WPS. Read from one consistent snapshot.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::error::FileProblem;
use super::{Error, Result};
use crate::core::ledger::TIME_FORMAT;
use crate::store::{Db, goods, households, ledger};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub households: usize,
    pub point_entries: usize,
    pub stock_movements: usize,
    pub points_total: i64,
}

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::File {
        path: path.display().to_string(),
        reason: FileProblem::Spreadsheet(e.to_string()),
    }
}

fn header(sheet: &mut Worksheet, names: &[&str]) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
        sheet.set_column_width(col as u16, 14)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes the workbook; its sheets' totals equal the ledgers' at the moment of export.
pub fn export_xlsx(db: &mut Db, path: &Path, today: NaiveDate) -> Result<Exported> {
    let fail = xlsx_error(path);
    db.read(|tx| {
        let mut book = Workbook::new();
        let mut summary = Exported {
            households: 0,
            point_entries: 0,
            stock_movements: 0,
            points_total: 0,
        };

        let sheet = book.add_worksheet().set_name("农户积分").map_err(&fail)?;
        header(
            sheet,
            &[
                "户号",
                "户主",
                "村",
                "村小组",
                "人口",
                "类别",
                "状态",
                "积分余额",
            ],
        )
        .map_err(&fail)?;
        for (i, h) in households::all(tx)?.iter().enumerate() {
            let row = i as u32 + 1;
            let balance = ledger::balance(tx, h.id)?.0;
            let hh = &h.household;
            let kind = if hh.kind.as_db() == "resident" {
                "常住"
            } else {
                "户籍"
            };
            let status = if hh.status.as_db() == "active" {
                "在册"
            } else {
                "已迁出"
            };
            let cells = [hh.number.as_str(), &hh.head_name, &hh.village, &hh.group];
            for (col, text) in cells.iter().enumerate() {
                sheet.write_string(row, col as u16, *text).map_err(&fail)?;
            }
            sheet
                .write_number(row, 4, hh.members as f64)
                .map_err(&fail)?;
            sheet.write_string(row, 5, kind).map_err(&fail)?;
            sheet.write_string(row, 6, status).map_err(&fail)?;
            sheet.write_number(row, 7, balance as f64).map_err(&fail)?;
            summary.households += 1;
            summary.points_total += balance;
        }

        let sheet = book.add_worksheet().set_name("积分流水").map_err(&fail)?;
        header(
            sheet,
            &[
                "序号",
                "时间",
                "户号",
                "类别",
                "变动",
                "结余",
                "月份",
                "单号",
                "原因",
                "批准人",
                "经办人",
                "哈希",
            ],
        )
        .map_err(&fail)?;
        let mut row = 0u32;
        let mut failure = None;
        ledger::for_each_point_entry(tx, |entry, _| {
            let Ok(e) = entry else { return };
            row += 1;
            let texts = [
                (1, e.created_at.format(TIME_FORMAT).to_string()),
                (2, e.household.to_string()),
                (3, e.kind.as_db().to_string()),
                (6, e.period.map(|p| p.to_string()).unwrap_or_default()),
                (7, e.receipt_no.clone().unwrap_or_default()),
                (8, e.reason.clone().unwrap_or_default()),
                (9, e.approved_by.clone().unwrap_or_default()),
                (11, e.hash.clone()),
            ];
            let numbers = [
                (0, e.id as f64),
                (4, e.amount.0 as f64),
                (5, e.balance_after.0 as f64),
                (10, e.staff.0 as f64),
            ];
            for (col, text) in texts {
                if let Err(err) = sheet.write_string(row, col, text) {
                    failure = Some(err);
                }
            }
            for (col, n) in numbers {
                if let Err(err) = sheet.write_number(row, col, n) {
                    failure = Some(err);
                }
            }
        })?;
        if let Some(err) = failure.take() {
            return Err(fail(err));
        }
        summary.point_entries = row as usize;

        let sheet = book.add_worksheet().set_name("库存流水").map_err(&fail)?;
        header(
            sheet,
            &[
                "序号",
                "时间",
                "编码",
                "类别",
                "数量",
                "结存",
                "来源",
                "原因",
                "金额(分)",
                "经办人",
                "哈希",
            ],
        )
        .map_err(&fail)?;
        let mut row = 0u32;
        ledger::for_each_stock_movement(tx, None, |movement| {
            let Ok(m) = movement else { return };
            row += 1;
            let texts = [
                (1, m.created_at.format(TIME_FORMAT).to_string()),
                (2, m.goods.to_string()),
                (3, m.kind.as_db().to_string()),
                (6, m.source.clone().unwrap_or_default()),
                (7, m.reason.clone().unwrap_or_default()),
                (10, m.hash.clone()),
            ];
            for (col, text) in texts {
                if let Err(err) = sheet.write_string(row, col, text) {
                    failure = Some(err);
                }
            }
            let mut numbers = vec![
                (0, m.id as f64),
                (4, m.qty.0 as f64),
                (5, m.stock_after.0 as f64),
                (9, m.staff.0 as f64),
            ];
            if let Some(v) = m.value {
                numbers.push((8, v.0 as f64));
            }
            for (col, n) in numbers {
                if let Err(err) = sheet.write_number(row, col, n) {
                    failure = Some(err);
                }
            }
        })?;
        if let Some(err) = failure.take() {
            return Err(fail(err));
        }
        summary.stock_movements = row as usize;

        let sheet = book.add_worksheet().set_name("库存").map_err(&fail)?;
        header(sheet, &["编码", "名称", "单位", "积分", "库存"]).map_err(&fail)?;
        for (i, g) in goods::shelf(tx, today)?.iter().enumerate() {
            let row = i as u32 + 1;
            sheet
                .write_string(row, 0, g.goods.code.as_str())
                .map_err(&fail)?;
            sheet.write_string(row, 1, &g.goods.name).map_err(&fail)?;
            sheet.write_string(row, 2, &g.goods.unit).map_err(&fail)?;
            if let Some(p) = g.price_points {
                sheet.write_number(row, 3, p.0 as f64).map_err(&fail)?;
            }
            sheet
                .write_number(row, 4, g.on_hand.0 as f64)
                .map_err(&fail)?;
        }
        book.save(path).map_err(&fail)?;
        Ok(summary)
    })
}
