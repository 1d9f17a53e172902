//! Previews of an import (to add, unchanged, would change old → new, refused with row and
//! column) and the roster and goods imports that write what the preview showed, in one
//! transaction: a re-imported roster adds its new households and, when the clerk asks for it,
//! applies its changes, each one audited.

use chrono::{Datelike, NaiveDateTime};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::import::{ImportSummary, import_error};
use super::{Actor, Result, audit};
use crate::core::goods::NewGoods;
use crate::core::household::NewHousehold;
use crate::core::import_preview::{
    ChangeLine, ImportKind, ImportPreview, PreviewLine, goods_changes, household_changes,
    household_line,
};
use crate::core::import_rows::{self, CellError, Grid, Parsed, Problem};
use crate::core::ledger::PointEntryKind;
use crate::core::staff::Action;
use crate::core::{Period, Points};
use crate::store::ledger::{NewPointEntry, append_point_entry};
use crate::store::{Db, goods, households};

/// What the clerk chose beside the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The village for a roster without a 村 column.
    pub default_village: Option<String>,
    /// Apply the changes a roster shows to households already in the store.
    pub apply_changes: bool,
    /// A score sheet's month and its approvers.
    pub period: Option<Period>,
    pub approvers: Vec<String>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub points_total: i64,
}

fn sorted(mut refused: Vec<CellError>) -> Vec<CellError> {
    refused.sort_by_key(|c| c.row);
    refused
}

/// The opening points a household was given at its first import.
fn opening_points(tx: &Connection, household_id: i64) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT COALESCE(SUM(amount), 0) FROM point_entry WHERE household_id = ?1 AND kind = 'opening'",
        [household_id],
        |r| r.get(0),
    )?)
}

/// Sorts a roster's rows into add / unchanged / change / refused against the store.
fn roster_preview(
    tx: &Connection,
    file: &str,
    rows: &[(usize, NewHousehold)],
    refused: Vec<CellError>,
) -> Result<ImportPreview> {
    let mut preview = ImportPreview::new(ImportKind::Households, file);
    preview.refused = refused;
    for (row, new) in rows {
        let h = &new.household;
        let key = h.number.to_string();
        let text = household_line(h);
        let Some(old) = households::find(tx, &h.number)? else {
            preview.add.push(PreviewLine {
                row: *row,
                key,
                text,
            });
            continue;
        };
        let refuse = |column: &str, problem| CellError {
            row: *row,
            column: column.into(),
            problem,
        };
        let o = &old.household;
        if (o.village.as_str(), o.group.as_str()) != (h.village.as_str(), h.group.as_str()) {
            let problem = Problem::MovedGroup {
                from: format!("{}{}", o.village, o.group),
                to: format!("{}{}", h.village, h.group),
            };
            preview.refused.push(refuse("村小组", problem));
            continue;
        }
        let recorded = opening_points(tx, old.id)?;
        if new.opening_points.0 != 0 && new.opening_points.0 != recorded {
            let problem = Problem::OpeningPointsDiffer {
                recorded,
                found: new.opening_points.0,
            };
            preview.refused.push(refuse("期初积分", problem));
            continue;
        }
        let changes = household_changes(o, h);
        if changes.is_empty() {
            preview.unchanged.push(PreviewLine {
                row: *row,
                key,
                text,
            });
        } else {
            preview.changes.push(ChangeLine {
                row: *row,
                key,
                text: household_line(o),
                changes,
            });
        }
    }
    preview.refused = sorted(preview.refused);
    Ok(preview)
}

fn roster(file: &str, grid: &Grid, options: &ImportOptions) -> Result<Parsed<NewHousehold>> {
    import_rows::households_sheet(grid, options.default_village.as_deref())
        .map_err(|c| import_error(file, c))
}

pub fn preview_households(
    db: &mut Db,
    file: &str,
    grid: &Grid,
    options: &ImportOptions,
) -> Result<ImportPreview> {
    let parsed = roster(file, grid, options)?;
    db.read(|tx| roster_preview(tx, file, &parsed.rows, parsed.refused))
}

/// Writes a roster: its new households (with their opening points) and, with
/// `apply_changes`, its changes. Any refused row refuses the whole file.
pub fn apply_households(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    grid: &Grid,
    options: &ImportOptions,
    now: NaiveDateTime,
) -> Result<ImportOutcome> {
    actor.require(Action::ImportHouseholds)?;
    let Parsed { rows, refused } = roster(file, grid, options)?;
    if rows.is_empty() && refused.is_empty() {
        return Err(import_error(
            file,
            CellError {
                row: 0,
                column: String::new(),
                problem: Problem::NoRows,
            },
        ));
    }
    db.write(|tx| {
        let preview = roster_preview(tx, file, &rows, refused)?;
        if let Some(first) = preview.refused.into_iter().next() {
            return Err(import_error(file, first));
        }
        let mut points_total = 0;
        for (row, new) in rows
            .iter()
            .filter(|(r, _)| preview.add.iter().any(|a| a.row == *r))
        {
            points_total += add_household(tx, actor, file, *row, new, now)?;
            #[cfg(feature = "failpoints")]
            fail::fail_point!("import::after_row", |_| Err(
                crate::store::StoreError::Invariant("fault injected mid-import".into()).into()
            ));
        }
        let changed = if options.apply_changes {
            preview.changes.len()
        } else {
            0
        };
        for change in preview.changes.iter().take(changed) {
            let (_, new) = rows
                .iter()
                .find(|(r, _)| *r == change.row)
                .expect("a change comes from a row");
            apply_change(tx, actor, file, change, new, now)?;
        }
        let outcome = ImportOutcome {
            file: file.to_string(),
            added: preview.add.len(),
            changed,
            unchanged: preview.unchanged.len(),
            points_total,
        };
        audit(
            tx,
            Some(actor.id),
            "import_households",
            json!({
                "file": file, "rows": outcome.added, "changed": outcome.changed,
                "unchanged": outcome.unchanged, "opening_points": points_total,
            }),
            now,
        )?;
        Ok(outcome)
    })
}

fn add_household(
    tx: &Connection,
    actor: &Actor,
    file: &str,
    row: usize,
    new: &NewHousehold,
    now: NaiveDateTime,
) -> Result<i64> {
    let id = households::insert(tx, &new.household, now)?;
    if new.opening_points.0 <= 0 {
        return Ok(0);
    }
    append_point_entry(
        tx,
        NewPointEntry {
            household_id: id,
            household_no: &new.household.number,
            kind: PointEntryKind::Opening,
            amount: new.opening_points,
            period: None,
            redemption_id: None,
            receipt_no: None,
            reason: Some(format!("{file}:{row}")),
            approved_by: None,
            staff: actor.id,
            created_at: now,
        },
    )?;
    Ok(new.opening_points.0)
}

/// One household's change from a roster, audited with what it was and where it came from.
fn apply_change(
    tx: &Connection,
    actor: &Actor,
    file: &str,
    change: &ChangeLine,
    new: &NewHousehold,
    now: NaiveDateTime,
) -> Result<()> {
    let h = &new.household;
    let before = households::find(tx, &h.number)?.expect("previewed in this transaction");
    let phone = h.phone.clone().or(before.household.phone.clone());
    tx.execute(
        "UPDATE household SET head_name = ?2, members = ?3, phone = ?4, kind = ?5 WHERE id = ?1",
        rusqlite::params![before.id, h.head_name, h.members, phone, h.kind.as_db()],
    )?;
    audit(
        tx,
        Some(actor.id),
        "import_household_change",
        json!({
            "household": h.number.as_str(), "file": file, "row": change.row, "changes": change.changes,
            "before": before.household,
        }),
        now,
    )
}

fn goods_preview(
    tx: &Connection,
    file: &str,
    rows: &[(usize, NewGoods)],
    refused: Vec<CellError>,
    today: chrono::NaiveDate,
) -> Result<ImportPreview> {
    let mut preview = ImportPreview::new(ImportKind::Goods, file);
    preview.refused = refused;
    for (row, new) in rows {
        let g = &new.goods;
        let key = g.code.to_string();
        let text = format!("{} {}分/{}", g.name, new.price_points.0, g.unit);
        match goods::find(tx, &g.code)? {
            None => {
                if let Some(barcode) = &g.barcode
                    && goods::find_by_code_or_barcode(tx, barcode)?.is_some()
                {
                    preview.refused.push(CellError {
                        row: *row,
                        column: "条码".into(),
                        problem: Problem::AlreadyExists(barcode.clone()),
                    });
                    continue;
                }
                preview.add.push(PreviewLine {
                    row: *row,
                    key,
                    text,
                });
            }
            Some(old) => {
                let price = goods::price_on(tx, &g.code, today)?;
                let changes = goods_changes(&old, price, new);
                if changes.is_empty() {
                    preview.unchanged.push(PreviewLine {
                        row: *row,
                        key,
                        text,
                    });
                } else {
                    let text = format!(
                        "{} {}/{}",
                        old.name,
                        price.map_or(0, |p: Points| p.0),
                        old.unit
                    );
                    preview.changes.push(ChangeLine {
                        row: *row,
                        key,
                        text,
                        changes,
                    });
                }
            }
        }
    }
    preview.refused = sorted(preview.refused);
    Ok(preview)
}

pub fn preview_goods(
    db: &mut Db,
    file: &str,
    grid: &Grid,
    today: chrono::NaiveDate,
) -> Result<ImportPreview> {
    let parsed = import_rows::goods_sheet(grid).map_err(|c| import_error(file, c))?;
    db.read(|tx| goods_preview(tx, file, &parsed.rows, parsed.refused, today))
}

/// Adds a sheet's new goods with their first price from today. Goods already in the store are
/// left as they are (a price change needs an approved price on the goods screen).
pub fn apply_goods(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    grid: &Grid,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    actor.require(Action::ImportGoods)?;
    let parsed = import_rows::goods_sheet(grid).map_err(|c| import_error(file, c))?;
    if parsed.rows.is_empty() && parsed.refused.is_empty() {
        return Err(import_error(
            file,
            CellError {
                row: 0,
                column: String::new(),
                problem: Problem::NoRows,
            },
        ));
    }
    db.write(|tx| {
        let preview = goods_preview(tx, file, &parsed.rows, parsed.refused.clone(), now.date())?;
        if let Some(first) = preview.refused.into_iter().next() {
            return Err(import_error(file, first));
        }
        let added: Vec<&NewGoods> = parsed
            .rows
            .iter()
            .filter(|(r, _)| preview.add.iter().any(|a| a.row == *r))
            .map(|(_, g)| g)
            .collect();
        for new in &added {
            goods::insert(tx, &new.goods, now)?;
            goods::insert_price(
                tx,
                &goods::NewPrice {
                    goods: &new.goods.code,
                    price_points: new.price_points,
                    effective_from: now.date(),
                    set_by: actor.id,
                    approved_by: None,
                    created_at: now,
                },
            )?;
        }
        audit(
            tx,
            Some(actor.id),
            "import_goods",
            json!({ "file": file, "rows": added.len(), "unchanged": preview.unchanged.len() }),
            now,
        )?;
        Ok(ImportSummary {
            file: file.to_string(),
            rows: added.len(),
            points_total: 0,
        })
    })
}

/// A score sheet's preview: the households to credit, and the rows refused.
pub fn preview_scores_rows(
    db: &mut Db,
    file: &str,
    grid: &Grid,
    period: Period,
) -> Result<ImportPreview> {
    let parsed = import_rows::scores_sheet(grid).map_err(|c| import_error(file, c))?;
    let mut preview = ImportPreview::new(ImportKind::Scores, file);
    preview.refused = parsed.refused;
    db.read(|tx| {
        for (row, score) in &parsed.rows {
            match super::import::check_score(tx, file, score, period) {
                Ok(checked) => preview.add.push(PreviewLine {
                    row: *row,
                    key: checked.household.to_string(),
                    text: format!(
                        "{}{} {} → {}",
                        checked.village, checked.group, checked.score, checked.points.0
                    ),
                }),
                Err(super::Error::Import { cell, .. }) => preview.refused.push(cell),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    })?;
    preview.refused = sorted(preview.refused);
    Ok(preview)
}

/// The preview of any kind of sheet.
pub fn preview(
    db: &mut Db,
    kind: ImportKind,
    file: &str,
    grid: &Grid,
    options: &ImportOptions,
    today: chrono::NaiveDate,
) -> Result<ImportPreview> {
    match kind {
        ImportKind::Households => preview_households(db, file, grid, options),
        ImportKind::Goods => preview_goods(db, file, grid, today),
        ImportKind::Stock => super::opening_stock::preview_stock(db, file, grid),
        ImportKind::Scores => {
            // A sheet is scored at the end of its month: last month, unless the clerk chose.
            let period = options.period.unwrap_or_else(|| {
                Period::of(
                    today
                        .with_day(1)
                        .and_then(|d| d.pred_opt())
                        .unwrap_or(today),
                )
            });
            preview_scores_rows(db, file, grid, period)
        }
    }
}
