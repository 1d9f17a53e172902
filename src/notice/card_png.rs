//! One card as a PNG at print resolution, for saving, sending to a phone, or a card printer.

use ab_glyph::{Font, PxScale, point};
use image::{Rgb as Pixel, RgbImage};

use super::NoticeError;
use super::fonts::Fonts;
use super::layout::{CARD_H_MM, CARD_W_MM, Item, Rgb, card_items};
use super::qr::QUIET_ZONE;
use crate::core::card::CardFace;

/// 300 dpi: what card and photo printers print at; a QR module is then 16 pixels.
pub const DPI: f32 = 300.0;
const PX_PER_MM: f32 = DPI / 25.4;

fn px(mm: f32) -> i64 {
    (mm * PX_PER_MM).round() as i64
}

/// The card drawn in memory (1011 × 638 pixels).
pub fn card_image(face: &CardFace) -> Result<RgbImage, NoticeError> {
    let fonts = Fonts::get()?;
    let mut image = RgbImage::new(px(CARD_W_MM) as u32, px(CARD_H_MM) as u32);
    for item in card_items(face)? {
        match item {
            Item::Fill { x, y, w, h, colour } => {
                fill(&mut image, px(x), px(y), px(x + w), px(y + h), colour)
            }
            Item::Text {
                x,
                baseline,
                size,
                text,
                colour,
            } => draw_text(&mut image, fonts, x, baseline, size, &text, colour),
            Item::Qr {
                x,
                y,
                module,
                matrix,
            } => {
                // Whole pixels per module: uneven modules make a symbol harder to read.
                let m = px(module).max(1);
                let quiet = (QUIET_ZONE as i64) * m;
                let side = matrix.width_with_quiet_zone() as i64 * m;
                let (x0, y0) = (px(x), px(y));
                fill(
                    &mut image,
                    x0,
                    y0,
                    x0 + side,
                    y0 + side,
                    super::layout::WHITE,
                );
                for (row, col, len) in matrix.dark_runs() {
                    let left = x0 + quiet + col as i64 * m;
                    let top = y0 + quiet + row as i64 * m;
                    fill(
                        &mut image,
                        left,
                        top,
                        left + len as i64 * m,
                        top + m,
                        super::layout::BLACK,
                    );
                }
            }
        }
    }
    Ok(image)
}

/// The card as PNG bytes, with its resolution recorded so that it prints at card size.
pub fn card_png(face: &CardFace) -> Result<Vec<u8>, NoticeError> {
    super::notice_png::encode(&card_image(face)?, PX_PER_MM)
}

fn fill(image: &mut RgbImage, left: i64, top: i64, right: i64, bottom: i64, colour: Rgb) {
    let (w, h) = (i64::from(image.width()), i64::from(image.height()));
    for y in top.clamp(0, h)..bottom.clamp(0, h) {
        for x in left.clamp(0, w)..right.clamp(0, w) {
            image.put_pixel(x as u32, y as u32, Pixel([colour.0, colour.1, colour.2]));
        }
    }
}

fn draw_text(
    image: &mut RgbImage,
    fonts: &Fonts,
    x: f32,
    baseline: f32,
    size: f32,
    text: &str,
    colour: Rgb,
) {
    let size_px = size * PX_PER_MM;
    let mut pen = x * PX_PER_MM;
    let base = baseline * PX_PER_MM;
    for (face, run) in fonts.runs(text) {
        let font = fonts.font(face);
        // PxScale is relative to the font's height (ascent - descent), not to its em.
        let units = font.units_per_em().unwrap_or(1000.0);
        let scale = PxScale::from(size_px * font.height_unscaled() / units);
        for c in run.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(scale, point(pen, base));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                outlined.draw(|gx, gy, coverage| {
                    let (x, y) = (
                        bounds.min.x as i64 + i64::from(gx),
                        bounds.min.y as i64 + i64::from(gy),
                    );
                    blend(image, x, y, colour, coverage);
                });
            }
            pen += font.h_advance_unscaled(id) / units * size_px;
        }
    }
}

fn blend(image: &mut RgbImage, x: i64, y: i64, colour: Rgb, coverage: f32) {
    if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) {
        return;
    }
    let a = coverage.clamp(0.0, 1.0);
    let pixel = image.get_pixel_mut(x as u32, y as u32);
    let over = [colour.0, colour.1, colour.2];
    for (channel, new) in pixel.0.iter_mut().zip(over) {
        *channel = (f32::from(*channel) * (1.0 - a) + f32::from(new) * a).round() as u8;
    }
}
