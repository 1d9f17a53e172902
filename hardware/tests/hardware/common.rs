//! Shared fixtures: the bundled fonts (loaded once) and a reader of decoded lines.

use std::path::PathBuf;
use std::sync::OnceLock;

use jifen_hardware::text::gbk_width;
use jifen_hardware::{Decoded, RasterFont, StyleChange};

pub fn font() -> &'static RasterFont {
    static FONT: OnceLock<RasterFont> = OnceLock::new();
    FONT.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts");
        let primary = std::fs::read(dir.join("wqy-microhei.ttc")).expect("bundled UI font");
        let fallback = std::fs::read(dir.join("NotoSansCJKsc-RareSubset.otf"))
            .expect("bundled rare-name font");
        RasterFont::new(primary, fallback).expect("fonts load")
    })
}

/// A printed line as a reader of the paper sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// Text with its horizontal magnification (1 or 2).
    Text(String, usize),
    Image {
        width_dots: usize,
        height: usize,
    },
}

pub fn printed(decoded: &[Decoded]) -> Vec<Printed> {
    let mut magnify = 1;
    let mut out = Vec::new();
    for d in decoded {
        match d {
            Decoded::Style(StyleChange::Size { width, .. }) => magnify = usize::from(*width),
            Decoded::Text(t) => out.push(Printed::Text(t.clone(), magnify)),
            Decoded::Image {
                width_dots, height, ..
            } => out.push(Printed::Image {
                width_dots: *width_dots,
                height: *height,
            }),
            _ => {}
        }
    }
    out
}

pub fn text_lines(decoded: &[Decoded]) -> Vec<String> {
    decoded
        .iter()
        .filter_map(|d| match d {
            Decoded::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// Widest text line in ASCII columns, counting double-width text twice.
pub fn widest(decoded: &[Decoded]) -> usize {
    printed(decoded)
        .iter()
        .map(|p| match p {
            Printed::Text(t, m) => gbk_width(t) * m,
            Printed::Image { .. } => 0,
        })
        .max()
        .unwrap_or(0)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
