//! Rules for people, pure: what makes a PIN acceptable, how long a run of wrong PINs locks an
//! account, and who counts as a committee. Checked here once and used by every service (the
//! app, the command line, the demo), so no door can be more lenient than another.

use serde::{Deserialize, Serialize};

use super::refusal::Refusal;
use super::staff::Role;

/// Why a PIN was refused, so the message can say what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PinProblem {
    /// Something other than digits.
    NotDigits,
    /// Too short or too long for the role: `min..=max` digits.
    Length { min: usize, max: usize },
    /// One digit repeated (000000, 1111).
    Repeated,
    /// A run up or down the keypad (123456, 4321, 7890): the first PIN anyone tries.
    Run,
}

/// The shortest PIN a role may have. A manager's PIN opens the key that signs price changes,
/// voids and corrections, and a copy of the database can be guessed at offline, so it is longer.
pub fn min_pin_len(role: Role) -> usize {
    match role {
        Role::Manager => 6,
        Role::Cashier | Role::Auditor => 4,
    }
}

pub const MAX_PIN_LEN: usize = 8;

/// Checks a PIN against the rules for `role`.
pub fn check_pin(pin: &str, role: Role) -> Result<(), PinProblem> {
    if pin.is_empty() || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinProblem::NotDigits);
    }
    let min = min_pin_len(role);
    if !(min..=MAX_PIN_LEN).contains(&pin.len()) {
        return Err(PinProblem::Length {
            min,
            max: MAX_PIN_LEN,
        });
    }
    let digits: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    if digits.windows(2).all(|w| w[0] == w[1]) {
        return Err(PinProblem::Repeated);
    }
    // Steps of +1 or -1, wrapping 9→0 (7890, 0987) as on a keypad row.
    let step = |w: &[i8]| (w[1] - w[0]).rem_euclid(10);
    if digits.windows(2).all(|w| step(w) == 1) || digits.windows(2).all(|w| step(w) == 9) {
        return Err(PinProblem::Run);
    }
    Ok(())
}

/// Wrong PINs in a row that are free; the next ones lock the account.
pub const FREE_WRONG_PINS: i64 = 4;
/// The longest lockout: one day.
pub const MAX_LOCK_MINUTES: i64 = 24 * 60;

/// How long the account locks after `wrong_in_a_row` wrong PINs: none for the first four,
/// one minute at the fifth, then doubling with each further wrong PIN, at most a day. Ten
/// thousand 4-digit PINs then take years to try, while a clerk who mistypes waits a minute.
pub fn lock_minutes(wrong_in_a_row: i64) -> Option<i64> {
    let beyond = wrong_in_a_row - FREE_WRONG_PINS - 1;
    if beyond < 0 {
        return None;
    }
    // 2^11 minutes is already more than a day.
    let minutes = 1i64 << beyond.min(11);
    Some(minutes.min(MAX_LOCK_MINUTES))
}

/// How many distinct people must approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// A committee (评议小组): at least three different people (001: 每组不少于3人). Score
    /// sheets, disputes, corrections, year-end and prize decisions.
    Committee,
    /// A named approver: at least one (a price change).
    Approver,
}

impl Approval {
    pub fn needed(self) -> usize {
        match self {
            Approval::Committee => 3,
            Approval::Approver => 1,
        }
    }
}

/// Splits names as staff type them: commas (half or full width), 、 or ；.
pub fn split_names(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::to_string)
        .collect()
}

/// Checks the names of who approved: trimmed, blanks dropped, the same person twice refused
/// (spaces inside a name do not make another person: "张 丽" is 张丽), and at least as many
/// as `approval` needs. Returns the names as they will be recorded. The one check for every
/// committee in the store.
pub fn approvers(names: &[String], approval: Approval) -> Result<Vec<String>, Refusal> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for name in names.iter().flat_map(|n| split_names(n)) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if seen.contains(&key) {
            return Err(Refusal::RepeatedApprover {
                name: name.to_string(),
            });
        }
        seen.push(key);
        out.push(name.to_string());
    }
    if out.len() < approval.needed() {
        return Err(match approval {
            Approval::Committee => Refusal::TooFewApprovers { given: out.len() },
            Approval::Approver => Refusal::NoApprover,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_lengths_depend_on_the_role() {
        assert_eq!(check_pin("4826", Role::Cashier), Ok(()));
        assert_eq!(
            check_pin("4826", Role::Manager),
            Err(PinProblem::Length { min: 6, max: 8 })
        );
        assert_eq!(check_pin("842619", Role::Manager), Ok(()));
        assert_eq!(
            check_pin("482", Role::Auditor),
            Err(PinProblem::Length { min: 4, max: 8 })
        );
        assert_eq!(
            check_pin("482619370", Role::Cashier),
            Err(PinProblem::Length { min: 4, max: 8 })
        );
        assert_eq!(check_pin("48a6", Role::Cashier), Err(PinProblem::NotDigits));
        assert_eq!(check_pin("", Role::Cashier), Err(PinProblem::NotDigits));
    }

    #[test]
    fn repeats_and_runs_are_refused_both_ways() {
        assert_eq!(
            check_pin("000000", Role::Manager),
            Err(PinProblem::Repeated)
        );
        assert_eq!(
            check_pin("99999999", Role::Manager),
            Err(PinProblem::Repeated)
        );
        assert_eq!(check_pin("1111", Role::Cashier), Err(PinProblem::Repeated));
        for pin in [
            "123456", "1234", "654321", "4321", "7890", "890123", "0987", "3210",
        ] {
            assert_eq!(check_pin(pin, Role::Cashier), Err(PinProblem::Run), "{pin}");
        }
        for pin in ["1235", "2468", "112233", "135790", "5827"] {
            assert_eq!(check_pin(pin, Role::Cashier), Ok(()), "{pin}");
        }
    }

    #[test]
    fn lockout_starts_at_the_fifth_wrong_pin_and_doubles_to_a_day() {
        assert_eq!(lock_minutes(1), None);
        assert_eq!(lock_minutes(4), None);
        assert_eq!(lock_minutes(5), Some(1));
        assert_eq!(lock_minutes(6), Some(2));
        assert_eq!(lock_minutes(7), Some(4));
        assert_eq!(lock_minutes(15), Some(1024));
        assert_eq!(lock_minutes(16), Some(MAX_LOCK_MINUTES));
        assert_eq!(lock_minutes(500), Some(MAX_LOCK_MINUTES));
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_committee_is_three_different_people() {
        assert_eq!(
            approvers(&names(&["张丽,张丽,张丽"]), Approval::Committee),
            Err(Refusal::RepeatedApprover {
                name: "张丽".into()
            })
        );
        assert_eq!(
            approvers(&names(&["张丽", " 张 丽", "王芳"]), Approval::Committee),
            Err(Refusal::RepeatedApprover {
                name: "张 丽".into()
            })
        );
        assert_eq!(
            approvers(&names(&["张丽、王芳", ""]), Approval::Committee),
            Err(Refusal::TooFewApprovers { given: 2 })
        );
        assert_eq!(
            approvers(&names(&["王建华，李国强, 赵秀英"]), Approval::Committee),
            Ok(names(&["王建华", "李国强", "赵秀英"]))
        );
        assert_eq!(
            approvers(&names(&[" "]), Approval::Approver),
            Err(Refusal::NoApprover)
        );
        assert_eq!(
            approvers(&names(&["王建华"]), Approval::Approver),
            Ok(names(&["王建华"]))
        );
    }
}
