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
}

impl Default for NoticesScreen {
    fn default() -> Self {
        NoticesScreen {
            kind: NoticeKind::Prices,
            period: String::new(),
            group: String::new(),
            folder: String::new(),
            pages: Vec::new(),
        }
    }
}

fn kind_label(kind: NoticeKind) -> String {
    t!(format!("ui.notices.kind_{}", kind.as_str())).to_string()
}

impl NoticesScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.heading(t!("ui.notices.title").to_string());
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_label(t!("ui.notices.kind").to_string())
                .selected_text(kind_label(self.kind))
                .show_ui(ui, |ui| {
                    for kind in NoticeKind::ALL {
                        ui.selectable_value(&mut self.kind, kind, kind_label(kind));
                    }
                });
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
