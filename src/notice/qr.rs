//! The QR symbol of a card payload as a grid of modules, drawn by every renderer (PNG, PDF,
//! and the receipt printer's raster fallback) so that all of them print the same code.

use qrcode::{Color, EcLevel, QrCode};

use super::NoticeError;
use crate::core::card::CardPayload;

/// Light modules around the symbol that scanners need to find it.
pub const QUIET_ZONE: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Level Q: 24 digits still fit version 1 (21 modules), and a card worn in a pocket for
    /// years keeps a quarter of its modules to spare.
    pub fn encode(payload: &CardPayload) -> Result<Self, NoticeError> {
        let code = QrCode::with_error_correction_level(payload.as_str(), EcLevel::Q)
            .map_err(|e| NoticeError::Qr(e.to_string()))?;
        Ok(QrMatrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Runs of dark modules per row as (row, first column, length): one rectangle each
    /// instead of one per module, which keeps PDFs small and avoids hairline seams.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}
