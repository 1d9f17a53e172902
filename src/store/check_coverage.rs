//! Every ledger row after the verified heads lies in exactly one signature's span and names its
//! signer (an audit record with nobody signed in may lie outside); each span's head is its last
//! row. Read as a merge, the signatures in id order beside each chain's rows in id order,
//! holding only the row at hand (issue 23: holding five years' 364,000 signatures and their
//! spans took some 400 MB of the full check's memory).
//!
//! A signature is written in the transaction it signs, and transactions commit one at a time,
//! so each chain's spans only move forward; a span that starts at or before a row an earlier
//! span covered is a fault (`Unsigned` at its first row), as an overlap always was.

use rusqlite::{Connection, Statement};

use super::Result;
use super::check::Fault;
use crate::core::chain::Span;

/// One chain's rows after the verified head, in id order: `id, staff, hash`.
pub(super) fn rows_statement<'c>(conn: &'c Connection, table: &str) -> Result<Statement<'c>> {
    let staff_column = match table {
        "point_entry" | "stock_movement" | "audit_log" => "staff_id",
        _ => "NULL",
    };
    Ok(conn.prepare(&format!(
        "SELECT id, {staff_column}, hash FROM {table} WHERE id > ?1 ORDER BY id"
    ))?)
}

/// The coverage of one chain, judged span by span as the signatures are read.
pub(super) struct Coverage<'s> {
    table: &'static str,
    /// Rows up to here predate signatures (bound by the attestation instead).
    legacy_head: i64,
    rows: rusqlite::Rows<'s>,
    /// The next row not judged yet: id, staff, hash.
    next: Option<(i64, Option<i64>, String)>,
    /// The last row the spans so far cover.
    covered_to: i64,
    faults: Vec<Fault>,
}

impl<'s> Coverage<'s> {
    /// `statement` from [`rows_statement`] for `table`; `after` is the verified head.
    pub(super) fn new(
        table: &'static str,
        legacy_head: i64,
        after: i64,
        statement: &'s mut Statement<'_>,
    ) -> Result<Coverage<'s>> {
        let mut coverage = Coverage {
            table,
            legacy_head,
            rows: statement.query([after])?,
            next: None,
            covered_to: i64::MIN,
            faults: Vec::new(),
        };
        coverage.advance()?;
        Ok(coverage)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = match self.rows.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
            None => None,
        };
        Ok(())
    }

    /// A row no span covers.
    fn unsigned(&mut self, id: i64, staff: Option<i64>) {
        let outside_allowed =
            id <= self.legacy_head || (self.table == "audit_log" && staff.is_none());
        if !outside_allowed {
            self.faults.push(Fault::Unsigned {
                table: self.table,
                id,
            });
        }
    }

    /// The next signature's span of this chain (signatures in id order), signed by `signer`.
    pub(super) fn span(&mut self, span: &Span, signer: i64) -> Result<()> {
        let (Some(from), Some(to)) = (span.from, span.to) else {
            return Ok(());
        };
        if from <= self.covered_to {
            self.faults.push(Fault::Unsigned {
                table: self.table,
                id: from,
            });
        }
        while let Some((id, staff, _)) = &self.next {
            if *id >= from {
                break;
            }
            let (id, staff) = (*id, *staff);
            self.unsigned(id, staff);
            self.advance()?;
        }
        while let Some((id, staff, hash)) = &self.next {
            if *id > to {
                break;
            }
            if staff.is_some_and(|s| s != signer) {
                self.faults.push(Fault::WrongSigner {
                    table: self.table,
                    id: *id,
                });
            }
            if *id == to && span.head.as_deref() != Some(hash.as_str()) {
                self.faults.push(Fault::HashMismatch {
                    table: self.table,
                    id: *id,
                });
            }
            self.advance()?;
        }
        self.covered_to = self.covered_to.max(to);
        Ok(())
    }

    /// After the last signature: the rows no span reached; every fault of this chain.
    pub(super) fn finish(mut self) -> Result<Vec<Fault>> {
        while let Some((id, staff, _)) = self.next.take() {
            self.unsigned(id, staff);
            self.advance()?;
        }
        Ok(self.faults)
    }
}
