//! The offline way to the township: `township export` writes the rows a push would send into a
//! small SQLite file for a USB stick (the same tables and columns, no PIN hashes, no card
//! secret, no phone numbers); `township ingest` reads it back through the same push.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use super::spec::{EXPORTED, Ledger, Signed, store_columns};
use super::{Result, TownshipError};
use crate::store::{Db, format_time};

/// Names the file's kind inside it, so a store's own database or a stray file is refused.
pub const FORMAT: &str = "jifen-township-export";
pub const FORMAT_VERSION: i64 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub file: PathBuf,
    pub rows: i64,
}

/// Writes the export file. It is built beside `out` and renamed into place, so a stick pulled
/// out half-way leaves no file that looks whole.
pub fn export(db: &mut Db, out: &Path, now: NaiveDateTime) -> Result<Exported> {
    let part = out.with_extension("part");
    let _ = std::fs::remove_file(&part);
    let part_text = part.to_string_lossy().to_string();
    db.connection()
        .execute("ATTACH DATABASE ?1 AS export", [&part_text])
        .map_err(|e| TownshipError::file(&part, e))?;
    let written = db.write(|tx| -> Result<i64> {
        tx.execute_batch(
            "CREATE TABLE export.township_export (format TEXT NOT NULL, version INTEGER NOT NULL,
                 exported_at TEXT NOT NULL)",
        )?;
        tx.execute(
            "INSERT INTO export.township_export VALUES (?1, ?2, ?3)",
            rusqlite::params![FORMAT, FORMAT_VERSION, format_time(now)],
        )?;
        for (table, columns) in EXPORTED {
            tx.execute_batch(&format!(
                "CREATE TABLE export.{table} AS SELECT {columns} FROM main.{table}"
            ))?;
        }
        let mut rows = 0;
        for ledger in Ledger::ALL {
            let t = ledger.table();
            tx.execute_batch(&format!(
                "CREATE TABLE export.{t} AS SELECT {} FROM main.{t} ORDER BY id;
                 CREATE UNIQUE INDEX export.{t}_by_id ON {t}(id);",
                ledger.store_columns()
            ))?;
            rows += tx.query_row(&format!("SELECT COUNT(*) FROM export.{t}"), [], |r| {
                r.get::<_, i64>(0)
            })?;
        }
        // The signed record goes as it is (no secret in it: public keys and signatures).
        for signed in Signed::ALL {
            let t = signed.table();
            tx.execute_batch(&format!(
                "CREATE TABLE export.{t} AS SELECT {} FROM main.{t} ORDER BY id;
                 CREATE UNIQUE INDEX export.{t}_by_id ON {t}(id);",
                store_columns(signed.columns())
            ))?;
            rows += tx.query_row(&format!("SELECT COUNT(*) FROM export.{t}"), [], |r| {
                r.get::<_, i64>(0)
            })?;
        }
        Ok(rows)
    });
    let detached = db.connection().execute("DETACH DATABASE export", []);
    let rows = written?;
    detached.map_err(|e| TownshipError::file(&part, e))?;
    std::fs::rename(&part, out).map_err(|e| TownshipError::file(out, e))?;
    Ok(Exported {
        file: out.to_path_buf(),
        rows,
    })
}

/// Opens an export file read-only. This is not a store (`Db::open` would migrate it into
/// one): it is a fixed set of tables that only `Source` reads.
pub fn open_export(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| TownshipError::file(path, e))?;
    let format: Option<(String, i64)> = conn
        .query_row("SELECT format, version FROM township_export", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .unwrap_or(None);
    match format {
        Some((f, v)) if f == FORMAT && v == FORMAT_VERSION => Ok(conn),
        _ => Err(TownshipError::file(
            path,
            rust_i18n::t!("township.error.not_export"),
        )),
    }
}
