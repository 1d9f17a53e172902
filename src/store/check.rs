//! The integrity checks behind `jifen check` and the start-up check: SQLite's own checks, then
//! the ledgers recomputed from scratch — chains, running totals, and redemptions against them.

use std::collections::HashMap;

use rusqlite::Connection;

use super::Result;
pub use super::check_signatures::SigningSummary;
use super::ledger::{for_each_audit_record, for_each_point_entry, for_each_stock_movement};
use crate::core::chain::GENESIS;

/// One thing found wrong, naming where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Integrity(String),
    ForeignKey {
        table: String,
        rowid: i64,
    },
    /// A row that cannot even be read back (a malformed value written behind the app's back).
    Unreadable {
        table: &'static str,
        detail: String,
    },
    BrokenChain {
        table: &'static str,
        id: i64,
    },
    HashMismatch {
        table: &'static str,
        id: i64,
    },
    RunningTotal {
        table: &'static str,
        id: i64,
        expected: i64,
        found: i64,
    },
    Negative {
        table: &'static str,
        id: i64,
    },
    RedemptionMismatch {
        receipt_no: String,
    },
    ReceiptGap {
        year: i32,
        missing: i64,
    },
    /// The scoring register (issue 20): see `register_check`.
    Register(super::register_check::RegisterFault),
    /// The marker of where signatures begin is gone.
    SigningStartMissing,
    /// The rows written before signatures are not the ones the first manager attested.
    AttestationBroken,
    /// A row written since signatures began that no signature covers: made outside the app.
    Unsigned {
        table: &'static str,
        id: i64,
    },
    /// A row inside a signature's span that names another staff member than the signer.
    WrongSigner {
        table: &'static str,
        id: i64,
    },
    /// A transaction signature that does not verify with the key its signer had then.
    BadSignature {
        id: i64,
    },
    /// A row of a signed table that differs from its last signed state.
    RowChanged {
        table: &'static str,
        rowid: i64,
    },
    /// A row of a signed table with no signed state at all: added outside the app.
    RowUnrecorded {
        table: &'static str,
        rowid: i64,
    },
    /// A row the signed record has but the table no longer does: deleted outside the app.
    RowVanished {
        table: &'static str,
        rowid: i64,
    },
    /// One supplier's invoice number on more than one purchase (issue 18).
    DuplicateInvoice {
        supplier: String,
        invoice_no: String,
        purchases: String,
    },
}

/// Runs every check; an empty list means the store is sound.
pub fn run(conn: &Connection) -> Result<Vec<Fault>> {
    Ok(run_with_summary(conn)?.0)
}

/// Runs every check and says where signatures begin and who holds which key.
pub fn run_with_summary(conn: &Connection) -> Result<(Vec<Fault>, SigningSummary)> {
    let mut faults = Vec::new();
    sqlite_checks(conn, &mut faults)?;
    if !faults.is_empty() {
        // The file itself is damaged: what follows would read garbage.
        return Ok((faults, SigningSummary::default()));
    }
    ledger_checks(conn, &mut faults)?;
    let summary = super::check_signatures::run(conn, &mut faults)?;
    Ok((faults, summary))
}

fn ledger_checks(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    check_points(conn, faults)?;
    check_stock(conn, faults)?;
    check_audit(conn, faults)?;
    check_redemptions(conn, faults)?;
    check_returns(conn, faults)?;
    check_owners(conn, faults)?;
    check_receipt_numbers(conn, faults)?;
    super::register_check::check_register_into(conn, faults)?;
    super::check_invoices::duplicate_invoices(conn, faults)?;
    super::transfers::check_transfers(conn, faults)?;
    Ok(())
}

fn sqlite_checks(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let row = row?;
        if row != "ok" {
            faults.push(Fault::Integrity(row));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
    })?;
    for row in rows {
        let (table, rowid) = row?;
        faults.push(Fault::ForeignKey {
            table,
            rowid: rowid.unwrap_or(0),
        });
    }
    Ok(())
}

/// Walks a chain: each row must link to the previous row's hash and carry its own true hash.
struct ChainWalk {
    table: &'static str,
    prev: String,
}

impl ChainWalk {
    fn new(table: &'static str) -> Self {
        ChainWalk {
            table,
            prev: GENESIS.to_string(),
        }
    }

    fn step(
        &mut self,
        id: i64,
        prev_hash: &str,
        hash: &str,
        expected: String,
        faults: &mut Vec<Fault>,
    ) {
        if prev_hash != self.prev {
            faults.push(Fault::BrokenChain {
                table: self.table,
                id,
            });
        }
        if hash != expected {
            faults.push(Fault::HashMismatch {
                table: self.table,
                id,
            });
        }
        self.prev = hash.to_string();
    }
}

fn check_points(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::new("point_entry");
    let mut balances: HashMap<i64, i64> = HashMap::new();
    for_each_point_entry(conn, |entry, household_id| match entry {
        Err(e) => faults.push(Fault::Unreadable {
            table: "point_entry",
            detail: e.to_string(),
        }),
        Ok(entry) => {
            chain.step(
                entry.id,
                &entry.prev_hash,
                &entry.hash,
                entry.expected_hash(),
                faults,
            );
            let running = balances.entry(household_id).or_insert(0);
            let Some(sum) = running.checked_add(entry.amount.0) else {
                faults.push(Fault::Negative {
                    table: "point_entry",
                    id: entry.id,
                });
                return;
            };
            *running = sum;
            if entry.balance_after.0 != *running {
                faults.push(Fault::RunningTotal {
                    table: "point_entry",
                    id: entry.id,
                    expected: *running,
                    found: entry.balance_after.0,
                });
            }
            if *running < 0 {
                faults.push(Fault::Negative {
                    table: "point_entry",
                    id: entry.id,
                });
            }
        }
    })?;
    Ok(())
}

fn check_stock(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::new("stock_movement");
    let mut stock: HashMap<String, i64> = HashMap::new();
    for_each_stock_movement(conn, None, |movement| match movement {
        Err(e) => faults.push(Fault::Unreadable {
            table: "stock_movement",
            detail: e.to_string(),
        }),
        Ok(m) => {
            chain.step(m.id, &m.prev_hash, &m.hash, m.expected_hash(), faults);
            let running = stock.entry(m.goods.to_string()).or_insert(0);
            let Some(sum) = running.checked_add(m.qty.0) else {
                faults.push(Fault::Negative {
                    table: "stock_movement",
                    id: m.id,
                });
                return;
            };
            *running = sum;
            if m.stock_after.0 != *running {
                faults.push(Fault::RunningTotal {
                    table: "stock_movement",
                    id: m.id,
                    expected: *running,
                    found: m.stock_after.0,
                });
            }
            if *running < 0 {
                faults.push(Fault::Negative {
                    table: "stock_movement",
                    id: m.id,
                });
            }
        }
    })?;
    Ok(())
}

fn check_audit(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::new("audit_log");
    for_each_audit_record(conn, |record| match record {
        Err(e) => faults.push(Fault::Unreadable {
            table: "audit_log",
            detail: e.to_string(),
        }),
        Ok(r) => chain.step(r.id, &r.prev_hash, &r.hash, r.expected_hash(), faults),
    })?;
    Ok(())
}

/// Every redemption's total must equal its lines, its debit entry and its stock movements;
/// a service line has no stock movement but one voucher per unit, and a cancelled voucher's
/// reversal returns exactly its points.
fn check_redemptions(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no FROM redemption r
         WHERE r.total_points <> (SELECT COALESCE(SUM(line_points), 0) FROM redemption_line l WHERE l.redemption_id = r.id)
            OR -r.total_points <> (SELECT COALESCE(SUM(amount), 0) FROM point_entry p
                                   WHERE p.redemption_id = r.id AND p.kind = 'redemption_debit')
            OR EXISTS (SELECT 1 FROM redemption_line l WHERE l.redemption_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM service s WHERE s.goods_code = l.goods_code)
                       AND -l.qty <> (SELECT COALESCE(SUM(qty), 0) FROM stock_movement m
                        WHERE m.redemption_id = r.id AND m.goods_code = l.goods_code AND m.kind = 'redemption_issue'))
            OR EXISTS (SELECT 1 FROM redemption_line l JOIN service s ON s.goods_code = l.goods_code
                       WHERE l.redemption_id = r.id
                         AND (l.qty <> (SELECT COUNT(*) FROM voucher v
                                        WHERE v.redemption_id = r.id AND v.goods_code = l.goods_code
                                          AND v.unit_points = l.unit_price_points)
                              OR EXISTS (SELECT 1 FROM stock_movement m
                                         WHERE m.redemption_id = r.id AND m.goods_code = l.goods_code)))
            OR EXISTS (SELECT 1 FROM voucher v LEFT JOIN point_entry p ON p.id = v.reversal_entry_id
                       WHERE v.redemption_id = r.id AND v.reversal_entry_id IS NOT NULL
                         AND (p.id IS NULL OR p.kind <> 'reversal' OR p.amount <> v.unit_points))
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        faults.push(Fault::RedemptionMismatch { receipt_no: row? });
    }
    Ok(())
}

/// Points given back for a redemption match why they were given back: a voided redemption
/// has given back exactly its total, any other exactly its cancelled vouchers.
fn check_returns(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no FROM redemption r
         WHERE (SELECT COALESCE(SUM(amount), 0) FROM point_entry p WHERE p.redemption_id = r.id AND p.kind = 'reversal')
            <> CASE WHEN EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id) THEN r.total_points
                    ELSE (SELECT COALESCE(SUM(unit_points), 0) FROM voucher u
                          WHERE u.redemption_id = r.id AND u.cancelled_at IS NOT NULL) END
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        faults.push(Fault::RedemptionMismatch { receipt_no: row? });
    }
    Ok(())
}

/// Every points entry belongs to the household it names, and a redemption's entries to the
/// redemption's household (the row id is not in the hash; this ties it to what is).
fn check_owners(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT p.id FROM point_entry p JOIN household h ON h.id = p.household_id
         WHERE p.household_no <> h.number
            OR EXISTS (SELECT 1 FROM redemption r WHERE r.id = p.redemption_id AND r.household_id <> p.household_id)
         ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
    for row in rows {
        faults.push(Fault::HashMismatch {
            table: "point_entry",
            id: row?,
        });
    }
    Ok(())
}

/// Where an audited restore made the receipt counter continue: (year, last seq before).
fn restore_floors(conn: &Connection) -> Result<Vec<(i32, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT json_extract(detail, '$.continue_after_year'), json_extract(detail, '$.continue_after_seq')
         FROM audit_log WHERE action = 'restore' AND json_valid(detail)
           AND json_extract(detail, '$.continue_after_seq') IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Receipt numbers run 1, 2, 3… per year with no gap, except where an audited restore made
/// the counter skip the numbers the replaced store had already printed.
fn check_receipt_numbers(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let floors = restore_floors(conn)?;
    let mut stmt = conn.prepare("SELECT year, seq FROM redemption ORDER BY year, seq")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))?;
    let mut last: Option<(i32, i64)> = None;
    for row in rows {
        let (year, seq) = row?;
        let expected = match last {
            Some((y, s)) if y == year => s + 1,
            _ => 1,
        };
        let previous = if expected == 1 { 0 } else { expected - 1 };
        let skipped = floors
            .iter()
            .any(|(y, floor)| *y == year && *floor >= previous && seq == floor + 1);
        if seq != expected && !skipped {
            faults.push(Fault::ReceiptGap {
                year,
                missing: expected,
            });
        }
        last = Some((year, seq));
    }
    // The last number of each year is the counter's: a receipt removed from the end shows.
    let mut stmt = conn.prepare(
        "SELECT c.year, c.last_seq FROM receipt_counter c
         WHERE c.last_seq <> COALESCE((SELECT MAX(seq) FROM redemption r WHERE r.year = c.year), 0)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (year, last) = row?;
        if floors.iter().any(|(y, floor)| *y == year && *floor == last) {
            continue;
        }
        faults.push(Fault::ReceiptGap {
            year,
            missing: last,
        });
    }
    Ok(())
}
