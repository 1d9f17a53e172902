//! A marked rollback at the push: every ledger whose history differs from the township's must
//! be explained by the store's restore record (its kept heads are rows the township holds),
//! or the push is a fork, recorded at the township, and nothing is taken.

use super::{RollbackTaken, Verdict, township_hash};
use crate::township::restore_record::{RESTORE_ACTION, RestoreRecord};
use crate::township::source::Source;
use crate::township::spec::Ledger;
use crate::township::{Result, Township, TownshipError};

/// A rollback the store's restore record explains.
pub(super) struct PlannedRollback {
    ledger: Ledger,
    kept_seq: i64,
    kept_hash: String,
    record_seq: i64,
    record_prev_hash: String,
    record_hash: String,
    record_detail: String,
}

/// Every diverged ledger must be explained by one restore record, or the push is a fork
/// (recorded at the township) and nothing is taken.
pub(super) fn plan_rollbacks(
    town: &mut Township,
    source: &Source<'_>,
    store_id: i32,
    verdicts: &[(Ledger, Verdict)],
) -> Result<Vec<PlannedRollback>> {
    let audit_first = verdicts.iter().find_map(|(l, v)| match v {
        Verdict::Diverged { first, .. } if *l == Ledger::AuditLog => Some(*first),
        _ => None,
    });
    let record = match audit_first {
        Some(first) => source
            .audit_row(first)?
            .filter(|row| row.action == RESTORE_ACTION)
            .and_then(|row| RestoreRecord::parse(&row.detail).map(|r| (row, r)))
            .filter(|(row, r)| r.kept[&Ledger::AuditLog].seq == row.seq - 1),
        None => None,
    };
    let mut planned = Vec::new();
    for (ledger, verdict) in verdicts {
        let Verdict::Diverged {
            first,
            held,
            offered,
            held_head,
            store_head,
        } = verdict
        else {
            continue;
        };
        let explained = record.as_ref().and_then(|(row, r)| {
            let kept = &r.kept[ledger];
            (kept.seq == first - 1).then(|| PlannedRollback {
                ledger: *ledger,
                kept_seq: kept.seq,
                kept_hash: kept.hash.clone(),
                record_seq: row.seq,
                record_prev_hash: row.prev_hash.clone(),
                record_hash: row.hash.clone(),
                record_detail: row.detail.clone(),
            })
        });
        match explained {
            Some(p)
                if township_hash(&mut town.client, store_id, *ledger, p.kept_seq)?
                    == p.kept_hash =>
            {
                planned.push(p)
            }
            _ => {
                town.client.execute(
                    "INSERT INTO township.fork_report (store_id, ledger, seq, held_hash, offered_hash)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[&store_id, &ledger.table(), first, held, offered],
                )?;
                return Err(match offered {
                    Some(offered) => TownshipError::Fork {
                        ledger: *ledger,
                        seq: *first,
                        held: held.clone(),
                        offered: offered.clone(),
                    },
                    None => TownshipError::Behind {
                        ledger: *ledger,
                        store_head: *store_head,
                        held_head: *held_head,
                    },
                });
            }
        }
    }
    Ok(planned)
}

/// All the rollbacks of one restore in one transaction: the township moves the rows after
/// each kept head aside (kept, never deleted) and the store's chain continues from there.
pub(super) fn take_rollbacks(
    town: &mut Township,
    store_id: i32,
    planned: &[PlannedRollback],
    signed: &[crate::township::signed::SignedRollback],
) -> Result<Vec<RollbackTaken>> {
    let mut tx = town.client.transaction()?;
    let mut taken = Vec::new();
    for p in planned {
        let (held_head, _) = {
            let sql = format!(
                "SELECT COALESCE(MAX(seq), 0), '' FROM township.{} WHERE store_id = $1",
                p.ledger.table()
            );
            let row = tx.query_one(&sql, &[&store_id])?;
            (row.get::<_, i64>(0), row.get::<_, String>(1))
        };
        tx.query_one(
            "SELECT township.accept_rollback($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)",
            &[
                &store_id,
                &p.ledger.table(),
                &p.kept_seq,
                &p.kept_hash,
                &p.record_seq,
                &p.record_prev_hash,
                &p.record_hash,
                &p.record_detail,
            ],
        )?;
        taken.push(RollbackTaken {
            ledger: p.ledger,
            kept_seq: p.kept_seq,
            rolled_to: held_head,
        });
    }
    // The signed record rolls back under the same restore record (the first ledger's: every
    // planned rollback carries the same one).
    if let Some(p) = planned.first() {
        for s in signed {
            tx.query_one(
                "SELECT township.accept_rollback($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)",
                &[
                    &store_id,
                    &s.table.table(),
                    &s.kept_seq,
                    &s.kept_hash,
                    &p.record_seq,
                    &p.record_prev_hash,
                    &p.record_hash,
                    &p.record_detail,
                ],
            )?;
        }
    }
    tx.commit()?;
    Ok(taken)
}
