//! Print jobs (pending → printing → printed or failed) and the stored records they print
//! that nothing else loads: a donation with its goods, a closed session's report.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::{Qty, StaffId};
use crate::print::{DonatedGoods, DonationSlip, JobKind, JobStatus, PrintJob};

pub fn insert(
    conn: &Connection,
    kind: JobKind,
    reference: &str,
    by: Option<StaffId>,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO print_job (kind, reference, status, created_at, updated_at, created_by)
         VALUES (?1, ?2, 'pending', ?3, ?3, ?4)",
        params![kind.as_db(), reference, format_time(now), by.map(|s| s.0)],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT id, kind, reference, status, error, note, printer, attempts,
    created_at, updated_at, created_by FROM print_job";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PrintJob> {
    let kind: String = r.get(1)?;
    let status: String = r.get(3)?;
    Ok(PrintJob {
        id: r.get(0)?,
        kind: parse_stored(&kind, JobKind::from_db)?,
        reference: r.get(2)?,
        status: parse_stored(&status, JobStatus::from_db)?,
        error: r.get(4)?,
        note: r.get(5)?,
        printer: r.get(6)?,
        attempts: r.get(7)?,
        created_at: parse_time(&r.get::<_, String>(8)?)?,
        updated_at: parse_time(&r.get::<_, String>(9)?)?,
        created_by: r.get::<_, Option<i64>>(10)?.map(StaffId),
    })
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<PrintJob>> {
    let sql = format!("{SELECT} WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

/// The newest jobs first, for the counter's print list.
pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<PrintJob>> {
    let sql = format!("{SELECT} ORDER BY id DESC LIMIT ?1");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every job of one thing printed (a receipt's first print and its reprints), oldest first.
pub fn for_reference(
    conn: &Connection,
    kinds: &[JobKind],
    reference: &str,
) -> Result<Vec<PrintJob>> {
    let sql = format!("{SELECT} WHERE reference = ?1 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([reference], from_row)?;
    let jobs: Vec<PrintJob> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(jobs
        .into_iter()
        .filter(|j| kinds.contains(&j.kind))
        .collect())
}

/// Takes a pending job for printing: job `id`, or with `None` the oldest pending one.
/// Run inside a write transaction, so two workers can never take the same job.
pub fn claim(conn: &Connection, id: Option<i64>, now: NaiveDateTime) -> Result<Option<PrintJob>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM print_job WHERE status = 'pending' AND (?1 IS NULL OR id = ?1)
             ORDER BY id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE print_job SET status = 'printing', attempts = attempts + 1, updated_at = ?2
         WHERE id = ?1 AND status = 'pending'",
        params![id, format_time(now)],
    )?;
    find(conn, id)
}

/// How a job ended.
pub enum Finished<'a> {
    Printed { note: Option<&'a str> },
    Failed { error: &'a str },
}

pub fn finish(
    conn: &Connection,
    id: i64,
    finished: Finished<'_>,
    printer: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    let (status, error, note) = match finished {
        Finished::Printed { note } => ("printed", None, note),
        Finished::Failed { error } => ("failed", Some(error), None),
    };
    conn.execute(
        "UPDATE print_job SET status = ?2, error = ?3, note = ?4, printer = COALESCE(?5, printer),
            updated_at = ?6 WHERE id = ?1",
        params![id, status, error, note, printer, format_time(now)],
    )?;
    Ok(())
}

/// Jobs still `printing` since before `before`: the program printing them stopped mid-job (no
/// job takes minutes). Nobody knows whether they came out, so they fail with `reason` (staff
/// reprint if needed) rather than print twice.
pub fn fail_stale(
    conn: &Connection,
    reason: &str,
    before: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE print_job SET status = 'failed', error = ?1, updated_at = ?3
         WHERE status = 'printing' AND updated_at < ?2",
        params![reason, format_time(before), format_time(now)],
    )?)
}

pub fn store_name(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM store WHERE id = 1", [], |r| r.get(0))
        .optional()?)
}

/// A donation (`id` of `D12` is 12) with the goods its stock movements brought in.
pub fn donation_slip(conn: &Connection, id: i64) -> Result<Option<DonationSlip>> {
    let found = conn
        .query_row(
            "SELECT d.donor, d.contact, d.received_on, d.created_at, s.name, st.name
             FROM donation d JOIN staff s ON s.id = d.staff_id JOIN store st ON st.id = 1
             WHERE d.id = ?1",
            [id],
            |r| {
                let received_on: String = r.get(2)?;
                Ok(DonationSlip {
                    reference: format!("D{id}"),
                    donor: r.get(0)?,
                    contact: r.get(1)?,
                    received_on: parse_stored(&received_on, |d| d.parse().ok())?,
                    recorded_at: parse_time(&r.get::<_, String>(3)?)?,
                    staff_name: r.get(4)?,
                    store_name: r.get(5)?,
                    lines: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut slip) = found else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT g.name, g.unit, m.qty FROM stock_movement m JOIN goods g ON g.code = m.goods_code
         WHERE m.donation_id = ?1 AND m.kind = 'donation' ORDER BY m.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(DonatedGoods {
            name: r.get(0)?,
            unit: r.get(1)?,
            qty: Qty(r.get(2)?),
        })
    })?;
    slip.lines = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Some(slip))
}

/// The report stored when a session closed: `None` if there is no such session, `Some(None)`
/// while it is still open.
pub fn session_report_json(conn: &Connection, id: i64) -> Result<Option<Option<String>>> {
    Ok(conn
        .query_row(
            "SELECT report FROM redemption_session WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}
