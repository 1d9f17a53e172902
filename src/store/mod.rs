//! SQLite: the one place that opens the database, its migrations, and the ledger writes.
//!
//! The signed record (issue 15): every `Db::write` is sealed before it commits — rows of the
//! tables that decide points get a chained change record, and the transaction is signed once
//! by the staff member it names (see `records` for how a new table or write joins, and
//! `keys` for the staff signing keys). Any write to those tables goes through `Db::write`;
//! a row changed any other way shows in `jifen check`.

pub mod backup;
pub mod calendar;
pub mod cards;
pub mod cart_shelf;
pub mod check;
pub mod check_batch;
mod check_coverage;
pub mod check_derived;
mod check_double;
pub mod check_invoices;
pub mod check_mark;
pub mod check_signatures;
pub mod check_ties;
pub mod day_report;
pub mod goods;
pub mod households;
pub mod keys;
pub mod ledger;
pub mod print_jobs;
pub mod records;
pub mod redemptions;
pub mod register;
pub mod register_check;
pub mod rules;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod stocktake;
pub mod transfers;
pub mod upgrade;
pub mod witness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

// Migrations apply in this order, by position; a migration is never edited once it has
// shipped, only followed by a new one.
const MIGRATIONS_SLICE: &[M<'_>] = &[
    M::up(include_str!("migrations/001_schema.sql")),
    M::up(include_str!("migrations/002_cards.sql")),
    M::up(include_str!("migrations/003_sessions.sql")),
    M::up(include_str!("migrations/004_village_rules.sql")),
    M::up(include_str!("migrations/005_print.sql")),
    M::up(include_str!("migrations/006_stock.sql")),
    M::up(include_str!("migrations/007_score_sheets.sql")),
    M::up(include_str!("migrations/008_services.sql")),
    M::up(include_str!("migrations/009_void_guard.sql")),
    M::up(include_str!("migrations/010_ledger_indexes.sql")),
    M::up(include_str!("migrations/011_redemption_day_groups.sql")),
    M::up(include_str!("migrations/012_signatures.sql")),
    M::up(include_str!("migrations/014_staff_accounts.sql")),
    M::up(include_str!("migrations/015_opening_stock.sql")),
    M::up(include_str!("migrations/016_invoices_prices.sql")),
    M::up(include_str!("migrations/017_register.sql")),
    M::up(include_str!("migrations/018_township.sql")),
    M::up(include_str!("migrations/019_household_changes.sql")),
    M::up(include_str!("migrations/020_check_mark.sql")),
    // Rebuilds three ledgers (SQLite's 12-step ALTER): one of `REBUILDS`.
    M::up(include_str!("migrations/021_ledger_hash_index.sql")),
];

/// The migrations (by position above) that rebuild a table other tables reference, SQLite's
/// documented way: they run with foreign keys off, as SQLite asks (with them on, DROP TABLE
/// counts every reference to the old table as broken and the transaction cannot commit).
/// They copy every row with its id, so no reference changes; one broken before the upgrade is
/// still `check`'s to report (`Fault::ForeignKey`), not a reason to refuse to open the store.
/// Every other migration runs with foreign keys on.
const REBUILDS: &[usize] = &[19]; // 021_ledger_hash_index.sql (013 is a gap)
const MIGRATIONS: Migrations<'_> = Migrations::from_slice(MIGRATIONS_SLICE);

/// How long a writer waits for another writer (a second counter window, a backup) before
/// reporting the database as busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot create the data folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A ledger invariant the services should already have guaranteed; seeing this is a bug.
    #[error("ledger invariant broken: {0}")]
    Invariant(String),
    /// A write to a signed table in a transaction that names nobody to sign it.
    #[error("a change to {0} with nobody signed in")]
    Unsigned(String),
    /// The PC's clock reads earlier than the ledger's last entry.
    #[error("the clock reads earlier than the last entry ({last})")]
    ClockBehind { last: chrono::NaiveDateTime },
    /// The staff member the transaction names has not signed in on this `Db`.
    #[error("staff {0} is not signed in: the write cannot be signed")]
    NotSignedIn(crate::core::StaffId),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SQLite's page cache per connection, in KiB (as `PRAGMA cache_size` takes it, negative).
const COUNTER_CACHE_KIB: i64 = -16 * 1024;

/// Prepared statements kept per connection (`prepare_cached`).
const STATEMENT_CACHE: usize = 256;

pub struct Db {
    conn: Connection,
    path: PathBuf,
    touched: records::Touched,
    keys: records::Keyring,
    /// Heads a check verified with nobody signed in, waiting for the next sign-in to sign
    /// them (`app::check_mark`); kept here, never in the file, so nobody signs unseen heads.
    verified: Option<check_mark::Verified>,
}

impl Db {
    /// Opens (creating if needed) the database at `path`, sets every pragma and migrates.
    /// This is the only place in Jifen that opens a connection.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        // A ledger: NORMAL could lose a committed redemption on power loss.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A redemption on five years of records touches some hundred pages of a dozen indexes;
        // with SQLite's 2 MB default each of them is a read from the OS (issue 23: over half
        // the redemption's own time under `perf`). 16 MB holds the counter's hot pages.
        conn.pragma_update(None, "cache_size", COUNTER_CACHE_KIB)?;
        migrate(&mut conn)?;
        let touched = records::install_hook(&conn)?;
        // A redemption alone runs some forty distinct statements; rusqlite keeps 16 by default,
        // and an LRU cache smaller than the loop re-prepares every one of them (issue 23).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Db {
            conn,
            path: path.to_path_buf(),
            touched,
            keys: records::Keyring::new(),
            verified: None,
        })
    }

    /// Opens the database of a data folder: `DIR/jifen.db`.
    pub fn open_in(dir: &Path) -> Result<Db> {
        Db::open(&dir.join("jifen.db"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: it takes the write lock at once, so two
    /// counters can never both read a balance and then both spend it. Commits only on `Ok`,
    /// after sealing: changed rows of the signed tables are recorded and the transaction is
    /// signed by the staff member its rows name (`records::seal`).
    pub fn write<T, E>(&mut self, f: impl FnOnce(&records::Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<rusqlite::Error> + From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        records::take(&self.touched);
        let tx = records::Tx::new(tx);
        let value = f(&tx)?;
        records::seal(&tx, records::take(&self.touched), &self.keys)?;
        let (tx, new_keys) = tx.into_inner();
        tx.commit()?;
        records::take(&self.touched);
        for (staff, key_id, key) in new_keys {
            self.keys.insert(staff, (key_id, key));
        }
        Ok(value)
    }

    /// Keeps a signed-in staff member's unlocked key, so that their writes can be signed.
    pub fn hold_key(
        &mut self,
        staff: crate::core::StaffId,
        key_id: i64,
        key: ed25519_dalek::SigningKey,
    ) {
        self.keys.insert(staff, (key_id, key));
    }

    pub(crate) fn held_key(
        &self,
        staff: crate::core::StaffId,
    ) -> Option<(i64, ed25519_dalek::SigningKey)> {
        self.keys.get(&staff).cloned()
    }

    /// Keeps the heads a passed check verified until someone signs in to sign them.
    pub fn hold_verified(&mut self, verified: check_mark::Verified) {
        self.verified = Some(verified);
    }

    pub(crate) fn take_verified(&mut self) -> Option<check_mark::Verified> {
        self.verified.take()
    }

    /// Forgets a staff member's key (signing out): their writes are refused from now on.
    pub fn sign_out(&mut self, staff: crate::core::StaffId) {
        self.keys.remove(&staff);
    }

    /// Runs `f` in a read transaction, so that everything it reads is one consistent snapshot.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let value = f(&tx)?;
        tx.finish()?;
        Ok(value)
    }

    /// Gives this connection SQLite's small default page cache: for a connection that reads
    /// the store once through (the start-up check, a backup), where caching saves nothing.
    pub fn stream_reads(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -2000)?;
        Ok(())
    }

    /// The raw connection, for the integrity checks and for tests that tamper on purpose.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Runs the pending migrations, in runs of the same foreign-key setting (`REBUILDS`): each run
/// is one transaction, and the pragma cannot change inside one, so it is set between runs.
fn migrate(conn: &mut Connection) -> Result<()> {
    let target = MIGRATIONS_SLICE.len();
    loop {
        let at: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        if at >= target {
            // Nothing left to run, or a store made by a newer version, which this refuses.
            MIGRATIONS.to_latest(conn)?;
            return Ok(());
        }
        let rebuild = REBUILDS.contains(&at);
        let end = (at + 1..target)
            .find(|v| REBUILDS.contains(v) != rebuild)
            .unwrap_or(target);
        conn.pragma_update(None, "foreign_keys", if rebuild { "OFF" } else { "ON" })?;
        let migrated = MIGRATIONS.to_version(conn, end);
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrated?;
    }
}

/// Reads a stored timestamp; a malformed one is reported as a conversion error.
pub(crate) fn parse_time(text: &str) -> rusqlite::Result<chrono::NaiveDateTime> {
    crate::core::ledger::parse_time_text(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn format_time(time: chrono::NaiveDateTime) -> String {
    crate::core::ledger::time_text(&time)
}

/// Parses a stored enum or code, turning nonsense into a conversion error rather than a panic.
pub(crate) fn parse_stored<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unexpected stored value {text:?}").into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rebuilds_named_are_the_table_rebuilds() {
        // `REBUILDS` counts positions, and 013 is a gap: a position off by one would run the
        // rebuild with foreign keys on, which cannot commit (or another migration with them off).
        let rebuilds: Vec<String> = REBUILDS
            .iter()
            .map(|&at| format!("{:?}", MIGRATIONS_SLICE[at]))
            .collect();
        assert_eq!(rebuilds.len(), 1);
        assert!(rebuilds[0].contains("CREATE TABLE point_entry_rebuilt"));
        let others = (0..MIGRATIONS_SLICE.len()).filter(|at| !REBUILDS.contains(at));
        for at in others {
            let sql = format!("{:?}", MIGRATIONS_SLICE[at]);
            assert!(!sql.contains("_rebuilt"), "migration {at} rebuilds a table");
        }
    }
}
