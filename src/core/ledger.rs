//! The two ledgers, points and stock: append-only entries from which balances are derived.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::chain::{link_hash, opt_field};
use super::{AmountCents, GoodsCode, HouseholdNo, Period, Points, Qty, StaffId};

/// The timestamp format stored in the database and hashed into the chains.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `time` as [`TIME_FORMAT`] writes it. Written by hand because the full check formats every
/// entry's time again to rehash it (millions on five years) and chrono's `format` reads the
/// format string anew on every call: 4% of the check's CPU (issue 23). Chrono itself writes
/// the cases this does not (years outside 0–9999, a leap second).
pub fn time_text(time: &NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    if !(0..=9999).contains(&time.year()) || time.nanosecond() >= 1_000_000_000 {
        return time.format(TIME_FORMAT).to_string();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// Reads [`TIME_FORMAT`] text: the stored form (`2026-11-20 09:00:00`) directly, anything
/// else through chrono's `parse_from_str`, which gives the same answer for the stored form
/// (the same reason as [`time_text`]).
pub fn parse_time_text(text: &str) -> chrono::ParseResult<NaiveDateTime> {
    let b = text.as_bytes();
    let stored_form = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if stored_form {
        let n = |from: usize, to: usize| text[from..to].parse::<u32>().unwrap_or(u32::MAX);
        let time = chrono::NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))
            .and_then(|day| day.and_hms_opt(n(11, 13), n(14, 16), n(17, 19)));
        if let Some(time) = time {
            return Ok(time);
        }
    }
    NaiveDateTime::parse_from_str(text, TIME_FORMAT)
}

macro_rules! db_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_db(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn from_db(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

db_enum!(
    /// Why a household's points changed.
    PointEntryKind {
        Opening => "opening",
        MonthlyCredit => "monthly_credit",
        RedemptionDebit => "redemption_debit",
        Reversal => "reversal",
        Correction => "correction",
        YearEndExpiry => "year_end_expiry",
    }
);

db_enum!(
    /// Why the stock of a good changed.
    StockMovementKind {
        Donation => "donation",
        Purchase => "purchase",
        RedemptionIssue => "redemption_issue",
        WriteOff => "write_off",
        Stocktake => "stocktake",
        Correction => "correction",
        Reversal => "reversal",
    }
);

impl PointEntryKind {
    /// Whether an amount of this sign makes sense for this kind of entry.
    pub fn allows(self, amount: Points) -> bool {
        match self {
            PointEntryKind::Opening | PointEntryKind::MonthlyCredit => amount.0 > 0,
            PointEntryKind::RedemptionDebit | PointEntryKind::YearEndExpiry => amount.0 < 0,
            PointEntryKind::Reversal | PointEntryKind::Correction => amount.0 != 0,
        }
    }
}

impl StockMovementKind {
    pub fn allows(self, qty: Qty) -> bool {
        match self {
            StockMovementKind::Donation | StockMovementKind::Purchase => qty.0 > 0,
            StockMovementKind::RedemptionIssue | StockMovementKind::WriteOff => qty.0 < 0,
            StockMovementKind::Stocktake
            | StockMovementKind::Correction
            | StockMovementKind::Reversal => qty.0 != 0,
        }
    }
}

/// Adds an entry to a running balance; `None` when it would go below zero or overflow.
pub fn apply(balance: i64, change: i64) -> Option<i64> {
    balance.checked_add(change).filter(|after| *after >= 0)
}

/// One row of the points ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointEntry {
    pub id: i64,
    pub household: HouseholdNo,
    pub kind: PointEntryKind,
    pub amount: Points,
    pub balance_after: Points,
    pub period: Option<Period>,
    pub receipt_no: Option<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

impl PointEntry {
    /// The hash this row must carry, given its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let fields = vec![
            self.id.to_string(),
            self.household.to_string(),
            self.kind.as_db().to_string(),
            self.amount.to_string(),
            self.balance_after.to_string(),
            opt_field(&self.period),
            opt_field(&self.receipt_no),
            opt_field(&self.reason),
            opt_field(&self.approved_by),
            self.staff.to_string(),
            time_text(&self.created_at),
        ];
        link_hash(&self.prev_hash, &fields)
    }
}

/// One row of the stock ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMovement {
    pub id: i64,
    pub goods: GoodsCode,
    pub kind: StockMovementKind,
    pub qty: Qty,
    pub stock_after: Qty,
    /// The donation, purchase or receipt this movement belongs to, e.g. `D12`, `P3`, `2026-000123`.
    pub source: Option<String>,
    pub reason: Option<String>,
    pub value: Option<AmountCents>,
    pub staff: StaffId,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

impl StockMovement {
    pub fn expected_hash(&self) -> String {
        let fields = vec![
            self.id.to_string(),
            self.goods.to_string(),
            self.kind.as_db().to_string(),
            self.qty.to_string(),
            self.stock_after.to_string(),
            opt_field(&self.source),
            opt_field(&self.reason),
            opt_field(&self.value.map(|v| v.0)),
            self.staff.to_string(),
            time_text(&self.created_at),
        ];
        link_hash(&self.prev_hash, &fields)
    }
}

/// One row of the audit log: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub staff: Option<StaffId>,
    pub action: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    pub fn expected_hash(&self) -> String {
        let fields = vec![
            self.id.to_string(),
            opt_field(&self.staff),
            self.action.clone(),
            self.detail.clone(),
            time_text(&self.created_at),
        ];
        link_hash(&self.prev_hash, &fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_never_go_negative() {
        assert_eq!(apply(10, -10), Some(0));
        assert_eq!(apply(10, -11), None);
        assert_eq!(apply(i64::MAX, 1), None);
    }

    #[test]
    fn kinds_round_trip_and_check_signs() {
        for kind in PointEntryKind::ALL {
            assert_eq!(PointEntryKind::from_db(kind.as_db()), Some(*kind));
        }
        for kind in StockMovementKind::ALL {
            assert_eq!(StockMovementKind::from_db(kind.as_db()), Some(*kind));
        }
        assert!(!PointEntryKind::RedemptionDebit.allows(Points(5)));
        assert!(!StockMovementKind::Donation.allows(Qty(-1)));
        assert!(StockMovementKind::Stocktake.allows(Qty(-1)));
    }

    proptest::proptest! {
        #[test]
        fn time_text_writes_what_chrono_writes(secs in -70_000_000_000i64..260_000_000_000i64) {
            let time = chrono::DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
            proptest::prop_assert_eq!(time_text(&time), time.format(TIME_FORMAT).to_string());
            let text = time_text(&time);
            proptest::prop_assert_eq!(
                parse_time_text(&text).ok(),
                NaiveDateTime::parse_from_str(&text, TIME_FORMAT).ok()
            );
        }

        #[test]
        fn parse_time_text_reads_what_chrono_reads(text in "[0-9 :-]{0,21}") {
            proptest::prop_assert_eq!(
                parse_time_text(&text).ok(),
                NaiveDateTime::parse_from_str(&text, TIME_FORMAT).ok()
            );
        }
    }

    #[test]
    fn stored_times_read_as_chrono_reads_them() {
        for text in [
            "2026-11-20 09:00:00",
            "2026-02-29 09:00:00",
            "2028-02-29 23:59:59",
            "2026-11-20 24:00:00",
            "2026-11-20 09:00:60",
            "0000-01-01 00:00:00",
            "2026-13-01 00:00:00",
            "2026-11-20T09:00:00",
            "2026-1-20 09:00:00",
        ] {
            assert_eq!(
                parse_time_text(text).ok(),
                NaiveDateTime::parse_from_str(text, TIME_FORMAT).ok(),
                "{text}"
            );
        }
    }
}
