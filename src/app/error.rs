//! The one error type services return. Its text is localised (see `messages`).

use std::fmt;

use crate::core::import_rows::CellError;
use crate::core::refusal::Refusal;
use crate::store::StoreError;

#[derive(Debug)]
pub enum Error {
    /// A rule said no: insufficient points, out of stock, wrong PIN… Nothing was written.
    Refused(Refusal),
    /// A row of an import file is wrong; nothing of the file was imported.
    Import { file: String, cell: CellError },
    /// A file could not be read or is not what it claims to be.
    File { path: String, reason: FileProblem },
    /// The database itself failed (busy too long, disk full, damaged).
    Store(StoreError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Unreadable(String),
    /// The file is not there (a USB stick taken out, a file moved).
    NotFound,
    /// The folder it should go in is not there.
    FolderMissing(String),
    /// No permission to read or write it (another program holds it, a read-only stick).
    Denied,
    Unwritable(String),
    NotText,
    UnknownFormat,
    Spreadsheet(String),
    /// A backup that failed its checks; says why.
    BadBackup(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::messages::describe(self))
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            // Staff can act on this one: set the PC's clock.
            StoreError::ClockBehind { last } => Error::Refused(Refusal::ClockBehind { last }),
            e => Error::Store(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(StoreError::Sqlite(e))
    }
}

impl Error {
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused(r) => Some(r),
            _ => None,
        }
    }

    /// True when another writer held the database too long: worth trying again.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Store(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if e.code == rusqlite::ErrorCode::DatabaseBusy || e.code == rusqlite::ErrorCode::DatabaseLocked
        )
    }
}

/// A file system error as a problem the clerk can act on; the system's own words are kept
/// for the detail behind 详情 and the log.
pub fn io_error(path: &std::path::Path, e: &std::io::Error) -> Error {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
                FileProblem::FolderMissing(dir.display().to_string())
            }
            _ => FileProblem::NotFound,
        },
        std::io::ErrorKind::PermissionDenied => FileProblem::Denied,
        _ => FileProblem::Unwritable(e.to_string()),
    };
    Error::File {
        path: path.display().to_string(),
        reason,
    }
}
