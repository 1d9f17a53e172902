//! Issue 18's check: a purchase invoice recorded twice for one supplier. Since migration 016 a
//! trigger refuses a new duplicate, but a store from before may hold some; `jifen check` names
//! them (the stock was counted twice) instead of a migration that fails on them.

use rusqlite::Connection;

use super::Result;
use super::check::Fault;

pub fn duplicate_invoices(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT trim(supplier), trim(invoice_no), group_concat('P' || id, '、') FROM
           (SELECT id, supplier, invoice_no FROM purchase ORDER BY id)
         GROUP BY trim(supplier), trim(invoice_no) HAVING COUNT(*) > 1 ORDER BY MIN(id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Fault::DuplicateInvoice {
            supplier: r.get(0)?,
            invoice_no: r.get(1)?,
            purchases: r.get(2)?,
        })
    })?;
    for row in rows {
        faults.push(row?);
    }
    Ok(())
}
