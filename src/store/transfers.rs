//! Household changes as stored (issue 24): transfer pairs between households, the change
//! records the notices list, the group history, and the check that every pair balances.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::check::Fault;
use super::{Result, format_time, parse_stored, parse_time};
use crate::core::StaffId;
use crate::core::household_change::ChangeKind;

pub struct NewTransfer<'a> {
    pub kind: ChangeKind,
    pub from_household_id: i64,
    pub to_household_id: i64,
    pub out_entry_id: i64,
    pub in_entry_id: i64,
    pub points: i64,
    pub approved_by: &'a str,
    pub reason: &'a str,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
}

pub fn insert_transfer(conn: &Connection, t: &NewTransfer<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO point_transfer (kind, from_household_id, to_household_id, out_entry_id,
            in_entry_id, points, approved_by, reason, staff_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        t.kind.as_db(),
        t.from_household_id,
        t.to_household_id,
        t.out_entry_id,
        t.in_entry_id,
        t.points,
        t.approved_by,
        t.reason,
        t.staff.0,
        format_time(t.created_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct NewChange<'a> {
    pub household_id: i64,
    pub kind: ChangeKind,
    pub other_household_id: Option<i64>,
    pub transfer_id: Option<i64>,
    pub entry_id: Option<i64>,
    pub effective_on: NaiveDate,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: &'a str,
    pub approved_by: Option<&'a str>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
}

pub fn insert_change(conn: &Connection, c: &NewChange<'_>) -> Result<i64> {
    conn.prepare_cached("INSERT INTO household_change (household_id, kind, other_household_id, transfer_id,
            entry_id, effective_on, before_text, after_text, reason, approved_by, staff_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")?.execute(params![
            c.household_id,
            c.kind.as_db(),
            c.other_household_id,
            c.transfer_id,
            c.entry_id,
            c.effective_on.to_string(),
            c.before,
            c.after,
            c.reason,
            c.approved_by,
            c.staff.0,
            format_time(c.created_at),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A change as read back, with both households' numbers and the points it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    pub id: i64,
    pub household_id: i64,
    pub household_no: String,
    pub head_name: String,
    pub kind: ChangeKind,
    pub other_no: Option<String>,
    pub points: Option<i64>,
    pub effective_on: NaiveDate,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
    pub approved_by: Option<String>,
    pub created_at: NaiveDateTime,
}

const SELECT: &str = "SELECT c.id, c.household_id, h.number, h.head_name, c.kind, o.number,
        COALESCE(t.points, -e.amount), c.effective_on, c.before_text, c.after_text, c.reason,
        c.approved_by, c.created_at
     FROM household_change c JOIN household h ON h.id = c.household_id
     LEFT JOIN household o ON o.id = c.other_household_id
     LEFT JOIN point_transfer t ON t.id = c.transfer_id
     LEFT JOIN point_entry e ON e.id = c.entry_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredChange> {
    let kind: String = r.get(4)?;
    let day: String = r.get(7)?;
    Ok(StoredChange {
        id: r.get(0)?,
        household_id: r.get(1)?,
        household_no: r.get(2)?,
        head_name: r.get(3)?,
        kind: parse_stored(&kind, ChangeKind::from_db)?,
        other_no: r.get(5)?,
        points: r.get(6)?,
        effective_on: parse_stored(&day, |s| s.parse().ok())?,
        before: r.get(8)?,
        after: r.get(9)?,
        reason: r.get(10)?,
        approved_by: r.get(11)?,
        created_at: parse_time(&r.get::<_, String>(12)?)?,
    })
}

/// Changes that took effect on `from..=to`, in the order they happened.
pub fn changes_between(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StoredChange>> {
    let sql = format!(
        "{SELECT} WHERE c.effective_on >= ?1 AND c.effective_on <= ?2 ORDER BY c.effective_on, c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every change a household took part in (its own, and splits or merges naming it).
pub fn changes_of(conn: &Connection, household_id: i64) -> Result<Vec<StoredChange>> {
    let sql = format!(
        "{SELECT} WHERE c.household_id = ?1 OR c.other_household_id = ?1 ORDER BY c.effective_on, c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([household_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The day a resident household arrived, as its join recorded.
pub fn arrival(conn: &Connection, household_id: i64) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn
        .prepare_cached(
            "SELECT effective_on FROM household_change WHERE household_id = ?1 AND kind = 'join'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([household_id], |r| r.get(0))
        .optional()?;
    day.map(|d| parse_stored(&d, |s| s.parse().ok()))
        .transpose()
        .map_err(Into::into)
}

/// Records a household's new group from `from` (before the household row is updated, so the
/// follow-up trigger sees it already recorded).
pub fn record_group(
    conn: &Connection,
    household_id: i64,
    group_id: i64,
    from: NaiveDate,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO household_group_history (household_id, group_id, from_date) VALUES (?1, ?2, ?3)")?.execute(params![household_id, group_id, from.to_string()],
    )?;
    Ok(())
}

/// The day of a household's latest recorded group change (the initial row does not count).
pub fn last_group_change(conn: &Connection, household_id: i64) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn.prepare_cached("SELECT MAX(from_date) FROM household_group_history WHERE household_id = ?1 AND from_date > '0001-01-01'")?.query_row([household_id],
        |r| r.get(0),
    )?;
    day.map(|d| parse_stored(&d, |s| s.parse().ok()))
        .transpose()
        .map_err(Into::into)
}

/// SQL for the group of household `h.id` in force on the day bound to `day_param` (e.g.
/// `"?2"`): the latest history row from that day or before, or the household's group.
pub fn group_at_sql(day_param: &str) -> String {
    format!(
        "COALESCE((SELECT gh.group_id FROM household_group_history gh WHERE gh.household_id = h.id
           AND gh.from_date <= {day_param} ORDER BY gh.from_date DESC, gh.id DESC LIMIT 1), h.group_id)"
    )
}

/// The group of a household on a day.
pub fn group_at(conn: &Connection, household_id: i64, day: NaiveDate) -> Result<i64> {
    let sql = format!(
        "SELECT {} FROM household h WHERE h.id = ?1",
        group_at_sql("?2")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![household_id, day.to_string()], |r| r.get(0))?)
}

/// The first voucher of a household that is neither used nor cancelled nor past its date.
pub fn open_voucher(
    conn: &Connection,
    household_id: i64,
    today: NaiveDate,
) -> Result<Option<(String, NaiveDate)>> {
    let found: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT voucher_no, valid_until FROM voucher WHERE household_id = ?1
               AND used_at IS NULL AND cancelled_at IS NULL AND valid_until >= ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![household_id, today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    found
        .map(|(no, until)| Ok((no, parse_stored(&until, |s| s.parse().ok())?)))
        .transpose()
}

/// `check`: every transfer pair balances — both entries exist, are corrections of the two
/// households it names, are equal and opposite to its points, and each names the other side.
pub fn check_transfers(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.points, t.from_household_id, t.to_household_id,
                o.id, o.household_id, o.amount, o.kind, o.reason, hi.number,
                i.id, i.household_id, i.amount, i.kind, i.reason, ho.number
         FROM point_transfer t
         LEFT JOIN point_entry o ON o.id = t.out_entry_id
         LEFT JOIN point_entry i ON i.id = t.in_entry_id
         LEFT JOIN household ho ON ho.id = t.from_household_id
         LEFT JOIN household hi ON hi.id = t.to_household_id
         ORDER BY t.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let points: i64 = r.get(1)?;
        let side = |base: usize, household: i64, sign: i64| -> rusqlite::Result<Option<String>> {
            let entry: Option<i64> = r.get(base)?;
            let Some(entry) = entry else {
                return Ok(Some(format!("转移 #{id} 的一条积分流水不存在")));
            };
            let owner: i64 = r.get(base + 1)?;
            let amount: i64 = r.get(base + 2)?;
            let kind: String = r.get(base + 3)?;
            let reason: Option<String> = r.get(base + 4)?;
            let other: Option<String> = r.get(base + 5)?;
            let names_other = matches!((&reason, &other), (Some(reason), Some(other)) if reason.contains(other.as_str()));
            Ok(if owner != household || kind != "correction" {
                Some(format!(
                    "转移 #{id}：积分流水 #{entry} 不是这两户之间的更正记录"
                ))
            } else if amount != sign * points {
                Some(format!(
                    "转移 #{id}：积分流水 #{entry} 为 {amount} 分，应为 {} 分",
                    sign * points
                ))
            } else if !names_other {
                Some(format!("转移 #{id}：积分流水 #{entry} 没有写明另一户"))
            } else {
                None
            })
        };
        let from: i64 = r.get(2)?;
        let to: i64 = r.get(3)?;
        for problem in [side(4, from, -1)?, side(10, to, 1)?].into_iter().flatten() {
            faults.push(Fault::Unreadable {
                table: "point_transfer",
                detail: problem,
            });
        }
    }
    Ok(())
}
