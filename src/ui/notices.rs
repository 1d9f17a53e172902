//! Public notices in the app: choose one and its period, look at the rendered pages, then save
//! the A4 PDF or the PNG pages (for the village WeChat group), or print the short slip.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::notices::NoticeKind;

/// What a preview was made for: a preview is only ever shown under the same choice.
pub type PreviewKey = (NoticeKind, String, String);

/// Pages rendered on a worker thread, decoded and ready to become textures.
pub type RenderedPages = Result<Vec<egui::ColorImage>, String>;

/// A save that would overwrite: the clerk chooses; the default is the free name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSave {
    pub png: bool,
    pub existing: String,
    pub suggested: String,
}

pub struct NoticesScreen {
    pub kind: NoticeKind,
    pub period: String,
    pub group: String,
    pub folder: String,
    /// The rendered pages, as textures ready to draw.
    pub pages: Vec<egui::TextureHandle>,
    /// The management rules' template while a manager edits it.
    pub rules_text: Option<String>,
    /// The choice the pages above belong to.
    pub pages_for: Option<PreviewKey>,
    /// A preview being rendered off the UI thread, for this choice.
    pub rendering: Option<(PreviewKey, std::sync::mpsc::Receiver<RenderedPages>)>,
    pub pending_save: Option<PendingSave>,
}

impl Default for NoticesScreen {
    fn default() -> Self {
        NoticesScreen {
            kind: NoticeKind::Prices,
            period: String::new(),
            group: String::new(),
            folder: String::new(),
            pages: Vec::new(),
            rules_text: None,
            pages_for: None,
            rendering: None,
            pending_save: None,
        }
    }
}

fn kind_label(kind: NoticeKind) -> String {
    t!(format!("ui.notices.kind_{}", kind.as_str())).to_string()
}

impl NoticesScreen {
    pub fn key(&self) -> PreviewKey {
        (
            self.kind,
            self.period.trim().to_string(),
            self.group.trim().to_string(),
        )
    }

    /// A finished render becomes the preview if it is still for what is chosen; pages made for
    /// another choice are dropped, never shown under it.
    fn poll_preview(&mut self, ctx: &egui::Context) -> Option<String> {
        let key = self.key();
        if self.pages_for.as_ref().is_some_and(|k| *k != key) {
            self.pages.clear();
            self.pages_for = None;
        }
        let (for_key, rx) = self.rendering.as_ref()?;
        let outcome = match rx.try_recv() {
            Ok(outcome) => outcome,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
                return None;
            }
            Err(_) => Err(t!("notices18.render_failed").to_string()),
        };
        let for_key = for_key.clone();
        self.rendering = None;
        if for_key != key {
            return None;
        }
        match outcome {
            Ok(images) => {
                self.pages = images
                    .into_iter()
                    .enumerate()
                    .map(|(i, image)| {
                        ctx.load_texture(
                            format!("notice-page-{i}"),
                            image,
                            egui::TextureOptions::LINEAR,
                        )
                    })
                    .collect();
                self.pages_for = Some(key);
                None
            }
            Err(e) => Some(e),
        }
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, manager: bool) -> Option<Action> {
        let mut action = None;
        if let Some(problem) = self.poll_preview(ui.ctx()) {
            action = Some(Action::NoticeProblem(problem));
        }
        ui.heading(t!("ui.notices.title").to_string());
        ui.horizontal_wrapped(|ui| {
            // One button per notice: large targets for a touch screen, no hidden menu.
            for kind in NoticeKind::ALL {
                ui.selectable_value(&mut self.kind, kind, kind_label(kind));
            }
        });
        ui.horizontal_wrapped(|ui| {
            widgets::field(ui, &t!("ui.notices.period"), &mut self.period, 100.0);
            widgets::field(ui, &t!("ui.notices.group"), &mut self.group, 140.0);
            if ui.button(t!("ui.notices.show").to_string()).clicked() {
                action = Some(Action::ShowNotice);
            }
            if self.rendering.is_some() {
                ui.spinner();
                ui.label(t!("notices18.rendering").to_string());
            }
        });
        ui.horizontal_wrapped(|ui| {
            widgets::field(ui, &t!("ui.notices.folder"), &mut self.folder, 260.0);
            if ui.button(t!("ui.notices.save_pdf").to_string()).clicked() {
                action = Some(Action::SaveNotice { png: false });
            }
            if ui.button(t!("ui.notices.save_png").to_string()).clicked() {
                action = Some(Action::SaveNotice { png: true });
            }
            if self.kind.fits_receipt()
                && ui.button(t!("ui.notices.print_slip").to_string()).clicked()
            {
                action = Some(Action::PrintNoticeSlip);
            }
        });
        if let Some(pending) = &self.pending_save {
            action = action.or(overwrite_ui(ui, pending));
        }
        if manager && self.kind == NoticeKind::Rules {
            action = action.or(self.rules_ui(ui));
        }
        if self.pages.is_empty() && self.rendering.is_none() {
            ui.label(t!("notices18.no_preview").to_string());
        }
        egui::ScrollArea::vertical()
            .id_salt("notice-pages")
            .show(ui, |ui| {
                for page in &self.pages {
                    let size = page.size_vec2();
                    let width = ui.available_width().min(size.x);
                    ui.add(
                        egui::Image::new(page)
                            .fit_to_exact_size(egui::vec2(width, size.y * width / size.x)),
                    );
                }
            });
        action
    }
}

/// 文件已存在: save under the free name (the default), overwrite, or leave it.
fn overwrite_ui(ui: &mut egui::Ui, pending: &PendingSave) -> Option<Action> {
    let mut action = None;
    ui.group(|ui| {
        ui.colored_label(
            super::theme::DANGER,
            t!("notices18.exists", file = pending.existing).to_string(),
        );
        ui.horizontal_wrapped(|ui| {
            let new_name = t!("notices18.save_as", file = pending.suggested).to_string();
            if ui.button(egui::RichText::new(new_name).strong()).clicked() {
                action = Some(Action::SaveNoticeResolved {
                    png: pending.png,
                    overwrite: false,
                });
            }
            if ui.button(t!("notices18.overwrite").to_string()).clicked() {
                action = Some(Action::SaveNoticeResolved {
                    png: pending.png,
                    overwrite: true,
                });
            }
            if ui.button(t!("ui.cancel").to_string()).clicked() {
                action = Some(Action::CancelSaveNotice);
            }
        });
    });
    action
}

impl NoticesScreen {
    /// The management rules (管理制度) are the store's own text: a manager edits the template.
    fn rules_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        match &mut self.rules_text {
            None => {
                if ui.button(t!("ui.notices.edit_rules").to_string()).clicked() {
                    action = Some(Action::EditRulesTemplate);
                }
            }
            Some(text) => {
                // The save button above the text, so a long text never pushes it off screen.
                if ui.button(t!("ui.notices.save_rules").to_string()).clicked() {
                    action = Some(Action::SaveRulesTemplate(text.clone()));
                }
                let label = ui.label(t!("ui.notices.rules_hint").to_string());
                egui::ScrollArea::vertical()
                    .id_salt("rules-text")
                    .max_height(ui.available_height() * 0.6)
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(text)
                                .desired_rows(8)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    });
            }
        }
        action
    }
}
