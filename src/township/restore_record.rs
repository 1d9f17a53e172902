//! The restore record: the audit entry an audited restore (issue 15) writes as the first
//! record of the restored store, and what lets the township tell a marked rollback from a
//! fork. Agreed format (audit action `restore`, detail a JSON object):
//!
//! ```json
//! { "reason": "硬盘损坏",
//!   "kept":     { "point_entry": {"seq": 120, "hash": "…"}, "stock_movement": {…}, "audit_log": {…} },
//!   "replaced": { "point_entry": {"seq": 150, "hash": "…"}, … }   // or null: file unreadable
//!   "last_receipt": "2026-000123" }                                // or null
//! ```
//! `kept` are the restored file's heads (the record itself is `kept.audit_log.seq + 1`);
//! `replaced` the heads of the store it replaced, when that file could still be read. When
//! issue 15 signs transactions, the record's transaction signature covers this row like any
//! other; the township checks the chain and the kept heads, and keeps what it rolls back.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::Result;
use super::source::Source;
use super::spec::Ledger;
use crate::core::StaffId;
use crate::store::ledger::append_audit;

/// The audit action of a restore record.
pub const RESTORE_ACTION: &str = "restore";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

pub type Heads = BTreeMap<Ledger, Head>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreRecord {
    pub reason: String,
    pub kept: Heads,
    pub replaced: Option<Heads>,
    pub last_receipt: Option<String>,
}

impl RestoreRecord {
    /// The record, if `detail` is one and names every ledger's kept head.
    pub fn parse(detail: &str) -> Option<RestoreRecord> {
        let record: RestoreRecord = serde_json::from_str(detail).ok()?;
        Ledger::ALL
            .iter()
            .all(|l| record.kept.contains_key(l))
            .then_some(record)
    }
}

/// Every ledger's head in `conn` (seq 0 and the genesis hash when empty).
pub fn heads(conn: &Connection) -> Result<Heads> {
    let source = Source::new(conn);
    let mut out = Heads::new();
    for ledger in Ledger::ALL {
        let seq = source.head(ledger)?;
        let hash = source
            .hash_at(ledger, seq)?
            .unwrap_or_else(|| crate::core::chain::GENESIS.to_string());
        out.insert(ledger, Head { seq, hash });
    }
    Ok(out)
}

/// Writes the restore record into a just-restored store, inside the caller's transaction:
/// for issue 15's `restore` to call right after the file is in place (`replaced` read from
/// the replaced file with `heads`, `None` when it could not be read).
pub fn record_restore(
    conn: &Connection,
    staff: StaffId,
    reason: &str,
    replaced: Option<Heads>,
    last_receipt: Option<String>,
    now: NaiveDateTime,
) -> Result<RestoreRecord> {
    let record = RestoreRecord {
        reason: reason.to_string(),
        kept: heads(conn)?,
        replaced,
        last_receipt,
    };
    let detail = serde_json::to_value(&record).map_err(|e| {
        super::TownshipError::Store(crate::store::StoreError::Invariant(e.to_string()))
    })?;
    append_audit(conn, Some(staff), RESTORE_ACTION, &detail, now)?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agreed_format_parses_and_a_record_missing_a_ledger_does_not() {
        let detail = r#"{"reason":"硬盘损坏","kept":{"point_entry":{"seq":120,"hash":"a"},
            "stock_movement":{"seq":80,"hash":"b"},"audit_log":{"seq":40,"hash":"c"}},
            "replaced":null,"last_receipt":"2026-000123"}"#;
        let record = RestoreRecord::parse(detail).unwrap();
        assert_eq!(record.kept[&Ledger::StockMovement].seq, 80);
        assert_eq!(record.last_receipt.as_deref(), Some("2026-000123"));
        let partial = r#"{"reason":"x","kept":{"point_entry":{"seq":1,"hash":"a"}},"replaced":null,"last_receipt":null}"#;
        assert!(RestoreRecord::parse(partial).is_none());
        assert!(RestoreRecord::parse("{\"session\": 3}").is_none());
    }
}
