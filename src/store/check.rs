//! The integrity checks behind `jifen check` and the start-up check: SQLite's own checks, then
//! the ledgers recomputed from scratch — chains, running totals, and redemptions against them.

use std::collections::HashMap;

use rusqlite::Connection;

use super::Result;
pub use super::check_mark::Heads;
pub use super::check_signatures::SigningSummary;
use super::ledger::{
    for_each_audit_record_after, for_each_point_entry_after, for_each_stock_movement_after,
};

/// One thing found wrong, naming where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Integrity(String),
    ForeignKey {
        table: String,
        rowid: i64,
    },
    /// A row that cannot even be read back (a malformed value written behind the app's back).
    Unreadable {
        table: &'static str,
        detail: String,
    },
    BrokenChain {
        table: &'static str,
        id: i64,
    },
    HashMismatch {
        table: &'static str,
        id: i64,
    },
    RunningTotal {
        table: &'static str,
        id: i64,
        expected: i64,
        found: i64,
    },
    Negative {
        table: &'static str,
        id: i64,
    },
    RedemptionMismatch {
        receipt_no: String,
    },
    ReceiptGap {
        year: i32,
        missing: i64,
    },
    /// The scoring register (issue 20): see `register_check`.
    Register(super::register_check::RegisterFault),
    /// The marker of where signatures begin is gone.
    SigningStartMissing,
    /// The rows written before signatures are not the ones the first manager attested.
    AttestationBroken,
    /// A row written since signatures began that no signature covers: made outside the app.
    Unsigned {
        table: &'static str,
        id: i64,
    },
    /// A row inside a signature's span that names another staff member than the signer.
    WrongSigner {
        table: &'static str,
        id: i64,
    },
    /// A transaction signature that does not verify with the key its signer had then.
    BadSignature {
        id: i64,
    },
    /// A row of a signed table that differs from its last signed state.
    RowChanged {
        table: &'static str,
        rowid: i64,
    },
    /// A row of a signed table with no signed state at all: added outside the app.
    RowUnrecorded {
        table: &'static str,
        rowid: i64,
    },
    /// A row the signed record has but the table no longer does: deleted outside the app.
    RowVanished {
        table: &'static str,
        rowid: i64,
    },
    /// A fact derived from other records that does not follow from them (`check_derived`).
    Derived(super::check_derived::DerivedFault),
    /// The "verified up to here" mark itself does not hold (`check_mark`).
    Mark(super::check_mark::MarkFault),
    /// One supplier's invoice number on more than one purchase (issue 18).
    DuplicateInvoice {
        supplier: String,
        invoice_no: String,
        purchases: String,
    },
}

/// Runs every check; an empty list means the store is sound.
pub fn run(conn: &Connection) -> Result<Vec<Fault>> {
    Ok(run_with_summary(conn)?.0)
}

/// Runs every check and says where signatures begin and who holds which key.
pub fn run_with_summary(conn: &Connection) -> Result<(Vec<Fault>, SigningSummary)> {
    let (faults, summary, _) = run_full(conn)?;
    Ok((faults, summary))
}

/// The full check, and the heads it verified (for the "verified up to here" mark).
pub fn run_full(conn: &Connection) -> Result<(Vec<Fault>, SigningSummary, Heads)> {
    run_full_with(conn, &mut |_| {})
}

/// The full check, saying which step it is at (`progress` gets a step's name as it starts).
pub fn run_full_with(
    conn: &Connection,
    progress: &mut dyn FnMut(Step),
) -> Result<(Vec<Fault>, SigningSummary, Heads)> {
    let heads = super::check_mark::current(conn)?;
    progress(Step::File);
    let path = conn
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from);
    let Some(path) = path else {
        return run_in_turn(conn, heads, progress);
    };
    // Both cores: SQLite's page checks and the signatures on a second connection of their
    // own, the ledgers on this one. The two read transactions may begin on either side of a
    // write; the other side's heads say so, and then the signatures are checked again here.
    // Reading the whole file through memory-mapped I/O spares a copy of every page into
    // SQLite's cache (a tenth of the check's time went to those copies); only for the check.
    let _ = conn.pragma_update(None, "mmap_size", MMAP_SIZE);
    let (side, mut faults) = std::thread::scope(|scope| {
        let side = scope.spawn(|| side_checks(&path));
        let mut faults = Vec::new();
        let ledgers = ledger_checks(conn, &Heads::default(), progress, &mut faults);
        progress(Step::Signatures);
        let side = side
            .join()
            .unwrap_or_else(|_| Err(super::StoreError::Invariant("check thread panicked".into())));
        (side.map(|side| (side, ledgers)), faults)
    });
    let _ = conn.pragma_update(None, "mmap_size", 0);
    // A file the second connection cannot even open or read: everything again, in turn, on
    // this one (its page checks then say what is wrong).
    let Ok(((file, signatures, summary, side_heads), ledgers)) = side else {
        return run_in_turn(conn, heads, &mut |_| {});
    };
    if !file.is_empty() {
        // The file itself is damaged: what the other checks read may be garbage.
        return Ok((file, SigningSummary::default(), heads));
    }
    ledgers?;
    if side_heads == heads {
        faults.extend(signatures);
        return Ok((faults, summary, heads));
    }
    let summary = super::check_signatures::run(conn, None, &mut faults)?;
    Ok((faults, summary, heads))
}

/// The page checks and the signatures, on a connection of their own: the file's faults, the
/// signatures' faults and summary, and the heads that connection saw.
fn side_checks(path: &std::path::Path) -> Result<(Vec<Fault>, Vec<Fault>, SigningSummary, Heads)> {
    let mut db = super::Db::open(path)?;
    db.connection()
        .pragma_update(None, "mmap_size", MMAP_SIZE)?;
    db.read(|tx| {
        let heads = super::check_mark::current(tx)?;
        let mut file = Vec::new();
        sqlite_checks(tx, &mut file)?;
        let mut faults = Vec::new();
        let summary = if file.is_empty() {
            super::check_signatures::run(tx, None, &mut faults)?
        } else {
            SigningSummary::default()
        };
        Ok((file, faults, summary, heads))
    })
}

/// How much of the file the check maps into memory (SQLite caps it at its compile-time limit).
const MMAP_SIZE: i64 = 1 << 32;

/// The same checks one after the other (a store with no file of its own).
fn run_in_turn(
    conn: &Connection,
    heads: Heads,
    progress: &mut dyn FnMut(Step),
) -> Result<(Vec<Fault>, SigningSummary, Heads)> {
    let mut faults = Vec::new();
    sqlite_checks(conn, &mut faults)?;
    if !faults.is_empty() {
        // The file itself is damaged: what follows would read garbage.
        return Ok((faults, SigningSummary::default(), heads));
    }
    ledger_checks(conn, &Heads::default(), progress, &mut faults)?;
    progress(Step::Signatures);
    let summary = super::check_signatures::run(conn, None, &mut faults)?;
    Ok((faults, summary, heads))
}

/// The steps of a check, in order, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    File,
    Points,
    Stock,
    Redemptions,
    Register,
    Derived,
    Signatures,
}

impl Step {
    pub const COUNT: u64 = 7;
    pub fn index(self) -> u64 {
        self as u64
    }
}

/// The ledger checks of every entry after `after` (all of them from `Heads::default()`).
pub(super) fn ledger_checks(
    conn: &Connection,
    after: &Heads,
    progress: &mut dyn FnMut(Step),
    faults: &mut Vec<Fault>,
) -> Result<()> {
    progress(Step::Points);
    check_points(conn, after, faults)?;
    check_audit(conn, after, faults)?;
    progress(Step::Stock);
    check_stock(conn, after, faults)?;
    progress(Step::Redemptions);
    super::check_ties::check_redemptions(conn, after, faults)?;
    super::check_ties::check_returns(conn, after, faults)?;
    super::check_ties::check_owners(conn, after, faults)?;
    super::check_ties::check_receipt_numbers(conn, after, faults)?;
    progress(Step::Register);
    super::register_check::check_register_into(conn, after, faults)?;
    super::check_invoices::duplicate_invoices(conn, faults)?;
    super::transfers::check_transfers(conn, faults)?;
    progress(Step::Derived);
    let since = super::check_derived::Since {
        point_entry: after.id("point_entry"),
        redemption: after.id("redemption"),
    };
    super::check_derived::check(conn, since, faults)?;
    Ok(())
}

fn sqlite_checks(conn: &Connection, faults: &mut Vec<Fault>) -> Result<()> {
    // `quick_check`, not `integrity_check`: both read every page and check the b-trees, the
    // record formats and the NOT NULL and CHECK constraints; what `integrity_check` adds is
    // that every index entry matches its table row and that UNIQUE holds, which took 21 s of
    // 35 on the five-year store. Nothing here trusts an index for that: the ledger checks read
    // the tables themselves in id order and find a repeated receipt number or a chain that
    // does not link, and a stale index loses no record (REINDEX rebuilds it from the table).
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let row = row?;
        if row != "ok" {
            faults.push(Fault::Integrity(row));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
    })?;
    for row in rows {
        let (table, rowid) = row?;
        faults.push(Fault::ForeignKey {
            table,
            rowid: rowid.unwrap_or(0),
        });
    }
    Ok(())
}

/// Walks a chain: each row must link to the previous row's hash and carry its own true hash.
struct ChainWalk {
    table: &'static str,
    prev: String,
}

impl ChainWalk {
    /// Starts after the verified head of `table` (the genesis for a full check).
    fn after(table: &'static str, after: &Heads) -> Self {
        ChainWalk {
            table,
            prev: after.of(table).1,
        }
    }

    fn step(
        &mut self,
        id: i64,
        prev_hash: &str,
        hash: &str,
        expected: String,
        faults: &mut Vec<Fault>,
    ) {
        if prev_hash != self.prev {
            faults.push(Fault::BrokenChain {
                table: self.table,
                id,
            });
        }
        if hash != expected {
            faults.push(Fault::HashMismatch {
                table: self.table,
                id,
            });
        }
        self.prev = hash.to_string();
    }
}

/// Where each running total stood at the verified head: for an incremental check, the last
/// total at or before the head of every household (or goods) with entries after it. The
/// queries say `NOT INDEXED` for the rows after the head: for the DISTINCT, SQLite otherwise
/// scans the whole covering index by household (70 ms on five years) instead of the rowid
/// range (0.1 ms).
fn opening_totals<K: rusqlite::types::FromSql + std::hash::Hash + Eq>(
    conn: &Connection,
    sql: &str,
    head: i64,
) -> Result<HashMap<K, i64>> {
    if head == 0 {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([head], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds one entry to its running total; the total it should show, or `None` on overflow.
fn advance<K: std::hash::Hash + Eq>(
    totals: &mut HashMap<K, i64>,
    key: K,
    amount: i64,
) -> Option<i64> {
    let running = totals.entry(key).or_insert(0);
    *running = running.checked_add(amount)?;
    Some(*running)
}

fn check_points(conn: &Connection, after: &Heads, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::after("point_entry", after);
    let head = after.id("point_entry");
    let mut balances: HashMap<i64, i64> = opening_totals(
        conn,
        "SELECT n.household_id, COALESCE((SELECT o.balance_after FROM point_entry o
           WHERE o.household_id = n.household_id AND o.id <= ?1 ORDER BY o.id DESC LIMIT 1), 0)
         FROM (SELECT DISTINCT household_id FROM point_entry NOT INDEXED WHERE id > ?1) n",
        head,
    )?;
    for_each_point_entry_after(conn, head, |entry, household_id| match entry {
        Err(e) => faults.push(Fault::Unreadable {
            table: "point_entry",
            detail: e.to_string(),
        }),
        Ok(entry) => {
            chain.step(
                entry.id,
                &entry.prev_hash,
                &entry.hash,
                entry.expected_hash(),
                faults,
            );
            let Some(running) = advance(&mut balances, household_id, entry.amount.0) else {
                faults.push(Fault::Negative {
                    table: "point_entry",
                    id: entry.id,
                });
                return;
            };
            if entry.balance_after.0 != running {
                faults.push(Fault::RunningTotal {
                    table: "point_entry",
                    id: entry.id,
                    expected: running,
                    found: entry.balance_after.0,
                });
            }
            if running < 0 {
                faults.push(Fault::Negative {
                    table: "point_entry",
                    id: entry.id,
                });
            }
        }
    })?;
    Ok(())
}

fn check_stock(conn: &Connection, after: &Heads, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::after("stock_movement", after);
    let head = after.id("stock_movement");
    let mut stock: HashMap<String, i64> = opening_totals(
        conn,
        "SELECT n.goods_code, COALESCE((SELECT o.stock_after FROM stock_movement o
           WHERE o.goods_code = n.goods_code AND o.id <= ?1 ORDER BY o.id DESC LIMIT 1), 0)
         FROM (SELECT DISTINCT goods_code FROM stock_movement NOT INDEXED WHERE id > ?1) n",
        head,
    )?;
    for_each_stock_movement_after(conn, None, head, |movement| match movement {
        Err(e) => faults.push(Fault::Unreadable {
            table: "stock_movement",
            detail: e.to_string(),
        }),
        Ok(m) => {
            chain.step(m.id, &m.prev_hash, &m.hash, m.expected_hash(), faults);
            let Some(running) = advance(&mut stock, m.goods.to_string(), m.qty.0) else {
                faults.push(Fault::Negative {
                    table: "stock_movement",
                    id: m.id,
                });
                return;
            };
            if m.stock_after.0 != running {
                faults.push(Fault::RunningTotal {
                    table: "stock_movement",
                    id: m.id,
                    expected: running,
                    found: m.stock_after.0,
                });
            }
            if running < 0 {
                faults.push(Fault::Negative {
                    table: "stock_movement",
                    id: m.id,
                });
            }
        }
    })?;
    Ok(())
}

fn check_audit(conn: &Connection, after: &Heads, faults: &mut Vec<Fault>) -> Result<()> {
    let mut chain = ChainWalk::after("audit_log", after);
    for_each_audit_record_after(conn, after.id("audit_log"), |record| match record {
        Err(e) => faults.push(Fault::Unreadable {
            table: "audit_log",
            detail: e.to_string(),
        }),
        Ok(r) => chain.step(r.id, &r.prev_hash, &r.hash, r.expected_hash(), faults),
    })?;
    Ok(())
}
