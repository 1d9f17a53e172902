//! QR codes: the printer's own `GS ( k` (built by escpos) when it has one, else the same code
//! drawn as a raster image from the `qrcode` crate. The fallback is ours: escpos only sends
//! `GS ( k`, which cheap firmware often lacks.

use qrcode::{Color, EcLevel, QrCode};

use crate::raster::Bitmap;

/// Module size we ask for: 6 dots makes a version-2 card payload ~2.5 cm, easy to scan.
pub const MODULE_DOTS: usize = 6;
/// White modules around the code that scanners need.
const QUIET_ZONE: usize = 4;

/// The module matrix at EC level M, as the printer would build it.
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// `None` when the payload is too long for any QR version at level M.
    pub fn new(data: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
        Some(Self {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules across, quiet zone not included.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The largest module size up to `MODULE_DOTS` that keeps code and quiet zone on the paper.
    pub fn module_for(&self, paper_dots: usize) -> Option<usize> {
        let size = (paper_dots / (self.width + 2 * QUIET_ZONE)).min(MODULE_DOTS);
        (size >= 1).then_some(size)
    }

    /// The code with its quiet zone, centred on the paper by white dots on the left only
    /// (no bytes are spent on the right margin).
    pub fn to_bitmap(&self, module: usize, paper_dots: usize) -> Bitmap {
        let side = (self.width + 2 * QUIET_ZONE) * module;
        let left_bytes = paper_dots.saturating_sub(side) / 2 / 8;
        let left = left_bytes * 8;
        let mut bitmap = Bitmap::new(left + side, side);
        for my in 0..self.width {
            for mx in 0..self.width {
                if self.dark[my * self.width + mx] {
                    let x0 = left + (mx + QUIET_ZONE) * module;
                    let y0 = (my + QUIET_ZONE) * module;
                    for y in y0..y0 + module {
                        for x in x0..x0 + module {
                            bitmap.set(x, y);
                        }
                    }
                }
            }
        }
        bitmap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_payload_fits_58mm_at_full_module_size() {
        let m = QrMatrix::new("6901234567892012345678").expect("encodes");
        assert_eq!(m.module_for(384), Some(MODULE_DOTS));
        let b = m.to_bitmap(MODULE_DOTS, 384);
        assert!(b.width_dots() <= 384);
        assert!(b.black_dots() > 0);
    }

    #[test]
    fn a_huge_payload_is_refused_not_truncated() {
        assert!(QrMatrix::new(&"9".repeat(10_000)).is_none());
    }
}
