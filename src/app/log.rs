//! The log file beside the store (`jifen.log`): every failure the app showed, with the
//! technical detail the clerk's sentence leaves out, for whoever helps the village later.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDateTime;

/// Past this the log starts again (the old one kept as `jifen.log.1`).
const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// Appends one failure. Logging never fails the action: a log that cannot be written is
/// skipped (the sentence is already on screen).
pub fn failure(db_path: &Path, sentence: &str, detail: Option<&str>, now: NaiveDateTime) {
    let Some(dir) = db_path.parent() else { return };
    let path = dir.join("jifen.log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_BYTES) {
        let _ = std::fs::rename(&path, dir.join("jifen.log.1"));
    }
    let line = format!("{now} {sentence} | {}\n", detail.unwrap_or("-"));
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = file.write_all(line.as_bytes());
    }
}
