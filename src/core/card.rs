//! Household cards: the digits in the QR code, and why a scanned card is or is not ours.
//!
//! A payload is 24 ASCII digits, because keyboard-wedge scanners type US-layout keys and a
//! Chinese IME mangles letters:
//!
//! ```text
//! 1 4821 000123 02 38274610953
//! │ │    │      │  └ check: HMAC-SHA256(store secret, the 13 digits before it) as 11 digits
//! │ │    │      └ card serial 01–99 (a reissue bumps it; the old card is then refused)
//! │ │    └ household row id, 6 digits
//! │ └ store code 1000–9999
//! └ format version
//! ```
//!
//! Eleven check digits leave a forger one chance in 10^11 per guess; the comparison is
//! constant-time so the counter never leaks how many digits of a guess were right.
//! Whether a genuine card is still the household's current one is the store's business.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use serde::{Serialize, Serializer};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::HouseholdNo;

pub const PAYLOAD_DIGITS: usize = 24;
const VERSION: u8 = b'1';
const BODY_DIGITS: usize = 13;
const CHECK_DIGITS: usize = PAYLOAD_DIGITS - BODY_DIGITS;
const CHECK_MODULUS: u64 = 100_000_000_000; // 10^CHECK_DIGITS
/// Domain separation: the store secret may one day key other MACs too.
const MAC_CONTEXT: &[u8] = b"jifen household card v1\0";
/// The household id has six digits on the card.
pub const MAX_HOUSEHOLD_ID: i64 = 999_999;

/// Why a scanned text is not a card of this store. Revoked and replaced cards are genuine:
/// the store decides those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("not a card payload")]
    Malformed,
    #[error("a card of store {0}")]
    OtherStore(StoreCode),
    #[error("check digits do not match")]
    Forged,
}

/// The per-store key made at `init`; never printed, never logged.
#[derive(Clone)]
pub struct CardSecret([u8; 32]);

impl CardSecret {
    pub fn new(bytes: [u8; 32]) -> Self {
        CardSecret(bytes)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(CardSecret)
    }
}

impl fmt::Debug for CardSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardSecret(..)")
    }
}

/// The store's four-digit number, printed in every card it issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StoreCode(u16);

impl StoreCode {
    pub fn new(code: i64) -> Option<Self> {
        u16::try_from(code)
            .ok()
            .filter(|c| (1000..=9999).contains(c))
            .map(StoreCode)
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for StoreCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which card of a household this is: 1 for the first, one more for each reissue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CardSerial(u8);

impl CardSerial {
    pub const FIRST: CardSerial = CardSerial(1);
    pub const MAX: u8 = 99;

    pub fn new(serial: i64) -> Option<Self> {
        u8::try_from(serial)
            .ok()
            .filter(|s| (1..=Self::MAX).contains(s))
            .map(CardSerial)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The serial of the card that replaces this one; `None` once two digits run out.
    pub fn next(self) -> Option<Self> {
        Self::new(i64::from(self.0) + 1)
    }
}

impl fmt::Display for CardSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a payload names: one card of one household of one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardId {
    store: StoreCode,
    household_id: i64,
    serial: CardSerial,
}

impl CardId {
    /// `None` when the household id does not fit the card's six digits.
    pub fn new(store: StoreCode, household_id: i64, serial: CardSerial) -> Option<Self> {
        (1..=MAX_HOUSEHOLD_ID)
            .contains(&household_id)
            .then_some(CardId {
                store,
                household_id,
                serial,
            })
    }

    pub fn store(&self) -> StoreCode {
        self.store
    }

    pub fn household_id(&self) -> i64 {
        self.household_id
    }

    pub fn serial(&self) -> CardSerial {
        self.serial
    }

    fn body(&self) -> String {
        format!(
            "{}{:04}{:06}{:02}",
            char::from(VERSION),
            self.store.0,
            self.household_id,
            self.serial.0
        )
    }
}

/// A well-formed payload: 24 digits whose fields are in range. Not yet proved genuine — that
/// takes the store's secret (`verify`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardPayload {
    digits: String,
    id: CardId,
}

impl CardPayload {
    /// Makes the payload of a card: its fields and their check digits.
    pub fn issue(id: CardId, secret: &CardSecret) -> Self {
        let body = id.body();
        let check = check_digits(secret, &body);
        CardPayload {
            digits: format!("{body}{check}"),
            id,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The card the payload claims to be, before any check.
    pub fn claimed(&self) -> CardId {
        self.id
    }

    /// Groups of four, for a person to read off the card when the scanner fails.
    pub fn grouped(&self) -> String {
        let bytes = self.digits.as_bytes();
        bytes
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Proves the payload was made with this store's secret.
    pub fn verify(&self, store: StoreCode, secret: &CardSecret) -> Result<CardId, CardError> {
        if self.id.store != store {
            return Err(CardError::OtherStore(self.id.store));
        }
        let (body, given) = self.digits.split_at(BODY_DIGITS);
        let expected = check_digits(secret, body);
        if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            Ok(self.id)
        } else {
            Err(CardError::Forged)
        }
    }
}

impl FromStr for CardPayload {
    type Err = CardError;

    /// Accepts what a scanner or a person types: surrounding spaces and line ends, spaces
    /// between groups, and the full-width digits a Chinese IME produces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut digits = String::with_capacity(PAYLOAD_DIGITS);
        for c in text.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                ' ' | '\u{3000}' | '\t' | '\r' | '\n' => {}
                _ => return Err(CardError::Malformed),
            }
            if digits.len() > PAYLOAD_DIGITS {
                return Err(CardError::Malformed);
            }
        }
        if digits.len() != PAYLOAD_DIGITS || digits.as_bytes()[0] != VERSION {
            return Err(CardError::Malformed);
        }
        let field = |from: usize, to: usize| digits[from..to].parse::<i64>().ok();
        let store = field(1, 5).and_then(StoreCode::new);
        let serial = field(11, 13).and_then(CardSerial::new);
        let id = match (store, field(5, 11), serial) {
            (Some(store), Some(household), Some(serial)) => CardId::new(store, household, serial),
            _ => None,
        }
        .ok_or(CardError::Malformed)?;
        Ok(CardPayload { digits, id })
    }
}

impl fmt::Display for CardPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl Serialize for CardPayload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.digits)
    }
}

fn check_digits(secret: &CardSecret, body: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("HMAC accepts a key of any length");
    mac.update(MAC_CONTEXT);
    mac.update(body.as_bytes());
    let tag = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&tag[..8]);
    // 2^64 is 1.8e8 times 10^11, so the bias of the remainder is below one in 10^8.
    let value = u64::from_be_bytes(first) % CHECK_MODULUS;
    format!("{value:0width$}", width = CHECK_DIGITS)
}

/// Why a card was issued: the first card, or why it had to be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardReason {
    First,
    Lost,
    Damaged,
    Moved,
    Other,
}

impl CardReason {
    pub fn as_db(self) -> &'static str {
        match self {
            CardReason::First => "first",
            CardReason::Lost => "lost",
            CardReason::Damaged => "damaged",
            CardReason::Moved => "moved",
            CardReason::Other => "other",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        [
            CardReason::First,
            CardReason::Lost,
            CardReason::Damaged,
            CardReason::Moved,
            CardReason::Other,
        ]
        .into_iter()
        .find(|r| r.as_db() == text)
    }
}

/// Everything printed on a card, for the PNG, the A4 sheet and the receipt-printer slip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardFace {
    pub payload: CardPayload,
    pub store_name: String,
    pub household: HouseholdNo,
    pub head_name: String,
    pub village: String,
    pub group: String,
    pub serial: CardSerial,
    pub issued_on: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> StoreCode {
        StoreCode::new(4821).unwrap()
    }

    fn card(household: i64, serial: i64) -> CardId {
        CardId::new(store(), household, CardSerial::new(serial).unwrap()).unwrap()
    }

    #[test]
    fn a_payload_is_24_digits_that_verify_with_the_secret_that_made_them() {
        let secret = CardSecret::new([7; 32]);
        let payload = CardPayload::issue(card(123, 2), &secret);
        let text = payload.to_string();
        assert_eq!(text.len(), PAYLOAD_DIGITS);
        assert!(text.starts_with("14821000123") && text[11..13] == *"02");
        let parsed: CardPayload = text.parse().unwrap();
        assert_eq!(parsed.verify(store(), &secret), Ok(card(123, 2)));
        let other = CardSecret::new([8; 32]);
        assert_eq!(parsed.verify(store(), &other), Err(CardError::Forged));
        let elsewhere = StoreCode::new(1234).unwrap();
        assert_eq!(
            parsed.verify(elsewhere, &secret),
            Err(CardError::OtherStore(store()))
        );
    }

    #[test]
    fn typing_noise_is_accepted_and_anything_else_is_malformed() {
        let secret = CardSecret::new([1; 32]);
        let payload = CardPayload::issue(card(9, 1), &secret);
        let spaced = format!(" {}\r\n", payload.grouped());
        assert_eq!(spaced.parse::<CardPayload>(), Ok(payload.clone()));
        let fullwidth: String = payload
            .as_str()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
            .collect();
        assert_eq!(fullwidth.parse::<CardPayload>(), Ok(payload.clone()));
        for bad in [
            "",
            "abc",
            "101001",
            &format!("{payload}0"),
            &payload.as_str()[1..],
        ] {
            assert_eq!(
                bad.parse::<CardPayload>(),
                Err(CardError::Malformed),
                "{bad}"
            );
        }
        // Version 2, store 0999, household 0 and serial 00 are not cards this format makes.
        let body = payload.as_str();
        for (at, digits) in [(0, "2"), (1, "0999"), (5, "000000"), (11, "00")] {
            let mut changed = body.to_string();
            changed.replace_range(at..at + digits.len(), digits);
            assert_eq!(changed.parse::<CardPayload>(), Err(CardError::Malformed));
        }
    }

    #[test]
    fn ids_and_serials_stay_in_their_digits() {
        assert!(CardId::new(store(), MAX_HOUSEHOLD_ID + 1, CardSerial::FIRST).is_none());
        assert!(CardId::new(store(), 0, CardSerial::FIRST).is_none());
        assert_eq!(CardSerial::new(99).unwrap().next(), None);
        assert!(StoreCode::new(999).is_none() && StoreCode::new(10_000).is_none());
        assert_eq!(format!("{:?}", CardSecret::new([3; 32])), "CardSecret(..)");
    }
}
