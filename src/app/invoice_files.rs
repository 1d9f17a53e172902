//! Invoice scans and photos kept with a purchase: copied into `DATA/invoices/` under their
//! SHA-256 (so the same file twice is stored once and a changed file is noticed), and looked
//! up again from the stock screen.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Result;
use crate::core::refusal::Refusal;
use crate::store::Db;

/// Larger files are not invoice scans (a phone photo is a few MB).
const MAX_BYTES: usize = 30 * 1024 * 1024;
const KINDS: [&str; 5] = ["jpg", "jpeg", "png", "pdf", "webp"];

/// A stored invoice copy: where it is (relative to the data folder) and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceCopy {
    pub file: String,
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn data_dir(db: &Db) -> PathBuf {
    db.path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Copies `source` into the data folder. Done before the purchase's transaction: the copy is
/// named by its content, so a purchase that is then refused leaves only a harmless file.
pub fn store_copy(db: &Db, source: &Path) -> Result<InvoiceCopy> {
    let bad = |why: String| Refusal::BadInvoiceFile(why);
    let ext = source
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| KINDS.contains(&e.as_str()))
        .ok_or_else(|| bad(source.display().to_string()))?;
    let bytes = std::fs::read(source).map_err(|e| bad(format!("{}: {e}", source.display())))?;
    if bytes.is_empty() || bytes.len() > MAX_BYTES {
        return Err(bad(source.display().to_string()).into());
    }
    let sha256 = sha256_hex(&bytes);
    let file = format!("invoices/{sha256}.{ext}");
    let target = data_dir(db).join(&file);
    if !target.exists() {
        let folder = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(|e| bad(format!("{}: {e}", folder.display())))?;
        let partial = target.with_extension("part");
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::rename(&partial, &target))
            .map_err(|e| bad(format!("{}: {e}", target.display())))?;
    }
    Ok(InvoiceCopy { file, sha256 })
}

/// The stored copy's full path, and whether its bytes still have the recorded SHA-256.
pub fn open_copy(db: &Db, copy: &InvoiceCopy) -> (PathBuf, bool) {
    let path = data_dir(db).join(&copy.file);
    let intact = std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == copy.sha256);
    (path, intact)
}
