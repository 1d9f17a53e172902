//! Staff sign-in: PINs hashed with Argon2; wrong PINs in a row lock the account for longer and
//! longer (`core::staff_rules::lock_minutes`), and each one is an unsigned audit record.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{Duration, NaiveDateTime};
use ed25519_dalek::SigningKey;
use serde_json::json;

use super::{Error, Result, audit};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role};
use crate::core::staff_rules::{check_pin, lock_minutes};
use crate::store::keys::{self, KeyReason};
use crate::store::records::{self, Tx};
use crate::store::{Db, staff};

/// A staff member whose PIN has been checked. Every write service takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    /// The signing key the PIN opened (row in the staff key history, key), so the actor's
    /// writes can be signed on another connection too (`act_on`). Only `sign_in` makes one.
    key: std::sync::Arc<(i64, SigningKey)>,
    /// Signed in with a PIN a manager reset, or one that no longer meets the rules: the
    /// member may change their PIN and nothing else until they do.
    pub must_change_pin: bool,
}

impl Actor {
    /// Lets this signed-in member write through another `Db` (a second connection, e.g. a
    /// worker thread): their writes there are signed with the key their PIN opened.
    pub fn act_on(&self, db: &mut Db) {
        db.hold_key(self.id, self.key.0, self.key.1.clone());
    }

    /// The key row and key this member signs with (the check mark signs with it too).
    pub(crate) fn signing_key(&self) -> (i64, &SigningKey) {
        (self.key.0, &self.key.1)
    }

    pub fn require(&self, action: Action) -> Result<()> {
        if self.must_change_pin {
            return Err(Refusal::MustChangePin.into());
        }
        if self.role.may(action) {
            Ok(())
        } else {
            Err(Refusal::NotPermitted { action }.into())
        }
    }
}

/// Hashes a new PIN for a member of `role`, refusing one that breaks the PIN rules.
pub fn hash_pin(pin: &str, role: Role) -> Result<String> {
    check_pin(pin, role).map_err(|problem| Refusal::PinRule { problem })?;
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|_| Error::Refused(Refusal::BadPin))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Refusal::BadPin.into())
}

pub(crate) fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What a right PIN yields inside the sign-in transaction: who, whether they must change
/// their PIN first, and the key it opened (`None` when the key was made in that transaction).
pub(crate) type SignedIn = (StaffId, String, Role, bool, Option<(i64, SigningKey)>);

/// Checks a staff member's PIN. A wrong PIN writes only the lockout counter and an unsigned
/// audit record (nobody is signed in to sign it); the fifth wrong PIN in a row locks the
/// account for a minute and each further one for twice as long, up to a day.
///
/// A right PIN also opens the member's signing key, which this `Db` then holds so that their
/// writes are signed. A member with no key yet (a store made before signatures) gets one now,
/// and the first manager to sign in after the upgrade attests the records written before it.
pub fn sign_in(db: &mut Db, id: StaffId, pin: &str, now: NaiveDateTime) -> Result<Actor> {
    let outcome = db.write(|tx| sign_in_tx(tx, id, pin, now))?;
    let (id, name, role, must_change_pin, key) = outcome.map_err(Error::Refused)?;
    let key = match key {
        Some(key) => key,
        // Enrolled just now: the `Db` took the new key at the commit.
        None => db
            .held_key(id)
            .ok_or(crate::store::StoreError::NotSignedIn(id))?,
    };
    db.hold_key(id, key.0, key.1.clone());
    let actor = Actor {
        id,
        name,
        role,
        key: std::sync::Arc::new(key),
        must_change_pin,
    };
    // A check that passed before anyone signed in is signed now. A mark that cannot be
    // recorded costs only a longer check at the next start: the sign-in stands.
    if let Err(e) = super::check_mark::sign_waiting(db, &actor, now) {
        let path = db.path().to_path_buf();
        super::log::failure(&path, "check mark not recorded", Some(&e.to_string()), now);
    }
    Ok(actor)
}

/// The sign-in's own writes, inside a transaction of the caller: `sign_in`'s, or a restore's,
/// which must write its `restore` record first (the township reads the first new record of a
/// restored store as the restore; an attestation or key enrolment ahead of it is a fork).
pub(crate) fn sign_in_tx(
    tx: &Tx<'_>,
    id: StaffId,
    pin: &str,
    now: NaiveDateTime,
) -> Result<Result<SignedIn, Refusal>> {
    let Some(found) = staff::find(tx, id)? else {
        failed(tx, id, "unknown_staff", None, now)?;
        return Ok(Err(Refusal::UnknownStaff(id)));
    };
    if !found.staff.active {
        failed(tx, id, "disabled", None, now)?;
        return Ok(Err(Refusal::StaffInactive(id)));
    }
    if let Some(until) = found.locked_until.filter(|until| *until > now) {
        failed(tx, id, "locked", None, now)?;
        let minutes = ((until - now).num_seconds() + 59) / 60;
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
        let must_change_pin =
            found.staff.must_change_pin || check_pin(pin, found.staff.role).is_err();
        return Ok(Ok((
            id,
            found.staff.name,
            found.staff.role,
            must_change_pin,
            key,
        )));
    }
    // Wrong PINs in a row count across lockouts, so each lockout is longer.
    let wrong = found.failed_pins + 1;
    failed(tx, id, "wrong_pin", Some(wrong), now)?;
    match lock_minutes(wrong) {
        Some(minutes) => {
            let until = now + Duration::minutes(minutes);
            staff::record_pin_attempt(tx, id, wrong, Some(until))?;
            let detail = json!({ "staff": id.0, "wrong_in_a_row": wrong, "minutes": minutes, "until": crate::store::format_time(until) });
            audit(tx, None, "account_locked", detail, now)?;
            Ok(Err(Refusal::AccountLocked { minutes }))
        }
        None => {
            staff::record_pin_attempt(tx, id, wrong, None)?;
            Ok(Err(Refusal::WrongPin))
        }
    }
}

/// The audit record of a refused sign-in. Unsigned (staff_id NULL): the member named did not
/// prove who they are, so the record names them only in its detail.
fn failed(
    tx: &Tx<'_>,
    id: StaffId,
    why: &str,
    wrong_in_a_row: Option<i64>,
    now: NaiveDateTime,
) -> Result<()> {
    let detail = json!({ "staff": id.0, "why": why, "wrong_in_a_row": wrong_in_a_row });
    audit(tx, None, "sign_in_failed", detail, now)
}

/// Opens the member's sealed key, or enrols a first one. `None` when the key was made in this
/// transaction (the `Db` takes it from there). A key that does not open with the right PIN, or
/// that is not the one the staff history names, means the store was changed behind the app.
pub(crate) fn open_key(
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
