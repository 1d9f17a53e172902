//! The counter app (egui). Screens return actions and never touch the database.

use std::path::Path;

/// Opens the counter app on the store in `dir`.
pub fn run_app(_dir: &Path, _locale: &str) -> Result<(), String> {
    Err("GUI under construction".into())
}
