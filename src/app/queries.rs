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
