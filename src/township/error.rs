//! What can go wrong with the township copy, in words a clerk can act on.

use rust_i18n::t;

use super::spec::{Ledger, Signed};

#[derive(Debug, thiserror::Error)]
pub enum TownshipError {
    /// The address is not a PostgreSQL address.
    #[error("{}", t!("township.error.bad_url", url = .url, detail = .detail))]
    BadUrl { url: String, detail: String },
    /// The server could not be reached, refused the login, or failed a statement.
    #[error("{}", t!("township.error.postgres", detail = pg_detail(.0)))]
    Postgres(#[from] postgres::Error),
    #[error("{}", t!("township.error.migration", detail = .0.to_string()))]
    Migration(#[from] refinery::Error),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    App(#[from] crate::app::Error),
    /// The store rewrote history the township already holds: nothing of this push was taken.
    #[error("{}", t!("township.error.fork", ledger = .ledger.label(), seq = .seq,
        held = short(.held), offered = short(.offered)))]
    Fork {
        ledger: Ledger,
        seq: i64,
        held: String,
        offered: String,
    },
    /// The store holds fewer rows than the township and no audited restore says why.
    #[error("{}", t!("township.error.behind", ledger = .ledger.label(), store = .store_head,
        held = .held_head))]
    Behind {
        ledger: Ledger,
        store_head: i64,
        held_head: i64,
    },
    /// The store's signed record (keys, change records, signatures) differs from the
    /// township's and no audited restore explains it: nothing of this push was taken.
    #[error("{}", t!("township.error.signed_fork", table = .table.label(), seq = .seq))]
    SignedFork { table: Signed, seq: i64 },
    /// The login is not a store's role (or its store was not enrolled on this database).
    #[error("{}", t!("township.error.not_enrolled"))]
    NotEnrolled,
    /// The credentials belong to another store.
    #[error("{}", t!("township.error.wrong_store", enrolled = .enrolled, file = .file))]
    WrongStore { enrolled: String, file: String },
    #[error("{}", t!("township.error.file", path = .path, detail = .detail))]
    File { path: String, detail: String },
    #[error("{}", t!("township.error.already_enrolled", store = .0))]
    AlreadyEnrolled(String),
    #[error("{}", t!("township.error.no_url"))]
    NoUrl,
}

impl From<rusqlite::Error> for TownshipError {
    fn from(e: rusqlite::Error) -> Self {
        TownshipError::Store(crate::store::StoreError::Sqlite(e))
    }
}

impl TownshipError {
    pub fn file(path: &std::path::Path, detail: impl ToString) -> Self {
        TownshipError::File {
            path: path.display().to_string(),
            detail: detail.to_string(),
        }
    }
}

/// The server's own message (postgres::Error's Display says only "db error").
pub fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

pub type Result<T, E = TownshipError> = std::result::Result<T, E>;
