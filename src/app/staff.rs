//! Staff accounts over the years (issue 16): disabling someone who left and enabling them again,
//! a member changing their own PIN, a manager resetting someone else's, and the refused
//! sign-ins a manager should see. Adding staff and signing in live in `setup` and `auth`.

use chrono::NaiveDateTime;
use rust_i18n::t;
use serde::Serialize;
use serde_json::json;

use super::auth::{hash_pin, pin_matches};
use super::{Actor, Error, Result, audit};
use crate::core::StaffId;
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role, Staff};
use crate::core::staff_rules::check_pin;
use crate::store::keys::{self, KeyError, KeyReason};
use crate::store::{Db, StoreError, parse_time, staff};

/// All staff, disabled members included (the staff list shows them as such).
pub fn list(db: &mut Db) -> Result<Vec<Staff>> {
    db.read(|tx| Ok(staff::all(tx)?))
}

/// Each member's current signing key as the short fingerprint the designated-staff notice
/// prints (`store::keys::fingerprint`), for a villager to compare at the counter.
pub fn key_fingerprints(db: &mut Db) -> Result<std::collections::HashMap<StaffId, String>> {
    db.read(|tx| {
        let mut out = std::collections::HashMap::new();
        for member in staff::all(tx)? {
            if let Some((_, key)) = crate::store::keys::current_key(tx, member.id)? {
                out.insert(member.id, crate::store::keys::fingerprint(&key));
            }
        }
        Ok(out)
    })
}

/// Disables a member (manager only) with the reason on record: they can no longer sign in
/// anywhere. The last active manager cannot be disabled.
pub fn disable(
    db: &mut Db,
    actor: &Actor,
    id: StaffId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Staff> {
    actor.require(Action::AddStaff)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    let changed = db.write(|tx| {
        let found = staff::find(tx, id)?.ok_or(Refusal::UnknownStaff(id))?;
        if !found.staff.active {
            return Err(Refusal::StaffInactive(id).into());
        }
        if found.staff.role == Role::Manager && staff::active_managers(tx)? <= 1 {
            return Err(Refusal::LastManager.into());
        }
        staff::set_disabled(tx, id, Some((reason, now)))?;
        audit(
            tx,
            Some(actor.id),
            "disable_staff",
            json!({ "staff": id.0, "name": found.staff.name, "reason": reason }),
            now,
        )?;
        Ok::<_, Error>(staff::find(tx, id)?.map(|s| s.staff))
    })?;
    // Their key leaves this `Db` too: nothing more is signed in their name here.
    db.sign_out(id);
    changed.ok_or_else(|| StoreError::Invariant(format!("staff {id} vanished")).into())
}

/// Enables a disabled member again (manager only); their PIN and key are as they were.
pub fn enable(db: &mut Db, actor: &Actor, id: StaffId, now: NaiveDateTime) -> Result<Staff> {
    actor.require(Action::AddStaff)?;
    db.write(|tx| {
        let found = staff::find(tx, id)?.ok_or(Refusal::UnknownStaff(id))?;
        if !found.staff.active {
            staff::set_disabled(tx, id, None)?;
            audit(
                tx,
                Some(actor.id),
                "enable_staff",
                json!({ "staff": id.0, "name": found.staff.name }),
                now,
            )?;
        }
        Ok(staff::find(tx, id)?.ok_or(Refusal::UnknownStaff(id))?.staff)
    })
}

/// A member changes their own PIN: `actor` signed in with `old_pin` just now. The new PIN must
/// meet the rules for their role; their signing key is sealed under it (the same key, so
/// everything they signed stays theirs). Returns the actor, free to work again.
pub fn change_own_pin(
    db: &mut Db,
    actor: &Actor,
    old_pin: &str,
    new_pin: &str,
    now: NaiveDateTime,
) -> Result<Actor> {
    check_pin(new_pin, actor.role).map_err(|problem| Refusal::PinRule { problem })?;
    if new_pin == old_pin {
        return Err(Refusal::SamePin.into());
    }
    let hash = hash_pin(new_pin, actor.role)?;
    db.write(|tx| {
        let found = staff::find(tx, actor.id)?.ok_or(Refusal::UnknownStaff(actor.id))?;
        if !pin_matches(old_pin, &found.pin_hash) {
            return Err(Refusal::WrongPin.into());
        }
        keys::reseal(tx, actor.id, old_pin, new_pin).map_err(|e| match e {
            KeyError::Store(e) => Error::Store(e),
            KeyError::WrongPin | KeyError::NoKey(_) => Refusal::KeyMismatch.into(),
        })?;
        staff::set_pin(tx, actor.id, &hash, false)?;
        audit(
            tx,
            Some(actor.id),
            "change_pin",
            json!({ "staff": actor.id.0 }),
            now,
        )?;
        Ok::<_, Error>(())
    })?;
    let mut actor = actor.clone();
    actor.must_change_pin = false;
    Ok(actor)
}

/// A manager gives another member a new PIN (forgotten, or it leaked). Nobody but the member
/// can open their old key, so they get a new key pair, recorded in the staff key history and
/// sealed under the new PIN; they must change the PIN at their next sign-in, so the manager
/// does not keep knowing it. Also lifts a lockout.
pub fn reset_pin(
    db: &mut Db,
    actor: &Actor,
    id: StaffId,
    new_pin: &str,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::AddStaff)?;
    db.write(|tx| {
        let found = staff::find(tx, id)?.ok_or(Refusal::UnknownStaff(id))?;
        let hash = hash_pin(new_pin, found.staff.role)?;
        staff::set_pin(tx, id, &hash, true)?;
        keys::new_key_pair(tx, id, new_pin, KeyReason::Reset, now)?;
        audit(
            tx,
            Some(actor.id),
            "reset_pin",
            json!({ "staff": id.0, "name": found.staff.name }),
            now,
        )?;
        Ok::<_, Error>(())
    })?;
    // The `Db` took the member's new key at the commit; only their own sign-in should give it.
    db.sign_out(id);
    Ok(())
}

/// A refused sign-in or a lockout, as the audit log has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignInEvent {
    pub at: NaiveDateTime,
    pub staff: i64,
    /// The member's name, when the number is one of the staff.
    pub name: Option<String>,
    /// `wrong_pin`, `locked`, `disabled`, `unknown_staff`, or `account_locked` for a lockout.
    pub what: String,
    pub wrong_in_a_row: Option<i64>,
    /// How long a lockout lasts.
    pub minutes: Option<i64>,
}

/// The latest refused sign-ins and lockouts, newest first (for the manager's staff tab).
pub fn sign_in_events(db: &mut Db, actor: &Actor, limit: usize) -> Result<Vec<SignInEvent>> {
    actor.require(Action::AddStaff)?;
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT a.created_at, a.action, a.detail, s.name FROM audit_log a
             LEFT JOIN staff s ON s.id = json_extract(a.detail, '$.staff')
             WHERE a.action IN ('sign_in_failed', 'account_locked') AND a.staff_id IS NULL
             ORDER BY a.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            let at: String = r.get(0)?;
            let action: String = r.get(1)?;
            let detail: String = r.get(2)?;
            let name: Option<String> = r.get(3)?;
            Ok((parse_time(&at)?, action, detail, name))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, action, detail, name) = row?;
            let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
            let what = if action == "account_locked" {
                action
            } else {
                detail["why"].as_str().unwrap_or("wrong_pin").to_string()
            };
            out.push(SignInEvent {
                at,
                staff: detail["staff"].as_i64().unwrap_or_default(),
                name,
                what,
                wrong_in_a_row: detail["wrong_in_a_row"].as_i64(),
                minutes: detail["minutes"].as_i64(),
            });
        }
        Ok::<_, Error>(out)
    })
}

/// One refused sign-in or lockout as a line a manager reads.
pub fn event_text(e: &SignInEvent) -> String {
    let who = match &e.name {
        Some(name) => format!("{} {}", e.staff, name),
        None => e.staff.to_string(),
    };
    let what: String = match e.what.as_str() {
        "account_locked" => t!(
            "staff.event.locked",
            minutes = e.minutes.unwrap_or_default()
        )
        .into(),
        "wrong_pin" => t!(
            "staff.event.wrong_pin",
            count = e.wrong_in_a_row.unwrap_or(1)
        )
        .into(),
        "locked" => t!("staff.event.while_locked").into(),
        "disabled" => t!("staff.event.disabled").into(),
        _ => t!("staff.event.unknown_staff").into(),
    };
    format!("{}\t{who}\t{what}", e.at)
}

/// The member's state as the staff list shows it.
pub fn status_text(s: &Staff) -> String {
    if !s.active {
        let since = s
            .disabled_at
            .map(|t| t.date().to_string())
            .unwrap_or_default();
        let reason = s.disabled_reason.clone().unwrap_or_default();
        t!("staff.status.disabled", since = since, reason = reason).into()
    } else if s.must_change_pin {
        t!("staff.status.must_change").into()
    } else {
        t!("staff.status.active").into()
    }
}
