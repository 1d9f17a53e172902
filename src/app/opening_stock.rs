//! Opening stock (期初库存): what is on the shelf on the day the store starts using Jifen, each
//! good once, with where it came from. Entered from a sheet (编码, 数量, 来源) or a form; each
//! line is one stock movement, shown on the stock notice as the goods' 期初.

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::import::{ImportSummary, import_error};
use super::{Actor, Result, audit};
use crate::core::import_preview::{ImportKind, ImportPreview, PreviewLine};
use crate::core::import_rows::{self, CellError, Grid, Parsed, Problem, StockRow};
use crate::core::ledger::StockMovementKind;
use crate::core::staff::Action;
use crate::core::{GoodsCode, Qty};
use crate::store::ledger::{MovementSource, NewStockMovement, append_stock_movement};
use crate::store::{Db, goods};

/// The words kept on the movement: the ledger's reason for a correction.
const REASON: &str = "期初库存";

/// One good's opening stock as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpeningStock {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub qty: Qty,
    pub source: String,
}

/// Checks each line against the store: the good exists and has no stock history yet.
fn check(
    tx: &rusqlite::Connection,
    file: &str,
    rows: &[(usize, StockRow)],
) -> Result<ImportPreview> {
    let mut preview = ImportPreview::new(ImportKind::Stock, file);
    for (row, line) in rows {
        let refuse = |problem| CellError {
            row: *row,
            column: "编码".into(),
            problem,
        };
        let Some(good) = goods::find(tx, &line.code)? else {
            preview
                .refused
                .push(refuse(Problem::UnknownGoods(line.code.to_string())));
            continue;
        };
        let movements: i64 = tx.query_row(
            "SELECT COUNT(*) FROM stock_movement WHERE goods_code = ?1",
            [line.code.as_str()],
            |r| r.get(0),
        )?;
        if movements > 0 {
            preview
                .refused
                .push(refuse(Problem::StockAlreadyEntered(format!(
                    "{} {}",
                    line.code, good.name
                ))));
            continue;
        }
        preview.add.push(PreviewLine {
            row: *row,
            key: line.code.to_string(),
            text: format!(
                "{} {}{} · {}",
                good.name,
                line.qty.0,
                good.unit,
                line.source.as_deref().unwrap_or(REASON)
            ),
        });
    }
    Ok(preview)
}

fn parsed(file: &str, grid: &Grid) -> Result<Parsed<StockRow>> {
    import_rows::stock_sheet(grid).map_err(|c| import_error(file, c))
}

/// What a sheet of opening stock would write, writing nothing.
pub fn preview_stock(db: &mut Db, file: &str, grid: &Grid) -> Result<ImportPreview> {
    let Parsed { rows, mut refused } = parsed(file, grid)?;
    let mut preview = db.read(|tx| check(tx, file, &rows))?;
    refused.append(&mut preview.refused);
    refused.sort_by_key(|c| c.row);
    preview.refused = refused;
    Ok(preview)
}

/// Enters a sheet of opening stock: every line or none.
pub fn import_stock_grid(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    grid: &Grid,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let Parsed { rows, refused } = parsed(file, grid)?;
    if let Some(first) = refused.into_iter().next() {
        return Err(import_error(file, first));
    }
    enter(db, actor, file, &rows, now)
}

/// Enters opening stock typed into the form (row numbers are the form's lines, from 1).
pub fn enter_opening_stock(
    db: &mut Db,
    actor: &Actor,
    lines: &[StockRow],
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let rows: Vec<(usize, StockRow)> = lines
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    let form: String = rust_i18n::t!("setup.stock.form_name").into();
    enter(db, actor, &form, &rows, now)
}

fn enter(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    rows: &[(usize, StockRow)],
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    actor.require(Action::AdjustStock)?;
    if rows.is_empty() {
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
        let preview = check(tx, file, rows)?;
        if let Some(first) = preview.refused.into_iter().next() {
            return Err(import_error(file, first));
        }
        let mut total = 0;
        for (_, line) in rows {
            let source = line.source.clone().unwrap_or_else(|| REASON.to_string());
            let movement = append_stock_movement(
                tx,
                NewStockMovement {
                    goods: &line.code,
                    kind: StockMovementKind::Correction,
                    qty: line.qty,
                    source: MovementSource {
                        label: Some(source.clone()),
                        ..Default::default()
                    },
                    reason: Some(REASON.to_string()),
                    value: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
            tx.execute(
                "INSERT INTO opening_stock (movement_id, goods_code, source) VALUES (?1, ?2, ?3)",
                rusqlite::params![movement.id, line.code.as_str(), source],
            )?;
            total += line.qty.0;
        }
        audit(
            tx,
            Some(actor.id),
            "opening_stock",
            json!({ "file": file, "rows": rows.len(), "qty": total }),
            now,
        )?;
        Ok(ImportSummary {
            file: file.to_string(),
            rows: rows.len(),
            points_total: 0,
        })
    })
}

/// Every good's opening stock, by code.
pub fn opening_stock(db: &mut Db) -> Result<Vec<OpeningStock>> {
    db.read(|tx| opening_stock_in(tx))
}

pub(crate) fn opening_stock_in(tx: &rusqlite::Connection) -> Result<Vec<OpeningStock>> {
    let mut stmt = tx.prepare(
        "SELECT o.goods_code, g.name, g.unit, m.qty, o.source FROM opening_stock o
         JOIN stock_movement m ON m.id = o.movement_id JOIN goods g ON g.code = o.goods_code
         ORDER BY o.goods_code",
    )?;
    let rows = stmt.query_map([], |r| {
        let code: String = r.get(0)?;
        Ok(OpeningStock {
            code: crate::store::parse_stored(&code, |s| s.parse().ok())?,
            name: r.get(1)?,
            unit: r.get(2)?,
            qty: Qty(r.get(3)?),
            source: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
