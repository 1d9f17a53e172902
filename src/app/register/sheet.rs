//! The group's paper sheet, the same shape as the entry grid: one row per household (户号,
//! 户主), one column per item (headed by its number, "12.助人为乐", or its name), a cell holding
//! the points or a tick (√) for the item's own points. `month sheet` writes the blank sheet for
//! a group's month; `event import` reads it back, all rows or none.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::events::EventInput;
use super::review::group_month;
use super::{Result, refuse, resolve_group};
use crate::app::error::FileProblem;
use crate::app::{Actor, Error, import};
use crate::core::import_rows::{CellError, Problem};
use crate::core::refusal::Refusal;
use crate::core::register::{Basis, RegisterEvent, RegisterRefusal, ScoringItem, find_item};
use crate::core::{HouseholdNo, Period};
use crate::store::Db;

/// Writes the blank sheet of a group's month as .xlsx.
pub fn write_group_sheet(db: &mut Db, group: &str, period: Period, out: &Path) -> Result<usize> {
    let month = db.read(|tx| {
        let at = resolve_group(tx, group)?;
        group_month(tx, &at, period)
    })?;
    let fail = |e: rust_xlsxwriter::XlsxError| Error::File {
        path: out.display().to_string(),
        reason: FileProblem::Spreadsheet(e.to_string()),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(format!("{}{} {period}", month.village, month.group))
        .map_err(fail)?;
    sheet.write_string(0, 0, "户号").map_err(fail)?;
    sheet.write_string(0, 1, "户主").map_err(fail)?;
    for (c, item) in month.items.iter().enumerate() {
        sheet
            .write_string(0, c as u16 + 2, format!("{}.{}", item.number, item.name()))
            .map_err(fail)?;
    }
    for (r, h) in month.households.iter().enumerate() {
        sheet
            .write_string(r as u32 + 1, 0, &h.household)
            .map_err(fail)?;
        sheet
            .write_string(r as u32 + 1, 1, &h.head_name)
            .map_err(fail)?;
    }
    book.save(out).map_err(fail)?;
    Ok(month.households.len())
}

/// What a column header names: "12", "12.助人为乐" or "助人为乐".
fn header_item<'a>(
    items: &'a [ScoringItem],
    header: &str,
) -> std::result::Result<&'a ScoringItem, RegisterRefusal> {
    let header = header.trim();
    let number: String = header.chars().take_while(char::is_ascii_digit).collect();
    if !number.is_empty() {
        return find_item(items, &number);
    }
    find_item(items, header)
}

/// Reads a group's filled-in sheet into events dated `date` and records them.
#[allow(clippy::too_many_arguments)]
pub fn import_group_sheet(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    group: &str,
    period: Period,
    date: Option<NaiveDate>,
    basis: Basis,
    now: NaiveDateTime,
) -> Result<Vec<RegisterEvent>> {
    let file = path.display().to_string();
    let grid = import::read_grid(path)?;
    let bad = |row: usize, column: &str, problem: Problem| Error::Import {
        file: file.clone(),
        cell: CellError {
            row,
            column: column.to_string(),
            problem,
        },
    };
    let month = db.read(|tx| {
        let at = resolve_group(tx, group)?;
        group_month(tx, &at, period)
    })?;
    let date = date.unwrap_or_else(|| {
        let last = period.next().first_day() - chrono::Days::new(1);
        last.min(now.date())
    });
    if Period::of(date) != period {
        return refuse(RegisterRefusal::WrongYear {
            date: date.to_string(),
            year: period.year,
        });
    }
    let header = grid.first().ok_or_else(|| bad(0, "", Problem::NoRows))?;
    let household_col = header
        .iter()
        .position(|h| {
            matches!(
                h.trim().trim_start_matches('\u{feff}'),
                "户号" | "household_id"
            )
        })
        .ok_or_else(|| bad(1, "户号", Problem::MissingColumn))?;
    let mut columns = Vec::new();
    for (c, h) in header.iter().enumerate() {
        let h = h.trim();
        if c == household_col || h.is_empty() || matches!(h, "户主" | "head_name" | "备注") {
            continue;
        }
        let item = header_item(&month.items, h).map_err(Refusal::Register)?;
        columns.push((c, item, h.to_string()));
    }
    let mut inputs = Vec::new();
    for (r, row) in grid.iter().enumerate().skip(1) {
        let Some(number) = row
            .get(household_col)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let household: HouseholdNo = number
            .parse()
            .map_err(|_| bad(r + 1, "户号", Problem::BadCode(number.into())))?;
        if !month
            .households
            .iter()
            .any(|h| h.household == household.as_str())
        {
            return Err(bad(
                r + 1,
                "户号",
                Problem::UnknownHousehold(format!(
                    "{number}（不在{}{}）",
                    month.village, month.group
                )),
            ));
        }
        for (c, item, name) in &columns {
            let cell = row.get(*c).map(|s| s.trim()).unwrap_or("");
            let points = match cell {
                "" | "0" | "×" | "否" => continue,
                "√" | "✓" | "✔" | "v" | "V" | "是" | "有" => None,
                text => Some(
                    text.parse::<i64>()
                        .map_err(|_| bad(r + 1, name, Problem::NotInteger(text.into())))?,
                ),
            };
            let mut input = EventInput::new(household.clone(), item.number.to_string(), date);
            input.points = points;
            input.basis = basis;
            input.what = Some(format!(
                "评分表 {}",
                path.file_name()
                    .map_or(file.clone(), |f| f.to_string_lossy().into_owned())
            ));
            inputs.push(input);
        }
    }
    if inputs.is_empty() {
        return Err(bad(0, "", Problem::NoRows));
    }
    super::add_events(db, actor, &inputs, now)
}
