//! The store-side actions the CLI and the app call: push (also at session close), export,
//! recover — each recorded in the store's push log, whatever the outcome.

use chrono::NaiveDateTime;

use super::conn::redact;
use super::export::Exported;
use super::push::{Progress, PushOptions, PushOutcome, Via};
use super::recover::Recovered;
use super::source::Source;
use super::store_log::{self, Outcome, PushRecord, URL_SETTING};
use super::{Result, Township, TownshipError};
use crate::core::StaffId;
use crate::store::Db;

/// The township address: the one given, else the store's `township.url` setting.
pub fn address(db: &mut Db, given: Option<&str>) -> Result<String> {
    if let Some(url) = given.map(str::trim).filter(|u| !u.is_empty()) {
        return Ok(url.to_string());
    }
    crate::app::settings::get(db, URL_SETTING)?
        .filter(|u| !u.trim().is_empty())
        .ok_or(TownshipError::NoUrl)
}

fn outcome_of(e: &TownshipError) -> Outcome {
    match e {
        TownshipError::Fork { .. }
        | TownshipError::Behind { .. }
        | TownshipError::SignedFork { .. }
        | TownshipError::NotEnrolled
        | TownshipError::WrongStore { .. } => Outcome::Refused,
        _ => Outcome::Failed,
    }
}

/// Pushes the store to `url` from one read snapshot and logs the outcome.
pub fn push_store(
    db: &mut Db,
    url: &str,
    batch_rows: usize,
    staff: Option<StaffId>,
    now: NaiveDateTime,
    progress: impl FnMut(Progress),
) -> Result<PushOutcome> {
    let result = Township::connect(url).and_then(|mut town| {
        let options = PushOptions {
            batch_rows,
            via: Via::Push,
        };
        db.read(|tx| super::push::push(&mut town, &Source::new(tx), options, progress))
    });
    let entry = match &result {
        Ok(done) => PushRecord {
            at: now,
            via: "push".into(),
            address: redact(url),
            outcome: Outcome::Done,
            rows_added: done.rows_added(),
            detail: serde_json::to_string(done).unwrap_or_default(),
        },
        Err(e) => PushRecord {
            at: now,
            via: "push".into(),
            address: redact(url),
            outcome: outcome_of(e),
            rows_added: 0,
            detail: e.to_string(),
        },
    };
    store_log::record(db, &entry, staff)?;
    result
}

/// The session-close hook: pushes when a township address is set, else does nothing. The
/// caller shows the outcome; a failed push never undoes the close.
pub fn push_at_close(
    db: &mut Db,
    staff: StaffId,
    now: NaiveDateTime,
) -> Option<Result<PushOutcome>> {
    let url = address(db, None).ok()?;
    Some(push_store(
        db,
        &url,
        super::push::DEFAULT_BATCH_ROWS,
        Some(staff),
        now,
        |_| {},
    ))
}

/// Ingests an export file at the township (through the same push and checks). With the
/// township's own login the file's store is found by its code (bound at its first push or
/// ingest) or by `store`, the name it was enrolled under.
pub fn ingest_file(
    file: &std::path::Path,
    url: &str,
    store: Option<&str>,
    batch_rows: usize,
    progress: impl FnMut(Progress),
) -> Result<PushOutcome> {
    let conn = super::export::open_export(file)?;
    let mut town = Township::connect_admin(url).or_else(|_| Township::connect(url))?;
    if let Some(name) = store
        && town.store_id.is_none()
    {
        town.act_for_store(name)?;
    }
    let options = PushOptions {
        batch_rows,
        via: Via::Ingest,
    };
    super::push::push(&mut town, &Source::new(&conn), options, progress)
}

pub fn export_store(
    db: &mut Db,
    out: &std::path::Path,
    staff: Option<StaffId>,
    now: NaiveDateTime,
) -> Result<Exported> {
    let done = super::export::export(db, out, now)?;
    store_log::record(
        db,
        &PushRecord {
            at: now,
            via: "export".into(),
            address: out.display().to_string(),
            outcome: Outcome::Done,
            rows_added: done.rows,
            detail: String::new(),
        },
        staff,
    )?;
    Ok(done)
}

pub fn recover_store(
    db: &mut Db,
    url: &str,
    staff: Option<StaffId>,
    now: NaiveDateTime,
) -> Result<Recovered> {
    let mut town = Township::connect(url)?;
    let done = super::recover::recover(&mut town, db, now)?;
    store_log::record(
        db,
        &PushRecord {
            at: now,
            via: "recover".into(),
            address: redact(url),
            outcome: Outcome::Done,
            rows_added: done.new_rows as i64,
            detail: serde_json::to_string(&done).unwrap_or_default(),
        },
        staff,
    )?;
    Ok(done)
}

/// 上次上传到镇里：… for the day screen and `township status`; `None` when the store has no
/// township address and never pushed (a store that does not use the township copy).
pub fn status_line(db: &mut Db) -> Option<String> {
    let last = store_log::last(db).ok()?;
    if last.is_none() && address(db, None).is_err() {
        return None;
    }
    Some(describe(last.as_ref()))
}

pub fn describe(last: Option<&PushRecord>) -> String {
    use rust_i18n::t;
    match last {
        Some(p) => {
            let outcome = match p.outcome {
                Outcome::Done => "done",
                Outcome::Refused => "refused",
                Outcome::Failed => "failed",
            };
            t!(
                "township.cli.last_push",
                at = p.at.format("%Y-%m-%d %H:%M"),
                outcome = t!(format!("township.outcome.{outcome}")),
                rows = p.rows_added
            )
            .into()
        }
        None => t!("township.cli.never_pushed").into(),
    }
}
