//! 恢复备份 (issue 15), the manager's screen: choose a backup (the automatic ones listed with
//! their dates and whether each passed its check; any other file through the app's own file
//! dialog, e.g. from a USB stick), see what the restore would do, then sign it with the PIN
//! and a reason. The screen only asks; `restore_actions` runs the services.

use std::path::PathBuf;

use eframe::egui;
use rust_i18n::t;

use super::theme;
use crate::app::restore_preview::{BackupListing, RestorePreview};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreAction {
    /// Open the file dialog for a backup elsewhere.
    PickFile,
    /// A backup chosen (from the list or the dialog): check it and show what it would do.
    FileChosen(PathBuf),
    /// Restore the previewed file, signed with the manager's PIN.
    Confirm {
        pin: String,
        reason: String,
        /// The number of lost redemptions as the manager typed it.
        confirm_loss: String,
        /// The last receipt number printed on paper (when the current store cannot be read).
        last_receipt: String,
    },
    Cancel,
}

#[derive(Default)]
pub struct RestoreScreen {
    pub backups: Vec<BackupListing>,
    pub preview: Option<RestorePreview>,
    pub pin: String,
    pub reason: String,
    pub confirm_loss: String,
    pub last_receipt: String,
    pub dialog: Option<egui_file::FileDialog>,
}

fn when(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| t!("restore.unknown").to_string())
}

fn receipt(r: Option<crate::core::ReceiptNo>) -> String {
    r.map(|r| r.to_string())
        .unwrap_or_else(|| t!("restore.no_receipt").to_string())
}

impl RestoreScreen {
    /// The dialog for a backup file, in the clerk's language, showing folders and `.db` files.
    pub fn open_dialog(&mut self, start: Option<PathBuf>) {
        let filter: egui_file::Filter<PathBuf> = Box::new(|p: &std::path::Path| {
            p.is_dir() || p.extension().and_then(|e| e.to_str()) == Some("db")
        });
        let mut dialog = egui_file::FileDialog::open_file()
            .title(&t!("restore.dialog_title"))
            .open_button_text(t!("setup.dialog.open").to_string().into())
            .cancel_button_text(t!("setup.dialog.cancel").to_string().into())
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
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<RestoreAction> {
        let mut action = None;
        if let Some(dialog) = &mut self.dialog {
            if dialog.show(ui.ctx()).selected()
                && let Some(path) = dialog.path()
            {
                action = Some(RestoreAction::FileChosen(path.to_path_buf()));
            }
            if !dialog.visible() {
                self.dialog = None;
            }
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(t!("restore.title").to_string());
            ui.label(t!("restore.hint").to_string());
            ui.add_space(8.0);
            match self.preview.clone() {
                None => self.list_ui(ui, &mut action),
                Some(preview) => self.preview_ui(ui, &preview, &mut action),
            }
        });
        action
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, action: &mut Option<RestoreAction>) {
        ui.strong(t!("restore.automatic").to_string());
        if self.backups.is_empty() {
            ui.label(t!("restore.none").to_string());
        }
        egui::Grid::new("restore_backups")
            .striped(true)
            .spacing([24.0, 8.0])
            .show(ui, |ui| {
                for b in &self.backups {
                    ui.label(when(b.taken));
                    if b.sound {
                        ui.colored_label(theme::OK, t!("restore.sound").to_string());
                    } else {
                        ui.colored_label(theme::DANGER, t!("restore.damaged").to_string());
                    }
                    let name = b.file.file_name().map(|n| n.to_string_lossy().to_string());
                    ui.label(name.unwrap_or_default());
                    let choose = ui.add_enabled(
                        b.sound,
                        egui::Button::new(t!("restore.choose").to_string())
                            .min_size(egui::vec2(120.0, 32.0)),
                    );
                    if choose.clicked() {
                        *action = Some(RestoreAction::FileChosen(b.file.clone()));
                    }
                    ui.end_row();
                }
            });
        ui.add_space(12.0);
        let other = egui::Button::new(t!("restore.other_file").to_string())
            .min_size(egui::vec2(260.0, 40.0));
        if ui.add(other).clicked() {
            *action = Some(RestoreAction::PickFile);
        }
    }

    fn preview_ui(
        &mut self,
        ui: &mut egui::Ui,
        p: &RestorePreview,
        action: &mut Option<RestoreAction>,
    ) {
        ui.strong(t!("restore.what_it_does").to_string());
        egui::Grid::new("restore_preview")
            .spacing([24.0, 0.0])
            .show(ui, |ui| {
                let mut row = |k: &str, v: String| {
                    ui.label(t!(k).to_string());
                    ui.label(v);
                    ui.end_row();
                };
                row("restore.file", p.file.display().to_string());
                row("restore.taken", when(p.taken.or(p.last_entry)));
                row("restore.last_entry", when(p.last_entry));
                row("restore.backup_receipt", receipt(p.backup_last_receipt));
                row(
                    "restore.current_receipt",
                    if p.current_readable {
                        receipt(p.current_last_receipt)
                    } else {
                        t!("restore.current_unreadable").to_string()
                    },
                );
            });
        ui.add_space(6.0);
        let lost = p.lost;
        if lost > 0 {
            ui.colored_label(
                theme::DANGER,
                egui::RichText::new(t!("restore.loses", lost = lost).to_string()).size(20.0),
            );
            ui.horizontal(|ui| {
                let label = ui.label(t!("restore.type_lost", lost = lost).to_string());
                ui.add(egui::TextEdit::singleline(&mut self.confirm_loss).desired_width(80.0))
                    .labelled_by(label.id);
            });
        } else {
            ui.label(t!("restore.loses_none").to_string());
        }
        if p.current_readable {
            // No receipt issued yet is a sentence of its own: "continues after 还没有小票" is
            // not Chinese.
            ui.label(match p.continue_after {
                Some(after) => t!(
                    "restore.continues",
                    after = after.to_string(),
                    next = format!("{}-{:06}", after.year, after.seq + 1)
                )
                .to_string(),
                None => t!("restore.continues_none").to_string(),
            });
        } else {
            ui.colored_label(theme::DANGER, t!("restore.paper_hint").to_string());
            ui.horizontal(|ui| {
                let label = ui.label(t!("restore.paper_receipt").to_string());
                ui.add(
                    egui::TextEdit::singleline(&mut self.last_receipt)
                        .hint_text("2026-000123")
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            });
        }
        ui.add_space(4.0);
        // Reason and PIN side by side: the buttons stay on a 1024×768 screen.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t!("restore.reason").to_string());
            ui.add(egui::TextEdit::singleline(&mut self.reason).desired_width(360.0))
                .labelled_by(label.id);
            ui.add_space(16.0);
            let label = ui.label(t!("restore.pin").to_string());
            ui.add(
                egui::TextEdit::singleline(&mut self.pin)
                    .password(true)
                    .char_limit(8)
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let go = egui::Button::new(
                egui::RichText::new(t!("restore.confirm").to_string()).color(theme::DANGER),
            )
            .min_size(egui::vec2(200.0, 44.0));
            if ui.add(go).clicked() {
                *action = Some(RestoreAction::Confirm {
                    pin: self.pin.clone(),
                    reason: self.reason.clone(),
                    confirm_loss: self.confirm_loss.clone(),
                    last_receipt: self.last_receipt.clone(),
                });
            }
            if ui
                .add(
                    egui::Button::new(t!("restore.back").to_string())
                        .min_size(egui::vec2(160.0, 44.0)),
                )
                .clicked()
            {
                *action = Some(RestoreAction::Cancel);
            }
        });
    }
}
