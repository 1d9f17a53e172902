//! Imports in the app (导入): households, goods, a month's scores and opening stock, from the
//! .xlsx/.xls/.csv files villages keep. A file is chosen in a dialog drawn by egui itself,
//! previewed (to add, unchanged, would change old → new, refused with row and column), and
//! written only when the clerk accepts, in one transaction.

use std::path::PathBuf;

use eframe::egui;
use rust_i18n::t;

use super::setup::SetupAction;
use crate::app::messages;
use crate::core::import_preview::{ImportKind, ImportPreview};
use crate::core::import_rows::Grid;

/// Rows of each section shown before "…": the counts above always say how many there are.
const ROWS_SHOWN: usize = 200;

#[derive(Default)]
pub struct ImportsScreen {
    pub kind: Option<ImportKind>,
    pub file: Option<PathBuf>,
    pub grid: Option<Grid>,
    pub preview: Option<ImportPreview>,
    pub apply_changes: bool,
    /// The village for a roster without a 村 column, and the store's villages to choose from.
    pub village: String,
    pub villages: Vec<String>,
    /// A score sheet's month (YYYY-MM) and its approvers.
    pub period: String,
    pub approvers: String,
    pub dialog: Option<egui_file::FileDialog>,
    /// The opening-stock form: (code, name and unit, qty, source).
    pub stock_form: Vec<(String, String, String, String)>,
}

pub fn kind_label(kind: ImportKind) -> String {
    t!(format!("setup.import.kind_{}", kind.as_str())).to_string()
}

impl ImportsScreen {
    /// The dialog for a sheet, in the clerk's language, showing only the files it reads.
    pub fn open_dialog(&mut self, start: Option<PathBuf>) {
        let filter: egui_file::Filter<PathBuf> = Box::new(|p: &std::path::Path| {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            p.is_dir() || matches!(ext.as_str(), "xlsx" | "xls" | "csv" | "txt" | "ods")
        });
        let mut dialog = egui_file::FileDialog::open_file()
            .title(&t!("setup.dialog.title"))
            .open_button_text(t!("setup.dialog.open").to_string().into())
            .cancel_button_text(t!("setup.dialog.cancel").to_string().into())
            .new_folder_button_text(t!("setup.dialog.new_folder").to_string().into())
            .new_folder_name_text(t!("setup.dialog.new_folder").to_string().into())
            .rename_button_text(t!("setup.dialog.rename").to_string().into())
            .refresh_button_hover_text(t!("setup.dialog.refresh").to_string().into())
            .parent_folder_button_hover_text(t!("setup.dialog.parent").to_string().into())
            .file_label_text(t!("setup.dialog.file").to_string().into())
            .show_hidden_checkbox_text(t!("setup.dialog.hidden").to_string().into())
            .show_new_folder(false)
            .show_rename(false)
            .show_files_filter(filter)
            .default_size([900.0, 560.0]);
        if let Some(start) = start {
            dialog = dialog.initial_path(start);
        }
        dialog.open();
        self.dialog = Some(dialog);
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SetupAction> {
        let mut action = None;
        if let (Some(dialog), Some(kind)) = (&mut self.dialog, self.kind) {
            if dialog.show(ui.ctx()).selected()
                && let Some(path) = dialog.path()
            {
                action = Some(SetupAction::FileChosen(kind, path.to_path_buf()));
            }
            if !dialog.visible() {
                self.dialog = None;
            }
        }
        ui.heading(t!("setup.import.title").to_string());
        ui.label(t!("setup.import.hint").to_string());
        ui.horizontal(|ui| {
            for kind in ImportKind::ALL {
                let chosen = self.kind == Some(kind);
                let button = egui::Button::selectable(chosen, kind_label(kind))
                    .min_size(egui::vec2(140.0, 36.0));
                if ui.add(button).clicked() && !chosen {
                    *self = ImportsScreen {
                        kind: Some(kind),
                        villages: std::mem::take(&mut self.villages),
                        village: std::mem::take(&mut self.village),
                        period: std::mem::take(&mut self.period),
                        stock_form: std::mem::take(&mut self.stock_form),
                        ..Default::default()
                    };
                }
            }
        });
        let Some(kind) = self.kind else {
            return action;
        };
        ui.label(t!(format!("setup.import.columns_{}", kind.as_str())).to_string());
        self.options_ui(ui, kind, &mut action);
        ui.horizontal(|ui| {
            let pick =
                egui::Button::new(t!("setup.import.pick", kind = kind_label(kind)).to_string())
                    .min_size(egui::vec2(220.0, 40.0));
            if ui.add(pick).clicked() {
                action = Some(SetupAction::PickFile(kind));
            }
            if let Some(file) = &self.file {
                ui.label(t!("setup.import.chosen", file = file.display().to_string()).to_string());
            }
        });
        if let Some(preview) = &self.preview {
            ui.separator();
            if let Some(a) = preview_ui(ui, preview, self.apply_changes) {
                action = Some(a);
            }
        } else if kind == ImportKind::Stock {
            ui.separator();
            if let Some(a) = self.stock_form_ui(ui) {
                action = Some(a);
            }
        }
        action
    }

    fn options_ui(
        &mut self,
        ui: &mut egui::Ui,
        kind: ImportKind,
        action: &mut Option<SetupAction>,
    ) {
        let before = (
            self.village.clone(),
            self.period.clone(),
            self.approvers.clone(),
        );
        match kind {
            ImportKind::Households => {
                ui.horizontal(|ui| {
                    let label = ui.label(t!("setup.import.default_village").to_string());
                    egui::ComboBox::from_id_salt("default_village")
                        .selected_text(self.village.clone())
                        .show_ui(ui, |ui| {
                            for v in &self.villages {
                                ui.selectable_value(&mut self.village, v.clone(), v);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                ui.checkbox(
                    &mut self.apply_changes,
                    t!("setup.import.apply_changes").to_string(),
                );
            }
            ImportKind::Scores => {
                super::widgets::field(ui, &t!("setup.import.period"), &mut self.period, 120.0);
                super::widgets::field(
                    ui,
                    &t!("setup.import.approvers"),
                    &mut self.approvers,
                    360.0,
                );
            }
            _ => {}
        }
        let now = (
            self.village.clone(),
            self.period.clone(),
            self.approvers.clone(),
        );
        if now != before && self.grid.is_some() && action.is_none() {
            *action = Some(SetupAction::Repreview);
        }
    }

    fn stock_form_ui(&mut self, ui: &mut egui::Ui) -> Option<SetupAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(t!("setup.stock.form_title").to_string()).strong());
            // Save above the list: a long catalogue never pushes it off the screen.
            if !self.stock_form.is_empty()
                && ui.button(t!("setup.stock.save").to_string()).clicked()
            {
                let lines = self
                    .stock_form
                    .iter()
                    .filter(|(_, _, qty, _)| !qty.trim().is_empty())
                    .map(|(code, _, qty, source)| (code.clone(), qty.clone(), source.clone()))
                    .collect();
                action = Some(SetupAction::SaveOpeningStock(lines));
            }
        });
        if self.stock_form.is_empty() {
            ui.label(t!("setup.stock.form_empty").to_string());
            return None;
        }
        egui::ScrollArea::vertical()
            .id_salt("stock_form")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("stock_form_grid")
                    .num_columns(5)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for (code, name, qty, source) in &mut self.stock_form {
                            ui.label(format!("{code} {name}"));
                            let label = ui
                                .label(t!("setup.stock.qty_of", code = code.as_str()).to_string());
                            ui.add(egui::TextEdit::singleline(qty).desired_width(80.0))
                                .labelled_by(label.id);
                            let label = ui.label(
                                t!("setup.stock.source_of", code = code.as_str()).to_string(),
                            );
                            ui.add(egui::TextEdit::singleline(source).desired_width(260.0))
                                .labelled_by(label.id);
                            ui.end_row();
                        }
                    });
            });
        action
    }
}

/// The preview: counts, then the rows of each section, then accept or cancel.
fn preview_ui(ui: &mut egui::Ui, p: &ImportPreview, apply_changes: bool) -> Option<SetupAction> {
    let mut action = None;
    ui.label(
        egui::RichText::new(
            t!(
                "setup.preview.counts",
                add = p.add.len(),
                unchanged = p.unchanged.len(),
                changes = p.changes.len(),
                refused = p.refused.len()
            )
            .to_string(),
        )
        .size(20.0),
    );
    ui.horizontal(|ui| {
        let accept = egui::Button::new(t!("setup.preview.accept").to_string())
            .min_size(egui::vec2(200.0, 40.0));
        if ui.add_enabled(p.can_apply(apply_changes), accept).clicked() {
            action = Some(SetupAction::ApplyImport);
        }
        if ui.button(t!("setup.preview.cancel").to_string()).clicked() {
            action = Some(SetupAction::CancelImport);
        }
        if !p.refused.is_empty() {
            ui.colored_label(
                super::theme::DANGER,
                t!("setup.preview.fix_first").to_string(),
            );
        } else if !p.changes.is_empty() && !p.changes_applicable {
            ui.label(t!("setup.preview.goods_changes").to_string());
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("preview")
        .show(ui, |ui| {
            if !p.refused.is_empty() {
                section(
                    ui,
                    &t!("setup.preview.refused", n = p.refused.len()),
                    super::theme::DANGER,
                );
                for cell in p.refused.iter().take(ROWS_SHOWN) {
                    ui.colored_label(super::theme::DANGER, messages::cell_problem(cell));
                }
            }
            if !p.changes.is_empty() {
                section(
                    ui,
                    &t!("setup.preview.changes", n = p.changes.len()),
                    ui.visuals().warn_fg_color,
                );
                for c in p.changes.iter().take(ROWS_SHOWN) {
                    let fields: Vec<String> = c
                        .changes
                        .iter()
                        .map(|f| {
                            t!(
                                "setup.preview.field_change",
                                column = f.column,
                                old = f.old.as_str(),
                                new = f.new.as_str()
                            )
                            .to_string()
                        })
                        .collect();
                    ui.label(format!(
                        "{} {} {}：{}",
                        t!("setup.preview.row", row = c.row),
                        c.key,
                        c.text,
                        fields.join("；")
                    ));
                }
            }
            if !p.add.is_empty() {
                section(
                    ui,
                    &t!("setup.preview.add", n = p.add.len()),
                    super::theme::OK,
                );
                lines(ui, &p.add);
            }
            if !p.unchanged.is_empty() {
                section(
                    ui,
                    &t!("setup.preview.unchanged", n = p.unchanged.len()),
                    ui.visuals().weak_text_color(),
                );
                lines(ui, &p.unchanged);
            }
        });
    action
}

fn section(ui: &mut egui::Ui, title: &str, colour: egui::Color32) {
    ui.add_space(6.0);
    ui.colored_label(colour, egui::RichText::new(title).strong().size(18.0));
}

fn lines(ui: &mut egui::Ui, lines: &[crate::core::import_preview::PreviewLine]) {
    for line in lines.iter().take(ROWS_SHOWN) {
        ui.label(format!(
            "{} {} {}",
            t!("setup.preview.row", row = line.row),
            line.key,
            line.text
        ));
    }
    if lines.len() > ROWS_SHOWN {
        ui.label(t!("setup.preview.more", n = lines.len() - ROWS_SHOWN).to_string());
    }
}
