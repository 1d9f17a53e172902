//! Households: the unit that earns and spends points (never a person).

use serde::{Deserialize, Serialize};

use super::{HouseholdNo, Points};

/// 户籍 registered, or 常住 resident (non-registered, living in the village).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdKind {
    Registered,
    Resident,
}

impl HouseholdKind {
    pub fn as_db(self) -> &'static str {
        match self {
            HouseholdKind::Registered => "registered",
            HouseholdKind::Resident => "resident",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        match text {
            "registered" => Some(HouseholdKind::Registered),
            "resident" => Some(HouseholdKind::Resident),
            _ => None,
        }
    }

    /// Reads the words a village writes in its sheet (Chinese or English).
    pub fn parse_sheet(text: &str) -> Option<Self> {
        match text.trim() {
            "" | "户籍" | "户籍户" | "registered" => Some(HouseholdKind::Registered),
            "常住" | "常住户" | "非户籍" | "resident" => Some(HouseholdKind::Resident),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    Active,
    MovedAway,
}

impl HouseholdStatus {
    pub fn as_db(self) -> &'static str {
        match self {
            HouseholdStatus::Active => "active",
            HouseholdStatus::MovedAway => "moved_away",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        match text {
            "active" => Some(HouseholdStatus::Active),
            "moved_away" => Some(HouseholdStatus::MovedAway),
            _ => None,
        }
    }
}

/// A household as the counter and the notices see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub number: HouseholdNo,
    pub head_name: String,
    pub village: String,
    pub group: String,
    pub members: i64,
    pub phone: Option<String>,
    pub kind: HouseholdKind,
    pub status: HouseholdStatus,
}

/// One household row of an import, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousehold {
    pub household: Household,
    pub opening_points: Points,
}
