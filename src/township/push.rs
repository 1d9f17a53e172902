//! The push: what the township does not hold yet goes over in batches, one PostgreSQL
//! transaction each, after every ledger's chain has been compared with the township's copy.
//!
//! - A store whose rows match the township's continue from the township's head: a second
//!   push sends nothing, a killed push resumes where its last committed batch ended.
//! - A store whose history differs from the township's (a row rewritten, an older file copied
//!   back and written again) is a fork: the first differing entry is named, recorded at the
//!   township, and nothing of the push is taken.
//! - A store restored by an audited restore (its first new audit record is a restore record
//!   whose kept heads are rows the township holds) is a marked rollback: the township keeps
//!   the rolled-back rows aside and takes the store's new rows after the kept heads.
//!
//! The server checks the chain again on every row (a trigger), whoever connects.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::source::{Source, StoreIdentity};
use super::spec::{Ledger, Signed};
use super::{Result, Township, TownshipError};
use crate::core::chain::GENESIS;

mod rollback;
mod rows;

use rollback::{plan_rollbacks, take_rollbacks};
use rows::insert_rows;
pub(super) use rows::{insert_table_rows, int_at};

/// Rows per transaction unless told otherwise: big enough to be quick, small enough that a
/// broken line loses little.
pub const DEFAULT_BATCH_ROWS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Push,
    Ingest,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Push => "push",
            Via::Ingest => "ingest",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PushOptions {
    pub batch_rows: usize,
    pub via: Via,
}

impl PushOptions {
    pub fn new(via: Via) -> Self {
        PushOptions {
            batch_rows: DEFAULT_BATCH_ROWS,
            via,
        }
    }
}

/// After each committed batch: which ledger, how far (rows the township now holds), of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub ledger: Option<Ledger>,
    pub done: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollbackTaken {
    pub ledger: Ledger,
    pub kept_seq: i64,
    pub rolled_to: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushOutcome {
    pub store: String,
    pub added: BTreeMap<Ledger, i64>,
    pub masters_added: i64,
    /// Rows of the signed record (keys, change records, signatures) added.
    pub signed_added: BTreeMap<Signed, i64>,
    pub rollbacks: Vec<RollbackTaken>,
    /// Every ledger's head at the township after the push.
    pub heads: BTreeMap<Ledger, i64>,
}

impl PushOutcome {
    pub fn rows_added(&self) -> i64 {
        self.added.values().sum::<i64>()
            + self.masters_added
            + self.signed_added.values().sum::<i64>()
    }
}

/// How a ledger at the store relates to the township's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// Same history; the township holds rows up to `held`.
    Continue { held: i64 },
    /// The histories differ from `first` on: `offered` is the store's row there, `None` when
    /// the store has fewer rows than the township.
    Diverged {
        first: i64,
        held: String,
        offered: Option<String>,
        held_head: i64,
        store_head: i64,
    },
}

/// Pushes (or ingests) `source` into the township, reporting `progress` after each batch.
pub fn push(
    town: &mut Township,
    source: &Source<'_>,
    options: PushOptions,
    mut progress: impl FnMut(Progress),
) -> Result<PushOutcome> {
    let identity = source.identity()?;
    let store_id = target_store(town, &identity)?;
    let mut verdicts = Vec::new();
    for ledger in Ledger::ALL {
        verdicts.push((ledger, compare(town, source, store_id, ledger)?));
    }
    let rollbacks = plan_rollbacks(town, source, store_id, &verdicts)?;
    let signed_rollbacks = super::signed::plan(town, source, store_id, !rollbacks.is_empty())?;
    let mut outcome = PushOutcome {
        store: identity.name.clone(),
        added: BTreeMap::new(),
        masters_added: 0,
        signed_added: BTreeMap::new(),
        rollbacks: Vec::new(),
        heads: BTreeMap::new(),
    };
    if !rollbacks.is_empty() {
        outcome.rollbacks = take_rollbacks(town, store_id, &rollbacks, &signed_rollbacks)?;
    }
    outcome.masters_added = push_masters(town, source, store_id, options.batch_rows)?;
    progress(Progress {
        ledger: None,
        done: outcome.masters_added,
        total: outcome.masters_added,
    });
    for ledger in Ledger::ALL {
        let (held, _) = township_head(&mut town.client, store_id, ledger)?;
        let total = source.head(ledger)?;
        let mut after = held;
        loop {
            let rows = source.rows(ledger, after, options.batch_rows)?;
            let Some(last) = rows.last() else { break };
            let last_seq = int_at(last, 0).unwrap_or(after);
            let mut tx = town.client.transaction()?;
            insert_rows(&mut tx, store_id, ledger, &rows)?;
            tx.commit()?;
            *outcome.added.entry(ledger).or_default() += rows.len() as i64;
            after = last_seq;
            progress(Progress {
                ledger: Some(ledger),
                done: after,
                total,
            });
        }
        outcome.heads.insert(ledger, after);
    }
    outcome.signed_added = super::signed::push_rows(town, source, store_id, options.batch_rows)?;
    let heads = serde_json::to_string(&outcome.heads).unwrap_or_default();
    town.client.execute(
        "INSERT INTO township.push_log (store_id, via, rows_added, heads) VALUES ($1, $2, $3, $4::text::jsonb)",
        &[&store_id, &options.via.as_str(), &outcome.rows_added(), &heads],
    )?;
    Ok(outcome)
}

/// The township's store for these rows: a store login's own (bound to the file's store code
/// at its first push), or, for the township's owner, the enrolled store the file names.
fn target_store(town: &mut Township, identity: &StoreIdentity) -> Result<i32> {
    let code = identity.store_code as i32;
    let row = match town.store_id {
        Some(id) => town.client.query_opt(
            "SELECT store_id, name, store_code FROM township.store WHERE store_id = $1",
            &[&id],
        )?,
        None => town.client.query_opt(
            "SELECT store_id, name, store_code FROM township.store
             WHERE store_code = $1 OR (store_code IS NULL AND (name = $2 OR store_name = $2))
             ORDER BY store_code NULLS LAST LIMIT 1",
            &[&code, &identity.name],
        )?,
    };
    let Some(row) = row else {
        return Err(TownshipError::NotEnrolled);
    };
    let (store_id, name, bound): (i32, String, Option<i32>) = (row.get(0), row.get(1), row.get(2));
    match bound {
        Some(bound) if bound != code => Err(TownshipError::WrongStore {
            enrolled: name,
            file: format!("{} ({})", identity.name, identity.store_code),
        }),
        Some(_) => Ok(store_id),
        None => {
            town.client.execute(
                "UPDATE township.store SET store_code = $2, store_name = $3 WHERE store_id = $1",
                &[&store_id, &code, &identity.name],
            )?;
            Ok(store_id)
        }
    }
}

fn township_head(
    client: &mut postgres::Client,
    store_id: i32,
    ledger: Ledger,
) -> Result<(i64, String)> {
    let sql = format!(
        "SELECT seq, hash FROM township.{} WHERE store_id = $1 ORDER BY seq DESC LIMIT 1",
        ledger.table()
    );
    Ok(match client.query_opt(&sql, &[&store_id])? {
        Some(row) => (row.get(0), row.get(1)),
        None => (0, GENESIS.to_string()),
    })
}

fn township_hash(
    client: &mut postgres::Client,
    store_id: i32,
    ledger: Ledger,
    seq: i64,
) -> Result<String> {
    if seq == 0 {
        return Ok(GENESIS.to_string());
    }
    let sql = format!(
        "SELECT hash FROM township.{} WHERE store_id = $1 AND seq = $2",
        ledger.table()
    );
    Ok(client
        .query_opt(&sql, &[&store_id, &seq])?
        .map(|r| r.get(0))
        .unwrap_or_default())
}

/// Compares one ledger. Each hash covers every row before it, so where one row's hash
/// agrees all earlier rows agree: a binary search finds the first differing entry.
fn compare(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    ledger: Ledger,
) -> Result<Verdict> {
    let (held_head, held_hash) = township_head(&mut town.client, store_id, ledger)?;
    let store_head = source.head(ledger)?;
    if held_head == 0 {
        return Ok(Verdict::Continue { held: 0 });
    }
    if store_head >= held_head
        && source.hash_at(ledger, held_head)?.as_deref() == Some(held_hash.as_str())
    {
        return Ok(Verdict::Continue { held: held_head });
    }
    let (mut same, mut differs) = (0_i64, held_head.min(store_head) + 1);
    while differs - same > 1 {
        let mid = same + (differs - same) / 2;
        let ours = source.hash_at(ledger, mid)?;
        if ours.as_deref() == Some(township_hash(&mut town.client, store_id, ledger, mid)?.as_str())
        {
            same = mid;
        } else {
            differs = mid;
        }
    }
    let first = same + 1;
    Ok(Verdict::Diverged {
        first,
        held: township_hash(&mut town.client, store_id, ledger, first)?,
        offered: source.hash_at(ledger, first)?,
        held_head,
        store_head,
    })
}

/// Master records whose content changed since the township's latest version, as new
/// versions, in batches.
fn push_masters(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    batch_rows: usize,
) -> Result<i64> {
    let held: HashMap<(String, String), (i32, String)> = town
        .client
        .query(
            "SELECT kind, key, version, body_hash FROM township.master_current WHERE store_id = $1",
            &[&store_id],
        )?
        .into_iter()
        .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3))))
        .collect();
    let mut changed = Vec::new();
    for record in source.masters()? {
        let hash = record.body_hash();
        let version = match held.get(&(record.kind.to_string(), record.key.clone())) {
            Some((_, held_hash)) if *held_hash == hash => continue,
            Some((version, _)) => version + 1,
            None => 1,
        };
        changed.push((record, version, hash));
    }
    for chunk in changed.chunks(batch_rows.max(1)) {
        let kinds: Vec<&str> = chunk.iter().map(|(r, _, _)| r.kind).collect();
        let keys: Vec<&str> = chunk.iter().map(|(r, _, _)| r.key.as_str()).collect();
        let versions: Vec<i32> = chunk.iter().map(|(_, v, _)| *v).collect();
        let bodies: Vec<&str> = chunk.iter().map(|(r, _, _)| r.body.as_str()).collect();
        let hashes: Vec<&str> = chunk.iter().map(|(_, _, h)| h.as_str()).collect();
        let mut tx = town.client.transaction()?;
        tx.execute(
            "INSERT INTO township.master_row (store_id, kind, key, version, body, body_hash)
             SELECT $1, k, y, v, b::jsonb, h FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
                 AS u(k, y, v, b, h)",
            &[&store_id, &kinds, &keys, &versions, &bodies, &hashes],
        )?;
        tx.commit()?;
    }
    Ok(changed.len() as i64)
}
