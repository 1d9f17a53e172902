//! Verifying transaction signatures in batches: the one check the store's `check` and the
//! township both run over the signatures and keys they hold (pure: bytes in, verdicts out).

use ed25519_dalek::{Signature, VerifyingKey};

/// One signature to verify: its row id, the message it signs (`chain::signed_message`), the
/// signature and the public key the signer had then.
pub struct ToVerify {
    pub id: i64,
    pub message: Vec<u8>,
    pub signature: Signature,
    pub public: VerifyingKey,
}

/// A signature as raw bytes (64), or `None`.
pub fn signature_from_bytes(bytes: &[u8]) -> Option<Signature> {
    Signature::from_slice(bytes).ok()
}

/// A public key as the store keeps it (64 hex digits), or `None`.
pub fn public_from_hex(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// The ids whose signature does not verify. Batches of 1,024 are verified at once; a batch
/// that fails is gone through one by one (strictly) to name the failing ones.
pub fn failing(all: &[ToVerify]) -> Vec<i64> {
    let mut bad = Vec::new();
    for chunk in all.chunks(1024) {
        let messages: Vec<&[u8]> = chunk.iter().map(|v| v.message.as_slice()).collect();
        let sigs: Vec<Signature> = chunk.iter().map(|v| v.signature).collect();
        let publics: Vec<VerifyingKey> = chunk.iter().map(|v| v.public).collect();
        if ed25519_dalek::verify_batch(&messages, &sigs, &publics).is_err() {
            for v in chunk {
                if v.public.verify_strict(&v.message, &v.signature).is_err() {
                    bad.push(v.id);
                }
            }
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn a_changed_message_is_named_and_the_others_pass() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut all: Vec<ToVerify> = (0..3)
            .map(|i| {
                let message = format!("txn {i}").into_bytes();
                ToVerify {
                    id: i,
                    signature: key.sign(&message),
                    message,
                    public: key.verifying_key(),
                }
            })
            .collect();
        assert!(failing(&all).is_empty());
        all[1].message = b"txn 9".to_vec();
        assert_eq!(failing(&all), vec![1]);
        assert!(public_from_hex(&hex::encode(key.verifying_key().as_bytes())).is_some());
        assert!(public_from_hex("zz").is_none());
    }
}
