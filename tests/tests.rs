//! All integration tests in one binary, to keep link time down.

mod common;

mod backup;
mod bad_input;
mod card_props;
mod cards;
mod check;
mod check_facts;
mod check_marks;
mod cli;
mod cli18;
mod cli_examples;
mod concurrency;
mod crash;
mod day_report;
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
mod register;
mod register_cli;
mod register_files;
mod register_ui;
mod rules;
mod services;
mod sessions;
mod setup;
mod signatures;
mod staff;
mod stock;
mod township;
mod ui;
mod ui_counter;
mod ui_fits;
mod ui_goods;
mod ui_notices;
mod ui_stock;
mod upgrade;
mod witness;
