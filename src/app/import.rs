//! Imports from the files villages already keep: CSV as Excel writes it (UTF-8 with or
//! without BOM, or GBK/GB18030 on Chinese Windows) and .xlsx. All rows or none.

use crate::core::staff_rules::Approval;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::error::FileProblem;
use super::{Actor, Error, Result, audit};
use crate::core::import_rows::{self, CellError, Grid, Problem, ScoreRow};
use crate::core::ledger::PointEntryKind;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{Period, Points};
use crate::store::ledger::{NewPointEntry, append_point_entry};
use crate::store::{Db, households};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub rows: usize,
    pub points_total: i64,
}

/// Reads a file into a grid of cells, choosing the reader by the file's extension.
pub fn read_grid(path: &Path) -> Result<Grid> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            super::error::io_error(path, &e)
        }
        _ => Error::File {
            path: path.display().to_string(),
            reason: FileProblem::Unreadable(e.to_string()),
        },
    })?;
    grid_from_bytes(&path.display().to_string(), &bytes)
}

pub fn grid_from_bytes(name: &str, bytes: &[u8]) -> Result<Grid> {
    let lower = name.to_lowercase();
    let file_error = |reason| Error::File {
        path: name.to_string(),
        reason,
    };
    if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") {
        spreadsheet_grid(bytes).map_err(|e| file_error(FileProblem::Spreadsheet(e)))
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
        let text = decode_text(bytes).ok_or_else(|| file_error(FileProblem::NotText))?;
        csv_grid(&text).map_err(|e| file_error(FileProblem::Spreadsheet(e)))
    } else {
        Err(file_error(FileProblem::UnknownFormat))
    }
}

/// UTF-8 (BOM or not) first; otherwise GB18030, the superset of the GBK that Excel on Chinese
/// Windows writes; UTF-16 when it says so with a BOM. Text with control characters in it is
/// not a sheet at all.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8(rest.to_vec()).ok()?
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes);
        if had_errors {
            return None;
        }
        text.into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_string()
    } else {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)?
            .into_owned()
    };
    let is_sheet_text = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\r' | '\n'));
    is_sheet_text.then_some(text)
}

fn csv_grid(text: &str) -> std::result::Result<Grid, String> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn spreadsheet_grid(bytes: &[u8]) -> std::result::Result<Grid, String> {
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "no worksheet".to_string())?
        .map_err(|e| e.to_string())?;
    // Rows and columns before the used range are blank; keep spreadsheet row numbers true.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut grid: Grid = vec![Vec::new(); first_row as usize];
    grid.extend(range.rows().map(|row| {
        std::iter::repeat_n(String::new(), first_col as usize)
            .chain(row.iter().map(cell_text))
            .collect()
    }));
    // A merged cell holds its value in its top-left corner only; village offices merge the
    // title across the sheet and a group's name down its households. Give every cell of a
    // merged region the region's value, as the clerk sees it.
    let merged = match &mut workbook {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_id(0).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_id(0).unwrap_or_default(),
        _ => Vec::new(),
    };
    for region in merged {
        let (r0, c0) = (region.start.0 as usize, region.start.1 as usize);
        let value = grid
            .get(r0)
            .and_then(|r| r.get(c0))
            .cloned()
            .unwrap_or_default();
        for r in r0..=(region.end.0 as usize).min(grid.len().saturating_sub(1)) {
            let row = &mut grid[r];
            for c in c0..=region.end.1 as usize {
                if row.len() <= c {
                    row.resize(c + 1, String::new());
                }
                if row[c].trim().is_empty() {
                    row[c] = value.clone();
                }
            }
        }
    }
    Ok(grid)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers come back from Excel as floats; print them without ".0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

pub(crate) fn import_error(file: &str, cell: CellError) -> Error {
    Error::Import {
        file: file.to_string(),
        cell,
    }
}

fn cell(row: usize, column: &str, problem: Problem) -> CellError {
    CellError {
        row,
        column: column.to_string(),
        problem,
    }
}

/// Imports households (with opening balances carried over from paper) from a file.
pub fn import_households(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let grid = read_grid(path)?;
    import_households_grid(db, actor, &path.display().to_string(), &grid, now)
}

pub fn import_households_grid(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    grid: &Grid,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let options = super::import_preview::ImportOptions::default();
    let done = super::import_preview::apply_households(db, actor, file, grid, &options, now)?;
    Ok(ImportSummary {
        file: done.file,
        rows: done.added,
        points_total: done.points_total,
    })
}

/// Imports goods with their first point price, effective from today.
pub fn import_goods(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let grid = read_grid(path)?;
    import_goods_grid(db, actor, &path.display().to_string(), &grid, now)
}

pub fn import_goods_grid(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    grid: &Grid,
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    super::import_preview::apply_goods(db, actor, file, grid, now)
}

/// The names of who approved, checked by the one committee rule, as they are recorded.
pub(crate) fn approvers_of(names: &[String], approval: Approval) -> Result<String> {
    Ok(crate::core::staff_rules::approvers(names, approval)?.join(","))
}

/// Imports a committee's monthly score sheet and posts it as point credits.
pub fn import_scores(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    period: Period,
    approvers: &[String],
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    let file = path.display().to_string();
    let grid = read_grid(path)?;
    let rows = import_rows::scores(&grid).map_err(|c| import_error(&file, c))?;
    post_scores(db, actor, &file, period, approvers, &rows, now)
}

/// Posts a month's scores: one credit per household with a score above zero (points = score),
/// and the sheet with its approvers. A period is posted once.
pub fn post_scores(
    db: &mut Db,
    actor: &Actor,
    file: &str,
    period: Period,
    approvers: &[String],
    rows: &[ScoreRow],
    now: NaiveDateTime,
) -> Result<ImportSummary> {
    actor.require(Action::PostPoints)?;
    // Every way in (file, demo, app) comes through here: a month that has not come yet is a
    // typing error, refused before anything is written (issue 14).
    let current = Period::of(now.date());
    if period > current {
        return Err(Refusal::FuturePeriod { period, current }.into());
    }
    let approved_by = approvers_of(approvers, Approval::Committee)?;
    db.write(|tx| Ok(post_scores_in(tx, actor, file, period, &approved_by, rows, now)?.0))
}

/// The posting itself, inside the caller's transaction (the register's monthly approval posts
/// its month this way): the sheet, its scores and their credits. Returns the sheet's id.
pub(crate) fn post_scores_in(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    file: &str,
    period: Period,
    approved_by: &str,
    rows: &[ScoreRow],
    now: NaiveDateTime,
) -> Result<(ImportSummary, i64)> {
    {
        // Several villages' committees may each post a sheet for the same month; what may not
        // happen is a household credited twice for one month.
        tx.execute(
            "INSERT INTO score_sheet (period, approved_by, staff_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![period.to_string(), approved_by, actor.id.0, crate::store::format_time(now)],
        )?;
        let sheet_id = tx.last_insert_rowid();
        let mut total: i64 = 0;
        for checked in check_scores(tx, file, rows)? {
            if already_scored(tx, period, checked.household_id)? {
                let problem = Problem::AlreadyPosted {
                    household: checked.household.to_string(),
                    period: period.to_string(),
                };
                return Err(import_error(file, cell(checked.row, "户号", problem)));
            }
            tx.execute(
                "INSERT INTO score (period, household_id, score, sheet_id) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    period.to_string(),
                    checked.household_id,
                    checked.score,
                    sheet_id
                ],
            )?;
            if checked.points.0 > 0 {
                append_point_entry(
                    tx,
                    NewPointEntry {
                        household_id: checked.household_id,
                        household_no: &checked.household,
                        kind: PointEntryKind::MonthlyCredit,
                        amount: checked.points,
                        period: Some(period),
                        redemption_id: None,
                        receipt_no: None,
                        reason: None,
                        approved_by: Some(approved_by.to_string()),
                        staff: actor.id,
                        created_at: now,
                    },
                )?;
                total = total
                    .checked_add(checked.points.0)
                    .ok_or(Refusal::Overflow)?;
            }
            #[cfg(feature = "failpoints")]
            fail::fail_point!("import::after_row", |_| Err(
                crate::store::StoreError::Invariant("fault injected mid-import".into()).into()
            ));
        }
        audit(
            tx,
            Some(actor.id),
            "post_scores",
            json!({ "file": file, "period": period.to_string(), "rows": rows.len(), "points": total, "approved_by": approved_by }),
            now,
        )?;
        Ok((
            ImportSummary {
                file: file.to_string(),
                rows: rows.len(),
                points_total: total,
            },
            sheet_id,
        ))
    }
}

/// One score row checked against the store and the household's village rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedScore {
    pub row: usize,
    pub household_id: i64,
    pub household: crate::core::HouseholdNo,
    pub village: String,
    pub group: String,
    pub score: i64,
    pub points: Points,
}

/// Checks every row: the household exists, the head's name matches when given, the score is
/// within the village rules' maximum; converts the score to points under those rules.
fn check_scores(
    tx: &rusqlite::Connection,
    file: &str,
    rows: &[ScoreRow],
) -> Result<Vec<CheckedScore>> {
    let mut policies = Policies::new();
    rows.iter()
        .map(|row| check_one(tx, file, row, &mut policies))
        .collect()
}

/// One score row checked as posting for `period` would, including a month already posted.
pub(crate) fn check_score(
    tx: &rusqlite::Connection,
    file: &str,
    row: &ScoreRow,
    period: Period,
) -> Result<CheckedScore> {
    let checked = check_one(tx, file, row, &mut Policies::new())?;
    if already_scored(tx, period, checked.household_id)? {
        let problem = Problem::AlreadyPosted {
            household: checked.household.to_string(),
            period: period.to_string(),
        };
        return Err(import_error(file, cell(row.row, "户号", problem)));
    }
    Ok(checked)
}

/// Village rules by village id, read once per sheet.
type Policies = std::collections::HashMap<i64, crate::core::policy::VillagePolicy>;

fn check_one(
    tx: &rusqlite::Connection,
    file: &str,
    row: &ScoreRow,
    policies: &mut Policies,
) -> Result<CheckedScore> {
    let found = households::find(tx, &row.household)?.ok_or_else(|| {
        let problem = Problem::UnknownHousehold(row.household.to_string());
        import_error(file, cell(row.row, "户号", problem))
    })?;
    // A household that moved away or merged earns nothing more (issue 24).
    if found.household.status != crate::core::household::HouseholdStatus::Active {
        return Err(Refusal::HouseholdInactive(row.household.clone()).into());
    }
    if let Some(name) = &row.head_name
        && *name != found.household.head_name
    {
        let problem = Problem::NameMismatch {
            expected: found.household.head_name.clone(),
            found: name.clone(),
        };
        return Err(import_error(file, cell(row.row, "户主", problem)));
    }
    let (village_id, _) = crate::store::rules::place_of(tx, found.id)?;
    if let std::collections::hash_map::Entry::Vacant(slot) = policies.entry(village_id) {
        slot.insert(super::rules::policy_for_village(tx, village_id)?);
    }
    let policy = &policies[&village_id];
    if row.score > policy.scoring.max_score {
        let problem = Problem::OutOfRange {
            value: row.score.to_string(),
            min: 0,
            max: policy.scoring.max_score,
        };
        return Err(import_error(file, cell(row.row, "得分", problem)));
    }
    Ok(CheckedScore {
        row: row.row,
        household_id: found.id,
        household: row.household.clone(),
        village: found.household.village.clone(),
        group: found.household.group.clone(),
        score: row.score,
        points: policy
            .points_for_score(row.score)
            .ok_or(Refusal::Overflow)?,
    })
}

/// A month's sheet before posting: per village group, how many households and points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScorePreview {
    pub period: Period,
    pub already_posted: bool,
    /// (village, group, households, total score, total points)
    pub groups: Vec<(String, String, usize, i64, i64)>,
}

/// Checks a sheet as posting would and totals it per village group, writing nothing.
pub fn preview_scores(
    db: &mut Db,
    file: &str,
    grid: &Grid,
    period: Period,
) -> Result<ScorePreview> {
    let rows = import_rows::scores(grid).map_err(|c| import_error(file, c))?;
    db.read(|tx| {
        let mut posted = 0;
        let mut groups: Vec<(String, String, usize, i64, i64)> = Vec::new();
        for c in check_scores(tx, file, &rows)? {
            posted += i64::from(already_scored(tx, period, c.household_id)?);
            match groups
                .iter_mut()
                .find(|g| g.0 == c.village && g.1 == c.group)
            {
                Some(g) => {
                    g.2 += 1;
                    g.3 += c.score;
                    g.4 += c.points.0;
                }
                None => groups.push((c.village, c.group, 1, c.score, c.points.0)),
            }
        }
        groups.sort();
        Ok(ScorePreview {
            period,
            already_posted: posted > 0,
            groups,
        })
    })
}

/// Whether a household already has a score (and so a credit) for a month.
fn already_scored(tx: &rusqlite::Connection, period: Period, household_id: i64) -> Result<bool> {
    let n: i64 = tx.query_row(
        "SELECT COUNT(*) FROM score WHERE period = ?1 AND household_id = ?2",
        rusqlite::params![period.to_string(), household_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
