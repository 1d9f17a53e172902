//! All integration tests in one binary, to keep link time down.

mod common;

mod backup;
mod card_props;
mod cards;
mod check;
mod cli;
mod concurrency;
mod crash;
mod export;
#[cfg(feature = "failpoints")]
mod faults;
mod imports;
mod ledger_props;
mod notices;
mod printing;
mod redeem;
mod rules;
mod sessions;
mod stock;
mod ui;
