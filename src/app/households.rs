//! Editing a household's details: its head's name, members and phone. Not a ledger: the row
//! changes, and the audit log keeps what it was and who changed it. Its status is not a detail:
//! a household leaves only by 迁出 or 合户 (`household_changes`, issue 24).

use chrono::NaiveDateTime;
use rusqlite::params;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::HouseholdNo;
use crate::core::household::Household;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::store::{Db, households};

/// The fields that may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HouseholdUpdate {
    pub head_name: Option<String>,
    pub members: Option<i64>,
    /// `Some(None)` clears the phone.
    pub phone: Option<Option<String>>,
    // No status: a household leaves only by 迁出 or 合户 (`household_changes`), where its
    // balance is decided and its card stopped, never by an edit of its details.
}

pub fn update_household(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    update: &HouseholdUpdate,
    now: NaiveDateTime,
) -> Result<Household> {
    actor.require(Action::ImportHouseholds)?;
    if update
        .head_name
        .as_ref()
        .is_some_and(|h| h.trim().is_empty())
    {
        return Err(Refusal::MissingName.into());
    }
    if update.members.is_some_and(|m| !(1..=30).contains(&m)) {
        return Err(Refusal::BadPrice.into());
    }
    db.write(|tx| {
        let before = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        let mut after = before.household.clone();
        if let Some(head) = &update.head_name {
            after.head_name = head.trim().to_string();
        }
        if let Some(members) = update.members {
            after.members = members;
        }
        if let Some(phone) = &update.phone {
            after.phone = phone
                .as_ref()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty());
        }
        tx.execute(
            "UPDATE household SET head_name = ?2, members = ?3, phone = ?4 WHERE id = ?1",
            params![before.id, after.head_name, after.members, after.phone],
        )?;
        audit(
            tx,
            Some(actor.id),
            "update_household",
            json!({ "household": number.as_str(), "before": before.household, "after": after }),
            now,
        )?;
        Ok(after)
    })
}
