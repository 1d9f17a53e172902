//! Public notices in the app: choose one and its period, look at the rendered pages, then save
//! the A4 PDF or the PNG pages (for the village WeChat group), or print the short slip.

use eframe::egui;
use rust_i18n::t;

use super::{Action, widgets};
use crate::app::notices::NoticeKind;

pub struct NoticesScreen {
    pub kind: NoticeKind,
    pub period: String,
    pub group: String,
    pub folder: String,
    /// The rendered pages, as textures ready to draw.
    pub pages: Vec<egui::TextureHandle>,
    /// The management rules' template while a manager edits it.
    pub rules_text: Option<String>,
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
        }
    }
}

fn kind_label(kind: NoticeKind) -> String {
    t!(format!("ui.notices.kind_{}", kind.as_str())).to_string()
}

impl NoticesScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, manager: bool) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.notices.title").to_string());
        ui.horizontal_wrapped(|ui| {
            // One button per notice: large targets for a touch screen, no hidden menu.
            for kind in NoticeKind::ALL {
                ui.selectable_value(&mut self.kind, kind, kind_label(kind));
            }
            widgets::field(ui, &t!("ui.notices.period"), &mut self.period, 100.0);
            widgets::field(ui, &t!("ui.notices.group"), &mut self.group, 140.0);
            if ui.button(t!("ui.notices.show").to_string()).clicked() {
                action = Some(Action::ShowNotice);
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
        if manager && self.kind == NoticeKind::Rules {
            action = action.or(self.rules_ui(ui));
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
