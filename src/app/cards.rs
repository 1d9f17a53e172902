//! Household cards: issuing (and reissuing) them, checking a scanned one, redeeming with one,
//! and gathering a village group's current cards for printing.

use std::str::FromStr;

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::redeem::{Redeemed, redeem};
use super::{Actor, Result, audit};
use crate::core::card::{CardError, CardFace, CardId, CardPayload, CardReason, CardSerial};
use crate::core::household::{Household, HouseholdStatus};
use crate::core::redemption::{CartLine, RedemptionRequest, Via};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, IdempotencyKey};
use crate::store::cards::{self as stored, StoreKeys, StoredCard};
use crate::store::households::{self, StoredHousehold};
use crate::store::{Db, StoreError};

/// A card just made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedCard {
    pub face: CardFace,
    /// The serial of the card this one replaces (it stopped working in the same transaction).
    pub replaced: Option<CardSerial>,
}

/// Whose card was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardHolder {
    pub household: Household,
    pub serial: CardSerial,
    pub issued_at: NaiveDateTime,
}

pub(crate) fn keys(conn: &Connection) -> Result<StoreKeys> {
    Ok(stored::store_keys(conn)?.ok_or(Refusal::NotInitialised)?)
}

fn face(keys: &StoreKeys, household: &StoredHousehold, card: &StoredCard) -> Result<CardFace> {
    let id = CardId::new(keys.code, household.id, card.serial).ok_or(Refusal::Overflow)?;
    let h = &household.household;
    Ok(CardFace {
        payload: CardPayload::issue(id, &keys.secret),
        store_name: keys.name.clone(),
        household: h.number.clone(),
        head_name: h.head_name.clone(),
        village: h.village.clone(),
        group: h.group.clone(),
        serial: card.serial,
        issued_on: card.issued_at.date(),
    })
}

/// Issues the household's first card, or a new one that ends the card it had. `reason`
/// defaults to "first" for a first card and "other" for a reissue.
pub fn issue_card(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    reason: Option<CardReason>,
    now: NaiveDateTime,
) -> Result<IssuedCard> {
    actor.require(Action::IssueCard)?;
    db.write(|tx| {
        let keys = keys(tx)?;
        let household = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        issue_in(tx, actor, &keys, &household, reason, now)
    })
}

pub(crate) fn issue_in(
    tx: &Connection,
    actor: &Actor,
    keys: &StoreKeys,
    household: &StoredHousehold,
    reason: Option<CardReason>,
    now: NaiveDateTime,
) -> Result<IssuedCard> {
    let number = &household.household.number;
    if household.household.status != HouseholdStatus::Active {
        return Err(Refusal::HouseholdInactive(number.clone()).into());
    }
    if CardId::new(keys.code, household.id, CardSerial::FIRST).is_none() {
        return Err(Refusal::Overflow.into());
    }
    let serial = match stored::last_serial(tx, household.id)? {
        None => CardSerial::FIRST,
        Some(last) => last.next().ok_or_else(|| Refusal::TooManyCards {
            household: number.clone(),
        })?,
    };
    let live = stored::live(tx, household.id)?;
    if let Some(old) = &live {
        stored::mark_replaced(tx, old.id, now)?;
    }
    let reason = reason.unwrap_or(if serial == CardSerial::FIRST {
        CardReason::First
    } else {
        CardReason::Other
    });
    let id = stored::insert(tx, household.id, serial, reason, actor.id, now)?;
    let replaced = live.map(|old| old.serial);
    // The payload is a bearer credential: the audit log names the card, never its digits.
    audit(
        tx,
        Some(actor.id),
        "issue_card",
        json!({
            "household": number.as_str(),
            "serial": serial.get(),
            "reason": reason.as_db(),
            "replaced_serial": replaced.map(CardSerial::get),
        }),
        now,
    )?;
    let card = StoredCard {
        id,
        household_id: household.id,
        serial,
        reason,
        issued_at: now,
        issued_by: actor.id,
        replaced_at: None,
        revoked_at: None,
    };
    Ok(IssuedCard {
        face: face(keys, household, &card)?,
        replaced,
    })
}

/// Stops a household's card without making a new one (reported lost, household moved away).
pub fn revoke_card(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    reason: &str,
    now: NaiveDateTime,
) -> Result<CardSerial> {
    actor.require(Action::IssueCard)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let household = households::find(tx, number)?
            .ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
        let card = stored::live(tx, household.id)?.ok_or_else(|| Refusal::NoLiveCard {
            household: number.clone(),
        })?;
        stored::mark_revoked(tx, card.id, actor.id, reason, now)?;
        audit(
            tx,
            Some(actor.id),
            "revoke_card",
            json!({ "household": number.as_str(), "serial": card.serial.get(), "reason": reason }),
            now,
        )?;
        Ok(card.serial)
    })
}

/// Checks a scanned or typed payload and names its household, or says why not: not a card,
/// another store's card, forged, replaced (with the date), revoked, or not on record.
/// Reads only.
pub fn verify_card(db: &mut Db, text: &str) -> Result<CardHolder> {
    let payload = CardPayload::from_str(text).map_err(refusal_of)?;
    db.read(|tx| {
        let keys = keys(tx)?;
        let id = payload
            .verify(keys.code, &keys.secret)
            .map_err(refusal_of)?;
        let card = stored::find(tx, id.household_id(), id.serial())?.ok_or(Refusal::CardUnknown)?;
        if let Some(at) = card.replaced_at {
            return Err(Refusal::CardReplaced {
                replaced_on: at.date(),
            }
            .into());
        }
        if let Some(at) = card.revoked_at {
            return Err(Refusal::CardRevoked {
                revoked_on: at.date(),
            }
            .into());
        }
        let household =
            households::find_by_id(tx, id.household_id())?.ok_or(Refusal::CardUnknown)?;
        Ok(CardHolder {
            household: household.household,
            serial: card.serial,
            issued_at: card.issued_at,
        })
    })
}

fn refusal_of(error: CardError) -> Refusal {
    match error {
        CardError::Malformed => Refusal::CardMalformed,
        CardError::OtherStore(code) => Refusal::CardOtherStore {
            store_code: code.get(),
        },
        CardError::Forged => Refusal::CardForged,
    }
}

/// Redeems for the household of a scanned card: the card is checked, then the ordinary
/// redemption runs with `Via::Card`. The check and the redemption are two transactions; a
/// card replaced in the instant between still names the same household, whose points these are.
pub fn redeem_by_card(
    db: &mut Db,
    actor: &Actor,
    payload: &str,
    lines: Vec<CartLine>,
    key: Option<IdempotencyKey>,
    now: NaiveDateTime,
) -> Result<Redeemed> {
    // Checked first so that a staff member without the right learns nothing about the card.
    actor.require(Action::Redeem)?;
    let holder = verify_card(db, payload)?;
    let request = RedemptionRequest {
        household: holder.household.number,
        lines,
        via: Via::Card,
        key,
    };
    redeem(db, actor, &request, now)
}

/// Prints a household's current card again (manager only): the same serial and digits, and an
/// audit record that names the card, never its digits. A card is the household's credential,
/// so whoever makes another copy of it is on record.
pub fn print_card(
    db: &mut Db,
    actor: &Actor,
    number: &HouseholdNo,
    now: NaiveDateTime,
) -> Result<CardFace> {
    actor.require(Action::IssueCard)?;
    db.write(|tx| {
        let face = card_face(tx, number)?;
        audit(
            tx,
            Some(actor.id),
            "print_card",
            json!({ "household": number.as_str(), "serial": face.serial.get() }),
            now,
        )?;
        Ok(face)
    })
}

fn card_face(tx: &Connection, number: &HouseholdNo) -> Result<CardFace> {
    let keys = keys(tx)?;
    let household =
        households::find(tx, number)?.ok_or_else(|| Refusal::UnknownHousehold(number.clone()))?;
    let card = stored::live(tx, household.id)?.ok_or_else(|| Refusal::NoLiveCard {
        household: number.clone(),
    })?;
    face(&keys, &household, &card)
}

/// The card a household holds now (same serial, same digits), for a print job already queued
/// by a manager. Printing a card for someone goes through [`print_card`].
pub fn current_card(db: &mut Db, number: &HouseholdNo) -> Result<CardFace> {
    db.read(|tx| card_face(tx, number))
}

/// A village group as staff write it: "青山村/第一组", or just "第一组" when only one village
/// has a group of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSpec {
    pub village: Option<String>,
    pub group: String,
}

impl FromStr for GroupSpec {
    type Err = Refusal;

    fn from_str(text: &str) -> std::result::Result<Self, Refusal> {
        let text = text.trim();
        let (village, group) = match text.split_once(['/', '／']) {
            Some((village, group)) => (Some(village.trim().to_string()), group.trim()),
            None => (None, text),
        };
        if group.is_empty() || village.as_deref() == Some("") {
            return Err(Refusal::UnknownGroup(text.to_string()));
        }
        Ok(GroupSpec {
            village,
            group: group.to_string(),
        })
    }
}

/// A group's current cards, in household-number order, and who has none yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCards {
    pub village: String,
    pub group: String,
    pub cards: Vec<CardFace>,
    pub without_card: Vec<HouseholdNo>,
    /// Cards issued by this call (`issue_missing` only).
    pub issued: usize,
}

fn resolve_group(tx: &Connection, spec: &GroupSpec) -> Result<stored::GroupRef> {
    let mut found = stored::groups_named(tx, spec.village.as_deref(), &spec.group)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => {
            let written = match &spec.village {
                Some(v) => format!("{v}/{}", spec.group),
                None => spec.group.clone(),
            };
            Err(Refusal::UnknownGroup(written).into())
        }
        _ => Err(Refusal::AmbiguousGroup {
            group: spec.group.clone(),
            villages: found.into_iter().map(|g| g.village).collect(),
        }
        .into()),
    }
}

/// Gathers a group's current cards for an A4 sheet (manager only: a sheet of cards is a sheet
/// of credentials); moved-away households are left out. With `issue_missing`, households
/// without a card are issued one first, in the same transaction. The sheet is audited.
pub fn group_cards(
    db: &mut Db,
    actor: &Actor,
    spec: &GroupSpec,
    issue_missing: bool,
    now: NaiveDateTime,
) -> Result<GroupCards> {
    actor.require(Action::IssueCard)?;
    db.write(|tx| {
        let found = collect_group(tx, spec, issue_missing.then_some(actor), now)?;
        let detail = json!({ "village": found.village, "group": found.group, "cards": found.cards.len(), "issued": found.issued });
        audit(tx, Some(actor.id), "print_card_sheet", detail, now)?;
        Ok(found)
    })
}

fn collect_group(
    tx: &Connection,
    spec: &GroupSpec,
    issue_missing: Option<&Actor>,
    now: NaiveDateTime,
) -> Result<GroupCards> {
    let keys = keys(tx)?;
    let group = resolve_group(tx, spec)?;
    let mut out = GroupCards {
        village: group.village.clone(),
        group: group.group.clone(),
        cards: Vec::new(),
        without_card: Vec::new(),
        issued: 0,
    };
    for id in stored::households_in_group(tx, group.id)? {
        let household = households::find_by_id(tx, id)?
            .ok_or_else(|| StoreError::Invariant(format!("household {id} vanished")))?;
        if household.household.status != HouseholdStatus::Active {
            continue;
        }
        match (stored::live(tx, id)?, issue_missing) {
            (Some(card), _) => out.cards.push(face(&keys, &household, &card)?),
            (None, Some(actor)) => {
                out.cards
                    .push(issue_in(tx, actor, &keys, &household, None, now)?.face);
                out.issued += 1;
            }
            (None, None) => out.without_card.push(household.household.number),
        }
    }
    if out.cards.is_empty() {
        return Err(Refusal::NoCardsInGroup {
            group: format!("{}/{}", out.village, out.group),
        }
        .into());
    }
    Ok(out)
}
