//! Services: one function per user action, each one database transaction, each checking
//! who may do it. The CLI and the counter app both call these and nothing below them.

pub mod auth;
pub mod backup;
pub mod basket;
pub mod calendar;
pub mod cards;
pub mod check;
pub mod check_mark;
pub mod checklist;
pub mod closing_report;
pub mod demo;
pub mod disputes;
pub mod duty;
pub mod error;
pub mod export;
pub mod goods_admin;
pub mod household_changes;
pub mod households;
pub mod import;
pub mod import_preview;
pub mod invoice_files;
pub mod log;
pub mod messages;
pub mod notices;
pub mod opening_stock;
pub mod points;
pub mod print_worker;
pub mod printing;
pub mod queries;
pub mod redeem;
pub mod register;
pub mod restore;
pub mod restore_preview;
pub mod rules;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod setup_queries;
pub mod staff;
pub mod startup;
pub mod stock;
pub mod stocktake;
pub mod synthetic;
pub mod upgrade;

pub use auth::{Actor, sign_in};
pub use error::{Error, Result};

use serde_json::Value;

use crate::core::StaffId;
use crate::store::ledger::append_audit;

/// Writes the audit record of a service's write, inside its transaction.
pub(crate) fn audit(
    conn: &rusqlite::Connection,
    staff: Option<StaffId>,
    action: &str,
    detail: Value,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    append_audit(conn, staff, action, &detail, now)?;
    Ok(())
}
