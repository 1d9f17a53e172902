//! From a `Doc` to the bytes one printer understands. Every line goes out as GB18030
//! text when the profile can print each of its characters, else as one raster line.

use crate::commands;
use crate::doc::{Align, Doc};
use crate::layout::{Block, Line, Size, layout};
use crate::profile::PrinterProfile;
use crate::qr::QrMatrix;
use crate::raster::RasterFont;
use crate::text::{encode_text, line_fits, truncate};

/// Print modes as the printer holds them after `ESC @`; we send a command only on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Modes {
    align: Align,
    bold: bool,
    size: Size,
    reverse: bool,
}

struct Encoder<'a> {
    out: Vec<u8>,
    modes: Modes,
    profile: &'a PrinterProfile,
    font: &'a RasterFont,
}

/// The whole job: `ESC @`, `FS &`, then the document. Never emits `&#NNNN;` or `?` for a
/// character the printer lacks, and no text line is wider than the profile's columns.
pub fn render(doc: &Doc, profile: &PrinterProfile, font: &RasterFont) -> Vec<u8> {
    let mut enc = Encoder {
        out: Vec::with_capacity(1024),
        modes: Modes::default(),
        profile,
        font,
    };
    enc.out.extend_from_slice(&commands::INIT);
    enc.out.extend_from_slice(&commands::CHINESE_ON);
    for block in layout(doc, profile) {
        enc.block(&block);
    }
    enc.set_modes(Modes::default());
    enc.out
}

impl Encoder<'_> {
    fn block(&mut self, block: &Block) {
        match block {
            Block::Line(line) => self.line(line),
            Block::Qr(data) => self.qr(data),
            Block::Feed(n) => self.out.extend_from_slice(&commands::feed(*n)),
            Block::Cut if self.profile.cutter => self.out.extend_from_slice(&commands::CUT),
            // No cutter: feed the last line past the tear bar.
            Block::Cut => self.out.extend_from_slice(&commands::feed(4)),
            Block::DrawerKick if self.profile.drawer_kick => {
                self.out.extend_from_slice(&commands::drawer_kick())
            }
            Block::DrawerKick => {}
        }
    }

    fn set_modes(&mut self, want: Modes) {
        let have = self.modes;
        if want.align != have.align {
            self.out.extend_from_slice(&commands::align(want.align));
        }
        if want.bold != have.bold {
            self.out.extend_from_slice(&commands::bold(want.bold));
        }
        if want.size != have.size {
            self.out
                .extend_from_slice(&commands::size(want.size == Size::Double));
        }
        if want.reverse != have.reverse {
            self.out.extend_from_slice(&commands::reverse(want.reverse));
        }
        self.modes = want;
    }

    fn line(&mut self, line: &Line) {
        let scale = match line.size {
            Size::Normal => 1,
            Size::Double => 2,
        };
        // The layout already fits the paper; this is the last guard of the paper edge.
        let text = truncate(&line.text, self.profile.columns() / scale);
        if line_fits(self.profile, text) {
            self.set_modes(Modes {
                align: line.align,
                bold: line.bold,
                size: line.size,
                reverse: line.reverse,
            });
            self.out.extend_from_slice(&encode_text(text));
            self.out.push(commands::LF);
        } else {
            // The image is the full paper width with the alignment drawn in, so the
            // printer's justification must not shift it again. Bold and reverse are not
            // drawn: a raster line is rare (a name character) and stays plain.
            self.set_modes(Modes::default());
            let dots = self.profile.dots() as usize;
            let bitmap = self.font.render_line(text, dots, scale, line.align);
            self.out.extend_from_slice(&commands::raster_image(&bitmap));
        }
    }

    fn qr(&mut self, data: &str) {
        let dots = self.profile.dots() as usize;
        let fitted = QrMatrix::new(data).and_then(|m| m.module_for(dots).map(|size| (m, size)));
        let Some((matrix, module)) = fitted else {
            // Too long for a QR code on this paper: print what it says instead of nothing.
            for line in crate::text::wrap(data, self.profile.columns()) {
                self.line(&Line {
                    text: line,
                    ..Line::default()
                });
            }
            return;
        };
        if self.profile.native_qr {
            self.set_modes(Modes {
                align: Align::Center,
                ..Modes::default()
            });
            // module ≤ MODULE_DOTS (6), so the cast cannot truncate.
            self.out
                .extend_from_slice(&commands::qr_native(data.as_bytes(), module as u8));
            self.out.push(commands::LF);
        } else {
            self.set_modes(Modes::default());
            let bitmap = matrix.to_bitmap(module, dots);
            self.out.extend_from_slice(&commands::raster_image(&bitmap));
        }
    }
}
