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
    let new = NewStore {
        store_name: store_name.to_string(),
        places: Vec::new(),
        manager_name: manager_name.to_string(),
        pin: pin.to_string(),
    };
    create_store(db, &new, now)
}

/// What the first-start screen asks for: the store, the villages and groups it serves (a
/// shop may serve neighbouring villages), and its first manager.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStore {
    pub store_name: String,
    /// Each village with its groups (村小组).
    pub places: Vec<(String, Vec<String>)>,
    pub manager_name: String,
    pub pin: String,
}

/// Splits "一组、二组 三组，四组" into group names.
pub fn split_groups(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；' | '/'))
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// Creates the store with its villages and groups and its first manager, in one transaction.
pub fn create_store(db: &mut Db, new: &NewStore, now: NaiveDateTime) -> Result<StaffId> {
    let (store_name, manager_name) = (new.store_name.trim(), new.manager_name.trim());
    if store_name.is_empty() || manager_name.is_empty() {
        return Err(Refusal::MissingName.into());
    }
    let pin_hash = hash_pin(&new.pin, Role::Manager)?;
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
        let mut places = Vec::new();
        for (village, groups) in &new.places {
            let village = village.trim();
            if village.is_empty() {
                continue;
            }
            tx.execute("INSERT OR IGNORE INTO village (name) VALUES (?1)", [village])?;
            for group in groups {
                crate::store::households::ensure_group(tx, village, group.trim())?;
            }
            places.push(json!({ "village": village, "groups": groups }));
        }
        // The first manager's key signs the store's creation and attests its first rows.
        keys::new_key_pair(tx, id, &new.pin, KeyReason::New, now)?;
        records::attest(tx, id, now)?;
        audit(tx, Some(id), "init_store", json!({ "store": store_name, "manager": manager_name, "villages": places }), now)?;
        Ok(id)
    })
}

/// The villages the store serves, with their groups, in name order.
pub fn places(db: &mut Db) -> Result<Vec<(String, Vec<String>)>> {
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT v.name, g.name FROM village v LEFT JOIN village_group g ON g.village_id = v.id ORDER BY v.name, g.id",
        )?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (village, group): (String, Option<String>) = (r.get(0)?, r.get(1)?);
            if out.last().is_none_or(|(v, _)| *v != village) {
                out.push((village, Vec::new()));
            }
            if let (Some(g), Some((_, groups))) = (group, out.last_mut()) {
                groups.push(g);
            }
        }
        Ok(out)
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

/// Rules a village can start from on the first-start checklist (each is a village-rules TOML,
/// see `core::policy`); a committee with its own document sets it with `policy set`.
pub const RULE_PRESETS: [&str; 3] = [
    "name = \"通用规则：积分累计，柜台开门即可兑换\"\n",
    "name = \"兑换日规则：只在排定的兑换日兑换\"\n[redemption]\nonly_on_redemption_day = true\n",
    "name = \"年底清零：积分当年有效，次年 1 月重新计分\"\nyear_end_reset = true\n",
];
