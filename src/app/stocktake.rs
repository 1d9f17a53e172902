//! Stocktake (盘点): print a count sheet, enter what was counted, review the differences, post
//! them as corrections in one step. The counter keeps redeeming meanwhile: each count is
//! compared with the stock on hand when it is entered, and posting applies that difference to
//! the stock as it then stands (what left the shelf after the count left the ledger too).

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::ledger::StockMovementKind;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{GoodsCode, Qty};
use crate::store::ledger::{MovementSource, NewStockMovement, append_stock_movement, on_hand};
use crate::store::{Db, stocktake};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetLine {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub expected: Qty,
    pub counted: Option<Qty>,
}

impl SheetLine {
    /// counted − expected, once counted.
    pub fn difference(&self) -> Option<i64> {
        self.counted.map(|c| c.0 - self.expected.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sheet {
    pub id: i64,
    pub lines: Vec<SheetLine>,
}

/// Starts a stocktake (or returns the one already open).
pub fn start_stocktake(db: &mut Db, actor: &Actor, now: NaiveDateTime) -> Result<Sheet> {
    actor.require(Action::ReceiveStock)?;
    db.write(|tx| {
        let id = match stocktake::open_id(tx)? {
            Some(id) => id,
            None => {
                let id = stocktake::start(tx, actor.id, now)?;
                audit(
                    tx,
                    Some(actor.id),
                    "start_stocktake",
                    json!({ "stocktake": id }),
                    now,
                )?;
                id
            }
        };
        sheet_in(tx, id)
    })
}

fn sheet_in(tx: &rusqlite::Connection, id: i64) -> Result<Sheet> {
    let lines = stocktake::lines(tx, id)?
        .into_iter()
        .map(|l| SheetLine {
            code: l.code,
            name: l.name,
            unit: l.unit,
            expected: l.expected,
            counted: l.counted,
        })
        .collect();
    Ok(Sheet { id, lines })
}

/// The open stocktake's sheet, if one is open.
pub fn open_sheet(db: &mut Db) -> Result<Option<Sheet>> {
    db.read(|tx| {
        stocktake::open_id(tx)?
            .map(|id| sheet_in(tx, id))
            .transpose()
    })
}

/// Enters counted quantities (staff counting may enter them in several goes).
pub fn record_counts(
    db: &mut Db,
    actor: &Actor,
    counts: &[(GoodsCode, Qty)],
    now: NaiveDateTime,
) -> Result<Sheet> {
    actor.require(Action::ReceiveStock)?;
    db.write(|tx| {
        let id = stocktake::open_id(tx)?.ok_or(Refusal::NoOpenStocktake)?;
        for (code, counted) in counts {
            if counted.0 < 0 {
                return Err(Refusal::BadQuantity { code: code.clone() }.into());
            }
            if !stocktake::set_count(tx, id, code, *counted)? {
                return Err(Refusal::UnknownGoods(code.clone()).into());
            }
        }
        audit(
            tx,
            Some(actor.id),
            "record_counts",
            json!({ "stocktake": id, "lines": counts.len() }),
            now,
        )?;
        sheet_in(tx, id)
    })
}

/// Posts the differences of every counted line as stocktake corrections, in one step (manager).
/// Returns the corrections made: (code, difference, stock after).
pub fn post_stocktake(
    db: &mut Db,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Vec<(GoodsCode, Qty, Qty)>> {
    actor.require(Action::AdjustStock)?;
    db.write(|tx| {
        let id = stocktake::open_id(tx)?.ok_or(Refusal::NoOpenStocktake)?;
        let sheet = sheet_in(tx, id)?;
        let mut out = Vec::new();
        for line in &sheet.lines {
            let Some(diff) = line.difference().filter(|d| *d != 0) else {
                continue;
            };
            let stock = on_hand(tx, &line.code)?;
            if stock.0 + diff < 0 {
                return Err(Refusal::BelowZeroStock {
                    code: line.code.clone(),
                    on_hand: stock,
                    change: Qty(diff),
                }
                .into());
            }
            let movement = append_stock_movement(
                tx,
                NewStockMovement {
                    goods: &line.code,
                    kind: StockMovementKind::Stocktake,
                    qty: Qty(diff),
                    source: MovementSource {
                        label: Some(format!("S{id}")),
                        ..Default::default()
                    },
                    reason: Some(format!("盘点 #{id}")),
                    value: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
            out.push((line.code.clone(), Qty(diff), movement.stock_after));
        }
        stocktake::mark_posted(tx, id, actor.id, now)?;
        audit(
            tx,
            Some(actor.id),
            "post_stocktake",
            json!({ "stocktake": id, "corrections": out.len() }),
            now,
        )?;
        Ok(out)
    })
}
