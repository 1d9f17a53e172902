//! Reading what goes to the township from a store's SQLite file or from an export file: both
//! hold the same tables and columns (see `spec`), so a push and an ingest read the same way.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Result;
use super::spec::{Ledger, MASTERS, Signed, store_columns};

/// Who the rows belong to, as the store's file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreIdentity {
    pub name: String,
    pub store_code: i64,
}

/// One master record: its kind, its key at the store, its content as JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterRecord {
    pub kind: &'static str,
    pub key: String,
    pub body: String,
}

impl MasterRecord {
    pub fn body_hash(&self) -> String {
        hex::encode(Sha256::digest(self.body.as_bytes()))
    }
}

/// An audit record, as far as the push needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A store's rows, read inside one read transaction so that every figure is one snapshot.
pub struct Source<'a> {
    conn: &'a Connection,
}

impl<'a> Source<'a> {
    pub fn new(conn: &'a Connection) -> Self {
        Source { conn }
    }

    pub fn identity(&self) -> Result<StoreIdentity> {
        Ok(self
            .conn
            .query_row("SELECT name, store_code FROM store WHERE id = 1", [], |r| {
                Ok(StoreIdentity {
                    name: r.get(0)?,
                    store_code: r.get(1)?,
                })
            })?)
    }

    /// The last sequence number of a ledger (0 when empty).
    pub fn head(&self, ledger: Ledger) -> Result<i64> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {}", ledger.table());
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }

    pub fn hash_at(&self, ledger: Ledger, seq: i64) -> Result<Option<String>> {
        let sql = format!("SELECT hash FROM {} WHERE id = ?1", ledger.table());
        Ok(self.conn.query_row(&sql, [seq], |r| r.get(0)).optional()?)
    }

    /// Up to `limit` rows after `after`, in order, each as the values of `ledger.columns()`.
    pub fn rows(&self, ledger: Ledger, after: i64, limit: usize) -> Result<Vec<Vec<Value>>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE id > ?1 ORDER BY id LIMIT ?2",
            ledger.store_columns(),
            ledger.table()
        );
        let width = ledger.columns().len();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            (0..width).map(|i| r.get::<_, Value>(i)).collect()
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the file has the signed record at all (an export file written before the
    /// signatures went to the township has not: it carries none).
    fn has(&self, signed: Signed) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [signed.table()],
            |r| r.get(0),
        )?)
    }

    /// The last id of a signed table (0 when empty or absent).
    pub fn signed_head(&self, signed: Signed) -> Result<i64> {
        if !self.has(signed)? {
            return Ok(0);
        }
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {}", signed.table());
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }

    /// What names row `seq` of a signed table (see `Signed::name_column`).
    pub fn signed_name_at(&self, signed: Signed, seq: i64) -> Result<Option<String>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            signed.name_column(),
            signed.table()
        );
        Ok(self.conn.query_row(&sql, [seq], |r| r.get(0)).optional()?)
    }

    /// Up to `limit` rows of a signed table after `after`, as the values of its columns.
    pub fn signed_rows(&self, signed: Signed, after: i64, limit: usize) -> Result<Vec<Vec<Value>>> {
        if !self.has(signed)? {
            return Ok(Vec::new());
        }
        let columns = signed.columns();
        let sql = format!(
            "SELECT {} FROM {} WHERE id > ?1 ORDER BY id LIMIT ?2",
            store_columns(columns),
            signed.table()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn audit_row(&self, seq: i64) -> Result<Option<AuditRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, action, detail, prev_hash, hash FROM audit_log WHERE id = ?1",
                [seq],
                |r| {
                    Ok(AuditRow {
                        seq: r.get(0)?,
                        action: r.get(1)?,
                        detail: r.get(2)?,
                        prev_hash: r.get(3)?,
                        hash: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every master record as it is now.
    pub fn masters(&self) -> Result<Vec<MasterRecord>> {
        let mut out = Vec::new();
        for master in MASTERS {
            let mut stmt = self.conn.prepare(master.query)?;
            let rows = stmt.query_map([], |r| {
                Ok(MasterRecord {
                    kind: master.kind,
                    key: r.get(0)?,
                    body: r.get(1)?,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }
}
