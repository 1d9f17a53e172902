//! A redemption day as data: what was opened, and the closing report read out and printed.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{GoodsCode, Points, Qty};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: i64,
    pub day: NaiveDate,
    pub opened_at: NaiveDateTime,
    pub opened_by: String,
    pub staff_on_duty: Vec<String>,
    pub groups_served: Vec<String>,
    pub closed_at: Option<NaiveDateTime>,
    /// Set when a manager opened the day off the calendar: their written reason.
    #[serde(default)]
    pub off_calendar_reason: Option<String>,
}

impl Session {
    /// A session still open after the midnight that ended its day is flagged: someone forgot
    /// to close it, and its report would mix two days.
    pub fn open_past_midnight(&self, now: NaiveDateTime) -> bool {
        self.closed_at.is_none() && now.date() > self.day
    }

    /// Still open after the day it was opened for (or, for a day a manager opened afterwards,
    /// after the day it was opened on): it takes no more redemptions until a manager closes it.
    pub fn past_its_day(&self, now: NaiveDateTime) -> bool {
        self.closed_at.is_none() && now.date() > self.day.max(self.opened_at.date())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsIssued {
    pub code: GoodsCode,
    pub name: String,
    pub qty: Qty,
    pub points: Points,
    pub on_hand_at_close: Qty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTotal {
    pub name: String,
    pub redemptions: i64,
    pub points: Points,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidLine {
    pub receipt_no: String,
    pub points: Points,
    pub reason: String,
    pub voided_by: String,
}

/// The closing report: every figure is computed from the ledgers at close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionReport {
    pub session: Session,
    pub closed_by: String,
    pub households_served: i64,
    pub redemptions: i64,
    pub points_redeemed: Points,
    /// Goods only; services are counted in `services`.
    pub goods: Vec<GoodsIssued>,
    pub voids: Vec<VoidLine>,
    pub per_staff: Vec<StaffTotal>,
    /// Services issued (积分换服务), per service and provider.
    #[serde(default)]
    pub services: Vec<ServiceIssued>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceIssued {
    pub code: GoodsCode,
    pub name: String,
    pub provider: String,
    pub qty: Qty,
    pub points: Points,
}
