//! `township recover`: after an audited restore was accepted as a rollback, the township hands
//! the rolled-back rows back to the store. They cannot go back into the store's chains (the
//! restored history continues from its own heads), so they are kept in `township_recovered`
//! as they were, and summed up for the manager: the points and the goods the restore took back.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::store_log::{RecoveredRow, keep_recovered};
use super::{Result, Township};
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollbackSummary {
    pub rollback_id: i64,
    pub ledger: String,
    pub from_seq: i64,
    pub to_seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovered {
    pub rollbacks: Vec<RollbackSummary>,
    /// Rows the township handed back, and how many of them the store did not have yet.
    pub rows: usize,
    pub new_rows: usize,
    /// Per household: the points the lost entries had moved (a lost redemption: negative).
    pub points: BTreeMap<String, i64>,
    /// Per good: the stock the lost movements had moved.
    pub stock: BTreeMap<String, i64>,
}

/// Only the ledgers' rows go back: the signed record's rolled-back rows (keys, change records,
/// signatures of the lost transactions) stay at the township, which verifies them there.
pub fn recover(town: &mut Township, db: &mut Db, now: NaiveDateTime) -> Result<Recovered> {
    let store_id = town.own_store()?;
    let rollbacks = town
        .client
        .query(
            "SELECT rollback_id, ledger, rolled_from, rolled_to,
                    COALESCE(restore_detail->>'reason', '') FROM township.rollback
             WHERE store_id = $1 AND ledger IN ('point_entry', 'stock_movement', 'audit_log')
             ORDER BY rollback_id",
            &[&store_id],
        )?
        .into_iter()
        .map(|r| RollbackSummary {
            rollback_id: i64::from(r.get::<_, i32>(0)),
            ledger: r.get(1),
            from_seq: r.get(2),
            to_seq: r.get(3),
            reason: r.get(4),
        })
        .collect();
    let rows: Vec<RecoveredRow> = town
        .client
        .query(
            "SELECT rollback_id, ledger, seq, prev_hash, hash, body::text FROM township.rolled_back_row
             WHERE store_id = $1 AND ledger IN ('point_entry', 'stock_movement', 'audit_log')
             ORDER BY rollback_id, ledger, seq",
            &[&store_id],
        )?
        .into_iter()
        .map(|r| RecoveredRow {
            rollback_id: i64::from(r.get::<_, i32>(0)),
            ledger: r.get(1),
            seq: r.get(2),
            prev_hash: r.get(3),
            hash: r.get(4),
            body: r.get(5),
        })
        .collect();
    let new_rows = keep_recovered(db, &rows, now)?;
    let (mut points, mut stock) = (BTreeMap::new(), BTreeMap::new());
    for row in &rows {
        let Ok(body) = serde_json::from_str::<serde_json::Value>(&row.body) else {
            continue;
        };
        let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
        match row.ledger.as_str() {
            "point_entry" => {
                *points.entry(text("household_no")).or_insert(0) +=
                    body["amount"].as_i64().unwrap_or(0)
            }
            "stock_movement" => {
                *stock.entry(text("goods_code")).or_insert(0) += body["qty"].as_i64().unwrap_or(0)
            }
            _ => {}
        }
    }
    Ok(Recovered {
        rollbacks,
        rows: rows.len(),
        new_rows,
        points,
        stock,
    })
}
