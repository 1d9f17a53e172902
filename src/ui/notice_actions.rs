//! Building, showing, saving and printing the notice chosen on the notices screen.

use std::path::PathBuf;

use eframe::egui;
use rust_i18n::t;

use super::{Action, JifenApp, notice_files};
use crate::app::notices::{NoticeRequest, document};
use crate::app::{self, Actor};
use crate::core::notice_period::NoticePeriod;
use crate::notice::{notice_pdf, notice_png, notice_text};

/// Preview resolution: sharp enough to read on a counter screen, light enough to draw.
const PREVIEW_DPI: f32 = 80.0;
/// Resolution of the PNG pages saved for sharing in a WeChat group.
const SHARE_DPI: f32 = 150.0;

impl JifenApp {
    /// How many notice pages are rendered for preview (for tests and the screen).
    pub fn notice_pages(&self) -> &[egui::TextureHandle] {
        &self.notices.pages
    }

    fn notice_doc(&mut self) -> Result<crate::notice::document::NoticeDoc, String> {
        let now = self.now();
        let screen = &self.notices;
        let period = if screen.period.trim().is_empty() {
            NoticePeriod::Month(crate::core::Period::of(now.date()))
        } else {
            screen.period.trim().parse().map_err(|_| {
                t!("ui.notices.bad_period", period = screen.period.trim()).to_string()
            })?
        };
        let mut request = NoticeRequest::new(screen.kind, period);
        if !screen.group.trim().is_empty() {
            request.group = Some(
                screen
                    .group
                    .trim()
                    .parse()
                    .map_err(|r| app::messages::refusal(&r))?,
            );
        }
        document(&mut self.db, &request, now).map_err(|e| e.to_string())
    }

    /// Saves the notice named by kind, period and group. An existing file is never replaced
    /// unasked: `resolved` is `None` on the first try (which asks), then the clerk's answer.
    fn save_notice(&mut self, png: bool, resolved: Option<bool>) -> Result<Option<String>, String> {
        let doc = self.notice_doc()?;
        let folder = PathBuf::from(self.notices.folder.trim());
        if folder.as_os_str().is_empty() {
            return Err(t!("ui.day.folder_needed").to_string());
        }
        let period = if self.notices.period.trim().is_empty() {
            crate::core::Period::of(self.now().date()).to_string()
        } else {
            self.notices.period.trim().to_string()
        };
        let stem = notice_files::notice_stem(self.notices.kind, &period, &self.notices.group);
        let pages = if png {
            notice_png::notice_png_pages(&doc, SHARE_DPI).map_err(|e| e.to_string())?
        } else {
            vec![notice_pdf::notice_pdf(&doc).map_err(|e| e.to_string())?]
        };
        let wanted = notice_files::files_for(&folder, &stem, png, pages.len());
        let stem = match resolved {
            None if wanted.iter().any(|f| f.exists()) => {
                let free = notice_files::free_stem(&folder, &stem, png, pages.len());
                let suggested = notice_files::files_for(&folder, &free, png, pages.len());
                self.notices.pending_save = Some(super::notices::PendingSave {
                    png,
                    existing: wanted[0].display().to_string(),
                    suggested: suggested[0].display().to_string(),
                });
                return Ok(None);
            }
            Some(false) => notice_files::free_stem(&folder, &stem, png, pages.len()),
            _ => stem,
        };
        self.notices.pending_save = None;
        let files = notice_files::files_for(&folder, &stem, png, pages.len());
        for (bytes, path) in pages.iter().zip(&files) {
            std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        Ok(Some(
            t!("ui.notices.saved", file = names.join("、")).to_string(),
        ))
    }

    pub(super) fn apply_notice(
        &mut self,
        action: Action,
        ctx: Option<&egui::Context>,
        actor: &Actor,
    ) -> Result<Option<String>, String> {
        match action {
            Action::ShowNotice => {
                let doc = self.notice_doc()?;
                let Some(ctx) = ctx else { return Ok(None) };
                // Rendering a long notice takes about a second: on a thread of its own, with a
                // spinner on screen; the counter never freezes for it.
                let (tx, rx) = std::sync::mpsc::channel();
                let ctx = ctx.clone();
                std::thread::spawn(move || {
                    let pages = notice_png::notice_png_pages(&doc, PREVIEW_DPI)
                        .map_err(|e| e.to_string())
                        .map(|pages| {
                            pages
                                .iter()
                                .filter_map(|png| {
                                    let image = image::load_from_memory(png).ok()?.to_rgba8();
                                    let size = [image.width() as usize, image.height() as usize];
                                    Some(egui::ColorImage::from_rgba_unmultiplied(
                                        size,
                                        image.as_raw(),
                                    ))
                                })
                                .collect()
                        });
                    let _ = tx.send(pages);
                    ctx.request_repaint();
                });
                self.notices.pages.clear();
                self.notices.pages_for = None;
                self.notices.rendering = Some((self.notices.key(), rx));
                Ok(None)
            }
            Action::NoticeProblem(problem) => Err(problem),
            Action::CancelSaveNotice => {
                self.notices.pending_save = None;
                Ok(None)
            }
            Action::SaveNotice { png } => self.save_notice(png, None),
            Action::SaveNoticeResolved { png, overwrite } => self.save_notice(png, Some(overwrite)),
            Action::EditRulesTemplate => {
                self.notices.rules_text =
                    Some(app::notices::rules_template(&mut self.db).map_err(|e| e.to_string())?);
                Ok(None)
            }
            Action::SaveRulesTemplate(text) => {
                let now = self.now();
                app::notices::save_rules_template(&mut self.db, actor, &text, now)
                    .map_err(|e| e.to_string())?;
                self.notices.rules_text = None;
                Ok(Some(t!("ui.notices.rules_saved").to_string()))
            }
            Action::PrintNoticeSlip => {
                let doc = self.notice_doc()?;
                let settings = app::settings::PrinterSettings::load(&mut self.db)
                    .map_err(|e| e.to_string())?;
                let bytes = app::printing::render_doc(&notice_text::notice_slip(&doc), &settings)
                    .map_err(|e| e.to_string())?;
                app::printing::send(&settings, &bytes)
                    .map_err(|p| p.message(&rust_i18n::locale()))?;
                Ok(Some(t!("ui.print.test_queued").to_string()))
            }
            _ => Ok(None),
        }
    }
}
