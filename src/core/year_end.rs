//! The year-end reset (年底清零, 涪陵 004) as one pure rule over a household's point entries:
//! how many points expire when a year is cleared.
//!
//! What expires is every point *credited for* the old year, less what was spent since, with
//! spending always taken from the oldest points first. A point is credited for the year of the
//! month it scores (monthly credits, and corrections that name the month they correct: a
//! 2026-12 sheet posted in January is 2026's), or else for the year of its date (opening
//! balances, corrections without a month). A point credited for the new year never expires,
//! and nothing is ever expired below zero.

use chrono::NaiveDate;

use super::Period;
use super::ledger::PointEntryKind;

/// One point entry as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: PointEntryKind,
    /// Signed, as in the ledger.
    pub amount: i64,
    /// The month the entry scores or corrects, if it names one.
    pub period: Option<Period>,
    pub on: NaiveDate,
    /// The redemption a debit or its reversal belongs to.
    pub redemption: Option<i64>,
}

impl Entry {
    /// The month a credit counts for: the month it names for scores and corrections of a
    /// month, else the month of its date.
    fn credited_for(&self) -> Period {
        match (self.kind, self.period) {
            (PointEntryKind::MonthlyCredit | PointEntryKind::Correction, Some(p)) => p,
            _ => Period::of(self.on),
        }
    }
}

/// Points still held, in chunks by the month they were credited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lot {
    month: Period,
    points: i64,
}

/// What one debit took, lot by lot, so that its void can put the same points back.
#[derive(Debug, Default)]
struct Taken {
    redemption: i64,
    lots: Vec<Lot>,
}

/// The household's remaining points, by the month they were credited for, after applying
/// `entries` in ledger order.
fn remaining(entries: &[Entry]) -> Vec<Lot> {
    let mut lots: Vec<Lot> = Vec::new();
    let mut taken: Vec<Taken> = Vec::new();
    for e in entries {
        if e.amount > 0 {
            let restored = match (e.kind, e.redemption) {
                (PointEntryKind::Reversal, Some(id)) => {
                    restore(&mut lots, &mut taken, id, e.amount)
                }
                _ => 0,
            };
            if e.amount > restored {
                add(&mut lots, e.credited_for(), e.amount - restored);
            }
        } else if e.amount < 0 {
            let took = consume_oldest(&mut lots, -e.amount);
            if let Some(id) = e.redemption {
                taken.push(Taken {
                    redemption: id,
                    lots: took,
                });
            }
        }
    }
    lots
}

/// Adds points to the lot of their month, keeping lots in month order (oldest first).
fn add(lots: &mut Vec<Lot>, month: Period, points: i64) {
    match lots.binary_search_by(|l| l.month.cmp(&month)) {
        Ok(i) => lots[i].points = lots[i].points.saturating_add(points),
        Err(i) => lots.insert(i, Lot { month, points }),
    }
}

/// Takes `points` from the oldest lots; the ledger never lets a balance go below zero, so
/// there is always enough, and a shortfall (a damaged ledger) just empties every lot.
fn consume_oldest(lots: &mut Vec<Lot>, mut points: i64) -> Vec<Lot> {
    let mut took = Vec::new();
    for lot in lots.iter_mut() {
        if points == 0 {
            break;
        }
        let n = lot.points.min(points);
        lot.points -= n;
        points -= n;
        took.push(Lot {
            month: lot.month,
            points: n,
        });
    }
    lots.retain(|l| l.points > 0);
    took
}

/// A void gives back the very points its redemption took (newest taken first, for a partial
/// return such as one cancelled voucher); returns how many it could place.
fn restore(lots: &mut Vec<Lot>, taken: &mut [Taken], redemption: i64, mut points: i64) -> i64 {
    let Some(t) = taken.iter_mut().find(|t| t.redemption == redemption) else {
        return 0;
    };
    let mut placed = 0;
    while points > 0 {
        let Some(last) = t.lots.last_mut() else { break };
        let n = last.points.min(points);
        let month = last.month;
        last.points -= n;
        if last.points == 0 {
            t.lots.pop();
        }
        add(lots, month, n);
        points -= n;
        placed += n;
    }
    placed
}

/// The points that expire when `year` is cleared: what is left of the points credited for
/// `year` or before. Never negative, never more than the balance, never a point of a later year.
pub fn expiring_points(entries: &[Entry], year: i32) -> i64 {
    remaining(entries)
        .iter()
        .filter(|l| l.month.year <= year)
        .map(|l| l.points)
        .sum::<i64>()
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn entry(kind: PointEntryKind, amount: i64, period: Option<&str>, on: NaiveDate) -> Entry {
        Entry {
            kind,
            amount,
            period: period.map(|p| p.parse().unwrap()),
            on,
            redemption: None,
        }
    }

    use PointEntryKind::*;

    #[test]
    fn january_spending_comes_out_of_the_old_points_and_the_reset_leaves_90() {
        // The numbers: 1285 old points; +90 correction on 2027-01-05; 50 spent on
        // 2027-01-10; the 2026 reset on 2027-01-15 expires 1235 and leaves 90.
        let entries = [
            entry(Opening, 1285, None, day(2026, 3, 1)),
            entry(Correction, 90, None, day(2027, 1, 5)),
            entry(RedemptionDebit, -50, None, day(2027, 1, 10)),
        ];
        assert_eq!(expiring_points(&entries, 2026), 1235);
    }

    #[test]
    fn a_december_sheet_posted_in_january_expires_with_its_year() {
        let entries = [
            entry(MonthlyCredit, 88, Some("2026-11"), day(2026, 12, 3)),
            entry(MonthlyCredit, 92, Some("2026-12"), day(2027, 1, 3)),
            entry(MonthlyCredit, 95, Some("2027-01"), day(2027, 1, 31)),
        ];
        assert_eq!(expiring_points(&entries, 2026), 88 + 92);
    }

    #[test]
    fn a_correction_naming_a_month_counts_for_that_month() {
        let entries = [
            entry(MonthlyCredit, 80, Some("2026-12"), day(2027, 1, 3)),
            entry(Correction, 5, Some("2026-12"), day(2027, 1, 8)),
            entry(Correction, 7, None, day(2027, 1, 8)),
        ];
        assert_eq!(expiring_points(&entries, 2026), 85);
    }

    #[test]
    fn a_void_in_january_gives_back_the_old_points_it_took() {
        let debit = Entry {
            redemption: Some(7),
            ..entry(RedemptionDebit, -50, None, day(2027, 1, 10))
        };
        let void = Entry {
            redemption: Some(7),
            ..entry(Reversal, 50, None, day(2027, 1, 10))
        };
        let entries = [entry(Opening, 300, None, day(2026, 5, 1)), debit, void];
        assert_eq!(expiring_points(&entries, 2026), 300);
    }

    #[test]
    fn an_earlier_expiry_is_spent_from_the_oldest_points() {
        let entries = [
            entry(MonthlyCredit, 40, Some("2025-12"), day(2026, 1, 2)),
            entry(YearEndExpiry, -40, None, day(2026, 1, 10)),
            entry(MonthlyCredit, 60, Some("2026-01"), day(2026, 2, 2)),
        ];
        assert_eq!(expiring_points(&entries, 2026), 60);
        assert_eq!(expiring_points(&entries, 2025), 0);
    }

    /// The model: every point is a token carrying its month; spending removes the oldest
    /// tokens one at a time; a void puts back the tokens its redemption removed.
    fn model(entries: &[Entry], year: i32) -> i64 {
        let mut tokens: Vec<Period> = Vec::new();
        let mut removed: Vec<(i64, Vec<Period>)> = Vec::new();
        for e in entries {
            if e.amount > 0 {
                let mut left = e.amount;
                if let (Reversal, Some(id)) = (e.kind, e.redemption)
                    && let Some((_, gone)) = removed.iter_mut().find(|(r, _)| *r == id)
                {
                    while left > 0 {
                        let Some(p) = gone.pop() else { break };
                        tokens.push(p);
                        left -= 1;
                    }
                }
                for _ in 0..left {
                    tokens.push(e.credited_for());
                }
            } else {
                let mut gone = Vec::new();
                for _ in 0..-e.amount {
                    tokens.sort();
                    if tokens.is_empty() {
                        break;
                    }
                    gone.push(tokens.remove(0));
                }
                if let Some(id) = e.redemption {
                    removed.push((id, gone));
                }
            }
        }
        tokens.iter().filter(|p| p.year <= year).count() as i64
    }

    #[derive(Debug, Clone)]
    enum Step {
        Credit {
            kind: u8,
            points: i64,
            month: u32,
            posted_late: bool,
        },
        Spend(i64),
        Void,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u8..3, 1i64..60, 0u32..14, any::<bool>()).prop_map(
                |(kind, points, month, posted_late)| {
                    Step::Credit {
                        kind,
                        points,
                        month,
                        posted_late,
                    }
                }
            ),
            (1i64..80).prop_map(Step::Spend),
            Just(Step::Void),
        ]
    }

    /// Builds a valid ledger (never below zero) from December 2026 to January 2027: month
    /// index 0..12 is 2026-01..2026-12, 12 and 13 are 2027-01 and 2027-02.
    fn ledger(steps: &[Step]) -> Vec<Entry> {
        let month_of = |i: u32| -> Period {
            if i < 12 {
                format!("2026-{:02}", i + 1).parse().unwrap()
            } else {
                format!("2027-{:02}", i - 11).parse().unwrap()
            }
        };
        let mut out = Vec::new();
        let mut balance = 0i64;
        let mut next_redemption = 1;
        let mut open: Vec<(i64, i64, NaiveDate)> = Vec::new();
        let mut clock = day(2026, 1, 1);
        for s in steps {
            clock = clock.succ_opt().unwrap();
            match s {
                Step::Credit {
                    kind,
                    points,
                    month,
                    posted_late,
                } => {
                    let month = month_of(*month);
                    let on = if *posted_late {
                        month.next().first_day()
                    } else {
                        month.first_day()
                    };
                    let on = on.max(clock);
                    let (kind, period) = match kind {
                        0 => (MonthlyCredit, Some(month)),
                        1 => (Correction, Some(month)),
                        _ => (Opening, None),
                    };
                    out.push(Entry {
                        kind,
                        amount: *points,
                        period,
                        on,
                        redemption: None,
                    });
                    balance += points;
                }
                Step::Spend(points) if *points <= balance => {
                    out.push(Entry {
                        kind: RedemptionDebit,
                        amount: -points,
                        period: None,
                        on: clock,
                        redemption: Some(next_redemption),
                    });
                    open.push((next_redemption, *points, clock));
                    next_redemption += 1;
                    balance -= points;
                }
                Step::Void => {
                    if let Some((id, points, _)) = open.pop() {
                        out.push(Entry {
                            kind: Reversal,
                            amount: points,
                            period: None,
                            on: clock,
                            redemption: Some(id),
                        });
                        balance += points;
                    }
                }
                Step::Spend(_) => {}
            }
        }
        out
    }

    proptest! {
        #[test]
        fn the_reset_agrees_with_the_token_model(steps in prop::collection::vec(step(), 0..40)) {
            let entries = ledger(&steps);
            let balance: i64 = entries.iter().map(|e| e.amount).sum();
            for year in [2025, 2026, 2027] {
                let expiring = expiring_points(&entries, year);
                prop_assert_eq!(expiring, model(&entries, year));
                prop_assert!(expiring >= 0 && expiring <= balance);
            }
        }

        #[test]
        fn spending_eats_the_old_year_first_and_new_year_points_survive(
            steps in prop::collection::vec(step(), 0..40)
        ) {
            // Without voids, two buckets are enough: each spending empties the old year's
            // bucket (what has been credited so far) before it touches the new year's.
            let entries: Vec<Entry> = ledger(&steps);
            let voided: Vec<Option<i64>> = entries.iter().filter(|e| e.kind == Reversal).map(|e| e.redemption).collect();
            let entries: Vec<Entry> = entries.into_iter()
                .filter(|e| e.kind != Reversal && !(e.redemption.is_some() && voided.contains(&e.redemption)))
                .collect();
            let (mut old, mut new) = (0i64, 0i64);
            for e in &entries {
                if e.amount > 0 {
                    if e.credited_for().year <= 2026 { old += e.amount } else { new += e.amount }
                } else {
                    let from_old = old.min(-e.amount);
                    old -= from_old;
                    new -= -e.amount - from_old;
                }
            }
            prop_assert!(new >= 0);
            prop_assert_eq!(expiring_points(&entries, 2026), old);
            prop_assert_eq!(expiring_points(&entries, 2027), old + new);
        }
    }
}
