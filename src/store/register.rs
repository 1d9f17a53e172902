//! The scoring register's tables (migration 017): item tables, the chained events, monthly
//! approvals and their later adjustments. Services call these inside their transaction.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, format_time, parse_stored, parse_time};
use crate::core::chain::GENESIS;
use crate::core::register::{
    Basis, Cycle, Evidence, ItemKind, ItemPoints, RegisterEvent, ScoringItem,
};
use crate::core::{Period, StaffId};

/// An items table as stored: its id, village and year, and its items in number order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTable {
    pub id: i64,
    pub village_id: i64,
    pub year: i32,
    pub source: String,
    pub items: Vec<ScoringItem>,
}

pub fn insert_item_table(
    conn: &Connection,
    village_id: i64,
    year: i32,
    source: &str,
    items: &[ScoringItem],
    staff: StaffId,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO register_item_table (village_id, year, source, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![village_id, year, source, staff.0, format_time(now)],
    )?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare(
        "INSERT INTO register_item (table_id, number, class, kind, item, content, points_min, points_max, scoring, cycle)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for item in items {
        let (min, max) = item.points.bounds();
        stmt.execute(params![
            id,
            item.number,
            item.class,
            item.kind.as_db(),
            item.item,
            item.content,
            min,
            max,
            item.points.as_db(),
            item.cycle.as_db()
        ])?;
    }
    Ok(id)
}

/// The items table in force for a village and year: the latest imported.
pub fn table_for(conn: &Connection, village_id: i64, year: i32) -> Result<Option<ItemTable>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM register_item_table WHERE village_id = ?1 AND year = ?2 ORDER BY id DESC LIMIT 1",
            params![village_id, year],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| table(conn, id)).transpose()
}

/// The latest table of a village, whatever the year (for `items show`).
pub fn latest_table(conn: &Connection, village_id: i64) -> Result<Option<ItemTable>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM register_item_table WHERE village_id = ?1 ORDER BY year DESC, id DESC LIMIT 1",
            [village_id],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| table(conn, id)).transpose()
}

pub fn table(conn: &Connection, id: i64) -> Result<ItemTable> {
    let (village_id, year, source): (i64, i32, String) = conn.query_row(
        "SELECT village_id, year, source FROM register_item_table WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut stmt = conn.prepare(
        "SELECT number, class, kind, item, content, points_min, points_max, scoring, cycle
         FROM register_item WHERE table_id = ?1 ORDER BY number",
    )?;
    let items = stmt
        .query_map([id], |r| {
            let kind: String = r.get(2)?;
            let scoring: String = r.get(7)?;
            let cycle: String = r.get(8)?;
            let (min, max): (i64, i64) = (r.get(5)?, r.get(6)?);
            Ok(ScoringItem {
                number: r.get(0)?,
                class: r.get(1)?,
                kind: parse_stored(&kind, ItemKind::from_db)?,
                item: r.get(3)?,
                content: r.get(4)?,
                points: parse_stored(&scoring, |s| ItemPoints::from_db(s, min, max))?,
                cycle: parse_stored(&cycle, Cycle::from_db)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ItemTable {
        id,
        village_id,
        year,
        source,
        items,
    })
}

/// What a service records; the id, chain and hash are filled in here.
pub struct NewEvent {
    pub household_id: i64,
    pub table_id: i64,
    pub item_number: i64,
    pub date: NaiveDate,
    pub place: Option<String>,
    pub what: Option<String>,
    pub basis: Basis,
    pub points: i64,
    pub corrects: Option<i64>,
    pub withdrawn: bool,
    pub evidence: Option<Evidence>,
    pub dispute_id: Option<i64>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
}

pub fn append_event(conn: &Connection, new: NewEvent) -> Result<RegisterEvent> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM register_event ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, prev_hash) = last.map_or((1, GENESIS.to_string()), |(id, h)| (id + 1, h));
    let mut event = RegisterEvent {
        id,
        household_id: new.household_id,
        table_id: new.table_id,
        item_number: new.item_number,
        date: new.date,
        place: new.place,
        what: new.what,
        basis: new.basis,
        points: new.points,
        corrects: new.corrects,
        withdrawn: new.withdrawn,
        evidence: new.evidence,
        dispute_id: new.dispute_id,
        staff: new.staff,
        created_at: new.created_at,
        prev_hash,
        hash: String::new(),
    };
    event.hash = event.expected_hash();
    conn.execute(
        "INSERT INTO register_event (id, household_id, table_id, item_number, event_date, place, what, basis,
            points, corrects, withdrawn, evidence_sha256, evidence_file, dispute_id, staff_id, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            event.id,
            event.household_id,
            event.table_id,
            event.item_number,
            event.date.to_string(),
            event.place,
            event.what,
            event.basis.as_db(),
            event.points,
            event.corrects,
            event.withdrawn,
            event.evidence.as_ref().map(|e| e.sha256.clone()),
            event.evidence.as_ref().map(|e| e.file.clone()),
            event.dispute_id,
            event.staff.0,
            format_time(event.created_at),
            event.prev_hash,
            event.hash,
        ],
    )?;
    Ok(event)
}

const EVENT_COLUMNS: &str = "id, household_id, table_id, item_number, event_date, place, what, basis, points,
    corrects, withdrawn, evidence_sha256, evidence_file, dispute_id, staff_id, created_at, prev_hash, hash";

fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RegisterEvent> {
    let date: String = r.get(4)?;
    let basis: String = r.get(7)?;
    let sha: Option<String> = r.get(11)?;
    let file: Option<String> = r.get(12)?;
    Ok(RegisterEvent {
        id: r.get(0)?,
        household_id: r.get(1)?,
        table_id: r.get(2)?,
        item_number: r.get(3)?,
        date: parse_stored(&date, |s| s.parse().ok())?,
        place: r.get(5)?,
        what: r.get(6)?,
        basis: parse_stored(&basis, Basis::from_db)?,
        points: r.get(8)?,
        corrects: r.get(9)?,
        withdrawn: r.get(10)?,
        evidence: sha
            .zip(file)
            .map(|(sha256, file)| Evidence { sha256, file }),
        dispute_id: r.get(13)?,
        staff: StaffId(r.get(14)?),
        created_at: parse_time(&r.get::<_, String>(15)?)?,
        prev_hash: r.get(16)?,
        hash: r.get(17)?,
    })
}

pub fn event(conn: &Connection, id: i64) -> Result<Option<RegisterEvent>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM register_event WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], event_from_row).optional()?)
}

/// A household's events dated within `[first, last]`, oldest first.
pub fn events_of(
    conn: &Connection,
    household_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<RegisterEvent>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM register_event WHERE household_id = ?1 AND event_date BETWEEN ?2 AND ?3 ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        params![household_id, first.to_string(), last.to_string()],
        event_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The event that corrects `id`, if any.
pub fn corrected_by(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM register_event WHERE corrects = ?1 ORDER BY id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Walks every event in chain order (for `check`); a row that cannot be read is passed on.
pub fn for_each_event(
    conn: &Connection,
    visit: impl FnMut(rusqlite::Result<RegisterEvent>),
) -> Result<()> {
    for_each_event_after(conn, 0, visit)
}

/// Every event after `after` (an incremental check starts from its verified head).
pub fn for_each_event_after(
    conn: &Connection,
    after: i64,
    mut visit: impl FnMut(rusqlite::Result<RegisterEvent>),
) -> Result<()> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM register_event WHERE id > ?1 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([after])?;
    while let Some(row) = rows.next()? {
        visit(event_from_row(row));
    }
    Ok(())
}

/// A village group's approved month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub id: i64,
    pub group_id: i64,
    pub period: Period,
    pub leader: String,
    pub approved_by: String,
    pub sheet_id: i64,
    pub created_at: NaiveDateTime,
}

const APPROVAL_COLUMNS: &str = "id, group_id, period, leader, approved_by, sheet_id, created_at";

fn approval_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Approval> {
    let period: String = r.get(2)?;
    Ok(Approval {
        id: r.get(0)?,
        group_id: r.get(1)?,
        period: parse_stored(&period, |s| s.parse().ok())?,
        leader: r.get(3)?,
        approved_by: r.get(4)?,
        sheet_id: r.get(5)?,
        created_at: parse_time(&r.get::<_, String>(6)?)?,
    })
}

pub fn approval(conn: &Connection, group_id: i64, period: Period) -> Result<Option<Approval>> {
    let sql = format!(
        "SELECT {APPROVAL_COLUMNS} FROM register_approval WHERE group_id = ?1 AND period = ?2"
    );
    Ok(conn
        .query_row(
            &sql,
            params![group_id, period.to_string()],
            approval_from_row,
        )
        .optional()?)
}

pub fn all_approvals(conn: &Connection) -> Result<Vec<Approval>> {
    let sql = format!("SELECT {APPROVAL_COLUMNS} FROM register_approval ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], approval_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_approval(
    conn: &Connection,
    group_id: i64,
    period: Period,
    leader: &str,
    approved_by: &str,
    sheet_id: i64,
    staff: StaffId,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO register_approval (group_id, period, leader, approved_by, sheet_id, staff_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![group_id, period.to_string(), leader, approved_by, sheet_id, staff.0, format_time(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A month corrected after approval: one household's score before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub approval_id: i64,
    pub household_id: i64,
    pub event_id: i64,
    pub dispute_id: Option<i64>,
    pub score_before: i64,
    pub score_after: i64,
    pub entry_id: Option<i64>,
}

pub fn insert_adjustment(conn: &Connection, a: &Adjustment, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "INSERT INTO register_adjustment (approval_id, household_id, event_id, dispute_id, score_before, score_after, entry_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![a.approval_id, a.household_id, a.event_id, a.dispute_id, a.score_before, a.score_after, a.entry_id, format_time(now)],
    )?;
    Ok(())
}

/// A household's adjustments of one approved month, in order.
pub fn adjustments(
    conn: &Connection,
    approval_id: i64,
    household_id: i64,
) -> Result<Vec<Adjustment>> {
    let mut stmt = conn.prepare(
        "SELECT approval_id, household_id, event_id, dispute_id, score_before, score_after, entry_id
         FROM register_adjustment WHERE approval_id = ?1 AND household_id = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![approval_id, household_id], |r| {
        Ok(Adjustment {
            approval_id: r.get(0)?,
            household_id: r.get(1)?,
            event_id: r.get(2)?,
            dispute_id: r.get(3)?,
            score_before: r.get(4)?,
            score_after: r.get(5)?,
            entry_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The households a sheet scored, with their score: (household id, score).
pub fn sheet_scores(conn: &Connection, sheet_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT household_id, score FROM score WHERE sheet_id = ?1 ORDER BY household_id",
    )?;
    let rows = stmt.query_map([sheet_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The points of a household's monthly credit for a period, 0 when none was written (a score
/// of 0 earns no credit entry).
pub fn credit_of(conn: &Connection, household_id: i64, period: Period) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount), 0) FROM point_entry WHERE household_id = ?1 AND period = ?2 AND kind = 'monthly_credit'",
        params![household_id, period.to_string()],
        |r| r.get(0),
    )?)
}

pub fn entry_amount(conn: &Connection, entry_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT amount FROM point_entry WHERE id = ?1",
            [entry_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn link_dispute(conn: &Connection, dispute_id: i64, event_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO register_dispute_event (dispute_id, event_id) VALUES (?1, ?2)",
        params![dispute_id, event_id],
    )?;
    Ok(())
}

pub fn dispute_event(conn: &Connection, dispute_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT event_id FROM register_dispute_event WHERE dispute_id = ?1",
            [dispute_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A village group found from how staff write it: "村/组", "村组" run together, or the group
/// alone when only one village has it; "一组" also finds "第一组".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupAt {
    pub id: i64,
    pub village_id: i64,
    pub village: String,
    pub group: String,
}

pub fn groups_matching(conn: &Connection, text: &str) -> Result<Vec<GroupAt>> {
    let text = text.trim();
    let mut stmt = conn.prepare(
        "SELECT g.id, v.id, v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id ORDER BY v.name, g.id",
    )?;
    let all: Vec<GroupAt> = stmt
        .query_map([], |r| {
            Ok(GroupAt {
                id: r.get(0)?,
                village_id: r.get(1)?,
                village: r.get(2)?,
                group: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let same = |written: &str, name: &str| {
        let written = written.trim();
        written == name || name.strip_prefix('第') == Some(written)
    };
    Ok(all
        .into_iter()
        .filter(|g| match text.split_once(['/', '／']) {
            Some((v, group)) => v.trim() == g.village && same(group, &g.group),
            None => text
                .strip_prefix(g.village.as_str())
                .map_or(same(text, &g.group), |rest| same(rest, &g.group)),
        })
        .collect())
}

/// The active households of a group, in number order: (id, number, head).
pub fn households_of_group(conn: &Connection, group_id: i64) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, number, head_name FROM household WHERE group_id = ?1 AND status = 'active' ORDER BY number",
    )?;
    let rows = stmt.query_map([group_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The TOML of a village's rules in force at `time` (the latest set at or before it).
pub fn policy_text_at(
    conn: &Connection,
    village_id: i64,
    time: NaiveDateTime,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT toml FROM village_policy WHERE village_id = ?1 AND created_at <= ?2 ORDER BY id DESC LIMIT 1",
            params![village_id, format_time(time)],
            |r| r.get(0),
        )
        .optional()?)
}
