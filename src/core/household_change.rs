//! Households that change (issue 24): a split (分户), a merge (合户), a new head (户主变更),
//! a move to another group or away (迁出), a resident household that joins. Pure: what each
//! change decides about points, and the entries it will write, computed before anything is
//! written so that the app can show the same preview the service then writes.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::refusal::Refusal;
use super::{HouseholdNo, Points};

/// Something a household change can refuse. Wrapped in `Refusal::HouseholdChange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefusal {
    /// A split that would take more points than the household has.
    PointsExceedBalance {
        household: HouseholdNo,
        balance: Points,
        wanted: Points,
    },
    /// A split's points must be zero or more.
    NegativePoints,
    /// A household that still holds a service voucher nobody has used (and that is not past
    /// its date) cannot be merged away nor move away: the voucher would be orphaned.
    OpenVoucher {
        household: HouseholdNo,
        voucher_no: String,
        valid_until: NaiveDate,
        /// The change refused: `Merge` or `MoveAway`.
        change: ChangeKind,
    },
    /// The new household's number is already on the roster.
    NumberTaken(HouseholdNo),
    /// Merging or splitting a household into itself.
    SameHousehold(HouseholdNo),
    /// A move to the group the household is already in.
    AlreadyInGroup {
        household: HouseholdNo,
        group: String,
    },
    /// Moving away with points left, without a committee's decision about them.
    BalanceLeft {
        household: HouseholdNo,
        balance: Points,
    },
    /// The new head's name is the head's name already.
    SameHead(HouseholdNo),
    /// A resident household before its waiting time under the village rules is over.
    NotYetEligible {
        household: HouseholdNo,
        eligible_on: NaiveDate,
    },
    /// Households of different villages cannot merge (their rules and notices differ).
    OtherVillage {
        from: HouseholdNo,
        into: HouseholdNo,
    },
    /// A move's date in the future, or before the last one.
    BadDate(NaiveDate),
}

impl From<ChangeRefusal> for Refusal {
    fn from(r: ChangeRefusal) -> Self {
        Refusal::HouseholdChange(r)
    }
}

/// A village committee's decision: at least three distinct names, checked by the one
/// committee rule of the store (`staff_rules::approvers`, issue 16), so a household change
/// is never more lenient than a score sheet or a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Committee(Vec<String>);

impl Committee {
    /// Names as staff type them, separated by commas (ASCII or Chinese), 、 or ；; blanks
    /// dropped, the same person twice refused.
    pub fn parse(text: &str) -> Result<Committee, Refusal> {
        let names = super::staff_rules::approvers(
            &[text.to_string()],
            super::staff_rules::Approval::Committee,
        )?;
        Ok(Committee(names))
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// As stored in `approved_by`: the names joined by commas.
    pub fn joined(&self) -> String {
        self.0.join(",")
    }
}

/// What kind of change a `household_change` row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Split,
    Merge,
    Head,
    MoveGroup,
    MoveAway,
    Join,
}

impl ChangeKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ChangeKind::Split => "split",
            ChangeKind::Merge => "merge",
            ChangeKind::Head => "head",
            ChangeKind::MoveGroup => "move_group",
            ChangeKind::MoveAway => "move_away",
            ChangeKind::Join => "join",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        Some(match text {
            "split" => ChangeKind::Split,
            "merge" => ChangeKind::Merge,
            "head" => ChangeKind::Head,
            "move_group" => ChangeKind::MoveGroup,
            "move_away" => ChangeKind::MoveAway,
            "join" => ChangeKind::Join,
            _ => return None,
        })
    }
}

/// One points entry a change will write, as the preview shows it and the service writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedEntry {
    pub household: HouseholdNo,
    pub amount: Points,
    pub balance_after: Points,
    pub reason: String,
}

/// The entries of a split: `points` out of the old household and into the new one (none when
/// the committee gave it nothing). Refused when the points exceed the balance.
pub fn plan_split(
    from: &HouseholdNo,
    balance: Points,
    new: &HouseholdNo,
    points: Points,
    reason: &str,
) -> Result<Vec<PlannedEntry>, ChangeRefusal> {
    if points.0 < 0 {
        return Err(ChangeRefusal::NegativePoints);
    }
    if points.0 > balance.0 {
        return Err(ChangeRefusal::PointsExceedBalance {
            household: from.clone(),
            balance,
            wanted: points,
        });
    }
    if points.0 == 0 {
        return Ok(Vec::new());
    }
    Ok(transfer_pair(
        from,
        balance,
        new,
        Points(0),
        points,
        "分户",
        reason,
    ))
}

/// The entries of a merge: the whole balance of `from` into `into`.
pub fn plan_merge(
    from: &HouseholdNo,
    from_balance: Points,
    into: &HouseholdNo,
    into_balance: Points,
    reason: &str,
) -> Vec<PlannedEntry> {
    if from_balance.0 <= 0 {
        return Vec::new();
    }
    transfer_pair(
        from,
        from_balance,
        into,
        into_balance,
        from_balance,
        "合户",
        reason,
    )
}

/// The entry that ends a leaving household's balance by the committee's decision.
pub fn plan_move_away(
    household: &HouseholdNo,
    balance: Points,
    committee: Option<&Committee>,
    reason: &str,
) -> Result<Vec<PlannedEntry>, ChangeRefusal> {
    match (balance.0, committee) {
        (0, _) => Ok(Vec::new()),
        (_, None) => Err(ChangeRefusal::BalanceLeft {
            household: household.clone(),
            balance,
        }),
        (b, Some(_)) => Ok(vec![PlannedEntry {
            household: household.clone(),
            amount: Points(-b),
            balance_after: Points(0),
            reason: format!("迁出，余额经村委会决定清零：{}", reason.trim()),
        }]),
    }
}

/// The two halves of a transfer. Each entry's reason names the other household, so either
/// entry read alone says where the points went or came from.
fn transfer_pair(
    from: &HouseholdNo,
    from_balance: Points,
    to: &HouseholdNo,
    to_balance: Points,
    points: Points,
    what: &str,
    reason: &str,
) -> Vec<PlannedEntry> {
    let reason = reason.trim();
    vec![
        PlannedEntry {
            household: from.clone(),
            amount: Points(-points.0),
            balance_after: Points(from_balance.0 - points.0),
            reason: format!("{what}转出至 {to}：{reason}"),
        },
        PlannedEntry {
            household: to.clone(),
            amount: points,
            balance_after: Points(to_balance.0 + points.0),
            reason: format!("{what}自 {from} 转入：{reason}"),
        },
    ]
}

/// The first day a resident household that arrived on `arrived` may redeem, when the village
/// rules ask for `months` of residence first (the same day of the month, or the month's last).
pub fn eligible_from(arrived: NaiveDate, months: u32) -> NaiveDate {
    arrived
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(arrived)
}

/// Whether a household that arrived on `arrived` may redeem on `day`.
pub fn check_eligible(
    household: &HouseholdNo,
    arrived: NaiveDate,
    months: Option<u32>,
    day: NaiveDate,
) -> Result<(), ChangeRefusal> {
    let Some(months) = months.filter(|m| *m > 0) else {
        return Ok(());
    };
    let eligible_on = eligible_from(arrived, months);
    if day < eligible_on {
        return Err(ChangeRefusal::NotYetEligible {
            household: household.clone(),
            eligible_on,
        });
    }
    Ok(())
}

/// The day a change takes effect must not be in the future (a move is recorded after it
/// happened), nor before the year 2000 (a typing error).
pub fn check_effective(day: NaiveDate, today: NaiveDate) -> Result<(), ChangeRefusal> {
    if day > today || day.year() < 2000 {
        return Err(ChangeRefusal::BadDate(day));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hh(s: &str) -> HouseholdNo {
        s.parse().unwrap()
    }

    #[test]
    fn a_committee_needs_three_distinct_names() {
        assert!(Committee::parse("张三,李四,王五").is_ok());
        assert_eq!(
            Committee::parse("张三, 李四"),
            Err(Refusal::TooFewApprovers { given: 2 })
        );
        // The store's one rule (issue 16): the same person twice is refused, even spaced.
        assert_eq!(
            Committee::parse("张三,张 三,李四,王五"),
            Err(Refusal::RepeatedApprover {
                name: "张 三".into()
            })
        );
        assert_eq!(
            Committee::parse("张三，李四、王五").unwrap().names().len(),
            3
        );
    }

    #[test]
    fn a_split_pair_is_equal_and_opposite_and_names_both_sides() {
        let plan = plan_split(
            &hh("101001"),
            Points(100),
            &hh("101009"),
            Points(40),
            "娶亲分户",
        )
        .unwrap();
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].amount, Points(-40));
        assert_eq!(plan[0].balance_after, Points(60));
        assert_eq!(plan[1].amount, Points(40));
        assert!(plan[0].reason.contains("101009") && plan[1].reason.contains("101001"));
    }

    #[test]
    fn a_split_beyond_the_balance_is_refused() {
        let r = plan_split(&hh("101001"), Points(30), &hh("101009"), Points(31), "x");
        assert!(matches!(r, Err(ChangeRefusal::PointsExceedBalance { .. })));
    }

    #[test]
    fn leaving_with_points_needs_the_committee() {
        let r = plan_move_away(&hh("101001"), Points(5), None, "迁往县城");
        assert!(matches!(r, Err(ChangeRefusal::BalanceLeft { .. })));
        let c = Committee::parse("甲,乙,丙").unwrap();
        let plan = plan_move_away(&hh("101001"), Points(5), Some(&c), "迁往县城").unwrap();
        assert_eq!(plan[0].amount, Points(-5));
        assert!(
            plan_move_away(&hh("101001"), Points(0), None, "x")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn eligibility_waits_the_months_the_village_asks() {
        let arrived = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let h = hh("109001");
        assert!(
            check_eligible(
                &h,
                arrived,
                Some(6),
                NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
            )
            .is_err()
        );
        assert!(
            check_eligible(
                &h,
                arrived,
                Some(6),
                NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()
            )
            .is_ok()
        );
        assert!(check_eligible(&h, arrived, None, arrived).is_ok());
    }
}
