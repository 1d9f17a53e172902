//! Printing from the command line: `--printer URI [--paper 58|80]` on redeem and session close,
//! `reprint`, and `print-test`. A print that fails never fails the redemption: the reason goes
//! to stderr and the job stays in the print queue for a reprint.

use std::path::Path;

use clap::Args;
use rust_i18n::t;

use super::{CliResult, Failure, now};
use crate::app::printing::{self, JobStatus};
use crate::app::settings::PrinterSettings;
use crate::app::{self, Actor};
use crate::core::ReceiptNo;
use crate::store::Db;

#[derive(Args, Debug, Default)]
pub struct PrinterArgs {
    /// Print on this printer: serial:/dev/ttyUSB0?baud=9600, tcp:HOST:9100, file:PATH or none
    #[arg(long)]
    pub printer: Option<String>,
    /// Paper width for this print (58 or 80 mm)
    #[arg(long)]
    pub paper: Option<u32>,
}

impl PrinterArgs {
    pub fn wanted(&self) -> bool {
        self.printer.is_some()
    }

    fn settings(&self, db: Option<&mut Db>) -> CliResult<PrinterSettings> {
        let base = match db {
            Some(db) => PrinterSettings::load(db)?,
            None => PrinterSettings::default(),
        };
        Ok(base.with_overrides(self.printer.as_deref(), self.paper)?)
    }
}

/// Prints a queued job now and says on stderr if it did not print.
pub(super) fn run(db: &mut Db, job_id: i64, args: &PrinterArgs) -> CliResult {
    let settings = args.settings(Some(db))?;
    let job = printing::print_now_with(db, job_id, &settings)?;
    if job.status == JobStatus::Failed {
        eprintln!(
            "{}",
            t!(
                "cli.print_failed",
                reason = job.error.unwrap_or_default(),
                job = job_id
            )
        );
    } else if let Some(note) = job.note {
        eprintln!("{note}");
    }
    Ok(())
}

/// The receipt of a redemption just made (a replayed retry prints a marked copy).
pub fn receipt(
    db: &mut Db,
    actor: &Actor,
    receipt_no: &ReceiptNo,
    replayed: bool,
    args: &PrinterArgs,
) -> CliResult {
    if !args.wanted() {
        return Ok(());
    }
    let job = if replayed {
        printing::queue_reprint(db, actor, receipt_no, now())?
    } else {
        printing::queue_receipt(db, Some(actor), receipt_no, now())?
    };
    run(db, job, args)
}

pub fn reprint(
    db: &mut Db,
    actor: &Actor,
    receipt_no: &ReceiptNo,
    args: &PrinterArgs,
) -> CliResult {
    let job = printing::queue_reprint(db, actor, receipt_no, now())?;
    run(db, job, args)
}

pub fn session_report(
    db: &mut Db,
    actor: &Actor,
    session_id: i64,
    args: &PrinterArgs,
) -> CliResult {
    if !args.wanted() {
        return Ok(());
    }
    let job = printing::queue_session_report(db, actor, session_id, now())?;
    run(db, job, args)
}

pub fn donation_slip(db: &mut Db, actor: &Actor, reference: &str, args: &PrinterArgs) -> CliResult {
    if !args.wanted() {
        return Ok(());
    }
    let job = printing::queue_donation_slip(db, Some(actor), reference, now())?;
    run(db, job, args)
}

/// A test page: through the store's queue when there is a store, else straight to the printer.
pub fn test_page(dir: &Path, args: &PrinterArgs) -> CliResult {
    let store = dir.join("jifen.db");
    if store.exists() {
        let mut db = Db::open(&store)?;
        if app::setup::store_info(&mut db)?.is_some() {
            let job = printing::queue_test_page(&mut db, None, now())?;
            let settings = args.settings(Some(&mut db))?;
            let done = printing::print_now_with(&mut db, job, &settings)?;
            return match done.status {
                JobStatus::Failed => Err(Failure(done.error.unwrap_or_default())),
                _ => {
                    println!("{}", t!("cli.test_page_sent"));
                    Ok(())
                }
            };
        }
    }
    let settings = args.settings(None)?;
    let bytes = printing::test_page_bytes(&settings, None)?;
    printing::send(&settings, &bytes).map_err(|p| Failure(p.message("zh-CN")))?;
    println!("{}", t!("cli.test_page_sent"));
    Ok(())
}
