//! The domain, pure: no database, no UI, no clock reads (time is always passed in).

pub mod card;
pub mod chain;
pub mod day_report;
pub mod goods;
pub mod household;
pub mod household_change;
pub mod ids;
pub mod import_preview;
pub mod import_rows;
pub mod import_sheet;
pub mod ledger;
pub mod lots;
pub mod notice_period;
pub mod notices;
pub mod policy;
pub mod receipt;
pub mod redemption;
pub mod refusal;
pub mod register;
pub mod session;
pub mod staff;
pub mod staff_rules;
pub mod txn_verify;
pub mod year_end;

pub use ids::*;
