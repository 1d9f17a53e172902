//! One scoring event of the register: "积分台账应同时记录积分各类事件发生的时间、地点、事由、
//! 相关依据" (004). Events are never changed: a correction is a new event naming the one it
//! corrects, which then no longer counts.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::core::StaffId;
use crate::core::chain::{link_hash, opt_field};

/// How the points came to be known (004's four ways).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 居民自荐: the household declared it to the liaison.
    Declared,
    /// 小组现场看: the scoring group saw it on site.
    Onsite,
    /// 居民一起评: residents voted.
    Vote,
    /// 组织推荐: an organisation recommended it.
    Recommended,
}

impl Basis {
    pub const ALL: [Basis; 4] = [
        Basis::Declared,
        Basis::Onsite,
        Basis::Vote,
        Basis::Recommended,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Basis::Declared => "declared",
            Basis::Onsite => "onsite",
            Basis::Vote => "vote",
            Basis::Recommended => "recommended",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Basis::ALL.into_iter().find(|b| b.as_db() == text.trim())
    }

    /// As the documents name it.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Declared => "居民自荐",
            Basis::Onsite => "小组现场看",
            Basis::Vote => "居民一起评",
            Basis::Recommended => "组织推荐",
        }
    }
}

impl std::str::FromStr for Basis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Basis::from_db(s)
            .or_else(|| Basis::ALL.into_iter().find(|b| b.label() == s.trim()))
            .ok_or_else(|| {
                format!("basis must be declared, onsite, vote or recommended, not {s:?}")
            })
    }
}

/// A photo or scan kept with an event: the file's name in the data folder and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub sha256: String,
    /// Relative to the data folder: `evidence/<sha256>.<ext>`.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterEvent {
    pub id: i64,
    pub household_id: i64,
    pub table_id: i64,
    pub item_number: i64,
    pub date: NaiveDate,
    pub place: Option<String>,
    pub what: Option<String>,
    pub basis: Basis,
    /// The points the event is worth (the item's, or the group's choice within its range).
    pub points: i64,
    /// The event this one corrects; that one no longer counts.
    pub corrects: Option<i64>,
    /// A correction that takes the corrected event away and puts nothing in its place.
    pub withdrawn: bool,
    pub evidence: Option<Evidence>,
    /// The dispute whose upheld decision made this correction.
    pub dispute_id: Option<i64>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

impl RegisterEvent {
    /// The hash over every field that decides points, chained to the previous event.
    pub fn expected_hash(&self) -> String {
        link_hash(
            &self.prev_hash,
            &[
                self.id.to_string(),
                self.household_id.to_string(),
                self.table_id.to_string(),
                self.item_number.to_string(),
                self.date.to_string(),
                opt_field(&self.place),
                opt_field(&self.what),
                self.basis.as_db().to_string(),
                self.points.to_string(),
                opt_field(&self.corrects),
                self.withdrawn.to_string(),
                opt_field(&self.evidence.as_ref().map(|e| e.sha256.clone())),
                opt_field(&self.dispute_id),
                self.staff.0.to_string(),
                crate::core::ledger::time_text(&self.created_at),
            ],
        )
    }
}

/// The events that count: every event not corrected by a later one, less the withdrawals.
pub fn effective(events: &[RegisterEvent]) -> Vec<&RegisterEvent> {
    let corrected: HashSet<i64> = events.iter().filter_map(|e| e.corrects).collect();
    events
        .iter()
        .filter(|e| !corrected.contains(&e.id) && !e.withdrawn)
        .collect()
}
