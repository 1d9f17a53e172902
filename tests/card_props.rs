//! Property tests of card payloads: whatever the secret, store, household and serial, a payload
//! altered by one digit, two swapped neighbours or a cut is refused, and so is a genuine
//! payload checked with another store's secret.

use jifen::core::card::{CardError, CardId, CardPayload, CardSecret, CardSerial, StoreCode};
use proptest::prelude::*;

fn payload_strategy() -> impl Strategy<Value = (CardPayload, StoreCode, CardSecret)> {
    (any::<[u8; 32]>(), 1000i64..=9999, 1i64..=999_999, 1i64..=99).prop_map(
        |(secret, store, household, serial)| {
            let (secret, store) = (CardSecret::new(secret), StoreCode::new(store).unwrap());
            let id = CardId::new(store, household, CardSerial::new(serial).unwrap()).unwrap();
            (CardPayload::issue(id, &secret), store, secret)
        },
    )
}

fn accepted(text: &str, store: StoreCode, secret: &CardSecret) -> bool {
    text.parse::<CardPayload>()
        .and_then(|p| p.verify(store, secret))
        .is_ok()
}

proptest! {
    #[test]
    fn any_one_digit_change_is_refused((payload, store, secret) in payload_strategy(), at in 0usize..24, digit in 0u8..10) {
        let mut bytes = payload.as_str().as_bytes().to_vec();
        prop_assume!(bytes[at] != b'0' + digit);
        bytes[at] = b'0' + digit;
        prop_assert!(!accepted(std::str::from_utf8(&bytes).unwrap(), store, &secret));
    }

    #[test]
    fn any_adjacent_transposition_is_refused((payload, store, secret) in payload_strategy(), at in 0usize..23) {
        let mut bytes = payload.as_str().as_bytes().to_vec();
        prop_assume!(bytes[at] != bytes[at + 1]);
        bytes.swap(at, at + 1);
        prop_assert!(!accepted(std::str::from_utf8(&bytes).unwrap(), store, &secret));
    }

    #[test]
    fn any_truncation_is_refused((payload, store, secret) in payload_strategy(), keep in 0usize..24) {
        let text = payload.as_str();
        prop_assert!(!accepted(&text[..keep], store, &secret));
        prop_assert!(!accepted(&text[24 - keep..], store, &secret));
    }

    #[test]
    fn another_stores_secret_is_refused((payload, store, secret) in payload_strategy(), other in any::<[u8; 32]>()) {
        let other = CardSecret::new(other);
        prop_assume!(CardPayload::issue(payload.claimed(), &other) != payload);
        prop_assert_eq!(payload.verify(store, &other), Err(CardError::Forged));
        prop_assert!(payload.verify(store, &secret).is_ok());
    }
}
