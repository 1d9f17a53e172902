//! Staff and what each role may do (专人管理: every write names who did it).

use serde::{Deserialize, Serialize};

use super::StaffId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the store: adjusts stock, voids, sets prices and rules, adds staff, posts scores.
    Manager,
    /// Serves households at the counter and receives stock.
    Cashier,
    /// Reads and exports, changes nothing.
    Auditor,
}

impl Role {
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Cashier => "cashier",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        match text.trim() {
            "manager" => Some(Role::Manager),
            "cashier" => Some(Role::Cashier),
            "auditor" => Some(Role::Auditor),
            _ => None,
        }
    }

    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Manager => true,
            Role::Cashier => matches!(
                action,
                Redeem | ReceiveStock | RecordDispute | RecordScoringEvent
            ),
            Role::Auditor => false,
        }
    }
}

/// Every kind of write a service performs; the services check `Role::may` before writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Redeem,
    ReceiveStock,
    AdjustStock,
    VoidRedemption,
    SetPrice,
    ImportHouseholds,
    ImportGoods,
    AddStaff,
    PostPoints,
    CorrectPoints,
    IssueCard,
    SetRules,
    RecordDispute,
    ChangeSettings,
    /// A scoring event in the register (the liaison's or the scoring group's record).
    RecordScoringEvent,
    /// Replace the store with a backup (issue 15): a manager's audited act.
    Restore,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Redeem => "redeem",
            Action::ReceiveStock => "receive_stock",
            Action::AdjustStock => "adjust_stock",
            Action::VoidRedemption => "void_redemption",
            Action::SetPrice => "set_price",
            Action::ImportHouseholds => "import_households",
            Action::ImportGoods => "import_goods",
            Action::AddStaff => "add_staff",
            Action::PostPoints => "post_points",
            Action::CorrectPoints => "correct_points",
            Action::IssueCard => "issue_card",
            Action::SetRules => "set_rules",
            Action::RecordDispute => "record_dispute",
            Action::ChangeSettings => "change_settings",
            Action::RecordScoringEvent => "record_scoring_event",
            Action::Restore => "restore",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Why a manager disabled the member (while `active` is false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<chrono::NaiveDateTime>,
    /// A manager reset the PIN: the member changes it at their next sign-in.
    #[serde(default)]
    pub must_change_pin: bool,
}

/// A PIN is 4 to 8 digits: typed on a numeric pad, never shown.
pub fn pin_is_well_formed(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cashier_may_redeem_but_not_adjust() {
        assert!(Role::Cashier.may(Action::Redeem));
        assert!(!Role::Cashier.may(Action::AdjustStock));
        assert!(!Role::Auditor.may(Action::Redeem));
        assert!(Role::Manager.may(Action::VoidRedemption));
    }

    #[test]
    fn pins_are_digits() {
        assert!(pin_is_well_formed("1234"));
        assert!(!pin_is_well_formed("12a4"));
        assert!(!pin_is_well_formed("123"));
    }
}
