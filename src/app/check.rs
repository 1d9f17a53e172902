//! `jifen check`: the database's own integrity and the ledgers' invariants.

use super::Result;
use crate::store::Db;
use crate::store::check::{Fault, run};

pub fn check(db: &mut Db) -> Result<Vec<Fault>> {
    db.read(|tx| Ok(run(tx)?))
}
