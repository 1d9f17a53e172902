//! The store's signed record at the township (issue 15 meets issue 21): the staff key history,
//! the change records and the transaction signatures go over row for row after the ledgers,
//! compared first like the ledgers, and the township verifies the signatures it holds against
//! the keys it holds (`verify`), with the same check as the store's own (`core::txn_verify`).
//!
//! These tables are restored with the ledgers: after an audited restore they differ from the
//! township's copy from the restored head on, and the same restore record that explains the
//! ledgers' rollback explains theirs (a marked rollback, rows kept). Without one, a difference
//! is a fork: named, recorded, nothing taken.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::push::{insert_table_rows, int_at};
use super::source::Source;
use super::spec::Signed;
use super::{Result, Township, TownshipError};
use crate::core::chain::{GENESIS, Span, signed_message};
use crate::core::txn_verify::{ToVerify, failing, public_from_hex, signature_from_bytes};

/// A signed table to roll back: rows after `kept_seq` (whose name is `kept_hash`) are set aside.
pub(super) struct SignedRollback {
    pub table: Signed,
    pub kept_seq: i64,
    pub kept_hash: String,
}

fn held_head(client: &mut postgres::Client, store_id: i32, t: Signed) -> Result<(i64, String)> {
    let sql = format!(
        "SELECT seq, hash FROM township.{} WHERE store_id = $1 ORDER BY seq DESC LIMIT 1",
        t.table()
    );
    Ok(match client.query_opt(&sql, &[&store_id])? {
        Some(row) => (row.get(0), row.get(1)),
        None => (0, GENESIS.to_string()),
    })
}

fn held_name(client: &mut postgres::Client, store_id: i32, t: Signed, seq: i64) -> Result<String> {
    if seq == 0 {
        return Ok(GENESIS.to_string());
    }
    let sql = format!(
        "SELECT hash FROM township.{} WHERE store_id = $1 AND seq = $2",
        t.table()
    );
    Ok(client
        .query_opt(&sql, &[&store_id, &seq])?
        .map(|r| r.get(0))
        .unwrap_or_default())
}

/// Where the store's copy of `t` stops agreeing with the township's: `None` when it continues
/// it. The key history and change records are chains; a signature signs the chains' heads, so
/// in both an agreeing row means every earlier row agrees and a binary search finds the first
/// differing one.
fn first_difference(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    t: Signed,
) -> Result<Option<(i64, String, Option<String>)>> {
    let (held_head, held_hash) = held_head(&mut town.client, store_id, t)?;
    let store_head = source.signed_head(t)?;
    if held_head == 0
        || (store_head >= held_head
            && source.signed_name_at(t, held_head)?.as_deref() == Some(held_hash.as_str()))
    {
        return Ok(None);
    }
    let (mut same, mut differs) = (0_i64, held_head.min(store_head) + 1);
    while differs - same > 1 {
        let mid = same + (differs - same) / 2;
        let ours = source.signed_name_at(t, mid)?;
        if ours.as_deref() == Some(held_name(&mut town.client, store_id, t, mid)?.as_str()) {
            same = mid;
        } else {
            differs = mid;
        }
    }
    let first = same + 1;
    Ok(Some((
        first,
        held_name(&mut town.client, store_id, t, first)?,
        source.signed_name_at(t, first)?,
    )))
}

/// Compares every signed table before anything is taken. A difference is a rollback when this
/// push takes a marked rollback (`restoring`), else a fork: recorded, and the push refused.
pub(super) fn plan(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    restoring: bool,
) -> Result<Vec<SignedRollback>> {
    let mut planned = Vec::new();
    for t in Signed::ALL {
        let Some((first, held, offered)) = first_difference(town, source, store_id, t)? else {
            continue;
        };
        if !restoring {
            town.client.execute(
                "INSERT INTO township.fork_report (store_id, ledger, seq, held_hash, offered_hash)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&store_id, &t.table(), &first, &held, &offered],
            )?;
            return Err(TownshipError::SignedFork {
                table: t,
                seq: first,
            });
        }
        planned.push(SignedRollback {
            table: t,
            kept_seq: first - 1,
            kept_hash: held_name(&mut town.client, store_id, t, first - 1)?,
        });
    }
    Ok(planned)
}

/// Sends the signed rows the township does not hold, one transaction per batch.
pub(super) fn push_rows(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    batch_rows: usize,
) -> Result<BTreeMap<Signed, i64>> {
    let mut added = BTreeMap::new();
    for t in Signed::ALL {
        let (mut after, _) = held_head(&mut town.client, store_id, t)?;
        loop {
            let rows = source.signed_rows(t, after, batch_rows.max(1))?;
            let Some(last) = rows.last() else { break };
            let last_seq = int_at(last, 0).unwrap_or(after);
            let mut tx = town.client.transaction()?;
            insert_table_rows(&mut tx, store_id, t.table(), t.columns(), &rows)?;
            tx.commit()?;
            *added.entry(t).or_default() += rows.len() as i64;
            after = last_seq;
        }
    }
    Ok(added)
}

/// What the township can say of one store's signatures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignatureCheck {
    pub signatures: i64,
    pub keys: i64,
    /// Signatures that do not verify against the key they name, name a key of another staff
    /// member, or sign a chain head that is not the row the township holds there.
    pub bad: Vec<i64>,
}

impl SignatureCheck {
    /// One sentence for the report.
    pub fn describe(&self) -> String {
        use rust_i18n::t;
        if self.signatures == 0 {
            t!("township.report.signatures_none").into()
        } else if self.bad.is_empty() {
            t!("township.report.signatures_ok", count = self.signatures).into()
        } else {
            t!(
                "township.report.signatures_bad",
                count = self.signatures,
                bad = self.bad.len(),
                first = self.bad[0]
            )
            .into()
        }
    }
}

/// Verifies every signature the township holds of `store_id` with the public key it names
/// (from the township's copy of the key history), and that each span's head is the hash of
/// the row the township holds at the span's end (a row it no longer holds, rolled back, is not
/// checked here).
pub fn verify(client: &mut postgres::Client, store_id: i32) -> Result<SignatureCheck> {
    let keys: HashMap<i64, (i64, String)> = client
        .query(
            "SELECT seq, staff_id, public_key FROM township.staff_key WHERE store_id = $1",
            &[&store_id],
        )?
        .into_iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let rows = client.query(
        "SELECT seq, staff_id, key_id, points_from, points_to, points_head, stock_from, stock_to,
                stock_head, audit_from, audit_to, audit_head, changes_from, changes_to,
                changes_head, keys_from, keys_to, keys_head, signature
           FROM township.txn_signature WHERE store_id = $1 ORDER BY seq",
        &[&store_id],
    )?;
    let mut check = SignatureCheck {
        signatures: rows.len() as i64,
        keys: keys.len() as i64,
        bad: Vec::new(),
    };
    let mut batch = Vec::with_capacity(rows.len());
    // Per chain: (row seq the span ends at, the head it signs, the signature's seq).
    let mut heads: [Vec<(i64, String, i64)>; 5] = Default::default();
    for r in &rows {
        let (seq, staff, key_id): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
        let span = |i: usize| Span {
            from: r.get(i),
            to: r.get(i + 1),
            head: r.get(i + 2),
        };
        let spans = [span(3), span(6), span(9), span(12), span(15)];
        for (chain, s) in spans.iter().enumerate() {
            if let (Some(to), Some(head)) = (s.to, &s.head) {
                heads[chain].push((to, head.clone(), seq));
            }
        }
        let public = keys
            .get(&key_id)
            .filter(|(owner, _)| *owner == staff)
            .and_then(|(_, hex)| public_from_hex(hex));
        match (public, signature_from_bytes(r.get::<_, &[u8]>(18))) {
            (Some(public), Some(signature)) => batch.push(ToVerify {
                id: seq,
                message: signed_message(staff, key_id, &spans),
                signature,
                public,
            }),
            _ => check.bad.push(seq),
        }
    }
    check.bad.extend(failing(&batch));
    for (chain, table) in crate::core::chain::SIGNED_CHAINS.iter().enumerate() {
        check
            .bad
            .extend(heads_not_held(client, store_id, table, &heads[chain])?);
    }
    check.bad.sort_unstable();
    check.bad.dedup();
    Ok(check)
}

/// Every enrolled store's check, by the name it was enrolled under (the township's login).
pub fn verify_all(town: &mut Township) -> Result<Vec<(String, SignatureCheck)>> {
    let stores: Vec<(i32, String)> = town
        .client
        .query(
            "SELECT store_id, name FROM township.store ORDER BY store_id",
            &[],
        )?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut out = Vec::new();
    for (id, name) in stores {
        out.push((name, verify(&mut town.client, id)?));
    }
    Ok(out)
}

/// The signatures whose signed head differs from the hash the township holds at that row.
fn heads_not_held(
    client: &mut postgres::Client,
    store_id: i32,
    table: &str,
    heads: &[(i64, String, i64)],
) -> Result<Vec<i64>> {
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let seqs: Vec<i64> = heads.iter().map(|(to, ..)| *to).collect();
    let sql = format!(
        "SELECT seq, hash FROM township.{table} WHERE store_id = $1 AND seq = ANY($2::bigint[])"
    );
    let held: HashMap<i64, String> = client
        .query(&sql, &[&store_id, &seqs])?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(heads
        .iter()
        .filter(|(to, head, _)| held.get(to).is_some_and(|h| h != head))
        .map(|(.., sig)| *sig)
        .collect())
}
