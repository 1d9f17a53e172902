//! Print jobs. A job is queued after the write it prints has committed, and is rendered from
//! what was stored (never from the screen) when it is printed: by the printer worker
//! (`print_worker`) for the counter, or by `print_now` for the command line. Printing never
//! touches the ledgers: a redemption stands whatever the printer does.

mod printer;
mod render;

use chrono::{Local, NaiveDateTime, Timelike};
use serde_json::json;

use super::settings::PrinterSettings;
use super::{Actor, Result, audit};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, ReceiptNo};
use crate::print::PRINT_LOCALE;
use crate::store::print_jobs::{self as jobs, Finished};
use crate::store::{Db, redemptions};

pub use crate::print::{JobKind, JobStatus, PrintJob};
pub use printer::{PrintProblem, Sent, probe, send};
pub use render::{Preview, job_bytes, preview, render_doc, test_page_bytes};

/// The wall clock to the second, for job times (the ledger's format has no fractions).
pub(crate) fn clock() -> NaiveDateTime {
    let now = Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

fn queue(
    db: &mut Db,
    actor: Option<&Actor>,
    kind: JobKind,
    reference: &str,
    audited: Option<&str>,
    now: NaiveDateTime,
) -> Result<i64> {
    db.write(|tx| {
        let id = jobs::insert(tx, kind, reference, actor.map(|a| a.id), now)?;
        if let (Some(action), Some(actor)) = (audited, actor) {
            let detail = json!({ "job": id, "kind": kind.as_db(), "reference": reference });
            audit(tx, Some(actor.id), action, detail, now)?;
        }
        Ok(id)
    })
}

/// The receipt of a redemption just made. Not audited: the redemption itself is.
pub fn queue_receipt(
    db: &mut Db,
    actor: Option<&Actor>,
    receipt_no: &ReceiptNo,
    now: NaiveDateTime,
) -> Result<i64> {
    receipt_exists(db, receipt_no)?;
    queue(
        db,
        actor,
        JobKind::Receipt,
        &receipt_no.to_string(),
        None,
        now,
    )
}

/// A receipt printed again, marked 重打 with this time. Counter staff only; audited.
pub fn queue_reprint(
    db: &mut Db,
    actor: &Actor,
    receipt_no: &ReceiptNo,
    now: NaiveDateTime,
) -> Result<i64> {
    actor.require(Action::Redeem)?;
    receipt_exists(db, receipt_no)?;
    let reference = receipt_no.to_string();
    queue(
        db,
        Some(actor),
        JobKind::Reprint,
        &reference,
        Some("reprint_receipt"),
        now,
    )
}

fn receipt_exists(db: &mut Db, receipt_no: &ReceiptNo) -> Result<()> {
    db.read(|tx| match redemptions::find_id(tx, receipt_no)? {
        Some(_) => Ok(()),
        None => Err(Refusal::UnknownReceipt(receipt_no.to_string()).into()),
    })
}

/// `D12`, `d12` or `12` → 12.
pub(crate) fn donation_id(reference: &str) -> Option<i64> {
    let r = reference.trim();
    let digits = r.strip_prefix(['D', 'd']).unwrap_or(r);
    digits.parse().ok().filter(|id| *id > 0)
}

/// The 捐赠回执 of a recorded donation (`D12`). Audited when a staff member asks for it again.
pub fn queue_donation_slip(
    db: &mut Db,
    actor: Option<&Actor>,
    reference: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    if let Some(actor) = actor {
        actor.require(Action::ReceiveStock)?;
    }
    let unknown = || Refusal::UnknownDonation(reference.trim().to_string());
    let id = donation_id(reference).ok_or_else(unknown)?;
    db.read(|tx| -> Result<()> {
        jobs::donation_slip(tx, id)?.ok_or_else(unknown)?;
        Ok(())
    })?;
    let action = actor.map(|_| "print_donation_slip");
    queue(
        db,
        actor,
        JobKind::DonationSlip,
        &format!("D{id}"),
        action,
        now,
    )
}

/// A redemption day's report: the stored closing report, or the figures so far while the day
/// is open. Anyone signed in may print it (auditors too); audited.
pub fn queue_session_report(
    db: &mut Db,
    actor: &Actor,
    session_id: i64,
    now: NaiveDateTime,
) -> Result<i64> {
    db.read(|tx| -> Result<()> {
        jobs::session_report_json(tx, session_id)?.ok_or(Refusal::UnknownSession(session_id))?;
        Ok(())
    })?;
    let reference = session_id.to_string();
    let action = Some("print_session_report");
    queue(
        db,
        Some(actor),
        JobKind::SessionReport,
        &reference,
        action,
        now,
    )
}

/// A day's closing report (reference: the day, `2026-11-30`), rebuilt from the ledgers when
/// printed. Kept under the session-report kind, whose stored reference a day tells apart from
/// a session id, so the print-job table needs no new kind.
pub(crate) fn queue_day_report(
    db: &mut Db,
    actor: &Actor,
    day: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let action = Some("print_day_report");
    queue(db, Some(actor), JobKind::SessionReport, day, action, now)
}

/// A test page for the printer as set up now. Audited when a staff member asks for it.
pub fn queue_test_page(db: &mut Db, actor: Option<&Actor>, now: NaiveDateTime) -> Result<i64> {
    let action = actor.map(|_| "print_test_page");
    queue(db, actor, JobKind::TestPage, "", action, now)
}

/// A household's current card on the receipt printer (the same digits as the card it holds).
pub fn queue_card_slip(
    db: &mut Db,
    actor: &Actor,
    household: &HouseholdNo,
    now: NaiveDateTime,
) -> Result<i64> {
    actor.require(Action::IssueCard)?;
    super::cards::current_card(db, household)?;
    let reference = household.to_string();
    queue(
        db,
        Some(actor),
        JobKind::CardSlip,
        &reference,
        Some("print_card_slip"),
        now,
    )
}

/// Prints a job's document again as a new job (the banner's "重打"): a receipt comes out as a
/// reprint, anything else as the same kind. The failed job stays as it was.
pub fn retry(db: &mut Db, actor: &Actor, job_id: i64, now: NaiveDateTime) -> Result<i64> {
    let job = find_job(db, job_id)?;
    match job.kind {
        JobKind::Receipt | JobKind::Reprint => {
            let no = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownReceipt(job.reference))?;
            queue_reprint(db, actor, &no, now)
        }
        JobKind::DonationSlip => queue_donation_slip(db, Some(actor), &job.reference, now),
        JobKind::SessionReport if job.reference.parse::<chrono::NaiveDate>().is_ok() => {
            queue_day_report(db, actor, &job.reference, now)
        }
        JobKind::SessionReport => {
            let id = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownPrintJob(job_id))?;
            queue_session_report(db, actor, id, now)
        }
        JobKind::TestPage => queue_test_page(db, Some(actor), now),
        JobKind::CardSlip => {
            let no = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownPrintJob(job_id))?;
            queue_card_slip(db, actor, &no, now)
        }
    }
}

pub fn find_job(db: &mut Db, id: i64) -> Result<PrintJob> {
    db.read(|tx| jobs::find(tx, id)?.ok_or_else(|| Refusal::UnknownPrintJob(id).into()))
}

/// The newest jobs first.
pub fn recent_jobs(db: &mut Db, limit: i64) -> Result<Vec<PrintJob>> {
    db.read(|tx| Ok(jobs::recent(tx, limit)?))
}

/// Every print of a receipt (its first print and reprints), oldest first.
pub fn receipt_jobs(db: &mut Db, receipt_no: &ReceiptNo) -> Result<Vec<PrintJob>> {
    let kinds = [JobKind::Receipt, JobKind::Reprint];
    db.read(|tx| Ok(jobs::for_reference(tx, &kinds, &receipt_no.to_string())?))
}

/// Renders and sends a job already taken (`printing`) and records how it ended. `settings`
/// `None` means the stored ones, read now (they may have changed since the job was queued).
/// Returns how it went, and whether recording that succeeded; a job whose ending could not be
/// recorded stays `printing` and is failed as interrupted when the worker next starts.
pub(crate) fn run_claimed(
    db: &mut Db,
    job: &PrintJob,
    settings: Option<&PrinterSettings>,
) -> (Result<Sent, PrintProblem>, Result<()>) {
    let settings = match settings {
        Some(s) => Ok(s.clone()),
        None => PrinterSettings::load(db),
    };
    let result = match &settings {
        Ok(s) => match job_bytes(db, job, s) {
            Ok(bytes) => send(s, &bytes),
            Err(e) => Err(PrintProblem::Document(e.to_string())),
        },
        Err(e) => Err(PrintProblem::Document(e.to_string())),
    };
    let (note, error) = match &result {
        Ok(sent) => (sent.note(PRINT_LOCALE), None),
        Err(problem) => (None, Some(problem.message(PRINT_LOCALE))),
    };
    let finished = match &error {
        Some(error) => Finished::Failed { error },
        None => Finished::Printed {
            note: note.as_deref(),
        },
    };
    let printer = settings.as_ref().ok().map(|s| s.uri.to_string());
    let recorded = db.write(|tx| {
        jobs::finish(tx, job.id, finished, printer.as_deref(), clock())?;
        Ok(())
    });
    (result, recorded)
}

/// Takes a pending job (`None`: the oldest) for printing, in one short transaction.
pub(crate) fn claim(db: &mut Db, id: Option<i64>) -> Result<Option<PrintJob>> {
    db.write(|tx| Ok(jobs::claim(tx, id, clock())?))
}

/// No job prints for this long: one still `printing` after it was left by a program that
/// stopped (a crash, a power cut), not one another counter window is printing right now.
const STALE: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// Fails jobs a stopped program left `printing` (it is unknown whether they came out).
pub(crate) fn fail_interrupted(db: &mut Db) -> Result<usize> {
    let reason = PrintProblem::Interrupted.message(PRINT_LOCALE);
    let now = clock();
    db.write(|tx| Ok(jobs::fail_stale(tx, &reason, now - STALE, now)?))
}

/// Prints a pending job now, on this thread, with the stored printer settings (the command
/// line). Returns the job as stored afterwards: printed (maybe with a note) or failed with
/// the reason. A job that is not pending is returned as it is, and not printed again.
pub fn print_now(db: &mut Db, job_id: i64) -> Result<PrintJob> {
    let settings = PrinterSettings::load(db)?;
    print_now_with(db, job_id, &settings)
}

/// `print_now` with given settings (`--printer URI`, `--paper 80`).
pub fn print_now_with(db: &mut Db, job_id: i64, settings: &PrinterSettings) -> Result<PrintJob> {
    if let Some(job) = claim(db, Some(job_id))? {
        run_claimed(db, &job, Some(settings)).1?;
    }
    find_job(db, job_id)
}
