//! Fonts and sizes for a counter PC: the bundled CJK fonts (egui has none) and type large
//! enough to read at arm's length on 1366×768.

use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

// The same bundled fonts the cards and notices use: WenQuanYi Micro Hei (Apache-2.0, ~21k
// common characters) and a Noto Sans CJK SC subset (OFL-1.1) holding only CJK Extension A and
// B, for rare characters in villagers' names (䶮, 𠇔) that Micro Hei lacks.
use crate::notice::fonts::{MAIN_FONT as UI_FONT, RARE_FONT};

pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("wqy".to_owned(), Arc::new(FontData::from_static(UI_FONT)));
    fonts.font_data.insert(
        "noto-rare".to_owned(),
        Arc::new(FontData::from_static(RARE_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        // Chinese first so that Chinese punctuation uses Chinese glyph shapes.
        list.insert(0, "wqy".to_owned());
        list.push("noto-rare".to_owned());
    }
    ctx.set_fonts(fonts);
}

pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(15.0)),
            (TextStyle::Body, FontId::proportional(19.0)),
            (TextStyle::Button, FontId::proportional(20.0)),
            (TextStyle::Heading, FontId::proportional(28.0)),
            (TextStyle::Monospace, FontId::monospace(19.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(12.0, 8.0);
        style.spacing.interact_size = egui::vec2(48.0, 40.0);
    });
}

pub const DANGER: egui::Color32 = egui::Color32::from_rgb(200, 40, 40);
pub const OK: egui::Color32 = egui::Color32::from_rgb(30, 130, 60);
