//! The restore record: the signed audit entry `app::backup::restore` (issue 15,
//! `src/app/restore.rs`) writes as the first record of the restored store, and what lets the
//! township tell a marked rollback from a fork. The township reads that record as written
//! (audit action `restore`, detail a JSON object):
//!
//! ```json
//! { "reason": "硬盘损坏",
//!   "restored": { "points_head": [120, "…"], "stock_head": [80, "…"], "audit_head": [40, "…"] },
//!   "replaced": { "points_head": [150, "…"], …, "last_receipt": "2026-000123" },  // or null
//!   "rolled_back": {…}, "continue_after": "2026-000123", … }
//! ```
//! `restored` are the restored file's heads (`[0, ""]` for an empty chain; the record itself
//! is `restored.audit_head + 1`); `replaced` the heads of the store it replaced, when that file
//! could still be read. The record's transaction signature covers it like any other row; the
//! township checks the chain and the kept heads, and keeps what it rolls back.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::Result;
use super::source::Source;
use super::spec::Ledger;

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
    /// The record, if `detail` is a restore record naming every ledger's restored head.
    pub fn parse(detail: &str) -> Option<RestoreRecord> {
        let v: serde_json::Value = serde_json::from_str(detail).ok()?;
        let reason = v.get("reason")?.as_str()?.to_string();
        let kept = heads_in(v.get("restored")?)?;
        let replaced = match v.get("replaced") {
            None | Some(serde_json::Value::Null) => None,
            Some(r) => Some(heads_in(r)?),
        };
        let last_receipt = v
            .get("continue_after")
            .and_then(|r| r.as_str())
            .map(str::to_string);
        Some(RestoreRecord {
            reason,
            kept,
            replaced,
            last_receipt,
        })
    }
}

/// The key `src/app/restore.rs` names each ledger's head under.
fn head_key(ledger: Ledger) -> &'static str {
    match ledger {
        Ledger::PointEntry => "points_head",
        Ledger::StockMovement => "stock_head",
        Ledger::AuditLog => "audit_head",
    }
}

/// `{"points_head": [id, hash], …}` as heads; an empty chain (`[0, ""]`) is the genesis hash,
/// as the township's own chains start from it.
fn heads_in(v: &serde_json::Value) -> Option<Heads> {
    let mut out = Heads::new();
    for ledger in Ledger::ALL {
        let pair = v.get(head_key(ledger))?.as_array()?;
        let seq = pair.first()?.as_i64()?;
        let hash = pair.get(1)?.as_str()?;
        let hash = if seq == 0 && hash.is_empty() {
            crate::core::chain::GENESIS.to_string()
        } else {
            hash.to_string()
        };
        out.insert(ledger, Head { seq, hash });
    }
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_app_restore_writes_parses_and_a_record_missing_a_ledger_does_not() {
        let detail = r#"{"reason":"硬盘损坏","file":"/media/u/jifen.db","lost_redemptions":2,
            "restored":{"points_head":[120,"a"],"stock_head":[80,"b"],"audit_head":[0,""]},
            "replaced":{"points_head":[150,"d"],"stock_head":[90,"e"],"audit_head":[50,"f"],
                        "last_receipt":"2026-000123"},
            "rolled_back":{"points":[121,150],"stock":[81,90],"audit":[1,50]},
            "continue_after":"2026-000123"}"#;
        let record = RestoreRecord::parse(detail).unwrap();
        assert_eq!(record.kept[&Ledger::StockMovement].seq, 80);
        assert_eq!(
            record.kept[&Ledger::AuditLog].hash,
            crate::core::chain::GENESIS
        );
        assert_eq!(record.replaced.unwrap()[&Ledger::PointEntry].seq, 150);
        assert_eq!(record.last_receipt.as_deref(), Some("2026-000123"));
        let partial = r#"{"reason":"x","restored":{"points_head":[1,"a"]},"replaced":null}"#;
        assert!(RestoreRecord::parse(partial).is_none());
        assert!(RestoreRecord::parse("{\"session\": 3}").is_none());
    }
}
