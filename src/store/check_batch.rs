//! Verifying the transaction signatures: which key each member may sign with, in order, then
//! the signatures themselves in batches (`ed25519_dalek::verify_batch`, several times faster
//! than one by one) on every core (`std::thread::scope`: the work is one flat list split in
//! equal parts, which needs no thread pool).

use std::collections::HashMap;

use ed25519_dalek::{Signature, VerifyingKey};
use rusqlite::Connection;

use super::Result;
use super::check::Fault;
use super::check_signatures::{KeyRow, Start, StoredSignature};
use crate::core::chain::signed_message;
use crate::core::txn_verify::{ToVerify, failing};

/// Signatures per `verify_batch` call: big enough to amortise, small enough that one bad
/// signature costs only its chunk's one-by-one retry.
const BATCH: usize = 256;

/// Verifies every signature after `verified` with the key its signer had then. Signatures up
/// to `verified` (covered by a verified mark) only replay which keys were given out. Returns
/// each staff member's current key row.
pub(super) fn verify_signatures(
    conn: &Connection,
    start: &Start,
    keys: &HashMap<i64, KeyRow>,
    signatures: &[StoredSignature],
    verified: i64,
    faults: &mut Vec<Fault>,
) -> Result<HashMap<i64, i64>> {
    let managers: Vec<i64> = conn
        .prepare("SELECT id FROM staff WHERE role = 'manager'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut current: HashMap<i64, i64> = HashMap::new();
    let mut batch: Vec<(&StoredSignature, Signature, VerifyingKey)> = Vec::new();
    for s in signatures {
        let check = s.id > verified;
        let key = keys.get(&s.key_id).filter(|k| k.staff == s.staff);
        let own_new = s.spans[4].contains(s.key_id);
        let allowed = match current.get(&s.staff) {
            Some(&k) => k == s.key_id,
            // A first key signs for itself only at enrolment (a member from before
            // signatures) or at the store's creation (the first staff member).
            None => own_new && (s.staff <= start.staff_head.max(1)),
        };
        if check {
            let parsed = hex::decode(&s.signature)
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok());
            match (key.and_then(|k| k.public), allowed, parsed) {
                (Some(public), true, Some(signature)) => batch.push((s, signature, public)),
                _ => faults.push(Fault::BadSignature { id: s.id }),
            }
        }
        // Keys this transaction gave out: to others only by a manager, to oneself only first.
        if let (Some(from), Some(to)) = (s.spans[4].from, s.spans[4].to) {
            for key_id in from..=to {
                let Some(row) = keys.get(&key_id) else {
                    continue;
                };
                let by_manager = managers.contains(&s.staff);
                if check && row.staff != s.staff && !by_manager {
                    faults.push(Fault::BadSignature { id: s.id });
                }
                current.insert(row.staff, key_id);
            }
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let part = batch.len().div_ceil(cores).max(BATCH);
    let bad: Vec<i64> = std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .chunks(part)
            .map(|share| scope.spawn(move || verify_share(share)))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    faults.extend(bad.into_iter().map(|id| Fault::BadSignature { id }));
    Ok(current)
}

/// One thread's share: the messages rebuilt and verified in batches by the one function the
/// township's check also uses (`core::txn_verify`); the ids that fail.
fn verify_share(share: &[(&StoredSignature, Signature, VerifyingKey)]) -> Vec<i64> {
    share
        .chunks(BATCH)
        .flat_map(|chunk| {
            let all: Vec<ToVerify> = chunk
                .iter()
                .map(|(s, signature, public)| ToVerify {
                    id: s.id,
                    message: signed_message(s.staff, s.key_id, &s.spans),
                    signature: *signature,
                    public: *public,
                })
                .collect();
            failing(&all)
        })
        .collect()
}
