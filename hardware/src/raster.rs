//! Drawing a line of text as a 1-bit image, for the characters a printer's ROM font does
//! not have (CJK Ext A/B names such as 䶮 and 𠇔). Each character is drawn in the same
//! cell grid as printed text (12 dots for ASCII, 24 for the rest), so a raster line lines
//! up with the text lines around it and measures the same as `gbk_width`.
//! Ours: escpos draws no text into images (its `bit_image` only converts an image file).

use ab_glyph::{Font, FontVec, GlyphId, PxScale, point};
use thiserror::Error;

use crate::doc::Align;
use crate::text::{char_width, gbk_width};

#[derive(Debug, Error)]
pub enum FontError {
    #[error("not a font this program can read (TrueType/OpenType, face 0)")]
    Invalid,
}

/// A 1-bit image packed as `GS v 0` wants it: rows of `width_bytes`, MSB leftmost, 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width_bytes: usize,
    height: usize,
    bits: Vec<u8>,
}

impl Bitmap {
    /// A white image; the width is rounded up to whole bytes.
    pub fn new(width_dots: usize, height: usize) -> Self {
        let width_bytes = width_dots.div_ceil(8);
        Self {
            width_bytes,
            height,
            bits: vec![0; width_bytes * height],
        }
    }

    /// Rebuild from packed rows (as decoded from `GS v 0`); short data is padded white.
    pub fn from_packed(width_bytes: usize, height: usize, mut bits: Vec<u8>) -> Self {
        bits.resize(width_bytes * height, 0);
        Self {
            width_bytes,
            height,
            bits,
        }
    }

    pub fn width_dots(&self) -> usize {
        self.width_bytes * 8
    }

    pub fn width_bytes(&self) -> usize {
        self.width_bytes
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width_dots()
            && y < self.height
            && self.bits[y * self.width_bytes + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// Blacken a dot; dots outside the image are ignored (a glyph may overhang its cell).
    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width_dots() && y < self.height {
            self.bits[y * self.width_bytes + x / 8] |= 0x80 >> (x % 8);
        }
    }

    pub fn black_dots(&self) -> usize {
        self.bits.iter().map(|b| b.count_ones() as usize).sum()
    }
}

/// The bundled fonts: the UI font first, the rare-character font for what it lacks.
pub struct RasterFont {
    primary: FontVec,
    fallback: Option<FontVec>,
}

impl RasterFont {
    /// `primary` (e.g. wqy-microhei.ttc) and `fallback` (the Noto CJK rare subset); face 0 of each.
    pub fn new(primary: Vec<u8>, fallback: Vec<u8>) -> Result<Self, FontError> {
        Ok(Self {
            primary: load(primary)?,
            fallback: Some(load(fallback)?),
        })
    }

    pub fn primary_only(primary: Vec<u8>) -> Result<Self, FontError> {
        Ok(Self {
            primary: load(primary)?,
            fallback: None,
        })
    }

    /// Whether either font has a glyph for `c` (else a box is drawn, never a `?`).
    pub fn has_glyph(&self, c: char) -> bool {
        self.pick(c).is_some()
    }

    fn pick(&self, c: char) -> Option<(&FontVec, GlyphId)> {
        std::iter::once(&self.primary)
            .chain(self.fallback.as_ref())
            .map(|f| (f, f.glyph_id(c)))
            .find(|(_, id)| id.0 != 0)
    }

    /// Draw `text` across `width_dots`, 24 dots high per `scale` (1 normal, 2 double size),
    /// aligned like printed text. Characters past the right edge are not drawn.
    pub fn render_line(&self, text: &str, width_dots: usize, scale: usize, align: Align) -> Bitmap {
        let scale = scale.max(1);
        let cell = 12 * scale;
        let height = 24 * scale;
        let mut bitmap = Bitmap::new(width_dots, height);
        let used = gbk_width(text) * cell;
        let mut x = match align {
            Align::Left => 0,
            Align::Center => width_dots.saturating_sub(used) / 2,
            Align::Right => width_dots.saturating_sub(used),
        };
        for c in text.chars() {
            let w = char_width(c) * cell;
            if x + w > width_dots {
                break;
            }
            if c != ' ' {
                self.draw_char(&mut bitmap, c, x, w, height);
            }
            x += w;
        }
        bitmap
    }

    fn draw_char(&self, bitmap: &mut Bitmap, c: char, cell_x: usize, cell_w: usize, height: usize) {
        let Some((font, id)) = self.pick(c) else {
            draw_box(bitmap, cell_x, cell_w, height);
            return;
        };
        // Size the font by its em square, not its line height: CJK fonts' ascent+descent
        // is ~1.4 em, which would shrink the characters. Leave a dot of margin.
        let em = (height - 2 * (height / 24)) as f32;
        let per_em = font.height_unscaled() / font.units_per_em().unwrap_or(1000.0);
        let baseline = (height as f32 - em) / 2.0 + em * 0.88;
        let mut px = PxScale::from(em * per_em);
        let glyph = id.with_scale_and_position(px, point(0.0, baseline));
        let Some(outline) = font.outline_glyph(glyph) else {
            return; // a blank glyph
        };
        let wide = outline.px_bounds().width();
        if wide > cell_w as f32 {
            // Proportional Latin glyphs (W, m) are wider than a 12-dot cell: squeeze them.
            px.x *= cell_w as f32 / wide;
        }
        let Some(outline) =
            font.outline_glyph(id.with_scale_and_position(px, point(0.0, baseline)))
        else {
            return;
        };
        let bounds = outline.px_bounds();
        let left = cell_x as f32 + (cell_w as f32 - bounds.width()) / 2.0;
        outline.draw(|gx, gy, coverage| {
            if coverage >= 0.5 {
                let x = (left + gx as f32).round();
                let y = (bounds.min.y + gy as f32).round();
                if x >= 0.0 && y >= 0.0 {
                    bitmap.set(x as usize, y as usize);
                }
            }
        });
    }
}

fn load(bytes: Vec<u8>) -> Result<FontVec, FontError> {
    FontVec::try_from_vec_and_index(bytes, 0).map_err(|_| FontError::Invalid)
}

/// A hollow box for a character no bundled font has: visibly missing, not silently wrong.
fn draw_box(bitmap: &mut Bitmap, cell_x: usize, cell_w: usize, height: usize) {
    let (x0, x1) = (cell_x + 2, cell_x + cell_w.saturating_sub(3));
    let (y0, y1) = (3, height.saturating_sub(4));
    for x in x0..=x1 {
        bitmap.set(x, y0);
        bitmap.set(x, y1);
    }
    for y in y0..=y1 {
        bitmap.set(x0, y);
        bitmap.set(x1, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_pack_msb_first() {
        let mut b = Bitmap::new(10, 2);
        assert_eq!(b.width_bytes(), 2);
        b.set(0, 0);
        b.set(9, 1);
        b.set(99, 0);
        assert_eq!(b.bits(), &[0x80, 0, 0, 0x40]);
        assert!(b.get(9, 1) && !b.get(1, 0));
    }
}
