//! Notice pages as PNG images for a village WeChat group, drawn directly from the same page
//! layout as the PDF (no PDF renderer is needed on the counter PC): one image per A4 page,
//! 150 dpi (1240 × 1754 pixels), which a phone shows full width and zooms legibly.

use ab_glyph::{Font, PxScale, point};
use image::{Rgb, RgbImage};

use super::NoticeError;
use super::document::NoticeDoc;
use super::fonts::Fonts;
use super::pages::{Colour, Op, PAGE_H, PAGE_W, paginate};

pub const NOTICE_DPI: f32 = 150.0;

struct Canvas {
    image: RgbImage,
    px_per_mm: f32,
}

/// Every page of the notice as a PNG, in order.
pub fn notice_png_pages(doc: &NoticeDoc, dpi: f32) -> Result<Vec<Vec<u8>>, NoticeError> {
    let fonts = Fonts::get()?;
    let px_per_mm = dpi / 25.4;
    paginate(doc)?
        .iter()
        .map(|ops| {
            let (w, h) = (
                (PAGE_W * px_per_mm).round() as u32,
                (PAGE_H * px_per_mm).round() as u32,
            );
            let mut canvas = Canvas {
                image: RgbImage::from_pixel(w, h, Rgb([255, 255, 255])),
                px_per_mm,
            };
            for op in ops {
                canvas.draw(fonts, op);
            }
            encode(&canvas.image, px_per_mm)
        })
        .collect()
}

/// `notice.png` → `notice.png` for one page, `notice-01.png`, `notice-02.png`… for more (zero
/// padded, so page 10 sorts after page 9 in a file list).
pub fn page_file_names(path: &std::path::Path, pages: usize) -> Vec<std::path::PathBuf> {
    if pages == 1 {
        return vec![path.to_path_buf()];
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "png".into());
    let width = pages.to_string().len().max(2);
    (1..=pages)
        .map(|i| path.with_file_name(format!("{stem}-{i:0width$}.{ext}")))
        .collect()
}

/// PNG bytes of an image with its resolution recorded, so it prints at its true size.
pub(crate) fn encode(image: &RgbImage, px_per_mm: f32) -> Result<Vec<u8>, NoticeError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, image.width(), image.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (px_per_mm * 1000.0).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let fail = |e: png::EncodingError| NoticeError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(image.as_raw()).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(bytes)
}

impl Canvas {
    fn px(&self, mm: f32) -> f32 {
        mm * self.px_per_mm
    }

    fn draw(&mut self, fonts: &Fonts, op: &Op) {
        match op {
            Op::Text {
                x,
                baseline,
                size,
                text,
                colour,
            } => self.text(fonts, *x, *baseline, *size, text, *colour),
            Op::Fill { x, y, w, h, colour } => {
                let (l, t) = (self.px(*x), self.px(*y));
                self.fill(l, t, self.px(x + w), self.px(y + h), *colour, 1.0);
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                colour,
            } => {
                // Lines are axis-aligned; at least one pixel wide so hairlines never vanish.
                let half = (self.px(*width) / 2.0).max(0.5);
                let (l, r) = (self.px(x1.min(*x2)) - half, self.px(x1.max(*x2)) + half);
                let (t, b) = (self.px(y1.min(*y2)) - half, self.px(y1.max(*y2)) + half);
                self.fill(l, t, r, b, *colour, 1.0);
            }
            Op::Circle {
                cx,
                cy,
                r,
                width,
                colour,
            } => {
                let (cx, cy, r) = (self.px(*cx), self.px(*cy), self.px(*r));
                let half = (self.px(*width) / 2.0).max(0.6);
                let steps = (r * 8.0) as usize;
                for i in 0..steps {
                    let a = i as f32 / steps as f32 * std::f32::consts::TAU;
                    // Dashes as in the PDF: 1.6 mm drawn, 1.2 mm left out.
                    if (a * r / self.px_per_mm) % 2.8 > 1.6 {
                        continue;
                    }
                    let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
                    self.fill(x - half, y - half, x + half, y + half, *colour, 1.0);
                }
            }
        }
    }

    /// Fills a rectangle given in fractional pixels, blending partly covered edge pixels.
    fn fill(&mut self, left: f32, top: f32, right: f32, bottom: f32, colour: Colour, alpha: f32) {
        let (w, h) = (self.image.width() as i64, self.image.height() as i64);
        let (x0, x1) = ((left.floor() as i64).max(0), (right.ceil() as i64).min(w));
        let (y0, y1) = ((top.floor() as i64).max(0), (bottom.ceil() as i64).min(h));
        for y in y0..y1 {
            let cover_y = (bottom.min(y as f32 + 1.0) - top.max(y as f32)).clamp(0.0, 1.0);
            for x in x0..x1 {
                let cover_x = (right.min(x as f32 + 1.0) - left.max(x as f32)).clamp(0.0, 1.0);
                self.blend(x, y, colour, alpha * cover_x * cover_y);
            }
        }
    }

    fn blend(&mut self, x: i64, y: i64, colour: Colour, coverage: f32) {
        if x < 0
            || y < 0
            || x >= i64::from(self.image.width())
            || y >= i64::from(self.image.height())
        {
            return;
        }
        let a = coverage.clamp(0.0, 1.0);
        let pixel = self.image.get_pixel_mut(x as u32, y as u32);
        for (channel, new) in pixel.0.iter_mut().zip([colour.0, colour.1, colour.2]) {
            *channel = (f32::from(*channel) * (1.0 - a) + f32::from(new) * a).round() as u8;
        }
    }

    fn text(
        &mut self,
        fonts: &Fonts,
        x: f32,
        baseline: f32,
        size: f32,
        text: &str,
        colour: Colour,
    ) {
        let size_px = self.px(size);
        let mut pen = self.px(x);
        let base = self.px(baseline);
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
                        let (px, py) = (
                            bounds.min.x as i64 + i64::from(gx),
                            bounds.min.y as i64 + i64::from(gy),
                        );
                        self.blend(px, py, colour, coverage);
                    });
                }
                pen += font.h_advance_unscaled(id) / units * size_px;
            }
        }
    }
}
