//! The bytes of a job, built from what is stored now, and the preview that decodes them.

use jifen_hardware::{Doc, decode, preview_text, render};

use super::{PrintJob, donation_id, find_job};
use crate::app::settings::PrinterSettings;
use crate::app::{Error, Result};
use crate::core::refusal::Refusal;
use crate::core::session::SessionReport;
use crate::core::{HouseholdNo, ReceiptNo};
use crate::print::{self, JobKind};
use crate::store::print_jobs as jobs;
use crate::store::{Db, StoreError, redemptions};

/// The document a job prints, built from what is stored now.
fn job_doc(db: &mut Db, job: &PrintJob, settings: &PrinterSettings) -> Result<Doc> {
    let footer = settings.footer.as_str();
    match job.kind {
        JobKind::Receipt | JobKind::Reprint => {
            let no: ReceiptNo = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownReceipt(job.reference.clone()))?;
            let receipt = load_receipt(db, &no)?;
            Ok(match job.kind {
                JobKind::Reprint => print::reprint(&receipt, footer, job.created_at),
                _ => print::receipt(&receipt, footer),
            })
        }
        JobKind::DonationSlip => {
            let unknown = || Refusal::UnknownDonation(job.reference.clone());
            let id = donation_id(&job.reference).ok_or_else(unknown)?;
            let slip = db.read(|tx| -> Result<_> {
                Ok(jobs::donation_slip(tx, id)?.ok_or_else(unknown)?)
            })?;
            Ok(print::donation_slip(&slip))
        }
        JobKind::SessionReport if job.reference.parse::<chrono::NaiveDate>().is_ok() => {
            let day = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownPrintJob(job.id))?;
            let report = crate::app::closing_report::day_report(db, day)?;
            Ok(print::day_report(&report))
        }
        JobKind::SessionReport => {
            let id: i64 = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownPrintJob(job.id))?;
            let (name, report) = session_report(db, id)?;
            Ok(print::session_report(&name, &report))
        }
        JobKind::TestPage => {
            let name = db.read(|tx| Ok::<_, Error>(jobs::store_name(tx)?))?;
            let uri = settings.uri.to_string();
            Ok(print::test_page(
                &settings.profile,
                name.as_deref(),
                &uri,
                footer,
            ))
        }
        JobKind::CardSlip => {
            let no: HouseholdNo = job
                .reference
                .parse()
                .map_err(|_| Refusal::UnknownPrintJob(job.id))?;
            Ok(print::card_slip(&crate::app::cards::current_card(db, &no)?))
        }
    }
}

fn load_receipt(db: &mut Db, no: &ReceiptNo) -> Result<crate::core::receipt::Receipt> {
    db.read(|tx| {
        let id =
            redemptions::find_id(tx, no)?.ok_or_else(|| Refusal::UnknownReceipt(no.to_string()))?;
        Ok(redemptions::load_receipt(tx, id)?)
    })
}

/// The store's name and a session's report: as stored at closing, or so far while open.
fn session_report(db: &mut Db, id: i64) -> Result<(String, SessionReport)> {
    let (name, stored) = db.read(|tx| {
        let stored = jobs::session_report_json(tx, id)?.ok_or(Refusal::UnknownSession(id))?;
        Ok::<_, Error>((jobs::store_name(tx)?.unwrap_or_default(), stored))
    })?;
    let report = match stored {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Invariant(format!("session {id} report: {e}")))?,
        None => crate::app::sessions::session_report(db, id, "")?,
    };
    Ok((name, report))
}

/// The bytes a job sends to a printer of these settings.
pub fn job_bytes(db: &mut Db, job: &PrintJob, settings: &PrinterSettings) -> Result<Vec<u8>> {
    let doc = job_doc(db, job, settings)?;
    render_doc(&doc, settings)
}

/// Renders any receipt-printer document (a notice slip, a layout) with the printer settings.
pub fn render_doc(doc: &Doc, settings: &PrinterSettings) -> Result<Vec<u8>> {
    let font = print::raster_font()
        .ok_or_else(|| StoreError::Invariant("bundled font unreadable".into()))?;
    render(doc, &settings.profile, font).map_err(|e| StoreError::Invariant(e.to_string()).into())
}

/// What a print preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    Job(i64),
    /// A redemption's receipt as it would print now.
    Receipt(ReceiptNo),
}

/// The exact bytes that would be sent, decoded back into text lines (images and QR codes as
/// bracketed placeholders), so staff see what the paper will say.
pub fn preview(db: &mut Db, what: &Preview, settings: &PrinterSettings) -> Result<String> {
    let bytes = match what {
        Preview::Job(id) => {
            let job = find_job(db, *id)?;
            job_bytes(db, &job, settings)?
        }
        Preview::Receipt(no) => {
            let receipt = load_receipt(db, no)?;
            render_doc(&print::receipt(&receipt, &settings.footer), settings)?
        }
    };
    Ok(preview_text(&decode(&bytes)))
}

/// The bytes of a test page for these settings, without a store (before `jifen init`).
pub fn test_page_bytes(settings: &PrinterSettings, store_name: Option<&str>) -> Result<Vec<u8>> {
    let uri = settings.uri.to_string();
    let doc = print::test_page(&settings.profile, store_name, &uri, &settings.footer);
    render_doc(&doc, settings)
}
