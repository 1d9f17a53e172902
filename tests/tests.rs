//! All integration tests in one binary, to keep link time down.

mod common;

mod backup;
mod bad_input;
mod card_props;
mod cards;
mod check;
mod cli;
mod cli_examples;
mod concurrency;
mod crash;
mod export;
#[cfg(feature = "failpoints")]
mod faults;
mod fuzz_props;
mod household_changes;
mod imports;
mod ledger_props;
mod notices;
mod printing;
mod redeem;
mod rules;
mod services;
mod sessions;
mod stock;
mod ui;
