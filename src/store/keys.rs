//! Staff signing keys: an Ed25519 key pair per staff member. The private key is stored only
//! sealed (XChaCha20-Poly1305) under a key derived from the member's PIN with Argon2 and its
//! own salt — not the PIN hash's salt, so the PIN hash alone does not open it. The public key
//! goes into the chained `staff_key` history, which `check` reads to know which key a member
//! had when they signed.
//!
//! What this stops and what it does not: someone who can write `jifen.db` but knows no PIN
//! cannot make a signature, so rows they add or change fail `check`. Someone who knows a PIN
//! signs as that member. A short PIN can be brute-forced offline from a copy of the file
//! (Argon2 makes each guess slow, not impossible), which is why managers need long PINs.
//!
//! Issue 16 calls [`reseal`] when a member changes their PIN, and [`new_key_pair`] with
//! `KeyReason::Reset` when a manager resets another's PIN.

use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::NaiveDateTime;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};

use super::records::Tx;
use super::{Result, StoreError, format_time};
use crate::core::StaffId;
use crate::core::chain::{GENESIS, key_hash};

/// Why a key row was added to the staff history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyReason {
    /// A member's first key, made at their first sign-in after the upgrade (self-signed).
    Enrol,
    /// A new member's key, made when they were added (signed by who added them).
    New,
    /// A manager reset the member's PIN: a fresh key pair (signed by the manager).
    Reset,
}

impl KeyReason {
    pub fn as_db(self) -> &'static str {
        match self {
            KeyReason::Enrol => "enrol",
            KeyReason::New => "new",
            KeyReason::Reset => "reset",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the PIN does not open this staff member's signing key")]
    WrongPin,
    #[error("staff {0} has no signing key")]
    NoKey(StaffId),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for KeyError {
    fn from(e: rusqlite::Error) -> Self {
        KeyError::Store(e.into())
    }
}

fn sealing_key(pin: &str, salt: &[u8]) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(pin.as_bytes(), salt, &mut key)
        .map_err(|e| StoreError::Invariant(format!("argon2: {e}")))?;
    Ok(key)
}

/// The staff id is the associated data: a sealed key moved to another member does not open.
fn aad(staff: StaffId) -> Vec<u8> {
    format!("jifen-staff-key-v1:{}", staff.0).into_bytes()
}

/// Seals a private key under a PIN: returns (salt hex, nonce‖ciphertext hex).
pub fn seal(staff: StaffId, key: &SigningKey, pin: &str) -> Result<(String, String)> {
    let salt: [u8; 16] = rand::random();
    let nonce: [u8; 24] = rand::random();
    let cipher = XChaCha20Poly1305::new(&sealing_key(pin, &salt)?.into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.to_bytes().as_slice(),
                aad: &aad(staff),
            },
        )
        .map_err(|_| StoreError::Invariant("sealing failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok((hex::encode(salt), hex::encode(out)))
}

/// Opens a sealed private key with a PIN.
pub fn unseal(staff: StaffId, salt: &str, sealed: &str, pin: &str) -> Result<SigningKey, KeyError> {
    let salt = hex::decode(salt).map_err(|_| KeyError::WrongPin)?;
    let sealed = hex::decode(sealed).map_err(|_| KeyError::WrongPin)?;
    if sealed.len() < 24 {
        return Err(KeyError::WrongPin);
    }
    let (nonce, body) = sealed.split_at(24);
    let cipher = XChaCha20Poly1305::new(&sealing_key(pin, &salt)?.into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: &aad(staff),
            },
        )
        .map_err(|_| KeyError::WrongPin)?;
    let bytes: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::WrongPin)?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// A member's sealed key columns, if they have a key.
pub fn sealed_of(conn: &Connection, staff: StaffId) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT key_salt, sealed_key FROM staff WHERE id = ?1",
            [staff.0],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                ))
            },
        )
        .optional()?
        .and_then(|(salt, sealed)| salt.zip(sealed)))
}

/// The member's current public key and its row in the staff key history.
pub fn current_key(conn: &Connection, staff: StaffId) -> Result<Option<(i64, VerifyingKey)>> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, public_key FROM staff_key WHERE staff_id = ?1 ORDER BY id DESC LIMIT 1",
            [staff.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(id, text)| parse_public(&text).map(|key| (id, key))))
}

pub fn parse_public(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Short fingerprint of a public key, for notices and `check` (8 hex digits in two groups).
pub fn fingerprint(key: &VerifyingKey) -> String {
    let hex = hex::encode(key.as_bytes()).to_uppercase();
    format!("{}-{}", &hex[..4], &hex[4..8])
}

/// Gives a member a fresh key pair: sealed under `pin` into their staff row, the public key
/// appended to the staff key history. The transaction is signed by whoever it names (the
/// member themselves at enrolment or at the store's creation, else the manager adding or
/// resetting them). Returns the new key's row id.
pub fn new_key_pair(
    tx: &Tx<'_>,
    staff: StaffId,
    pin: &str,
    reason: KeyReason,
    now: NaiveDateTime,
) -> Result<i64> {
    let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let (salt, sealed) = seal(staff, &key, pin)?;
    tx.execute(
        "UPDATE staff SET key_salt = ?2, sealed_key = ?3 WHERE id = ?1",
        params![staff.0, salt, sealed],
    )?;
    let (last_id, prev): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM staff_key ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let public = hex::encode(key.verifying_key().as_bytes());
    let created = format_time(now);
    let hash = key_hash(&prev, staff.0, &public, reason.as_db(), &created);
    tx.execute(
        "INSERT INTO staff_key (id, staff_id, public_key, reason, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            last_id + 1,
            staff.0,
            public,
            reason.as_db(),
            created,
            prev,
            hash
        ],
    )?;
    tx.new_keys.borrow_mut().push((staff, last_id + 1, key));
    Ok(last_id + 1)
}

/// Seals a member's key under a new PIN (their PIN change). The key and its history stay.
pub fn reseal(tx: &Tx<'_>, staff: StaffId, old_pin: &str, new_pin: &str) -> Result<(), KeyError> {
    let (salt, sealed) = sealed_of(tx, staff)?.ok_or(KeyError::NoKey(staff))?;
    let key = unseal(staff, &salt, &sealed, old_pin)?;
    let (salt, sealed) = seal(staff, &key, new_pin)?;
    tx.execute(
        "UPDATE staff SET key_salt = ?2, sealed_key = ?3 WHERE id = ?1",
        params![staff.0, salt, sealed],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_pin_and_member() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let (salt, sealed) = seal(StaffId(3), &key, "2468").unwrap();
        let opened = unseal(StaffId(3), &salt, &sealed, "2468").unwrap();
        assert_eq!(opened.to_bytes(), key.to_bytes());
        assert!(matches!(
            unseal(StaffId(3), &salt, &sealed, "2469"),
            Err(KeyError::WrongPin)
        ));
        assert!(matches!(
            unseal(StaffId(4), &salt, &sealed, "2468"),
            Err(KeyError::WrongPin)
        ));
    }
}
