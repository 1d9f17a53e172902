//! `jifen check`: the database's own integrity, the ledgers' invariants, the signatures and
//! the signed state of every table that decides points.

use rust_i18n::t;

use super::Result;
use crate::store::Db;
use crate::store::check::{Fault, SigningSummary, run, run_with_summary};
use crate::store::check_derived::DerivedFault;
use crate::store::check_mark::MarkFault;
use crate::store::check_signatures::Rollback;
use crate::store::witness::{self, Verdict};

pub fn check(db: &mut Db) -> Result<Vec<Fault>> {
    db.read(|tx| Ok(run(tx)?))
}

/// The faults and what the signatures say (where they begin, who holds which key).
pub fn check_with_summary(db: &mut Db) -> Result<(Vec<Fault>, SigningSummary)> {
    db.read(|tx| Ok(run_with_summary(tx)?))
}

fn table(name: &str) -> String {
    t!(format!("table.{name}")).into()
}

/// Words for the faults the signature checks find (the others are in `messages::fault`).
pub(crate) fn describe(f: &Fault) -> String {
    match f {
        Fault::SigningStartMissing => t!("fault.signing_start_missing").into(),
        Fault::AttestationBroken => t!("fault.attestation_broken").into(),
        Fault::Unsigned { table: name, id } => {
            t!("fault.unsigned", table = table(name), id = id).into()
        }
        Fault::WrongSigner { table: name, id } => {
            t!("fault.wrong_signer", table = table(name), id = id).into()
        }
        Fault::BadSignature { id } => t!("fault.bad_signature", id = id).into(),
        Fault::RowChanged { table: name, rowid } => {
            t!("fault.row_changed", table = table(name), id = rowid).into()
        }
        Fault::RowUnrecorded { table: name, rowid } => {
            t!("fault.row_unrecorded", table = table(name), id = rowid).into()
        }
        Fault::RowVanished { table: name, rowid } => {
            t!("fault.row_vanished", table = table(name), id = rowid).into()
        }
        Fault::Derived(d) => derived(d),
        Fault::Mark(m) => mark(m),
        other => super::messages::fault(other),
    }
}

fn derived(f: &DerivedFault) -> String {
    match f {
        DerivedFault::CreditWithoutScore {
            entry,
            household,
            period,
        } => t!(
            "check_facts.credit_without_score",
            entry = entry,
            household = household,
            period = period
        )
        .into(),
        DerivedFault::CreditMismatch {
            entry,
            household,
            period,
            score,
            expected,
            found,
        } => t!(
            "check_facts.credit_mismatch",
            entry = entry,
            household = household,
            period = period,
            score = score,
            expected = expected,
            found = found
        )
        .into(),
        DerivedFault::PriceMismatch {
            receipt_no,
            line_no,
            goods,
            expected,
            found,
        } => t!(
            "check_facts.price_mismatch",
            receipt = receipt_no,
            line = line_no,
            goods = goods,
            expected = expected
                .map(|p| p.to_string())
                .unwrap_or_else(|| t!("check_facts.no_price").into()),
            found = found
        )
        .into(),
        DerivedFault::DoubleValueNotEarned {
            receipt_no,
            line_no,
            goods,
            household,
            year_total,
            rank,
            top_n,
            price,
            found,
        } => t!(
            "check_double.not_earned",
            receipt = receipt_no,
            line = line_no,
            goods = goods,
            household = household,
            total = year_total,
            rank = rank,
            top_n = top_n,
            price = price,
            found = found
        )
        .into(),
        DerivedFault::CorrectionUnapproved {
            entry,
            household,
            approved_by,
        } => t!(
            "check_facts.correction_unapproved",
            entry = entry,
            household = household,
            approved = approved_by
        )
        .into(),
        DerivedFault::Rules { village_id, detail } => t!(
            "check_facts.rules_unreadable",
            village = village_id,
            detail = detail
        )
        .into(),
    }
}

fn mark(f: &MarkFault) -> String {
    match f {
        MarkFault::BadSignature { mark } => {
            t!("check_facts.mark_bad_signature", mark = mark).into()
        }
        MarkFault::HeadChanged {
            mark,
            table: name,
            id,
        } => t!(
            "check_facts.mark_head_changed",
            mark = mark,
            table = table(name),
            id = id
        )
        .into(),
        MarkFault::Unreadable { mark } => t!("check_facts.mark_unreadable", mark = mark).into(),
    }
}

/// Each printed witness code and whether the store still holds the history it saw.
pub fn verify_witnesses(db: &mut Db, codes: &[String]) -> Result<Vec<(String, Verdict)>> {
    db.read(|tx| {
        codes
            .iter()
            .map(|code| Ok((code.trim().to_string(), witness::verify(tx, code)?)))
            .collect()
    })
}

/// The store's witness code now (for a notice or the check screen).
pub fn current_witness(db: &mut Db) -> Result<String> {
    db.read(|tx| Ok(witness::current(tx)?))
}

pub fn witness_text(code: &str, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Holds => t!("records.witness_holds", code = code).into(),
        Verdict::Rewritten {
            points_to,
            stock_to,
        } => t!(
            "records.witness_rewritten",
            code = code,
            points = points_to,
            stock = stock_to
        )
        .into(),
        Verdict::Missing {
            points_to,
            stock_to,
        } => t!(
            "records.witness_missing",
            code = code,
            points = points_to,
            stock = stock_to
        )
        .into(),
        Verdict::Malformed => t!("records.witness_malformed", code = code).into(),
    }
}

pub fn rollback_text(r: &Rollback) -> String {
    let range = |span: &Option<[i64; 2]>| {
        span.map(|[a, b]| format!("{a}–{b}"))
            .unwrap_or_else(|| "-".into())
    };
    t!(
        "records.rollback_line",
        at = r.at,
        staff = r.staff.unwrap_or(0),
        reason = r.reason,
        points = range(&r.points),
        stock = range(&r.stock),
        lost = r.lost_redemptions,
        after = r.continue_after.clone().unwrap_or_default()
    )
    .into()
}

/// The start-up warning about the PC's clock: behind the store's last entry (writes would be
/// refused), or more than a day ahead of the last automatic backup.
pub fn clock_warning(
    db: &mut Db,
    data_dir: &std::path::Path,
    now: chrono::NaiveDateTime,
) -> Result<Option<String>> {
    let last: Option<String> = db.read(|tx| {
        // Each chain's last row by id: its clock only moves forward, so that is its latest
        // time, read from the index instead of a scan of years of rows at every start.
        Ok::<_, super::Error>(tx.query_row(
            "SELECT MAX(t) FROM (
                 SELECT (SELECT created_at FROM point_entry ORDER BY id DESC LIMIT 1) AS t
                 UNION ALL SELECT (SELECT created_at FROM stock_movement ORDER BY id DESC LIMIT 1)
                 UNION ALL SELECT (SELECT created_at FROM audit_log ORDER BY id DESC LIMIT 1))",
            [],
            |r| r.get(0),
        )?)
    })?;
    let format = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    if let Some(last) = last.and_then(|t| crate::store::parse_time(&t).ok())
        && now < last
    {
        {
            return Ok(Some(
                t!("clock.behind", now = format(now), last = format(last)).into(),
            ));
        }
    }
    if let Some(backup) = super::backup::last_backup_time(data_dir)
        && now - backup > chrono::Duration::days(1)
    {
        {
            return Ok(Some(
                t!(
                    "clock.ahead",
                    now = format(now),
                    backup = format(backup),
                    today = now.format("%Y年%m月%d日"),
                    days = (now - backup).num_days()
                )
                .into(),
            ));
        }
    }
    Ok(None)
}
