//! Tamper evidence: each ledger row carries a hash over its own content and the previous row's
//! hash, so altering any row behind the app's back breaks every link after it.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hashes the previous link and the row's fields. Each field is length-prefixed so that
/// ("ab", "c") and ("a", "bc") can never produce the same hash.
pub fn link_hash(prev_hash: &str, fields: &[String]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    for field in fields {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Text of an optional field for hashing: absent and empty must differ.
pub fn opt_field<T: ToString>(value: &Option<T>) -> String {
    match value {
        Some(v) => format!("+{}", v.to_string()),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_boundaries_matter() {
        let a = link_hash(GENESIS, &["ab".into(), "c".into()]);
        let b = link_hash(GENESIS, &["a".into(), "bc".into()]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn previous_link_matters() {
        let fields = vec!["x".to_string()];
        assert_ne!(
            link_hash(GENESIS, &fields),
            link_hash(&"1".repeat(64), &fields)
        );
        assert_ne!(opt_field::<String>(&None), opt_field(&Some(String::new())));
    }
}
