//! Staff sign-in: PINs hashed with Argon2, five wrong PINs lock the account for a while.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{Duration, NaiveDateTime};
use ed25519_dalek::SigningKey;
use serde_json::json;

use super::{Error, Result, audit};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role, pin_is_well_formed};
use crate::store::keys::{self, KeyReason};
use crate::store::records::{self, Tx};
use crate::store::{Db, staff};

pub const MAX_FAILED_PINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// A staff member whose PIN has been checked. Every write service takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    /// The signing key the PIN opened (row in the staff key history, key), so the actor's
    /// writes can be signed on another connection too (`act_on`). Only `sign_in` makes one.
    key: std::sync::Arc<(i64, SigningKey)>,
}

impl Actor {
    /// Lets this signed-in member write through another `Db` (a second connection, e.g. a
    /// worker thread): their writes there are signed with the key their PIN opened.
    pub fn act_on(&self, db: &mut Db) {
        db.hold_key(self.id, self.key.0, self.key.1.clone());
    }

    pub fn require(&self, action: Action) -> Result<()> {
        if self.role.may(action) {
            Ok(())
        } else {
            Err(Refusal::NotPermitted { action }.into())
        }
    }
}

pub fn hash_pin(pin: &str) -> Result<String> {
    if !pin_is_well_formed(pin) {
        return Err(Refusal::BadPin.into());
    }
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|_| Error::Refused(Refusal::BadPin))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Refusal::BadPin.into())
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What a right PIN yields inside the sign-in transaction: who, and the key it opened
/// (`None` when the key was made in that transaction).
type SignedIn = (StaffId, String, Role, Option<(i64, SigningKey)>);

/// Checks a staff member's PIN. A wrong PIN counts toward the lockout (and that count is the
/// only thing written); the fifth in a row locks the account for `LOCK_MINUTES`.
///
/// A right PIN also opens the member's signing key, which this `Db` then holds so that their
/// writes are signed. A member with no key yet (a store made before signatures) gets one now,
/// and the first manager to sign in after the upgrade attests the records written before it.
pub fn sign_in(db: &mut Db, id: StaffId, pin: &str, now: NaiveDateTime) -> Result<Actor> {
    let outcome = db.write(|tx| -> Result<Result<SignedIn, Refusal>> {
        let found = staff::find(tx, id)?.ok_or(Refusal::UnknownStaff(id))?;
        if !found.staff.active {
            return Ok(Err(Refusal::StaffInactive(id)));
        }
        if let Some(until) = found.locked_until.filter(|until| *until > now) {
            let minutes = (until - now).num_minutes() + 1;
            return Ok(Err(Refusal::AccountLocked { minutes }));
        }
        if pin_matches(pin, &found.pin_hash) {
            if found.failed_pins != 0 || found.locked_until.is_some() {
                staff::record_pin_attempt(tx, id, 0, None)?;
            }
            let key = match open_key(tx, id, pin, now)? {
                Ok(key) => key,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if found.staff.role == Role::Manager && records::attest(tx, id, now)? {
                audit(
                    tx,
                    Some(id),
                    "attest_records",
                    json!({ "staff": id.0 }),
                    now,
                )?;
            }
            return Ok(Ok((id, found.staff.name, found.staff.role, key)));
        }
        let failed = found.failed_pins + 1;
        if failed >= MAX_FAILED_PINS {
            staff::record_pin_attempt(tx, id, 0, Some(now + Duration::minutes(LOCK_MINUTES)))?;
            Ok(Err(Refusal::AccountLocked {
                minutes: LOCK_MINUTES,
            }))
        } else {
            staff::record_pin_attempt(tx, id, failed, None)?;
            Ok(Err(Refusal::WrongPin))
        }
    })?;
    let (id, name, role, key) = outcome.map_err(Error::Refused)?;
    let key = match key {
        Some(key) => key,
        // Enrolled just now: the `Db` took the new key at the commit.
        None => db
            .held_key(id)
            .ok_or(crate::store::StoreError::NotSignedIn(id))?,
    };
    db.hold_key(id, key.0, key.1.clone());
    Ok(Actor {
        id,
        name,
        role,
        key: std::sync::Arc::new(key),
    })
}

/// Opens the member's sealed key, or enrols a first one. `None` when the key was made in this
/// transaction (the `Db` takes it from there). A key that does not open with the right PIN, or
/// that is not the one the staff history names, means the store was changed behind the app.
fn open_key(
    tx: &Tx<'_>,
    id: StaffId,
    pin: &str,
    now: NaiveDateTime,
) -> Result<Result<Option<(i64, SigningKey)>, Refusal>> {
    let current = keys::current_key(tx, id)?;
    let Some((salt, sealed)) = keys::sealed_of(tx, id)? else {
        if current.is_some() {
            return Ok(Err(Refusal::KeyMismatch));
        }
        keys::new_key_pair(tx, id, pin, KeyReason::Enrol, now)?;
        audit(tx, Some(id), "enrol_key", json!({ "staff": id.0 }), now)?;
        return Ok(Ok(None));
    };
    let Ok(key) = keys::unseal(id, &salt, &sealed, pin) else {
        return Ok(Err(Refusal::KeyMismatch));
    };
    match current {
        Some((key_id, public)) if public == key.verifying_key() => Ok(Ok(Some((key_id, key)))),
        _ => Ok(Err(Refusal::KeyMismatch)),
    }
}
