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

/// Signatures held before they are verified together on every core: enough to keep both busy,
/// a few megabytes however long the store's history (issue 23: holding all of five years'
/// 364,000 took some 250 MB).
const CHUNK: usize = 16 * 1024;

/// Verifies signatures as they are read, in id order, each with the key its signer had then.
/// Signatures up to `verified` (covered by a verified mark) only replay which keys were given
/// out.
pub(super) struct Verifier<'k> {
    start_staff_head: i64,
    keys: &'k HashMap<i64, KeyRow>,
    managers: Vec<i64>,
    verified: i64,
    /// Each staff member's current key row.
    current: HashMap<i64, i64>,
    pending: Vec<(StoredSignature, Signature, VerifyingKey)>,
    /// Key-rule faults, in signature order.
    faults: Vec<Fault>,
    /// Signatures that do not verify, in id order.
    bad: Vec<i64>,
}

impl<'k> Verifier<'k> {
    pub(super) fn new(
        conn: &Connection,
        start: &Start,
        keys: &'k HashMap<i64, KeyRow>,
        verified: i64,
    ) -> Result<Verifier<'k>> {
        let managers: Vec<i64> = conn
            .prepare("SELECT id FROM staff WHERE role = 'manager'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Verifier {
            start_staff_head: start.staff_head,
            keys,
            managers,
            verified,
            current: HashMap::new(),
            pending: Vec::new(),
            faults: Vec::new(),
            bad: Vec::new(),
        })
    }

    /// The next signature, in id order.
    pub(super) fn add(&mut self, s: StoredSignature) {
        let check = s.id > self.verified;
        let key = self.keys.get(&s.key_id).filter(|k| k.staff == s.staff);
        let own_new = s.spans[4].contains(s.key_id);
        let allowed = match self.current.get(&s.staff) {
            Some(&k) => k == s.key_id,
            // A first key signs for itself only at enrolment (a member from before
            // signatures) or at the store's creation (the first staff member).
            None => own_new && (s.staff <= self.start_staff_head.max(1)),
        };
        let (id, staff, given) = (s.id, s.staff, (s.spans[4].from, s.spans[4].to));
        if check {
            let parsed = hex::decode(&s.signature)
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok());
            match (key.and_then(|k| k.public), allowed, parsed) {
                (Some(public), true, Some(signature)) => self.pending.push((s, signature, public)),
                _ => self.faults.push(Fault::BadSignature { id }),
            }
        }
        // Keys this transaction gave out: to others only by a manager, to oneself only first.
        if let (Some(from), Some(to)) = given {
            for key_id in from..=to {
                let Some(row) = self.keys.get(&key_id) else {
                    continue;
                };
                let by_manager = self.managers.contains(&staff);
                if check && row.staff != staff && !by_manager {
                    self.faults.push(Fault::BadSignature { id });
                }
                self.current.insert(row.staff, key_id);
            }
        }
        if self.pending.len() >= CHUNK {
            self.verify_pending();
        }
    }

    /// Verifies what is still pending; the faults found, key rules' first, then the signatures
    /// that do not verify; and each staff member's current key row.
    pub(super) fn finish(mut self, faults: &mut Vec<Fault>) -> HashMap<i64, i64> {
        self.verify_pending();
        faults.extend(self.faults);
        faults.extend(self.bad.into_iter().map(|id| Fault::BadSignature { id }));
        self.current
    }

    /// The pending signatures, split in equal parts over the cores (`std::thread::scope`: one
    /// flat list, which needs no thread pool).
    fn verify_pending(&mut self) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let part = self.pending.len().div_ceil(cores).max(BATCH);
        let pending = &self.pending;
        let bad: Vec<i64> = std::thread::scope(|scope| {
            let workers: Vec<_> = pending
                .chunks(part)
                .map(|share| scope.spawn(move || verify_share(share)))
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        self.bad.extend(bad);
        self.pending.clear();
    }
}

/// One thread's share: the messages rebuilt and verified in batches by the one function the
/// township's check also uses (`core::txn_verify`); the ids that fail.
fn verify_share(share: &[(StoredSignature, Signature, VerifyingKey)]) -> Vec<i64> {
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
