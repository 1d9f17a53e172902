//! The township copy (镇/街道副本): every enrolled store's ledgers and records in one
//! PostgreSQL, so the township can total across villages and is the one witness a store's
//! manager cannot edit.
//!
//! What this folder owns:
//! - `conn`: the one front door to the township database (`Township::connect`): TLS, the
//!   schema's numbered migrations (`migrations/`, applied by refinery), and every SQL string
//!   sent to PostgreSQL lives in this folder;
//! - `spec` and `source`: which store rows go, read from a store or from an export file;
//! - `push`: the chain-checked, batched, resumable push (fork detection, marked rollbacks);
//! - `enrol`, `export`, `recover`, `restore_record`: the other CLI forms and the restore record
//!   format agreed with issue 15;
//! - `report`: the township report from the SQL views (xlsx and the PDF notice).
//!
//! The store side keeps its own small log of pushes and the rows recovered (SQLite migration
//! 018, `store_log`).

pub mod background;
pub mod conn;
pub mod enrol;
mod error;
pub mod export;
pub mod push;
pub mod recover;
pub mod report;
mod report_doc;
mod report_xlsx;
pub mod restore_record;
pub mod service;
pub mod signed;
pub mod source;
pub mod spec;
pub mod store_log;

pub use conn::Township;
pub use error::{Result, TownshipError};
