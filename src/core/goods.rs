//! Goods on the shelf and their posted point prices (明码标价).

use serde::{Deserialize, Serialize};

use super::{GoodsCode, Points, Qty};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goods {
    pub code: GoodsCode,
    pub barcode: Option<String>,
    pub name: String,
    pub unit: String,
    pub category: Option<String>,
    /// Most a household may take in one calendar month; `None` means no limit.
    pub monthly_limit: Option<Qty>,
    pub retired: bool,
}

/// A good as the counter sees it at one moment: what it costs now and how many are on the shelf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsOnShelf {
    pub goods: Goods,
    pub price_points: Option<Points>,
    pub on_hand: Qty,
    /// Set when the item is a service (积分换服务): shown with its price and 服务, never stock.
    #[serde(default)]
    pub service: Option<ServiceInfo>,
}

/// What makes a catalogue item a service: who provides it and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub provider_name: String,
    pub provider_contact: Option<String>,
    /// Most vouchers issued per redemption day; `None` means no limit.
    pub capacity_per_day: Option<Qty>,
    /// How many days a voucher stays valid after it is issued.
    pub validity_days: i64,
}

/// One good of an import, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGoods {
    pub goods: Goods,
    pub price_points: Points,
}

/// A barcode is 8 to 14 digits (EAN-8, EAN-13, ITF-14): what a scanner reads off a package.
pub fn barcode_is_well_formed(text: &str) -> bool {
    (8..=14).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}
