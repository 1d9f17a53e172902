//! `jifen township enrol|push|export|ingest|recover|report|status`: the township copy on
//! PostgreSQL. enrol, ingest and report run at the township and need no store.

use std::path::PathBuf;

use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, Failure, data_dir, now, open_existing};
use crate::core::StaffId;
use crate::core::notice_period::NoticePeriod;
use crate::township::push::{DEFAULT_BATCH_ROWS, Progress, PushOutcome};
use crate::township::spec::Ledger;
use crate::township::{Township, TownshipError, enrol, report, service, store_log};

#[derive(Subcommand, Debug)]
pub enum TownshipCommand {
    /// At the township: create a store's own login (prints its address once)
    Enrol {
        #[arg(long)]
        store: String,
        /// The township's own address (a role that may create roles)
        #[arg(long)]
        url: String,
    },
    /// Send what the township does not have yet (default address: the township.url setting)
    Push {
        #[arg(long)]
        url: Option<String>,
        /// Rows per transaction
        #[arg(long, default_value_t = DEFAULT_BATCH_ROWS, hide = true)]
        batch: usize,
    },
    /// Write the same rows to a file, for a USB stick
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// At the township: load an export file, with the same checks as a push
    Ingest {
        file: PathBuf,
        #[arg(long)]
        url: String,
        /// The name the store was enrolled under (needed for a store's first file)
        #[arg(long)]
        store: Option<String>,
        #[arg(long, default_value_t = DEFAULT_BATCH_ROWS, hide = true)]
        batch: usize,
    },
    /// Bring back the rows the township kept when it accepted a restore as a rollback
    Recover {
        #[arg(long)]
        url: Option<String>,
    },
    /// At the township: the report for a month, quarter or year, as .xlsx or .pdf
    Report {
        #[arg(long)]
        url: String,
        /// YYYY-MM, YYYY-Qn or YYYY
        #[arg(long)]
        period: NoticePeriod,
        #[arg(long)]
        out: PathBuf,
        /// The issuing township's name on the notice
        #[arg(long, default_value = "镇积分超市工作领导小组")]
        township: String,
    },
    /// The last push, export or recovery of this store; with the township's own address, each
    /// enrolled store's signatures verified against the keys the township holds
    Status {
        #[arg(long)]
        url: Option<String>,
    },
}

fn fail(e: TownshipError) -> Failure {
    Failure(e.to_string())
}

fn show_progress(p: Progress) {
    match p.ledger {
        Some(ledger) => eprintln!(
            "{}",
            t!(
                "township.cli.progress",
                ledger = ledger.label(),
                done = p.done,
                total = p.total
            )
        ),
        None => eprintln!("{}", t!("township.cli.masters", count = p.done)),
    }
}

fn pushed(json: bool, done: &PushOutcome) {
    if json {
        println!("{}", json!(done));
        return;
    }
    let added = |l: Ledger| done.added.get(&l).copied().unwrap_or(0);
    for r in &done.rollbacks {
        println!(
            "{}",
            t!(
                "township.cli.rollback",
                ledger = r.ledger.label(),
                from = r.kept_seq + 1,
                to = r.rolled_to
            )
        );
    }
    println!(
        "{}",
        t!(
            "township.cli.pushed",
            rows = done.rows_added(),
            points = added(Ledger::PointEntry),
            stock = added(Ledger::StockMovement),
            audit = added(Ledger::AuditLog),
            masters = done.masters_added
        )
    );
}

pub fn township(cli: &Cli, command: &TownshipCommand) -> CliResult {
    let json = cli.json;
    let staff = cli.staff.map(StaffId);
    match command {
        TownshipCommand::Enrol { store, url } => {
            let mut town = Township::connect_admin(url).map_err(fail)?;
            let done = enrol::enrol(&mut town, store).map_err(fail)?;
            if json {
                println!("{}", json!(done));
            } else {
                println!(
                    "{}",
                    t!(
                        "township.cli.enrolled",
                        store = done.store,
                        id = done.store_id,
                        role = done.role,
                        url = done.url
                    )
                );
            }
        }
        TownshipCommand::Ingest {
            file,
            url,
            store,
            batch,
        } => {
            let done = service::ingest_file(file, url, store.as_deref(), *batch, show_progress)
                .map_err(fail)?;
            pushed(json, &done);
        }
        TownshipCommand::Report {
            url,
            period,
            out,
            township,
        } => {
            let mut town = Township::connect_admin(url).map_err(fail)?;
            let data = report::report(&mut town, *period, now()).map_err(fail)?;
            report::write(&data, township, out).map_err(fail)?;
            if json {
                println!("{}", json!({ "file": out, "report": data }));
            } else {
                println!(
                    "{}",
                    t!("township.cli.report_written", file = out.display())
                );
            }
        }
        TownshipCommand::Push { url, batch } => {
            let mut db = open_existing(&data_dir(cli))?;
            let url = service::address(&mut db, url.as_deref()).map_err(fail)?;
            let done = service::push_store(&mut db, &url, *batch, staff, now(), show_progress)
                .map_err(fail)?;
            pushed(json, &done);
        }
        TownshipCommand::Export { out } => {
            let mut db = open_existing(&data_dir(cli))?;
            let done = service::export_store(&mut db, out, staff, now()).map_err(fail)?;
            if json {
                println!("{}", json!(done));
            } else {
                println!(
                    "{}",
                    t!(
                        "township.cli.exported",
                        rows = done.rows,
                        file = out.display()
                    )
                );
            }
        }
        TownshipCommand::Recover { url } => {
            let mut db = open_existing(&data_dir(cli))?;
            let url = service::address(&mut db, url.as_deref()).map_err(fail)?;
            let done = service::recover_store(&mut db, &url, staff, now()).map_err(fail)?;
            if json {
                println!("{}", json!(done));
            } else {
                println!(
                    "{}",
                    t!(
                        "township.cli.recovered",
                        rows = done.rows,
                        new = done.new_rows,
                        households = done.points.len(),
                        goods = done.stock.len()
                    )
                );
            }
        }
        TownshipCommand::Status { url: Some(url) } => {
            let mut town = Township::connect_admin(url).map_err(fail)?;
            let checks = crate::township::signed::verify_all(&mut town).map_err(fail)?;
            if json {
                println!("{}", json!({ "stores": checks }));
            } else {
                for (store, check) in &checks {
                    println!("{store}: {}", check.describe());
                }
            }
        }
        TownshipCommand::Status { url: None } => {
            let mut db = open_existing(&data_dir(cli))?;
            let last = store_log::last(&mut db).map_err(fail)?;
            if json {
                println!("{}", json!({ "last": last }));
            } else {
                println!("{}", service::describe(last.as_ref()));
            }
        }
    }
    Ok(())
}
