//! Read-only questions the counter, the CLI and the notices ask.

use chrono::NaiveDate;
use serde::Serialize;

use super::Result;
use crate::core::goods::GoodsOnShelf;
use crate::core::household::Household;
use crate::core::ledger::PointEntry;
use crate::core::refusal::Refusal;
use crate::core::{GoodsCode, HouseholdNo, Points};
use crate::store::{Db, goods, households, ledger};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdBalance {
    pub household: Household,
    pub balance_points: Points,
}

pub fn balance(db: &mut Db, number: &HouseholdNo) -> Result<HouseholdBalance> {
    db.read(|tx| {
        let found = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        Ok(HouseholdBalance {
            balance_points: ledger::balance(tx, found.id)?,
            household: found.household,
        })
    })
}

/// Every entry of one household, oldest first.
pub fn ledger(db: &mut Db, number: &HouseholdNo) -> Result<(Household, Vec<PointEntry>)> {
    db.read(|tx| {
        let found = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        Ok((found.household, ledger::point_entries_of(tx, found.id)?))
    })
}

/// Stock on hand with today's price, for one good or all.
pub fn stock(db: &mut Db, code: Option<&GoodsCode>, day: NaiveDate) -> Result<Vec<GoodsOnShelf>> {
    db.read(|tx| {
        let shelf = goods::shelf(tx, day)?;
        match code {
            None => Ok(shelf),
            Some(code) => {
                let one: Vec<_> = shelf
                    .into_iter()
                    .filter(|g| &g.goods.code == code)
                    .collect();
                if one.is_empty() {
                    return Err(Refusal::UnknownGoods(code.clone()).into());
                }
                Ok(one)
            }
        }
    })
}

/// Households matching a number, name or phone fragment, with their balances.
pub fn search_households(db: &mut Db, text: &str, limit: usize) -> Result<Vec<HouseholdBalance>> {
    db.read(|tx| {
        households::search(tx, text, limit)?
            .into_iter()
            .map(|h| {
                Ok(HouseholdBalance {
                    balance_points: ledger::balance(tx, h.id)?,
                    household: h.household,
                })
            })
            .collect()
    })
}

/// What the counter shows when a household is identified: who, how many points, and what it
/// already took this month (for limits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdAtCounter {
    pub household: Household,
    pub balance_points: Points,
    pub taken_this_month: Vec<(GoodsCode, String, crate::core::Qty)>,
    /// The household's village rules and what they say about it today.
    pub policy: crate::core::policy::VillagePolicy,
    pub rules: super::rules::HouseholdRules,
}

impl HouseholdAtCounter {
    /// Whether the village rules let this household take a good at all (tiers).
    pub fn rules_allow(&self, code: &GoodsCode) -> bool {
        use crate::core::policy::TierStanding;
        match (&self.policy.tiers, &self.rules.tier) {
            (Some(tiers), Some((_, TierStanding::Tier { index, .. }))) => {
                tiers.allows(*index, code)
            }
            (Some(_), Some(_)) => false,
            _ => true,
        }
    }
}

pub fn household_at_counter(
    db: &mut Db,
    number: &HouseholdNo,
    now: chrono::NaiveDateTime,
) -> Result<HouseholdAtCounter> {
    db.read(|tx| {
        let found = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        let period = crate::core::Period::of(now.date());
        let (policy, rules) = super::rules::household_rules(tx, found.id, now)?;
        Ok(HouseholdAtCounter {
            balance_points: ledger::balance(tx, found.id)?,
            taken_this_month: crate::store::redemptions::taken_in_month_by_goods(
                tx, found.id, period,
            )?,
            household: found.household,
            policy,
            rules,
        })
    })
}

/// Today's receipts, newest first.
pub fn receipts_on(db: &mut Db, day: NaiveDate) -> Result<Vec<crate::core::receipt::Receipt>> {
    db.read(|tx| {
        crate::store::redemptions::ids_on_day(tx, day)?
            .into_iter()
            .map(|id| Ok(crate::store::redemptions::load_receipt(tx, id)?))
            .collect()
    })
}

/// Finds a good by what staff typed or scanned: its code or barcode.
pub fn find_goods(db: &mut Db, text: &str) -> Result<Option<crate::core::goods::Goods>> {
    db.read(|tx| Ok(goods::find_by_code_or_barcode(tx, text)?))
}

/// All staff, for the sign-in screen.
pub fn staff(db: &mut Db) -> Result<Vec<crate::core::staff::Staff>> {
    db.read(|tx| Ok(crate::store::staff::all(tx)?))
}
