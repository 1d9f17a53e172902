//! Stock in and out other than redemptions: donations, purchases, adjustments, prices.

use crate::core::staff_rules::Approval;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::ledger::StockMovementKind;
use crate::core::redemption::{CartLine, merge_lines};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{AmountCents, GoodsCode, Points, Qty};
use crate::store::ledger::{MovementSource, NewStockMovement, append_stock_movement, on_hand};
use crate::store::{Db, format_time, goods};

/// One line of goods received, with its estimated value (donations) or cost (purchases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveLine {
    pub code: GoodsCode,
    pub qty: Qty,
    pub value: Option<AmountCents>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    pub donor: String,
    pub contact: Option<String>,
    pub received_on: NaiveDate,
    pub lines: Vec<ReceiveLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub supplier: String,
    /// The VAT invoice number: the rules require a proper invoice for every purchase.
    pub invoice_no: String,
    pub amount: AmountCents,
    pub received_on: NaiveDate,
    pub lines: Vec<ReceiveLine>,
}

/// What was received, for the slip and the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    /// `D12` for the twelfth donation, `P3` for the third purchase.
    pub reference: String,
    pub lines: Vec<(GoodsCode, Qty, Qty)>,
}

fn check_lines(tx: &rusqlite::Connection, lines: &[ReceiveLine]) -> Result<()> {
    if lines.is_empty() {
        return Err(Refusal::EmptyCart.into());
    }
    for line in lines {
        if line.qty.0 <= 0 {
            return Err(Refusal::BadQuantity {
                code: line.code.clone(),
            }
            .into());
        }
        if goods::find(tx, &line.code)?.is_none() {
            return Err(Refusal::UnknownGoods(line.code.clone()).into());
        }
    }
    Ok(())
}

fn post_lines(
    tx: &rusqlite::Connection,
    actor: &Actor,
    kind: StockMovementKind,
    source: impl Fn() -> MovementSource,
    lines: &[ReceiveLine],
    best_before: &BestBefore,
    now: NaiveDateTime,
) -> Result<Vec<(GoodsCode, Qty, Qty)>> {
    let mut out = Vec::new();
    for line in lines {
        let movement = append_stock_movement(
            tx,
            NewStockMovement {
                goods: &line.code,
                kind,
                qty: line.qty,
                source: source(),
                reason: None,
                value: line.value,
                staff: actor.id,
                created_at: now,
            },
        )?;
        if let Some(day) = best_before.get(&line.code) {
            tx.execute(
                "INSERT INTO movement_best_before (movement_id, best_before) VALUES (?1, ?2)",
                rusqlite::params![movement.id, day.to_string()],
            )?;
        }
        out.push((line.code.clone(), line.qty, movement.stock_after));
    }
    Ok(out)
}

/// Best-before dates of a delivery's goods (rice, oil…), by goods code.
pub type BestBefore = std::collections::HashMap<GoodsCode, NaiveDate>;

pub fn receive_donation(
    db: &mut Db,
    actor: &Actor,
    donation: &Donation,
    now: NaiveDateTime,
) -> Result<Received> {
    receive_donation_dated(db, actor, donation, &BestBefore::new(), now)
}

/// Receives a donation whose goods carry best-before dates.
pub fn receive_donation_dated(
    db: &mut Db,
    actor: &Actor,
    donation: &Donation,
    best_before: &BestBefore,
    now: NaiveDateTime,
) -> Result<Received> {
    actor.require(Action::ReceiveStock)?;
    let donor = donation.donor.trim();
    if donor.is_empty() {
        return Err(Refusal::MissingDonor.into());
    }
    db.write(|tx| {
        check_lines(tx, &donation.lines)?;
        tx.execute(
            "INSERT INTO donation (donor, contact, received_on, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![donor, donation.contact, donation.received_on.to_string(), actor.id.0, format_time(now)],
        )?;
        let id = tx.last_insert_rowid();
        let reference = format!("D{id}");
        let source = || MovementSource { donation_id: Some(id), label: Some(reference.clone()), ..Default::default() };
        let lines = post_lines(tx, actor, StockMovementKind::Donation, source, &donation.lines, best_before, now)?;
        audit(tx, Some(actor.id), "receive_donation", json!({ "reference": reference, "donor": donor, "lines": lines.len() }), now)?;
        Ok(Received { reference, lines })
    })
}

pub fn receive_purchase(
    db: &mut Db,
    actor: &Actor,
    purchase: &Purchase,
    now: NaiveDateTime,
) -> Result<Received> {
    receive_purchase_dated(db, actor, purchase, &BestBefore::new(), now)
}

/// Receives a purchase whose goods carry best-before dates.
pub fn receive_purchase_dated(
    db: &mut Db,
    actor: &Actor,
    purchase: &Purchase,
    best_before: &BestBefore,
    now: NaiveDateTime,
) -> Result<Received> {
    receive_purchase_with_invoice(db, actor, purchase, best_before, None, now)
}

/// The purchase recorded with this supplier's invoice number, if any: `(P3, 2026-11-02)`.
fn first_entry(
    tx: &rusqlite::Connection,
    supplier: &str,
    invoice: &str,
) -> Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(tx
        .query_row(
            "SELECT id, received_on FROM purchase WHERE trim(supplier) = ?1 AND trim(invoice_no) = ?2 ORDER BY id LIMIT 1",
            [supplier, invoice],
            |r| Ok((format!("P{}", r.get::<_, i64>(0)?), r.get::<_, String>(1)?)),
        )
        .optional()?)
}

/// Receives a purchase, with a scan or photo of its invoice kept in the data folder. An
/// invoice number this supplier already used is refused, naming the first entry.
pub fn receive_purchase_with_invoice(
    db: &mut Db,
    actor: &Actor,
    purchase: &Purchase,
    best_before: &BestBefore,
    invoice_file: Option<&std::path::Path>,
    now: NaiveDateTime,
) -> Result<Received> {
    actor.require(Action::ReceiveStock)?;
    let (supplier, invoice) = (purchase.supplier.trim(), purchase.invoice_no.trim());
    if supplier.is_empty() {
        return Err(Refusal::MissingSupplier.into());
    }
    if invoice.is_empty() {
        return Err(Refusal::MissingInvoice.into());
    }
    let copy = invoice_file
        .map(|f| super::invoice_files::store_copy(db, f))
        .transpose()?;
    db.write(|tx| {
        check_lines(tx, &purchase.lines)?;
        if let Some((first, received_on)) = first_entry(tx, supplier, invoice)? {
            return Err(Refusal::DuplicateInvoice {
                supplier: supplier.to_string(),
                invoice_no: invoice.to_string(),
                first,
                received_on,
            }
            .into());
        }
        tx.execute(
            "INSERT INTO purchase (supplier, invoice_no, amount_cents, received_on, staff_id, created_at, invoice_file, invoice_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![supplier, invoice, purchase.amount.0, purchase.received_on.to_string(), actor.id.0, format_time(now),
                copy.as_ref().map(|c| c.file.clone()), copy.as_ref().map(|c| c.sha256.clone())],
        )?;
        let id = tx.last_insert_rowid();
        let reference = format!("P{id}");
        let source = || MovementSource { purchase_id: Some(id), label: Some(reference.clone()), ..Default::default() };
        let lines = post_lines(tx, actor, StockMovementKind::Purchase, source, &purchase.lines, best_before, now)?;
        audit(tx, Some(actor.id), "receive_purchase", json!({ "reference": reference, "supplier": supplier, "invoice_no": invoice, "amount_cents": purchase.amount.0, "invoice_sha256": copy.as_ref().map(|c| c.sha256.clone()) }), now)?;
        Ok(Received { reference, lines })
    })
}

/// One recorded purchase, for the stock screen's list (with its invoice copy, if kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRow {
    pub reference: String,
    pub supplier: String,
    pub invoice_no: String,
    pub amount: AmountCents,
    pub received_on: String,
    pub invoice: Option<super::invoice_files::InvoiceCopy>,
}

/// The latest purchases, newest first.
pub fn recent_purchases(db: &mut Db, limit: i64) -> Result<Vec<PurchaseRow>> {
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT id, supplier, invoice_no, amount_cents, received_on, invoice_file, invoice_sha256
             FROM purchase ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            let file: Option<String> = r.get(5)?;
            let sha: Option<String> = r.get(6)?;
            Ok(PurchaseRow {
                reference: format!("P{}", r.get::<_, i64>(0)?),
                supplier: r.get(1)?,
                invoice_no: r.get(2)?,
                amount: AmountCents(r.get(3)?),
                received_on: r.get(4)?,
                invoice: file.zip(sha).map(|(file, sha256)| super::invoice_files::InvoiceCopy { file, sha256 }),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>().map_err(crate::store::StoreError::from)?)
    })
}

/// A manager's correction of stock: a negative change is a write-off (expired, damaged, lost),
/// a positive one a correction. Either needs a reason; stock can never go below zero.
pub fn adjust_stock(
    db: &mut Db,
    actor: &Actor,
    changes: &[CartLine],
    reason: &str,
    now: NaiveDateTime,
) -> Result<Vec<(GoodsCode, Qty, Qty)>> {
    actor.require(Action::AdjustStock)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    let changes = merge_lines(changes);
    if changes.is_empty() {
        return Err(Refusal::EmptyCart.into());
    }
    db.write(|tx| {
        let mut out = Vec::new();
        for change in &changes {
            if change.qty.0 == 0 {
                return Err(Refusal::BadQuantity {
                    code: change.code.clone(),
                }
                .into());
            }
            if goods::find(tx, &change.code)?.is_none() {
                return Err(Refusal::UnknownGoods(change.code.clone()).into());
            }
            let stock = on_hand(tx, &change.code)?;
            if stock.0 + change.qty.0 < 0 {
                return Err(Refusal::BelowZeroStock {
                    code: change.code.clone(),
                    on_hand: stock,
                    change: change.qty,
                }
                .into());
            }
            let kind = if change.qty.0 < 0 {
                StockMovementKind::WriteOff
            } else {
                StockMovementKind::Correction
            };
            let movement = append_stock_movement(
                tx,
                NewStockMovement {
                    goods: &change.code,
                    kind,
                    qty: change.qty,
                    source: MovementSource::default(),
                    reason: Some(reason.to_string()),
                    value: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
            out.push((change.code.clone(), change.qty, movement.stock_after));
        }
        let detail: Vec<_> = changes
            .iter()
            .map(|c| json!({ "code": c.code.as_str(), "qty": c.qty.0 }))
            .collect();
        audit(
            tx,
            Some(actor.id),
            "adjust_stock",
            json!({ "reason": reason, "changes": detail }),
            now,
        )?;
        Ok(out)
    })
}

/// Sets a new point price from a date on; the old versions stay as history.
pub fn set_price(
    db: &mut Db,
    actor: &Actor,
    code: &GoodsCode,
    price: Points,
    effective_from: NaiveDate,
    approved_by: Option<String>,
    now: NaiveDateTime,
) -> Result<()> {
    set_price_decided(
        db,
        actor,
        code,
        price,
        effective_from,
        approved_by.as_deref().unwrap_or(""),
        None,
        now,
    )
}

/// A price change as the printed rules want it: agreed by the village committee (at least one
/// approver's name, and the decision if there is one), starting today or later — never
/// backdated, so no receipt already given changes meaning. The old versions stay as history.
#[allow(clippy::too_many_arguments)]
pub fn set_price_decided(
    db: &mut Db,
    actor: &Actor,
    code: &GoodsCode,
    price: Points,
    effective_from: NaiveDate,
    approved_by: &str,
    decision: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::SetPrice)?;
    if price.0 <= 0 {
        return Err(Refusal::BadPrice.into());
    }
    let approvers: Vec<&str> = approved_by
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if approvers.is_empty() {
        return Err(Refusal::PriceNeedsApprover.into());
    }
    if effective_from < now.date() {
        return Err(Refusal::PriceInThePast {
            from: effective_from.to_string(),
            today: now.date().to_string(),
        }
        .into());
    }
    // The same name twice is one approver (issue 16's rule, one function everywhere).
    let names: Vec<String> = approvers.iter().map(|n| n.to_string()).collect();
    let approved = super::import::approvers_of(&names, Approval::Approver)?.replace(',', "、");
    let decision = decision.map(str::trim).filter(|d| !d.is_empty());
    db.write(|tx| {
        if goods::find(tx, code)?.is_none() {
            return Err(Refusal::UnknownGoods(code.clone()).into());
        }
        goods::insert_price(tx, &goods::NewPrice {
            goods: code,
            price_points: price,
            effective_from,
            set_by: actor.id,
            approved_by: Some(approved.clone()),
            created_at: now,
        })?;
        if let Some(decision) = decision {
            tx.execute("UPDATE price SET decision = ?1 WHERE id = ?2", rusqlite::params![decision, tx.last_insert_rowid()])?;
        }
        audit(tx, Some(actor.id), "set_price", json!({ "code": code.as_str(), "price_points": price.0, "effective_from": effective_from.to_string(), "approved_by": approved, "decision": decision }), now)?;
        Ok(())
    })
}
