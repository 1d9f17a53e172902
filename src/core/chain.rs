//! Tamper evidence: each ledger row carries a hash over its own content and the previous row's
//! hash, so altering any row behind the app's back breaks every link after it. A plain hash
//! chain can be recomputed by anyone who can write the file, so the chains' heads are also
//! signed by the staff member who extended them (see `store::records`).

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
    hex_of(&hasher.finalize())
}

/// A digest in lowercase hex, as every chain stores it. `hex::encode` goes a char at a time
/// through an iterator; `encode_to_slice` is a table lookup per byte, and the full check
/// hashes every row of five years (issue 23).
fn hex_of(digest: &[u8]) -> String {
    let mut out = vec![0u8; digest.len() * 2];
    hex::encode_to_slice(digest, &mut out).expect("two hex digits per byte");
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// Text of an optional field for hashing: absent and empty must differ.
pub fn opt_field<T: ToString>(value: &Option<T>) -> String {
    match value {
        Some(v) => format!("+{}", v.to_string()),
        None => "-".to_string(),
    }
}

/// The id range a transaction wrote in one chain and the hash of its last row. Because each
/// row's hash covers the previous row's, signing the last hash signs every row before it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub head: Option<String>,
}

impl Span {
    pub fn contains(&self, id: i64) -> bool {
        matches!((self.from, self.to), (Some(f), Some(t)) if f <= id && id <= t)
    }
}

/// The chains a transaction signature covers, in the order they are signed.
pub const SIGNED_CHAINS: [&str; 5] = [
    "point_entry",
    "stock_movement",
    "audit_log",
    "record_change",
    "staff_key",
];

/// The bytes a transaction's signature is made over: who signed with which key, and for each
/// chain the range written and its last hash. Length-prefixed like `link_hash`.
pub fn signed_message(staff_id: i64, key_id: i64, spans: &[Span; 5]) -> Vec<u8> {
    let mut fields = vec![
        "jifen-txn-v1".to_string(),
        staff_id.to_string(),
        key_id.to_string(),
    ];
    for (name, span) in SIGNED_CHAINS.iter().zip(spans) {
        fields.push(name.to_string());
        fields.push(opt_field(&span.from));
        fields.push(opt_field(&span.to));
        fields.push(opt_field(&span.head));
    }
    let mut out = Vec::new();
    for field in fields {
        out.extend_from_slice(&(field.len() as u64).to_le_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// One stored value of a table row, for hashing a row's state.
pub enum CellValue<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

/// Hashes a row's state: its table and every non-NULL column by name. NULLs are left out so
/// that a column added later as NULL does not change the state of the rows that existed.
pub fn state_hash<'a>(
    table: &str,
    cells: impl Iterator<Item = (&'a str, CellValue<'a>)>,
) -> String {
    let mut hasher = Sha256::new();
    let mut put = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    put(table.as_bytes());
    for (name, value) in cells {
        // The cell's bytes as they are, not copied (every row of the signed tables is hashed
        // by the full check).
        let number: [u8; 8];
        let (tag, bytes): (&[u8], &[u8]) = match value {
            CellValue::Null => continue,
            CellValue::Integer(i) => {
                number = i.to_le_bytes();
                (b"i", &number)
            }
            CellValue::Real(f) => {
                number = f.to_le_bytes();
                (b"r", &number)
            }
            CellValue::Text(t) => (b"t", t),
            CellValue::Blob(b) => (b"b", b),
        };
        put(name.as_bytes());
        put(tag);
        put(bytes);
    }
    hex_of(&hasher.finalize())
}

/// A change record's own hash: its place in the chain, the row and the row's new state.
pub fn change_hash(prev_hash: &str, table: &str, row_id: i64, state: &Option<String>) -> String {
    link_hash(
        prev_hash,
        &[table.to_string(), row_id.to_string(), opt_field(state)],
    )
}

/// A staff key history row's hash.
pub fn key_hash(
    prev_hash: &str,
    staff_id: i64,
    public_key: &str,
    reason: &str,
    created_at: &str,
) -> String {
    link_hash(
        prev_hash,
        &[
            staff_id.to_string(),
            public_key.to_string(),
            reason.to_string(),
            created_at.to_string(),
        ],
    )
}

/// Digits of a witness code: no I, L, O or U, so that nothing is misread when typed.
const WITNESS_DIGITS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A witness code: `P<points id>-S<stock id>-<8 characters of their hashes>`.
pub fn witness_code(points_id: i64, points_hash: &str, stock_id: i64, stock_hash: &str) -> String {
    let digest = Sha256::digest(
        format!("jifen-witness-v1|P{points_id}:{points_hash}|S{stock_id}:{stock_hash}").as_bytes(),
    );
    let bits = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    let tail: String = (0..8)
        .map(|i| WITNESS_DIGITS[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect();
    format!("P{points_id}-S{stock_id}-{tail}")
}

/// A witness code read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub points_id: i64,
    pub stock_id: i64,
    pub tail: String,
}

impl Witness {
    pub fn parse(code: &str) -> Option<Witness> {
        let code = code.trim().to_ascii_uppercase();
        let mut parts = code.split('-');
        let points_id = parts.next()?.strip_prefix('P')?.parse().ok()?;
        let stock_id = parts.next()?.strip_prefix('S')?.parse().ok()?;
        let tail = parts.next()?.to_string();
        if parts.next().is_some() || tail.len() != 8 {
            return None;
        }
        Some(Witness {
            points_id,
            stock_id,
            tail,
        })
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
    fn a_witness_code_reads_back_and_changes_with_the_hash() {
        let code = witness_code(1553333, "ab", 1011999, "cd");
        assert!(code.starts_with("P1553333-S1011999-"), "{code}");
        let w = Witness::parse(&code.to_lowercase()).unwrap();
        assert_eq!((w.points_id, w.stock_id), (1553333, 1011999));
        assert_ne!(code, witness_code(1553333, "ac", 1011999, "cd"));
        assert_eq!(Witness::parse("P1-S2"), None);
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
