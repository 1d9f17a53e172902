//! Witness codes (issue 15): a short code printed on every receipt that names the last points
//! entry and stock movement the store had then and a few characters of their hashes. Because
//! each hash chains over every row before it, `check --witness CODE` proves the store still
//! holds exactly the history the paper saw; a rewritten history fails it even when the chain
//! was recomputed (and even when it predates signatures).

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use crate::core::chain::{Witness, witness_code};

fn hash_at(conn: &Connection, table: &str, id: i64) -> Result<Option<String>> {
    if id == 0 {
        return Ok(Some(crate::core::chain::GENESIS.to_string()));
    }
    Ok(conn
        .prepare_cached(&format!("SELECT hash FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The code for the given heads, `None` if a head is not in the store (rolled back or cut).
pub fn code_at(conn: &Connection, points_id: i64, stock_id: i64) -> Result<Option<String>> {
    let (Some(p), Some(s)) = (
        hash_at(conn, "point_entry", points_id)?,
        hash_at(conn, "stock_movement", stock_id)?,
    ) else {
        return Ok(None);
    };
    Ok(Some(witness_code(points_id, &p, stock_id, &s)))
}

/// The store's witness now: its last points entry and stock movement.
pub fn current(conn: &Connection) -> Result<String> {
    let p: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM point_entry")?
        .query_row([], |r| r.get(0))?;
    let s: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM stock_movement")?
        .query_row([], |r| r.get(0))?;
    Ok(code_at(conn, p, s)?.unwrap_or_default())
}

/// A receipt's witness: its own debit entry, and the last stock movement at its commit.
pub fn for_redemption(conn: &Connection, redemption_id: i64) -> Result<Option<String>> {
    let heads: Option<(i64, i64)> = conn
        .prepare_cached("SELECT p.id, COALESCE((SELECT MAX(m.id) FROM stock_movement m WHERE m.redemption_id = r.id),
                                   (SELECT MAX(m.id) FROM stock_movement m WHERE m.created_at <= r.created_at), 0)
             FROM redemption r JOIN point_entry p ON p.redemption_id = r.id AND p.kind = 'redemption_debit'
             WHERE r.id = ?1 ORDER BY p.id LIMIT 1")?.query_row([redemption_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match heads {
        Some((p, s)) => code_at(conn, p, s),
        None => Ok(None),
    }
}

/// What `check --witness` found for one code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// The store holds exactly the history the code saw.
    Holds,
    /// The history up to these heads was rewritten: points entries 1–P or stock movements 1–S.
    Rewritten { points_to: i64, stock_to: i64 },
    /// Entries the code saw are no longer in the store (a rollback or a cut-off end).
    Missing { points_to: i64, stock_to: i64 },
    /// Not a witness code.
    Malformed,
}

pub fn verify(conn: &Connection, code: &str) -> Result<Verdict> {
    let Some(Witness {
        points_id,
        stock_id,
        ..
    }) = Witness::parse(code)
    else {
        return Ok(Verdict::Malformed);
    };
    Ok(match code_at(conn, points_id, stock_id)? {
        None => Verdict::Missing {
            points_to: points_id,
            stock_to: stock_id,
        },
        Some(now) if now.eq_ignore_ascii_case(code.trim()) => Verdict::Holds,
        Some(_) => Verdict::Rewritten {
            points_to: points_id,
            stock_to: stock_id,
        },
    })
}
