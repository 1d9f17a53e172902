//! Appending to the points and stock ledgers and the audit log. Every append reads the
//! running total and the chain head inside the caller's transaction, checks the invariant,
//! and writes one row; the schema's triggers check the same thing again.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError, format_time, parse_stored, parse_time};
use crate::core::chain::GENESIS;
use crate::core::ledger::{
    AuditRecord, PointEntry, PointEntryKind, StockMovement, StockMovementKind, apply,
};
use crate::core::{AmountCents, GoodsCode, HouseholdNo, Period, Points, Qty, StaffId};

/// What a service wants to add to a household's points.
pub struct NewPointEntry<'a> {
    pub household_id: i64,
    pub household_no: &'a HouseholdNo,
    pub kind: PointEntryKind,
    pub amount: Points,
    pub period: Option<Period>,
    pub redemption_id: Option<i64>,
    pub receipt_no: Option<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
}

/// Where a stock movement came from.
#[derive(Default)]
pub struct MovementSource {
    pub donation_id: Option<i64>,
    pub purchase_id: Option<i64>,
    pub redemption_id: Option<i64>,
    /// Human-readable reference hashed into the chain: `D12`, `P3`, a receipt number.
    pub label: Option<String>,
}

pub struct NewStockMovement<'a> {
    pub goods: &'a GoodsCode,
    pub kind: StockMovementKind,
    pub qty: Qty,
    pub source: MovementSource,
    pub reason: Option<String>,
    pub value: Option<AmountCents>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
}

/// The next row's id and `prev_hash`, refusing a write whose clock reads earlier than the
/// chain's last row: time only moves forward in a ledger (a PC whose clock was set back would
/// otherwise date entries before ones already printed). Same read as before, one more column.
fn next_id_and_head(conn: &Connection, table: &str, at: NaiveDateTime) -> Result<(i64, String)> {
    let sql = format!("SELECT id, hash, created_at FROM {table} ORDER BY id DESC LIMIT 1");
    let last: Option<(i64, String, String)> = conn
        .prepare_cached(&sql)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match last {
        Some((id, hash, created)) => {
            let last_at = parse_time(&created)?;
            if at < last_at {
                return Err(StoreError::ClockBehind { last: last_at });
            }
            (id + 1, hash)
        }
        None => (1, GENESIS.to_string()),
    })
}

/// A household's balance: the running total kept on its latest entry (checked against the
/// sum of all entries by `check`).
pub fn balance(conn: &Connection, household_id: i64) -> Result<Points> {
    let balance: Option<i64> = conn
        .prepare_cached("SELECT balance_after FROM point_entry WHERE household_id = ?1 ORDER BY id DESC LIMIT 1")?.query_row([household_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Points(balance.unwrap_or(0)))
}

pub fn append_point_entry(conn: &Connection, new: NewPointEntry<'_>) -> Result<PointEntry> {
    let before = balance(conn, new.household_id)?;
    append_point_entry_after(conn, new, before)
}

/// [`append_point_entry`] for a caller that has just read the household's balance in the same
/// transaction (a redemption checks the cart against it): not read again. A wrong `before`
/// cannot slip through: the insert trigger checks the running total against the last entry.
pub fn append_point_entry_after(
    conn: &Connection,
    new: NewPointEntry<'_>,
    before: Points,
) -> Result<PointEntry> {
    if !new.kind.allows(new.amount) {
        return Err(StoreError::Invariant(format!(
            "a {} entry of {} points",
            new.kind.as_db(),
            new.amount
        )));
    }
    let after = apply(before.0, new.amount.0).ok_or_else(|| {
        StoreError::Invariant(format!(
            "household {} would go from {} to below zero",
            new.household_no, before
        ))
    })?;
    let (id, prev_hash) = next_id_and_head(conn, "point_entry", new.created_at)?;
    let mut entry = PointEntry {
        id,
        household: new.household_no.clone(),
        kind: new.kind,
        amount: new.amount,
        balance_after: Points(after),
        period: new.period,
        receipt_no: new.receipt_no,
        reason: new.reason,
        approved_by: new.approved_by,
        staff: new.staff,
        created_at: new.created_at,
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.expected_hash();
    conn.prepare_cached("INSERT INTO point_entry (id, household_id, household_no, kind, amount, balance_after, period,
            redemption_id, receipt_no, reason, approved_by, staff_id, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")?.execute(params![
            entry.id,
            new.household_id,
            entry.household.as_str(),
            entry.kind.as_db(),
            entry.amount.0,
            entry.balance_after.0,
            entry.period.map(|p| p.to_string()),
            new.redemption_id,
            entry.receipt_no,
            entry.reason,
            entry.approved_by,
            entry.staff.0,
            format_time(entry.created_at),
            entry.prev_hash,
            entry.hash,
        ],
    )?;
    Ok(entry)
}

pub fn on_hand(conn: &Connection, goods: &GoodsCode) -> Result<Qty> {
    let stock: Option<i64> = conn
        .prepare_cached(
            "SELECT stock_after FROM stock_movement WHERE goods_code = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([goods.as_str()], |r| r.get(0))
        .optional()?;
    Ok(Qty(stock.unwrap_or(0)))
}

pub fn append_stock_movement(
    conn: &Connection,
    new: NewStockMovement<'_>,
) -> Result<StockMovement> {
    let before = on_hand(conn, new.goods)?;
    append_stock_movement_after(conn, new, before)
}

/// [`append_stock_movement`] for a caller that has just read the good's stock on hand in the
/// same transaction; the insert trigger checks `before` against the last movement.
pub fn append_stock_movement_after(
    conn: &Connection,
    new: NewStockMovement<'_>,
    before: Qty,
) -> Result<StockMovement> {
    if !new.kind.allows(new.qty) {
        return Err(StoreError::Invariant(format!(
            "a {} movement of {}",
            new.kind.as_db(),
            new.qty
        )));
    }
    let after = apply(before.0, new.qty.0).ok_or_else(|| {
        StoreError::Invariant(format!("stock of {} would go below zero", new.goods))
    })?;
    let (id, prev_hash) = next_id_and_head(conn, "stock_movement", new.created_at)?;
    let mut movement = StockMovement {
        id,
        goods: new.goods.clone(),
        kind: new.kind,
        qty: new.qty,
        stock_after: Qty(after),
        source: new.source.label.clone(),
        reason: new.reason,
        value: new.value,
        staff: new.staff,
        created_at: new.created_at,
        prev_hash,
        hash: String::new(),
    };
    movement.hash = movement.expected_hash();
    conn.prepare_cached("INSERT INTO stock_movement (id, goods_code, kind, qty, stock_after, donation_id, purchase_id,
            redemption_id, source, reason, value_cents, staff_id, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")?.execute(params![
            movement.id,
            movement.goods.as_str(),
            movement.kind.as_db(),
            movement.qty.0,
            movement.stock_after.0,
            new.source.donation_id,
            new.source.purchase_id,
            new.source.redemption_id,
            movement.source,
            movement.reason,
            movement.value.map(|v| v.0),
            movement.staff.0,
            format_time(movement.created_at),
            movement.prev_hash,
            movement.hash,
        ],
    )?;
    Ok(movement)
}

/// Records who did what. `detail` is a JSON object describing the write.
pub fn append_audit(
    conn: &Connection,
    staff: Option<StaffId>,
    action: &str,
    detail: &serde_json::Value,
    created_at: NaiveDateTime,
) -> Result<()> {
    let (id, prev_hash) = next_id_and_head(conn, "audit_log", created_at)?;
    let mut record = AuditRecord {
        id,
        staff,
        action: action.to_string(),
        detail: detail.to_string(),
        created_at,
        prev_hash,
        hash: String::new(),
    };
    record.hash = record.expected_hash();
    conn.prepare_cached(
        "INSERT INTO audit_log (id, staff_id, action, detail, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        record.id,
        record.staff.map(|s| s.0),
        record.action,
        record.detail,
        format_time(record.created_at),
        record.prev_hash,
        record.hash,
    ])?;
    Ok(())
}

const POINT_ENTRY_COLUMNS: &str =
    "id, household_no, kind, amount, balance_after, period, receipt_no,
    reason, approved_by, staff_id, created_at, prev_hash, hash";

fn point_entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PointEntry> {
    let household: String = r.get(1)?;
    let kind: String = r.get(2)?;
    let period: Option<String> = r.get(5)?;
    Ok(PointEntry {
        id: r.get(0)?,
        household: parse_stored(&household, |s| s.parse().ok())?,
        kind: parse_stored(&kind, PointEntryKind::from_db)?,
        amount: Points(r.get(3)?),
        balance_after: Points(r.get(4)?),
        period: match period {
            Some(p) => Some(parse_stored(&p, |s| s.parse().ok())?),
            None => None,
        },
        receipt_no: r.get(6)?,
        reason: r.get(7)?,
        approved_by: r.get(8)?,
        staff: StaffId(r.get(9)?),
        created_at: parse_time(&r.get::<_, String>(10)?)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

/// Every entry of one household, oldest first.
pub fn point_entries_of(conn: &Connection, household_id: i64) -> Result<Vec<PointEntry>> {
    let sql = format!(
        "SELECT {POINT_ENTRY_COLUMNS} FROM point_entry WHERE household_id = ?1 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([household_id], point_entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Walks the whole points ledger in chain order, calling `visit` for each entry.
pub fn for_each_point_entry(
    conn: &Connection,
    visit: impl FnMut(rusqlite::Result<PointEntry>, i64),
) -> Result<()> {
    for_each_point_entry_after(conn, 0, visit)
}

/// Every points entry after `after` (an incremental check starts from its verified head).
pub fn for_each_point_entry_after(
    conn: &Connection,
    after: i64,
    mut visit: impl FnMut(rusqlite::Result<PointEntry>, i64),
) -> Result<()> {
    let sql = format!(
        "SELECT {POINT_ENTRY_COLUMNS}, household_id FROM point_entry WHERE id > ?1 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([after])?;
    while let Some(row) = rows.next()? {
        let household_id: i64 = row.get(13)?;
        visit(point_entry_from_row(row), household_id);
    }
    Ok(())
}

fn stock_movement_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StockMovement> {
    let goods: String = r.get(1)?;
    let kind: String = r.get(2)?;
    Ok(StockMovement {
        id: r.get(0)?,
        goods: parse_stored(&goods, |s| s.parse().ok())?,
        kind: parse_stored(&kind, StockMovementKind::from_db)?,
        qty: Qty(r.get(3)?),
        stock_after: Qty(r.get(4)?),
        source: r.get(5)?,
        reason: r.get(6)?,
        value: r.get::<_, Option<i64>>(7)?.map(AmountCents),
        staff: StaffId(r.get(8)?),
        created_at: parse_time(&r.get::<_, String>(9)?)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const STOCK_MOVEMENT_COLUMNS: &str = "id, goods_code, kind, qty, stock_after, source, reason,
    value_cents, staff_id, created_at, prev_hash, hash";

/// Movements of one good (or all goods), oldest first.
pub fn stock_movements(conn: &Connection, goods: Option<&GoodsCode>) -> Result<Vec<StockMovement>> {
    let mut out = Vec::new();
    for_each_stock_movement(conn, goods, |m| out.push(m))?;
    Ok(out.into_iter().collect::<rusqlite::Result<_>>()?)
}

pub fn for_each_stock_movement(
    conn: &Connection,
    goods: Option<&GoodsCode>,
    visit: impl FnMut(rusqlite::Result<StockMovement>),
) -> Result<()> {
    for_each_stock_movement_after(conn, goods, 0, visit)
}

/// Every stock movement after `after`, of one good or all.
pub fn for_each_stock_movement_after(
    conn: &Connection,
    goods: Option<&GoodsCode>,
    after: i64,
    mut visit: impl FnMut(rusqlite::Result<StockMovement>),
) -> Result<()> {
    let sql = format!(
        "SELECT {STOCK_MOVEMENT_COLUMNS} FROM stock_movement
         WHERE (?1 IS NULL OR goods_code = ?1) AND id > ?2 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params![goods.map(|g| g.as_str()), after])?;
    while let Some(row) = rows.next()? {
        visit(stock_movement_from_row(row));
    }
    Ok(())
}

pub fn for_each_audit_record(
    conn: &Connection,
    visit: impl FnMut(rusqlite::Result<AuditRecord>),
) -> Result<()> {
    for_each_audit_record_after(conn, 0, visit)
}

/// Every audit record after `after`.
pub fn for_each_audit_record_after(
    conn: &Connection,
    after: i64,
    mut visit: impl FnMut(rusqlite::Result<AuditRecord>),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, staff_id, action, detail, created_at, prev_hash, hash FROM audit_log
         WHERE id > ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([after])?;
    while let Some(row) = rows.next()? {
        visit((|| {
            Ok(AuditRecord {
                id: row.get(0)?,
                staff: row.get::<_, Option<i64>>(1)?.map(StaffId),
                action: row.get(2)?,
                detail: row.get(3)?,
                created_at: parse_time(&row.get::<_, String>(4)?)?,
                prev_hash: row.get(5)?,
                hash: row.get(6)?,
            })
        })());
    }
    Ok(())
}
