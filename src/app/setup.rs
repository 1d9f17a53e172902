//! Creating the store and its staff.

use chrono::NaiveDateTime;
use rand::Rng;
use rusqlite::params;
use serde_json::json;

use super::auth::hash_pin;
use super::{Actor, Result, audit};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role};
use crate::store::keys::{self, KeyReason};
use crate::store::{Db, format_time, records, staff};

/// The store's name and its number (printed on cards).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreInfo {
    pub name: String,
    pub store_code: i64,
}

pub fn store_info(db: &mut Db) -> Result<Option<StoreInfo>> {
    use rusqlite::OptionalExtension;
    db.read(|tx| {
        Ok(tx
            .query_row("SELECT name, store_code FROM store WHERE id = 1", [], |r| {
                Ok(StoreInfo {
                    name: r.get(0)?,
                    store_code: r.get(1)?,
                })
            })
            .optional()?)
    })
}

/// Creates the store, its card secret and its first manager. Returns the manager's staff id.
pub fn init_store(
    db: &mut Db,
    store_name: &str,
    manager_name: &str,
    pin: &str,
    now: NaiveDateTime,
) -> Result<StaffId> {
    let (store_name, manager_name) = (store_name.trim(), manager_name.trim());
    if store_name.is_empty() || manager_name.is_empty() {
        return Err(Refusal::MissingName.into());
    }
    let pin_hash = hash_pin(pin, Role::Manager)?;
    // The secret keys the HMAC on household cards; it never leaves this database.
    let secret: [u8; 32] = rand::random();
    let store_code: i64 = rand::rng().random_range(1000..=9999);
    db.write(|tx| {
        let exists: i64 = tx.query_row("SELECT COUNT(*) FROM store", [], |r| r.get(0))?;
        if exists > 0 {
            return Err(Refusal::AlreadyInitialised.into());
        }
        tx.execute(
            "INSERT INTO store (id, name, store_code, card_secret, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
            params![store_name, store_code, secret.as_slice(), format_time(now)],
        )?;
        let id = staff::insert(tx, manager_name, Role::Manager, &pin_hash, now)?;
        // The first manager's key signs the store's creation and attests its first rows.
        keys::new_key_pair(tx, id, pin, KeyReason::New, now)?;
        records::attest(tx, id, now)?;
        audit(tx, Some(id), "init_store", json!({ "store": store_name, "manager": manager_name }), now)?;
        Ok(id)
    })
}

/// Adds a staff member (managers only).
pub fn add_staff(
    db: &mut Db,
    actor: &Actor,
    name: &str,
    role: Role,
    pin: &str,
    now: NaiveDateTime,
) -> Result<StaffId> {
    actor.require(Action::AddStaff)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Refusal::MissingName.into());
    }
    let pin_hash = hash_pin(pin, role)?;
    db.write(|tx| {
        let id = staff::insert(tx, name, role, &pin_hash, now)?;
        keys::new_key_pair(tx, id, pin, KeyReason::New, now)?;
        audit(
            tx,
            Some(actor.id),
            "add_staff",
            json!({ "staff_id": id.0, "name": name, "role": role.as_db() }),
            now,
        )?;
        Ok(id)
    })
}
