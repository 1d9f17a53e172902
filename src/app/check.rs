//! `jifen check`: the database's own integrity, the ledgers' invariants, the signatures and
//! the signed state of every table that decides points.

use rust_i18n::t;

use super::Result;
use crate::store::Db;
use crate::store::check::{Fault, SigningSummary, run, run_with_summary};

pub fn check(db: &mut Db) -> Result<Vec<Fault>> {
    db.read(|tx| Ok(run(tx)?))
}

/// The faults and what the signatures say (where they begin, who holds which key).
pub fn check_with_summary(db: &mut Db) -> Result<(Vec<Fault>, SigningSummary)> {
    db.read(|tx| Ok(run_with_summary(tx)?))
}

fn table(name: &str) -> String {
    t!(format!("table.{name}")).into()
}

/// Words for the faults the signature checks find (the others are in `messages::fault`).
pub(crate) fn describe(f: &Fault) -> String {
    match f {
        Fault::SigningStartMissing => t!("fault.signing_start_missing").into(),
        Fault::AttestationBroken => t!("fault.attestation_broken").into(),
        Fault::Unsigned { table: name, id } => {
            t!("fault.unsigned", table = table(name), id = id).into()
        }
        Fault::WrongSigner { table: name, id } => {
            t!("fault.wrong_signer", table = table(name), id = id).into()
        }
        Fault::BadSignature { id } => t!("fault.bad_signature", id = id).into(),
        Fault::RowChanged { table: name, rowid } => {
            t!("fault.row_changed", table = table(name), id = rowid).into()
        }
        Fault::RowUnrecorded { table: name, rowid } => {
            t!("fault.row_unrecorded", table = table(name), id = rowid).into()
        }
        Fault::RowVanished { table: name, rowid } => {
            t!("fault.row_vanished", table = table(name), id = rowid).into()
        }
        other => super::messages::fault(other),
    }
}
