//! A village's scoring items for a year (积分项目及分值): imported from the sheet the village
//! approved (.xlsx or .csv), shown, and exported back as .xlsx.

use std::path::Path;

use chrono::NaiveDateTime;
use serde_json::json;

use super::{Result, refuse};
use crate::app::error::FileProblem;
use crate::app::{Actor, Error, audit, import};
use crate::core::import_rows::Grid;
use crate::core::refusal::Refusal;
use crate::core::register::{RegisterRefusal, item_rows};
use crate::core::staff::Action;
use crate::store::register::{self as stored, ItemTable};
use crate::store::{Db, rules};

/// Imports a village's items for a year. A year whose table already has events cannot be
/// given a new table: the events were scored by the one in force (积分项目原则上以年度为单位调整).
pub fn import_items(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    village: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<ItemTable> {
    actor.require(Action::SetRules)?;
    let file = path.display().to_string();
    let grid = import::read_grid(path)?;
    let items = item_rows(&grid).map_err(|cell| Error::Import {
        file: file.clone(),
        cell,
    })?;
    if !(2000..=2200).contains(&year) {
        return Err(Refusal::BadRules(format!("year {year}")).into());
    }
    db.write(|tx| {
        let village_id = rules::village_id(tx, village)?
            .ok_or_else(|| Refusal::UnknownVillage(village.trim().to_string()))?;
        if let Some(old) = stored::table_for(tx, village_id, year)? {
            let events: i64 = tx.query_row(
                "SELECT COUNT(*) FROM register_event WHERE table_id = ?1",
                [old.id],
                |r| r.get(0),
            )?;
            if events > 0 {
                return refuse(RegisterRefusal::ItemsInUse { village: village.trim().into(), year, events });
            }
        }
        let source = path.file_name().map_or(file.clone(), |f| f.to_string_lossy().into_owned());
        let id = stored::insert_item_table(tx, village_id, year, &source, &items, actor.id, now)?;
        audit(tx, Some(actor.id), "import_items", json!({ "village": village.trim(), "year": year, "file": source, "items": items.len(), "table": id }), now)?;
        Ok(stored::table(tx, id)?)
    })
}

/// The village's latest table (its newest year).
pub fn show_items(db: &mut Db, village: &str) -> Result<(String, ItemTable)> {
    db.read(|tx| {
        let village_id = rules::village_id(tx, village)?
            .ok_or_else(|| Refusal::UnknownVillage(village.trim().to_string()))?;
        match stored::latest_table(tx, village_id)? {
            Some(table) => Ok((village.trim().to_string(), table)),
            None => refuse(RegisterRefusal::NoItems {
                village: village.trim().into(),
                year: 0,
            }),
        }
    })
}

/// The table as a sheet with the documented headers, the form `items import` reads back.
pub fn items_grid(table: &ItemTable) -> Grid {
    let mut grid = vec![
        [
            "序号",
            "类别",
            "项目",
            "积分内容",
            "分值",
            "计分方式",
            "周期",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for i in &table.items {
        grid.push(vec![
            i.number.to_string(),
            i.class.clone(),
            i.item.clone(),
            i.content.clone(),
            i.points.label(i.kind),
            i.kind.label().to_string(),
            i.cycle.label().to_string(),
        ]);
    }
    grid
}

/// Writes the table as an .xlsx workbook.
pub fn export_items(table: &ItemTable, out: &Path) -> Result<()> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::File {
        path: out.display().to_string(),
        reason: FileProblem::Spreadsheet(e.to_string()),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(format!("{}年积分项目", table.year))
        .map_err(fail)?;
    for (r, row) in items_grid(table).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).map_err(fail)?;
        }
    }
    sheet.set_column_width(3, 60).map_err(fail)?;
    book.save(out).map_err(fail)?;
    Ok(())
}
