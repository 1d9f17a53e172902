//! Recording scoring events: one from the command line, or a whole grid of a group's month in
//! one transaction. Evidence (a photo or scan) is copied into the data folder under its
//! SHA-256, which the event keeps.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{Result, household_month, refuse, year_rules};
use crate::app::{Actor, audit};
use crate::core::refusal::Refusal;
use crate::core::register::{
    Basis, Evidence, ItemKind, ItemPoints, RegisterEvent, RegisterRefusal, find_item,
};
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Period};
use crate::store::register::{self as stored, NewEvent};
use crate::store::{Db, households, rules};

/// What staff enter for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub household: HouseholdNo,
    /// The item by its number or name.
    pub item: String,
    pub date: NaiveDate,
    pub place: Option<String>,
    pub what: Option<String>,
    pub basis: Basis,
    /// Needed for an item scored within a range; must match a fixed item's points if given.
    pub points: Option<i64>,
    pub evidence: Option<PathBuf>,
    /// The event this one corrects (before the month is approved).
    pub corrects: Option<i64>,
    /// A correction that takes the corrected event away.
    pub withdraw: bool,
}

impl EventInput {
    pub fn new(household: HouseholdNo, item: impl Into<String>, date: NaiveDate) -> Self {
        EventInput {
            household,
            item: item.into(),
            date,
            place: None,
            what: None,
            basis: Basis::Onsite,
            points: None,
            evidence: None,
            corrects: None,
            withdraw: false,
        }
    }
}

pub fn add_event(
    db: &mut Db,
    actor: &Actor,
    input: &EventInput,
    now: NaiveDateTime,
) -> Result<RegisterEvent> {
    Ok(add_events(db, actor, std::slice::from_ref(input), now)?.remove(0))
}

/// Records events, all or none (the fast grid saves a group's month this way).
pub fn add_events(
    db: &mut Db,
    actor: &Actor,
    inputs: &[EventInput],
    now: NaiveDateTime,
) -> Result<Vec<RegisterEvent>> {
    actor.require(Action::RecordScoringEvent)?;
    let folder = db
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let evidence: Vec<Option<Evidence>> = inputs
        .iter()
        .map(|i| {
            i.evidence
                .as_deref()
                .map(|p| keep_evidence(&folder, p))
                .transpose()
        })
        .collect::<Result<_>>()?;
    db.write(|tx| {
        let mut out = Vec::with_capacity(inputs.len());
        for (input, evidence) in inputs.iter().zip(evidence) {
            let event = record_in(tx, actor, input, evidence, None, now)?;
            out.push(event);
        }
        let ids: Vec<i64> = out.iter().map(|e| e.id).collect();
        audit(
            tx,
            Some(actor.id),
            "record_events",
            json!({ "events": ids }),
            now,
        )?;
        Ok(out)
    })
}

/// Checks one event against the items and the month's state, and appends it. `dispute` is
/// set for a correction an upheld dispute makes, which may change an approved month.
pub(crate) fn record_in(
    tx: &Connection,
    actor: &Actor,
    input: &EventInput,
    evidence: Option<Evidence>,
    dispute: Option<i64>,
    now: NaiveDateTime,
) -> Result<RegisterEvent> {
    if input.date > now.date() {
        return refuse(RegisterRefusal::FutureDate {
            date: input.date.to_string(),
        });
    }
    let found = households::find(tx, &input.household)?
        .ok_or_else(|| Refusal::UnknownHousehold(input.household.clone()))?;
    let (village_id, group_id) = rules::place_of(tx, found.id)?;
    let yr = year_rules(tx, village_id, input.date.year())?;
    let item = find_item(&yr.table.items, &input.item).map_err(Refusal::Register)?;
    let points = if input.withdraw {
        0
    } else {
        checked_points(item.name(), item.kind, item.points, input.points)?
    };
    let period = Period::of(input.date);
    if dispute.is_none() {
        refuse_if_approved(tx, group_id, period)?;
    }
    if let Some(target) = input.corrects {
        let old = stored::event(tx, target)?
            .ok_or(Refusal::Register(RegisterRefusal::UnknownEvent(target)))?;
        if old.household_id != found.id {
            return refuse(RegisterRefusal::EventOfOtherHousehold { event: target });
        }
        if let Some(by) = stored::corrected_by(tx, target)? {
            return refuse(RegisterRefusal::AlreadyCorrected { event: target, by });
        }
        if dispute.is_none() {
            refuse_if_approved(tx, group_id, Period::of(old.date))?;
        }
    } else if input.withdraw {
        return refuse(RegisterRefusal::UnknownEvent(0));
    }
    let clean = |t: &Option<String>| {
        t.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let event = stored::append_event(
        tx,
        NewEvent {
            household_id: found.id,
            table_id: yr.table.id,
            item_number: item.number,
            date: input.date,
            place: clean(&input.place),
            what: clean(&input.what),
            basis: input.basis,
            points,
            corrects: input.corrects,
            withdrawn: input.withdraw,
            evidence,
            dispute_id: dispute,
            staff: actor.id,
            created_at: now,
        },
    )?;
    // The month's score must still be computable (e.g. nothing overflows).
    household_month(tx, &yr, found.id, period)?;
    Ok(event)
}

fn checked_points(
    name: String,
    kind: ItemKind,
    points: ItemPoints,
    given: Option<i64>,
) -> Result<i64> {
    if kind == ItemKind::Negative {
        return Ok(0);
    }
    let (min, max) = points.bounds();
    let value = match (points, given) {
        (ItemPoints::Range(..), None) => {
            return refuse(RegisterRefusal::PointsOutOfRange {
                item: name,
                min,
                max,
                given: 0,
            });
        }
        (_, None) => min,
        (_, Some(g)) => g,
    };
    if !(min..=max).contains(&value) {
        return refuse(RegisterRefusal::PointsOutOfRange {
            item: name,
            min,
            max,
            given: value,
        });
    }
    Ok(value)
}

fn refuse_if_approved(tx: &Connection, group_id: i64, period: Period) -> Result<()> {
    if stored::approval(tx, group_id, period)?.is_some() {
        let group: String = tx.query_row(
            "SELECT v.name || '/' || g.name FROM village_group g JOIN village v ON v.id = g.village_id WHERE g.id = ?1",
            [group_id],
            |r| r.get(0),
        )?;
        return refuse(RegisterRefusal::MonthApproved { group, period });
    }
    Ok(())
}

/// Copies a photo or scan into `DIR/evidence/<sha256>.<ext>` (content-addressed, so the same
/// photo kept twice is one file) and returns what the event records.
fn keep_evidence(folder: &Path, path: &Path) -> Result<Evidence> {
    let bad = |reason: String| {
        Refusal::Register(RegisterRefusal::Evidence {
            path: path.display().to_string(),
            reason,
        })
    };
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    if bytes.is_empty() {
        return Err(bad("empty file".into()).into());
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into());
    let file = format!("evidence/{sha256}.{ext}");
    let target = folder.join(&file);
    std::fs::create_dir_all(folder.join("evidence")).map_err(|e| bad(e.to_string()))?;
    if !target.exists() {
        // Written beside and renamed, so a half-copied photo never carries the hash's name.
        let partial = folder.join(format!("evidence/{sha256}.partial"));
        std::fs::write(&partial, &bytes).map_err(|e| bad(e.to_string()))?;
        std::fs::rename(&partial, &target).map_err(|e| bad(e.to_string()))?;
    }
    Ok(Evidence { sha256, file })
}
