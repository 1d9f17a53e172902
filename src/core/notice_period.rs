//! What a public notice covers: a month (`2026-11`), a quarter (`2026-Q4`) or a year (`2026`).
//! Villages post monthly (翁源, by the 10th) or quarterly (朱家角, 涪陵); a yearly notice
//! closes the books before a year-end reset.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{ParseError, Period};

const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticePeriod {
    Month(Period),
    /// `quarter` is 1 to 4.
    Quarter {
        year: i32,
        quarter: u32,
    },
    Year(i32),
}

impl NoticePeriod {
    pub fn year(self) -> i32 {
        match self {
            NoticePeriod::Month(p) => p.year,
            NoticePeriod::Quarter { year, .. } | NoticePeriod::Year(year) => year,
        }
    }

    /// The first month covered.
    pub fn first_month(self) -> Period {
        match self {
            NoticePeriod::Month(p) => p,
            NoticePeriod::Quarter { year, quarter } => Period {
                year,
                month: quarter * 3 - 2,
            },
            NoticePeriod::Year(year) => Period { year, month: 1 },
        }
    }

    /// The months covered, in order (1, 3 or 12 of them).
    pub fn months(self) -> Vec<Period> {
        let count = match self {
            NoticePeriod::Month(_) => 1,
            NoticePeriod::Quarter { .. } => 3,
            NoticePeriod::Year(_) => 12,
        };
        std::iter::successors(Some(self.first_month()), |p| Some(p.next()))
            .take(count)
            .collect()
    }

    pub fn last_month(self) -> Period {
        *self
            .months()
            .last()
            .expect("a period has at least one month")
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_month().first_day()
    }

    /// The day after the last day: ranges are half-open, `[first_day, end)`.
    pub fn end(self) -> NaiveDate {
        self.last_month().next().first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.end()
            .pred_opt()
            .expect("the end is never the first representable day")
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first_day() <= day && day < self.end()
    }

    /// Midnight at the start and at the end, for comparing stored timestamps.
    pub fn time_range(self) -> (NaiveDateTime, NaiveDateTime) {
        (
            self.first_day().and_time(chrono::NaiveTime::MIN),
            self.end().and_time(chrono::NaiveTime::MIN),
        )
    }

    /// The day a notice about this period describes when made on `today`: today while the
    /// period runs, its first day before it starts (prices posted in advance), its last day
    /// after it ended.
    pub fn reference_day(self, today: NaiveDate) -> NaiveDate {
        today.clamp(self.first_day(), self.last_day())
    }

    /// The month containing `day`.
    pub fn month_of(day: NaiveDate) -> Self {
        NoticePeriod::Month(Period::of(day))
    }

    pub fn quarter_of(day: NaiveDate) -> Self {
        NoticePeriod::Quarter {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }
}

fn year(text: &str) -> Result<i32, ParseError> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::BadFormat);
    }
    let year: i32 = text.parse().map_err(|_| ParseError::BadFormat)?;
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(ParseError::OutOfRange)
    }
}

impl FromStr for NoticePeriod {
    type Err = ParseError;

    /// `YYYY-MM`, `YYYY-Qn` (also `YYYYQn`, lower-case `q`) or `YYYY`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        let upper = s.to_ascii_uppercase();
        if let Some((y, q)) = upper.split_once('Q') {
            let y = y.strip_suffix('-').unwrap_or(y);
            let quarter: u32 = match q {
                "1" | "2" | "3" | "4" => q.parse().map_err(|_| ParseError::BadFormat)?,
                _ if q.len() == 1 && q.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(ParseError::OutOfRange);
                }
                _ => return Err(ParseError::BadFormat),
            };
            return Ok(NoticePeriod::Quarter {
                year: year(y)?,
                quarter,
            });
        }
        if s.contains('-') {
            return s.parse().map(NoticePeriod::Month);
        }
        year(s).map(NoticePeriod::Year)
    }
}

impl fmt::Display for NoticePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoticePeriod::Month(p) => write!(f, "{p}"),
            NoticePeriod::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            NoticePeriod::Year(year) => write!(f, "{year:04}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn p(text: &str) -> NoticePeriod {
        text.parse().unwrap()
    }

    #[test]
    fn the_three_forms_parse_and_print_back() {
        for text in ["2026-11", "2026-Q4", "2026", "2024-02", "2025-Q1"] {
            assert_eq!(p(text).to_string(), text);
        }
        assert_eq!(p(" 2026q3 "), p("2026-Q3"));
        assert_eq!(
            p("2026-Q2"),
            NoticePeriod::Quarter {
                year: 2026,
                quarter: 2
            }
        );
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        assert_eq!("".parse::<NoticePeriod>(), Err(ParseError::Empty));
        assert_eq!(
            "2026-Q5".parse::<NoticePeriod>(),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(
            "2026-Q0".parse::<NoticePeriod>(),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(
            "2026-13".parse::<NoticePeriod>(),
            Err(ParseError::OutOfRange)
        );
        assert_eq!("1999".parse::<NoticePeriod>(), Err(ParseError::OutOfRange));
        for bad in [
            "26",
            "2026-1",
            "2026-Q",
            "2026-Q12",
            "Q4",
            "二〇二六",
            "2026/11",
        ] {
            assert!(bad.parse::<NoticePeriod>().is_err(), "{bad}");
        }
    }

    #[test]
    fn date_ranges_are_half_open_and_cover_whole_months() {
        let feb = p("2024-02");
        assert_eq!(
            (feb.first_day(), feb.last_day()),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
        assert_eq!(feb.end(), day(2024, 3, 1));
        let q4 = p("2026-Q4");
        assert_eq!(
            (q4.first_day(), q4.end()),
            (day(2026, 10, 1), day(2027, 1, 1))
        );
        assert_eq!(
            q4.months().iter().map(|m| m.month).collect::<Vec<_>>(),
            [10, 11, 12]
        );
        let year = p("2025");
        assert_eq!(
            (year.first_day(), year.last_day()),
            (day(2025, 1, 1), day(2025, 12, 31))
        );
        assert_eq!(year.months().len(), 12);
        assert!(q4.contains(day(2026, 12, 31)) && !q4.contains(day(2027, 1, 1)));
        assert!(!q4.contains(day(2026, 9, 30)));
        let (from, to) = q4.time_range();
        assert_eq!(from.to_string(), "2026-10-01 00:00:00");
        assert_eq!(to.to_string(), "2027-01-01 00:00:00");
    }

    #[test]
    fn a_notice_describes_a_day_inside_its_period() {
        let q4 = p("2026-Q4");
        assert_eq!(q4.reference_day(day(2026, 11, 20)), day(2026, 11, 20));
        assert_eq!(q4.reference_day(day(2026, 9, 25)), day(2026, 10, 1));
        assert_eq!(q4.reference_day(day(2027, 1, 5)), day(2026, 12, 31));
        assert_eq!(NoticePeriod::quarter_of(day(2026, 11, 20)), q4);
        assert_eq!(NoticePeriod::month_of(day(2026, 11, 20)), p("2026-11"));
    }
}
