//! Building, showing, saving and printing the notice chosen on the notices screen.

use std::path::PathBuf;

use eframe::egui;
use rust_i18n::t;

use super::{Action, JifenApp};
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

    pub(super) fn apply_notice(
        &mut self,
        action: Action,
        ctx: Option<&egui::Context>,
        actor: &Actor,
    ) -> Result<Option<String>, String> {
        match action {
            Action::ShowNotice => {
                let doc = self.notice_doc()?;
                let pages =
                    notice_png::notice_png_pages(&doc, PREVIEW_DPI).map_err(|e| e.to_string())?;
                let Some(ctx) = ctx else { return Ok(None) };
                self.notices.pages = pages
                    .iter()
                    .enumerate()
                    .filter_map(|(i, png)| {
                        let image = image::load_from_memory(png).ok()?.to_rgba8();
                        let size = [image.width() as usize, image.height() as usize];
                        let colour = egui::ColorImage::from_rgba_unmultiplied(size, image.as_raw());
                        Some(ctx.load_texture(
                            format!("notice-page-{i}"),
                            colour,
                            egui::TextureOptions::LINEAR,
                        ))
                    })
                    .collect();
                Ok(None)
            }
            Action::SaveNotice { png } => {
                let doc = self.notice_doc()?;
                let folder = PathBuf::from(self.notices.folder.trim());
                if folder.as_os_str().is_empty() {
                    return Err(t!("ui.day.folder_needed").to_string());
                }
                let stem = format!(
                    "{}-{}",
                    self.notices.kind.as_str(),
                    self.now().format("%Y%m%d")
                );
                let io = |e: std::io::Error| e.to_string();
                if png {
                    let pages =
                        notice_png::notice_png_pages(&doc, SHARE_DPI).map_err(|e| e.to_string())?;
                    let names = notice_png::page_file_names(
                        &folder.join(format!("{stem}.png")),
                        pages.len(),
                    );
                    for (page, path) in pages.iter().zip(&names) {
                        std::fs::write(path, page).map_err(io)?;
                    }
                    Ok(Some(
                        t!("ui.notices.saved", file = folder.display()).to_string(),
                    ))
                } else {
                    let path = folder.join(format!("{stem}.pdf"));
                    std::fs::write(
                        &path,
                        notice_pdf::notice_pdf(&doc).map_err(|e| e.to_string())?,
                    )
                    .map_err(io)?;
                    Ok(Some(
                        t!("ui.notices.saved", file = path.display()).to_string(),
                    ))
                }
            }
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
