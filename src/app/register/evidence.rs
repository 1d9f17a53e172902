//! Evidence files travel with the database: a backup copies `DIR/evidence/` beside the backup
//! file (`<backup folder>/evidence/`), and a restore brings them back before the restored store
//! is checked, so `check` can verify every photo's SHA-256 on the PC it lands on. Files are
//! named by their hash, so copying never overwrites a different photo and repeats are free.

use std::path::Path;

/// Copies every evidence file of `from/evidence/` that `to/evidence/` lacks; returns how many.
pub fn carry_evidence(from: &Path, to: &Path) -> std::io::Result<usize> {
    let source = from.join("evidence");
    if !source.is_dir() || from == to {
        return Ok(0);
    }
    let target = to.join("evidence");
    std::fs::create_dir_all(&target)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(&source)? {
        let entry = entry?;
        let name = entry.file_name();
        let is_kept = name
            .to_string_lossy()
            .split('.')
            .next()
            .is_some_and(|h| h.len() == 64);
        let dest = target.join(&name);
        if is_kept && entry.file_type()?.is_file() && !dest.exists() {
            std::fs::copy(entry.path(), &dest)?;
            copied += 1;
        }
    }
    Ok(copied)
}
