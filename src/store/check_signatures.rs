//! `check`'s half that needs no secret: every row written since signatures began is covered
//! by a transaction signature of the staff member it names, made with the key that member had
//! then (the staff key history), and every row of the signed tables is exactly as its last
//! signed change record says.

use std::collections::HashMap;

use ed25519_dalek::VerifyingKey;
use rusqlite::{Connection, OptionalExtension};

use super::Result;
use super::check::{Fault, Heads};
use super::check_coverage;
use super::keys::{fingerprint, parse_public};
use super::records::{SIGNED_TABLES, hash_row, legacy_heads_hash};
use crate::core::chain::{GENESIS, SIGNED_CHAINS, Span, change_hash, key_hash};

/// What `check` says about the signatures besides faults.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SigningSummary {
    /// The first points, stock and audit entries that must be signed (earlier ones predate
    /// signatures and are bound by the attestation).
    pub signed_from: [i64; 3],
    pub attested_by: Option<i64>,
    pub signatures: usize,
    /// Each staff member's current key: (staff id, fingerprint).
    pub keys: Vec<(i64, String)>,
    /// Audited restores: what each one rolled back.
    pub rollbacks: Vec<Rollback>,
}

/// One audited restore, as its record in the audit log names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rollback {
    pub audit_id: i64,
    pub at: String,
    pub staff: Option<i64>,
    pub reason: String,
    /// Points entries of the replaced store that are no longer here: [from, to].
    pub points: Option<[i64; 2]>,
    pub stock: Option<[i64; 2]>,
    pub lost_redemptions: i64,
    pub continue_after: Option<String>,
}

fn read_rollbacks(conn: &Connection) -> Result<Vec<Rollback>> {
    let mut stmt = conn.prepare(
        "SELECT id, created_at, staff_id, detail FROM audit_log WHERE action = 'restore' ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (audit_id, at, staff, detail) = row?;
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
        let pair = |v: &serde_json::Value| -> Option<[i64; 2]> {
            Some([v.get(0)?.as_i64()?, v.get(1)?.as_i64()?])
        };
        out.push(Rollback {
            audit_id,
            at,
            staff,
            reason: detail["reason"].as_str().unwrap_or_default().to_string(),
            points: pair(&detail["rolled_back"]["points"]),
            stock: pair(&detail["rolled_back"]["stock"]),
            lost_redemptions: detail["lost_redemptions"].as_i64().unwrap_or(0),
            continue_after: detail["continue_after"].as_str().map(str::to_string),
        });
    }
    Ok(out)
}

pub(super) struct Start {
    heads: [i64; 3],
    pub(super) staff_head: i64,
    attested_by: Option<i64>,
    heads_hash: Option<String>,
}

pub(super) struct StoredSignature {
    pub(super) id: i64,
    pub(super) staff: i64,
    pub(super) key_id: i64,
    pub(super) spans: [Span; 5],
    pub(super) signature: String,
}

pub(super) struct KeyRow {
    pub(super) staff: i64,
    pub(super) public: Option<VerifyingKey>,
}

fn read_start(conn: &Connection) -> Result<Option<Start>> {
    Ok(conn
        .query_row(
            "SELECT points_head, stock_head, audit_head, staff_head, attested_by, heads_hash
             FROM signing_start WHERE id = 1",
            [],
            |r| {
                Ok(Start {
                    heads: [r.get(0)?, r.get(1)?, r.get(2)?],
                    staff_head: r.get(3)?,
                    attested_by: r.get(4)?,
                    heads_hash: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Each signature after `after`, in id order, and before it only those that gave out keys (which key each
/// member holds is needed to judge the new ones; `INDEXED BY` keeps SQLite on the small partial
/// index of those, which it would otherwise pass over for a walk of every earlier signature).
fn for_each_signature(
    conn: &Connection,
    after: i64,
    mut each: impl FnMut(StoredSignature) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, staff_id, key_id, points_from, points_to, points_head, stock_from, stock_to,
                stock_head, audit_from, audit_to, audit_head, changes_from, changes_to,
                changes_head, keys_from, keys_to, keys_head, signature
         FROM txn_signature WHERE id > ?1
         UNION ALL
         SELECT id, staff_id, key_id, points_from, points_to, points_head, stock_from, stock_to,
                stock_head, audit_from, audit_to, audit_head, changes_from, changes_to,
                changes_head, keys_from, keys_to, keys_head, signature
         FROM txn_signature INDEXED BY txn_signature_giving_keys
         WHERE keys_from IS NOT NULL AND id <= ?1
         ORDER BY id",
    )?;
    let mut rows = stmt.query([after])?;
    while let Some(r) = rows.next()? {
        let span = |i: usize| -> rusqlite::Result<Span> {
            Ok(Span {
                from: r.get(i)?,
                to: r.get(i + 1)?,
                head: r.get(i + 2)?,
            })
        };
        each(StoredSignature {
            id: r.get(0)?,
            staff: r.get(1)?,
            key_id: r.get(2)?,
            spans: [span(3)?, span(6)?, span(9)?, span(12)?, span(15)?],
            signature: r.get(18)?,
        })?;
    }
    Ok(())
}

fn read_keys(conn: &Connection, faults: &mut Vec<Fault>) -> Result<HashMap<i64, KeyRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, staff_id, public_key, reason, created_at, prev_hash, hash FROM staff_key ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut keys = HashMap::new();
    while let Some(r) = rows.next()? {
        let (id, staff, public): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (reason, created, prev_hash, hash): (String, String, String, String) =
            (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
        if prev_hash != prev {
            faults.push(Fault::BrokenChain {
                table: "staff_key",
                id,
            });
        }
        if hash != key_hash(&prev_hash, staff, &public, &reason, &created) {
            faults.push(Fault::HashMismatch {
                table: "staff_key",
                id,
            });
        }
        prev = hash;
        keys.insert(
            id,
            KeyRow {
                staff,
                public: parse_public(&public),
            },
        );
    }
    Ok(keys)
}

/// Runs the signature checks, adding what it finds to `faults`: of everything, or (`after`, an
/// incremental check) of what came after a verified mark's heads.
pub fn run(
    conn: &Connection,
    after: Option<&Heads>,
    faults: &mut Vec<Fault>,
) -> Result<SigningSummary> {
    let Some(start) = read_start(conn)? else {
        faults.push(Fault::SigningStartMissing);
        return Ok(SigningSummary::default());
    };
    if start.attested_by.is_some()
        && start.heads_hash.as_deref() != Some(legacy_heads_hash(conn)?.as_str())
    {
        faults.push(Fault::AttestationBroken);
    }
    let full = Heads::default();
    let heads = after.unwrap_or(&full);
    let keys = read_keys(conn, faults)?;
    check_change_chain(conn, heads.of("record_change"), faults)?;
    let verified = heads.id("txn_signature");
    // One pass over the signatures: each chain's coverage and the signatures themselves,
    // judged as they are read (`check_coverage`, `check_batch`), never all held at once.
    let legacy = [start.heads[0], start.heads[1], start.heads[2], 0, 0];
    let mut statements = SIGNED_CHAINS
        .iter()
        .map(|table| check_coverage::rows_statement(conn, table))
        .collect::<Result<Vec<_>>>()?;
    let mut coverage = SIGNED_CHAINS
        .iter()
        .zip(legacy)
        .zip(statements.iter_mut())
        .map(|((table, legacy), statement)| {
            check_coverage::Coverage::new(table, legacy, heads.id(table), statement)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut verifier = super::check_batch::Verifier::new(conn, &start, &keys, verified)?;
    for_each_signature(conn, verified, |signature| {
        if signature.id > verified {
            for (chain, span) in coverage.iter_mut().zip(&signature.spans) {
                chain.span(span, signature.staff)?;
            }
        }
        verifier.add(signature);
        Ok(())
    })?;
    for chain in coverage {
        faults.extend(chain.finish()?);
    }
    let current = verifier.finish(faults);
    match after {
        None => check_rows(conn, start.attested_by.is_some(), faults)?,
        Some(heads) => {
            check_rows_since(conn, heads.id("record_change"), faults)?;
            if start.attested_by.is_some() {
                super::check_mark::new_rows_recorded(conn, heads, faults)?;
            }
        }
    }
    let mut summary_keys: Vec<(i64, String)> = current
        .iter()
        .filter_map(|(staff, key_id)| {
            let key = keys.get(key_id)?.public.as_ref()?;
            Some((*staff, fingerprint(key)))
        })
        .collect();
    summary_keys.sort();
    // Counting every row is a scan; after a mark the last id says as much (ids only grow).
    let count_sql = match after {
        None => "SELECT COUNT(*) FROM txn_signature",
        Some(_) => "SELECT COALESCE(MAX(id), 0) FROM txn_signature",
    };
    let count: i64 = conn.query_row(count_sql, [], |r| r.get(0))?;
    Ok(SigningSummary {
        signed_from: [start.heads[0] + 1, start.heads[1] + 1, start.heads[2] + 1],
        attested_by: start.attested_by,
        signatures: count as usize,
        keys: summary_keys,
        rollbacks: read_rollbacks(conn)?,
    })
}

fn check_change_chain(
    conn: &Connection,
    (after, mut prev): (i64, String),
    faults: &mut Vec<Fault>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, table_name, row_id, state_hash, prev_hash, hash FROM record_change
         WHERE id > ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([after])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (table, row_id, state): (String, i64, Option<String>) =
            (r.get(1)?, r.get(2)?, r.get(3)?);
        let (prev_hash, hash): (String, String) = (r.get(4)?, r.get(5)?);
        if prev_hash != prev {
            faults.push(Fault::BrokenChain {
                table: "record_change",
                id,
            });
        }
        if hash != change_hash(&prev_hash, &table, row_id, &state) {
            faults.push(Fault::HashMismatch {
                table: "record_change",
                id,
            });
        }
        prev = hash;
    }
    Ok(())
}

/// Each row changed since the verified head against its last recorded state (rows added
/// since with no record at all are `check_mark::new_rows_recorded`'s).
fn check_rows_since(conn: &Connection, after: i64, faults: &mut Vec<Fault>) -> Result<()> {
    // NOT INDEXED: for the DISTINCT SQLite otherwise scans the whole covering index by row
    // (80 ms on five years) instead of the id range after the head (under 1 ms).
    let mut stmt = conn.prepare(
        "SELECT DISTINCT table_name, row_id FROM record_change NOT INDEXED WHERE id > ?1
         ORDER BY table_name, row_id",
    )?;
    let changed: Vec<(String, i64)> = stmt
        .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, rowid) in changed {
        let Some(table) = SIGNED_TABLES.iter().copied().find(|t| *t == name) else {
            continue;
        };
        let last: Option<String> = conn
            .prepare_cached(
                "SELECT state_hash FROM record_change WHERE table_name = ?1 AND row_id = ?2
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![table, rowid], |r| r.get(0))?;
        let live = super::records::row_state(conn, table, rowid)?;
        match (last, live) {
            (Some(last), Some(live)) if last != live => {
                faults.push(Fault::RowChanged { table, rowid })
            }
            (Some(_), None) => faults.push(Fault::RowVanished { table, rowid }),
            (None, Some(_)) => faults.push(Fault::RowChanged { table, rowid }),
            _ => {}
        }
    }
    Ok(())
}

/// Each live row of a signed table against its last recorded state, merged in rowid order as
/// both are read: nothing is held but the row at hand (five years hold 1.2 M scores; holding
/// their states took 200 MB, issue 23).
fn check_rows(conn: &Connection, attested: bool, faults: &mut Vec<Fault>) -> Result<()> {
    for table in SIGNED_TABLES {
        let mut recorded_stmt = conn.prepare_cached(
            "SELECT row_id, state_hash FROM record_change WHERE table_name = ?1 ORDER BY row_id, id",
        )?;
        let mut recorded = LastStates {
            rows: recorded_stmt.query([table])?,
            pending: None,
        };
        let sql = format!("SELECT rowid, * FROM \"{table}\" ORDER BY rowid");
        let mut stmt = conn.prepare(&sql)?;
        let names: Vec<String> = stmt
            .column_names()
            .iter()
            .skip(1)
            .map(|s| s.to_string())
            .collect();
        let mut rows = stmt.query([])?;
        let mut next_recorded = recorded.next()?;
        while let Some(r) = rows.next()? {
            let rowid: i64 = r.get(0)?;
            let state = hash_live(table, &names, r)?;
            // Recorded rows before this one that are no longer here.
            while let Some((gone, last)) = next_recorded.take_if(|(id, _)| *id < rowid) {
                if last.is_some() {
                    faults.push(Fault::RowVanished { table, rowid: gone });
                }
                next_recorded = recorded.next()?;
            }
            match next_recorded.take_if(|(id, _)| *id == rowid) {
                Some((_, last)) => {
                    if last.as_ref() != Some(&state) {
                        faults.push(Fault::RowChanged { table, rowid });
                    }
                    next_recorded = recorded.next()?;
                }
                None if attested => faults.push(Fault::RowUnrecorded { table, rowid }),
                None => {}
            }
        }
        while let Some((gone, last)) = next_recorded {
            if last.is_some() {
                faults.push(Fault::RowVanished { table, rowid: gone });
            }
            next_recorded = recorded.next()?;
        }
    }
    Ok(())
}

/// The live query has the rowid first, then the table's columns.
fn hash_live(table: &str, names: &[String], row: &rusqlite::Row<'_>) -> Result<String> {
    hash_row(table, names, row, 1)
}

/// One table's change records in row order, read as they are needed: each row's last recorded
/// state (`None` when its last record says it was deleted).
struct LastStates<'s> {
    rows: rusqlite::Rows<'s>,
    /// The first record of the next row, read while looking for the end of this one.
    pending: Option<(i64, Option<String>)>,
}

impl LastStates<'_> {
    fn next(&mut self) -> Result<Option<(i64, Option<String>)>> {
        let mut current = self.pending.take();
        while let Some(r) = self.rows.next()? {
            let (row_id, state): (i64, Option<String>) = (r.get(0)?, r.get(1)?);
            match &mut current {
                Some((id, last)) if *id == row_id => *last = state,
                Some(_) => {
                    self.pending = Some((row_id, state));
                    return Ok(current);
                }
                None => current = Some((row_id, state)),
            }
        }
        Ok(current)
    }
}
