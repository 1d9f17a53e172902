//! The "verified up to here" mark (issues 15 and 23): the app's start-up check is the
//! incremental one, from the last signed mark; a passed check leaves a new mark, signed by the
//! staff member signed in or, when nobody is, by the next one to sign in.

use chrono::NaiveDateTime;

use super::{Actor, Result};
use crate::store::Db;
use crate::store::check::{Fault, SigningSummary};
use crate::store::check_mark::{self, Mark, Verified};

/// Which check ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Full,
    /// From this mark on.
    Incremental(Mark),
}

/// A check's faults, which check it was, and what it verified (to be signed if it passed).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub faults: Vec<Fault>,
    pub summary: SigningSummary,
    pub kind: Kind,
    pub verified: Verified,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.faults.is_empty()
    }
}

/// The incremental check from the last mark, or the full check when there is none yet.
pub fn check_incremental(db: &mut Db, now: NaiveDateTime) -> Result<Outcome> {
    let found = db.read(|tx| Ok::<_, super::Error>(check_mark::run_incremental(tx)?))?;
    match found {
        Some(found) => Ok(Outcome {
            faults: found.faults,
            summary: found.summary,
            kind: Kind::Incremental(found.mark),
            verified: Verified {
                heads: found.heads,
                full: false,
                checked_at: now,
            },
        }),
        None => check_full(db, now, &mut |_| {}),
    }
}

/// The full check, with the heads it verified.
pub fn check_full(
    db: &mut Db,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(crate::store::check::Step),
) -> Result<Outcome> {
    let (faults, summary, heads) =
        db.read(|tx| Ok::<_, super::Error>(crate::store::check::run_full_with(tx, progress)?))?;
    Ok(Outcome {
        faults,
        summary,
        kind: Kind::Full,
        verified: Verified {
            heads,
            full: true,
            checked_at: now,
        },
    })
}

/// Signs and records what a passed check verified, as `actor`. `None` when a row the heads
/// name changed in between (nothing is recorded; the next check starts from the older mark).
pub fn record_mark(
    db: &mut Db,
    actor: &Actor,
    verified: &Verified,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let (key_id, key) = actor.signing_key();
    db.write(|tx| {
        Ok::<_, super::Error>(check_mark::record(
            tx,
            (actor.id, key_id, key),
            verified,
            now,
        )?)
    })
}

/// After a passed check: signs its mark now if someone is signed in, or keeps it in the `Db`
/// for the next sign-in.
pub fn passed(
    db: &mut Db,
    actor: Option<&Actor>,
    verified: Verified,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    match actor {
        Some(actor) => record_mark(db, actor, &verified, now),
        None => {
            db.hold_verified(verified);
            Ok(None)
        }
    }
}

/// Called by `sign_in`: the heads a check verified before anyone signed in are signed by the
/// first one to sign in (as the first manager after an upgrade attests the older records).
pub(crate) fn sign_waiting(db: &mut Db, actor: &Actor, now: NaiveDateTime) -> Result<Option<i64>> {
    match db.take_verified() {
        Some(verified) => record_mark(db, actor, &verified, now),
        None => Ok(None),
    }
}
