//! The scoring register (积分台账): a village's scoring items for a year, the scoring events
//! recorded against them, and what a month's events give under the village's rules. Pure: the
//! store hands in items and events, this decides the month's score.
//!
//! Two ways of scoring are in the documents: 涪陵 adds up base (基础) and contribution (贡献)
//! items, and one item of the negative list (负向扣分, 七有) zeroes the month's base and
//! contribution; 翁源 starts every household at 100 and deducts (倒扣分). Which one a village
//! uses, and what the negative list zeroes, is in its rules file ([register]), not in code.

mod event;
mod items;
mod rules;

pub use event::{Basis, Evidence, RegisterEvent, effective};
pub use items::{Cycle, ItemKind, ItemPoints, ScoringItem, item_rows};
pub use rules::{Mode, RegisterRules};

use std::collections::{BTreeMap, HashSet};

use super::Period;

/// Why a register action was refused; the words are in `locales/register.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterRefusal {
    /// No items table for the village and year.
    NoItems {
        village: String,
        year: i32,
    },
    /// No item with that number or name in the village's table.
    UnknownItem {
        item: String,
    },
    /// A name that several items share.
    AmbiguousItem {
        item: String,
        numbers: Vec<i64>,
    },
    /// Points outside what the item allows.
    PointsOutOfRange {
        item: String,
        min: i64,
        max: i64,
        given: i64,
    },
    /// The month was already approved; changes go through a dispute.
    MonthApproved {
        group: String,
        period: Period,
    },
    /// The scoring group is too small or has no leader among its members.
    ScoringGroup {
        given: usize,
    },
    LeaderNotInGroup {
        leader: String,
    },
    UnknownEvent(i64),
    /// An event corrected already (correct the newest correction instead).
    AlreadyCorrected {
        event: i64,
        by: i64,
    },
    /// The month has not been approved yet (a dispute needs an approved month).
    MonthNotApproved {
        group: String,
        period: Period,
    },
    /// The evidence file cannot be read.
    Evidence {
        path: String,
        reason: String,
    },
    /// A date outside the items table's year.
    WrongYear {
        date: String,
        year: i32,
    },
    /// The event belongs to another household than the dispute.
    EventOfOtherHousehold {
        event: i64,
    },
    /// An upheld decision that would not change the month's score.
    NoChange {
        event: i64,
    },
    /// A dispute about an event is decided with the event's correction (`event decide`).
    DecideByEvent {
        dispute: i64,
        event: i64,
    },
    /// An event dated after today.
    FutureDate {
        date: String,
    },
    /// A month after the current one cannot be approved.
    FutureMonth {
        period: Period,
    },
    /// The year's table already has events recorded against it.
    ItemsInUse {
        village: String,
        year: i32,
        events: i64,
    },
}

/// One household's month under the rules: points per class, the deductions, whether the
/// negative list applied, and the score that becomes the month's credit.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct MonthScore {
    /// Points of each class from items that add, after the negative-list rule.
    pub classes: BTreeMap<String, i64>,
    /// Points deducted (翁源), per class.
    pub deductions: BTreeMap<String, i64>,
    /// A negative-list item happened this month.
    pub negative: bool,
    /// The month's score: the sum of the classes (additive) or full marks less the deductions.
    pub total: i64,
    /// Events that counted, and events that did not (the item already counted this cycle).
    pub counted: Vec<i64>,
    pub not_counted: Vec<i64>,
}

/// The twelve months of one household's year: each month's score from its effective events.
/// `events` are that household's events of the year (any order); `items` the year's table.
/// Items scored once per cycle count only their first event in the month (or year).
pub fn year_scores(
    rules: &RegisterRules,
    items: &[ScoringItem],
    events: &[RegisterEvent],
    year: i32,
) -> Vec<(Period, MonthScore)> {
    let live = effective(events);
    let mut seen_this_year: HashSet<i64> = HashSet::new();
    (1..=12)
        .map(|month| {
            let period = Period { year, month };
            let mut month_events: Vec<&RegisterEvent> = live
                .iter()
                .filter(|e| Period::of(e.date) == period)
                .copied()
                .collect();
            month_events.sort_by_key(|e| (e.date, e.id));
            let score = month_score(rules, items, &month_events, &mut seen_this_year);
            (period, score)
        })
        .collect()
}

/// One month, given its effective events in date order. `seen_this_year` carries the
/// once-a-year items already counted in earlier months.
fn month_score(
    rules: &RegisterRules,
    items: &[ScoringItem],
    events: &[&RegisterEvent],
    seen_this_year: &mut HashSet<i64>,
) -> MonthScore {
    let mut out = MonthScore::default();
    let mut seen_this_month: HashSet<i64> = HashSet::new();
    for event in events {
        let Some(item) = items.iter().find(|i| i.number == event.item_number) else {
            out.not_counted.push(event.id);
            continue;
        };
        let once = item.points.is_once_per_cycle();
        let seen = match item.cycle {
            Cycle::Month => &mut seen_this_month,
            Cycle::Year => &mut *seen_this_year,
        };
        if once && !seen.insert(item.number) {
            out.not_counted.push(event.id);
            continue;
        }
        out.counted.push(event.id);
        match item.kind {
            ItemKind::Add => *out.classes.entry(item.class.clone()).or_default() += event.points,
            ItemKind::Deduct => {
                *out.deductions.entry(item.class.clone()).or_default() += event.points
            }
            ItemKind::Negative => out.negative = true,
        }
    }
    let zeroes_all = out.negative && rules.negative_zeroes_all();
    if out.negative {
        for (class, points) in out.classes.iter_mut() {
            if zeroes_all || rules.negative_list_zeroes.iter().any(|c| c == class) {
                *points = 0;
            }
        }
    }
    let added: i64 = out.classes.values().sum();
    out.total = match rules.mode {
        Mode::Additive => added,
        Mode::Deduction => {
            let deducted: i64 = out.deductions.values().sum();
            (rules.full_marks - deducted).max(0) + added
        }
    };
    if zeroes_all {
        out.total = 0;
    }
    out
}

/// The score of one month (convenience over `year_scores`).
pub fn month_total(
    rules: &RegisterRules,
    items: &[ScoringItem],
    events: &[RegisterEvent],
    period: Period,
) -> MonthScore {
    year_scores(rules, items, events, period.year)
        .into_iter()
        .find(|(p, _)| *p == period)
        .map(|(_, s)| s)
        .unwrap_or_default()
}

/// Finds an item by its number or by its name (the item's short name, or its 项目 when that is
/// unique).
pub fn find_item<'a>(
    items: &'a [ScoringItem],
    text: &str,
) -> Result<&'a ScoringItem, RegisterRefusal> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return items
            .iter()
            .find(|i| i.number == n)
            .ok_or(RegisterRefusal::UnknownItem { item: text.into() });
    }
    let by_name: Vec<&ScoringItem> = items.iter().filter(|i| i.name() == text).collect();
    let found = if by_name.is_empty() {
        items.iter().filter(|i| i.item == text).collect()
    } else {
        by_name
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(RegisterRefusal::UnknownItem { item: text.into() }),
        many => Err(RegisterRefusal::AmbiguousItem {
            item: text.into(),
            numbers: many.iter().map(|i| i.number).collect(),
        }),
    }
}

/// Competition ranks ("1224") of a group's totals, in the order given.
pub fn ranks(totals: &[i64]) -> Vec<i64> {
    totals
        .iter()
        .map(|t| super::policy::rank(*t, totals))
        .collect()
}

#[cfg(test)]
mod tests;
