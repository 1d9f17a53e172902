//! Previewing and writing an import chosen on the import screen.

use std::path::Path;

use rust_i18n::t;

use super::JifenApp;
use crate::app::import_preview::{ImportOptions, apply_goods, apply_households, preview};
use crate::app::{self, Actor};
use crate::core::import_preview::ImportKind;
use crate::core::refusal::Refusal;

impl JifenApp {
    pub(super) fn options(&self) -> ImportOptions {
        let i = &self.setup.imports;
        ImportOptions {
            default_village: Some(i.village.clone()).filter(|v| !v.is_empty()),
            apply_changes: i.apply_changes,
            period: i.period.trim().parse().ok(),
            approvers: i
                .approvers
                .split([',', '，', '、', ' '])
                .filter(|a| !a.trim().is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    pub(super) fn repreview(&mut self) -> app::Result<()> {
        let options = self.options();
        let today = self.now().date();
        let i = &self.setup.imports;
        let (Some(kind), Some(grid), Some(file)) = (i.kind, &i.grid, &i.file) else {
            return Ok(());
        };
        let name = file_name(file);
        let shown = preview(&mut self.db, kind, &name, grid, &options, today)?;
        if kind == ImportKind::Scores && self.setup.imports.period.trim().is_empty() {
            self.setup.imports.period = options
                .period
                .map(|p| p.to_string())
                .unwrap_or_else(|| crate::core::Period::of(today).to_string());
        }
        self.setup.imports.preview = Some(shown);
        Ok(())
    }

    pub(super) fn apply_import(&mut self, actor: &Actor) -> app::Result<String> {
        let options = self.options();
        let now = self.now();
        let i = &self.setup.imports;
        let (Some(kind), Some(grid), Some(file)) = (i.kind, i.grid.clone(), i.file.clone()) else {
            return Ok(String::new());
        };
        let name = file_name(&file);
        let text = match kind {
            ImportKind::Households => {
                let done = apply_households(&mut self.db, actor, &name, &grid, &options, now)?;
                t!(
                    "setup.cli.imported_roster",
                    added = done.added,
                    changed = done.changed,
                    unchanged = done.unchanged,
                    file = name,
                    points = done.points_total
                )
                .to_string()
            }
            ImportKind::Goods => {
                let done = apply_goods(&mut self.db, actor, &name, &grid, now)?;
                t!("setup.import.goods_done", rows = done.rows, file = name).to_string()
            }
            ImportKind::Stock => {
                let done =
                    app::opening_stock::import_stock_grid(&mut self.db, actor, &name, &grid, now)?;
                t!("setup.stock.saved", rows = done.rows).to_string()
            }
            ImportKind::Scores => {
                let period = options
                    .period
                    .ok_or_else(|| Refusal::BadDate(self.setup.imports.period.clone()))?;
                let rows = crate::core::import_rows::scores(&grid)
                    .map_err(|c| app::import::import_error(&name, c))?;
                let done = app::import::post_scores(
                    &mut self.db,
                    actor,
                    &name,
                    period,
                    &options.approvers,
                    &rows,
                    now,
                )?;
                t!(
                    "cli.imported",
                    rows = done.rows,
                    file = name,
                    points = done.points_total
                )
                .to_string()
            }
        };
        self.setup.imports.preview = None;
        self.setup.imports.grid = None;
        self.setup.imports.file = None;
        self.reload_shelf();
        Ok(text)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
