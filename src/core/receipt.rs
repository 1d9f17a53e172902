//! A redemption as data: what the receipt, the reprint and the redemption sheet show.
//! Built from what was stored, never from the screen.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::redemption::{PlannedLine, Via};
use super::{GoodsCode, HouseholdNo, Points, ReceiptNo, StaffId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub receipt_no: ReceiptNo,
    pub created_at: NaiveDateTime,
    pub store_name: String,
    pub staff: StaffId,
    pub staff_name: String,
    pub household: HouseholdNo,
    pub head_name: String,
    pub village: String,
    pub group: String,
    pub lines: Vec<PlannedLine>,
    pub total_points: Points,
    pub balance_before: Points,
    pub balance_after: Points,
    pub via: Via,
    pub void: Option<VoidInfo>,
    /// One voucher per unit of a service redeemed, in line order.
    #[serde(default)]
    pub vouchers: Vec<Voucher>,
    /// The witness code of the history this receipt saw (`jifen check --witness`).
    #[serde(default)]
    pub witness: Option<String>,
}

/// A numbered voucher (服务券) the provider keeps: one unit of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voucher {
    pub voucher_no: String,
    pub code: GoodsCode,
    pub name: String,
    pub provider: String,
    pub unit_points: Points,
    pub issued_at: NaiveDateTime,
    pub valid_until: chrono::NaiveDate,
    pub used_at: Option<NaiveDateTime>,
    pub used_by: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidInfo {
    pub reason: String,
    pub staff_name: String,
    pub voided_at: NaiveDateTime,
}
