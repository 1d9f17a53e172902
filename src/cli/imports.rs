//! `import households|goods|scores|stock FILE [--dry-run] [--apply-changes] [--village V]`:
//! the app's import rules and preview on the command line.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rust_i18n::t;

use super::{Cli, CliResult, actor, now, output};
use crate::app::import_preview::{ImportOptions, apply_households, preview};
use crate::app::{self, messages};
use crate::core::Period;
use crate::core::import_preview::{ImportKind, ImportPreview};
use crate::store::Db;

#[derive(Args, Debug, Clone)]
pub struct ImportFlags {
    /// Print what the import would do (to add, unchanged, would change, refused) and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    Households {
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
        /// Apply the roster's changes to households already in the store (each one audited)
        #[arg(long)]
        apply_changes: bool,
        /// The village for a roster without a 村 column
        #[arg(long)]
        village: Option<String>,
    },
    Goods {
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    Scores {
        file: PathBuf,
        #[arg(long)]
        period: Period,
        /// The committee members who approved the sheet, comma-separated (at least 3)
        #[arg(long)]
        approved_by: String,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Opening stock (期初库存): 编码, 数量, 来源
    Stock {
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
}

pub fn import(cli: &Cli, db: &mut Db, what: &ImportCommand) -> CliResult {
    let (kind, file, dry_run) = match what {
        ImportCommand::Households { file, flags, .. } => {
            (ImportKind::Households, file, flags.dry_run)
        }
        ImportCommand::Goods { file, flags } => (ImportKind::Goods, file, flags.dry_run),
        ImportCommand::Scores { file, flags, .. } => (ImportKind::Scores, file, flags.dry_run),
        ImportCommand::Stock { file, flags } => (ImportKind::Stock, file, flags.dry_run),
    };
    let name = file.display().to_string();
    let mut options = ImportOptions::default();
    if let ImportCommand::Households {
        apply_changes,
        village,
        ..
    } = what
    {
        options.apply_changes = *apply_changes;
        options.default_village = village.clone();
    }
    if let ImportCommand::Scores { period, .. } = what {
        options.period = Some(*period);
    }
    if dry_run {
        let grid = app::import::read_grid(file)?;
        let shown = preview(db, kind, &name, &grid, &options, now().date())?;
        print_preview(cli.json, &shown);
        return Ok(());
    }
    let actor = actor(cli, db)?;
    let summary = match what {
        ImportCommand::Households { .. } => {
            let grid = app::import::read_grid(file)?;
            let done = apply_households(db, &actor, &name, &grid, &options, now())?;
            if cli.json {
                output::print_json(serde_json::json!({
                    "file": done.file, "rows": done.added, "points_total": done.points_total,
                    "changed": done.changed, "unchanged": done.unchanged,
                }));
            } else {
                println!(
                    "{}",
                    t!(
                        "setup.cli.imported_roster",
                        added = done.added,
                        changed = done.changed,
                        unchanged = done.unchanged,
                        file = done.file,
                        points = done.points_total
                    )
                );
            }
            return Ok(());
        }
        ImportCommand::Goods { .. } => app::import::import_goods(db, &actor, file, now())?,
        ImportCommand::Scores {
            period,
            approved_by,
            ..
        } => {
            let approvers: Vec<String> = approved_by
                .split([',', '，', '、'])
                .map(str::to_string)
                .collect();
            app::import::import_scores(db, &actor, file, *period, &approvers, now())?
        }
        ImportCommand::Stock { .. } => {
            let grid = app::import::read_grid(file)?;
            app::opening_stock::import_stock_grid(db, &actor, &name, &grid, now())?
        }
    };
    output::imported(cli.json, &summary);
    Ok(())
}

/// The preview as the app shows it: counts, then each row to add, change and refuse.
fn print_preview(json: bool, p: &ImportPreview) {
    let refused: Vec<String> = p
        .refused
        .iter()
        .map(|c| messages::import_problem(&p.file, c))
        .collect();
    if json {
        let mut value = serde_json::json!(p);
        value["refused"] = serde_json::json!(refused);
        output::print_json(value);
        return;
    }
    println!(
        "{}",
        t!(
            "setup.preview.counts",
            add = p.add.len(),
            unchanged = p.unchanged.len(),
            changes = p.changes.len(),
            refused = p.refused.len()
        )
    );
    for line in &p.add {
        println!(
            "+ {} {} {}",
            t!("setup.preview.row", row = line.row),
            line.key,
            line.text
        );
    }
    for change in &p.changes {
        let fields: Vec<String> = change
            .changes
            .iter()
            .map(|c| format!("{}：{} → {}", c.column, c.old, c.new))
            .collect();
        println!(
            "~ {} {} {}",
            t!("setup.preview.row", row = change.row),
            change.key,
            fields.join("；")
        );
    }
    for line in &refused {
        println!("✗ {line}");
    }
}
