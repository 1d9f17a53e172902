//! Newtypes parsed once at the edge, so the rest of the code can trust them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a piece of outside text is not a valid value; turned into a message by the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty")]
    Empty,
    #[error("not a whole number")]
    NotInteger,
    #[error("out of range")]
    OutOfRange,
    #[error("bad characters")]
    BadCharacters,
    #[error("bad format")]
    BadFormat,
}

/// Points: integers, never fractions. Signed because ledger entries are signed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Points(pub i64);

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A count of goods (units of the good's own unit: bags, bottles…).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Qty(pub i64);

impl fmt::Display for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Money in integer cents of a yuan (never call it 分 in code: 分 is also "points").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct AmountCents(pub i64);

impl AmountCents {
    /// Parses "12", "12.5" or "12.50" yuan exactly, without going through floating point.
    pub fn parse_yuan(text: &str) -> Result<Self, ParseError> {
        let text = text.trim().trim_start_matches(['￥', '¥']);
        if text.is_empty() {
            return Err(ParseError::Empty);
        }
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || frac.len() > 2 {
            return Err(ParseError::BadFormat);
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::BadFormat);
        }
        let whole: i64 = whole.parse().map_err(|_| ParseError::OutOfRange)?;
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| ParseError::BadFormat)?;
        whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac))
            .map(AmountCents)
            .ok_or(ParseError::OutOfRange)
    }
}

impl fmt::Display for AmountCents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Checks an identifier a village chose: short, printable, no spaces, typeable on a scanner or keyboard.
fn parse_code(text: &str, max_len: usize) -> Result<String, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    if text.chars().count() > max_len {
        return Err(ParseError::OutOfRange);
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ParseError::BadCharacters);
    }
    Ok(text.to_string())
}

macro_rules! code_newtype {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_code(s, $max).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_newtype!(
    /// 户号: the household number the village gave, as printed on paper ledgers.
    HouseholdNo,
    20
);
code_newtype!(
    /// 编码: the shop's own code for a good, typed at the counter.
    GoodsCode,
    20
);
code_newtype!(
    /// A caller-chosen id that makes a retried redemption a no-op.
    IdempotencyKey,
    64
);

/// A staff member's number, as printed by `init` and `staff add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StaffId(pub i64);

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A calendar month, the unit of scoring and of per-household limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a parsed period is valid")
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl FromStr for Period {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s.trim().split_once('-').ok_or(ParseError::BadFormat)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(ParseError::BadFormat);
        }
        let year: i32 = y.parse().map_err(|_| ParseError::BadFormat)?;
        let month: u32 = m.parse().map_err(|_| ParseError::BadFormat)?;
        if !(2000..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Err(ParseError::OutOfRange);
        }
        Ok(Period { year, month })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Receipt numbers run gap-free per store and year: `2026-000123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReceiptNo {
    pub year: i32,
    pub seq: i64,
}

impl fmt::Display for ReceiptNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:06}", self.year, self.seq)
    }
}

impl FromStr for ReceiptNo {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, n) = s.trim().split_once('-').ok_or(ParseError::BadFormat)?;
        let year: i32 = y.parse().map_err(|_| ParseError::BadFormat)?;
        let seq: i64 = n.parse().map_err(|_| ParseError::BadFormat)?;
        if seq < 1 {
            return Err(ParseError::OutOfRange);
        }
        Ok(ReceiptNo { year, seq })
    }
}

/// Parses a whole number the way staff type it: trims spaces, accepts full-width digits
/// (a Chinese IME often types １２３), refuses decimals rather than rounding them.
pub fn parse_whole_number(text: &str) -> Result<i64, ParseError> {
    let normalised: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '＋' => '+',
            other => other,
        })
        .collect();
    if normalised.is_empty() {
        return Err(ParseError::Empty);
    }
    // Excel writes whole numbers from .xlsx cells as "12.0"; accept that, refuse "12.5".
    let normalised = normalised.strip_suffix(".0").unwrap_or(&normalised);
    normalised.parse::<i64>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            ParseError::OutOfRange
        }
        _ => ParseError::NotInteger,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parses_exactly() {
        assert_eq!(AmountCents::parse_yuan("12.5"), Ok(AmountCents(1250)));
        assert_eq!(AmountCents::parse_yuan("￥0.07"), Ok(AmountCents(7)));
        assert_eq!(AmountCents::parse_yuan("3"), Ok(AmountCents(300)));
        assert!(AmountCents::parse_yuan("1.234").is_err());
        assert!(AmountCents::parse_yuan("-1").is_err());
        assert_eq!(AmountCents(1205).to_string(), "12.05");
    }

    #[test]
    fn whole_numbers_accept_fullwidth_and_refuse_decimals() {
        assert_eq!(parse_whole_number(" １２ "), Ok(12));
        assert_eq!(parse_whole_number("12.0"), Ok(12));
        assert_eq!(parse_whole_number("12.5"), Err(ParseError::NotInteger));
        assert_eq!(parse_whole_number("三"), Err(ParseError::NotInteger));
        assert_eq!(parse_whole_number(""), Err(ParseError::Empty));
    }

    #[test]
    fn periods_and_receipts_round_trip() {
        let p: Period = "2026-02".parse().unwrap();
        assert_eq!(p.to_string(), "2026-02");
        assert_eq!(p.next().to_string(), "2026-03");
        assert!("2026-13".parse::<Period>().is_err());
        let r = ReceiptNo {
            year: 2026,
            seq: 123,
        };
        assert_eq!(r.to_string(), "2026-000123");
        assert_eq!("2026-000123".parse::<ReceiptNo>(), Ok(r));
    }

    #[test]
    fn codes_refuse_spaces_and_chinese() {
        assert!("101001".parse::<HouseholdNo>().is_ok());
        assert!("10 01".parse::<HouseholdNo>().is_err());
        assert!("大米".parse::<GoodsCode>().is_err());
    }
}
