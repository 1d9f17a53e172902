//! Staff sign-in: PINs hashed with Argon2, five wrong PINs lock the account for a while.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{Duration, NaiveDateTime};

use super::{Error, Result};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role, pin_is_well_formed};
use crate::store::{Db, staff};

pub const MAX_FAILED_PINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// A staff member whose PIN has been checked. Every write service takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
}

impl Actor {
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

/// Checks a staff member's PIN. A wrong PIN counts toward the lockout (and that count is the
/// only thing written); the fifth in a row locks the account for `LOCK_MINUTES`.
pub fn sign_in(db: &mut Db, id: StaffId, pin: &str, now: NaiveDateTime) -> Result<Actor> {
    let outcome = db.write(|tx| -> Result<Result<Actor, Refusal>> {
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
            return Ok(Ok(Actor {
                id,
                name: found.staff.name,
                role: found.staff.role,
            }));
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
    outcome.map_err(Error::Refused)
}
