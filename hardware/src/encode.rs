//! From a `Doc` to the bytes one printer understands. Every line goes out as GB18030
//! text when the profile can print each of its characters, else as one raster line.
//!
//! The commands are built by the `escpos` crate's `Printer` (styles, alignment, sizes, feeds,
//! the cut, native QR codes), writing into a [`MemoryDriver`]: the job is whole before any byte
//! leaves, so it can be previewed, compared with golden files, and sent later through a
//! transport with our timeouts and status policy.

use std::sync::{Arc, Mutex, PoisonError};

use escpos::driver::Driver;
use escpos::errors::PrinterError;
use escpos::printer::Printer;
use escpos::utils::{
    Encoder, JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};
use thiserror::Error;

use crate::commands;
use crate::doc::{Align, Doc};
use crate::layout::{Block, Line, Size, layout};
use crate::profile::PrinterProfile;
use crate::qr::QrMatrix;
use crate::raster::RasterFont;
use crate::text::{line_fits, truncate};

/// escpos refused to build a command. Our arguments are checked before every call (text that
/// `line_fits`, sizes 1–2, QR payloads that fit a code), so this means a bug, not bad input.
#[derive(Debug, Error)]
#[error("打印内容无法生成 (could not build the printer commands): {0}")]
pub struct RenderError(#[from] PrinterError);

/// The escpos protocol for Chinese printers: GB18030 text and no page code (escpos 0.20 has
/// no Chinese one; `FS &` selects the printer's GB font). Never `allow_unencodable`: it would
/// print `&#NNNN;` where a character is missing; a line we cannot encode goes out as raster.
pub fn protocol() -> Protocol {
    Protocol::new(Encoder::new(encoding_rs::GB18030))
}

/// A driver that keeps what escpos sends, instead of a wire.
#[derive(Clone, Default)]
pub struct MemoryDriver(Arc<Mutex<Vec<u8>>>);

impl MemoryDriver {
    /// Everything written so far, leaving the buffer empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Driver for MemoryDriver {
    fn name(&self) -> String {
        "memory".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Print modes as the printer holds them after `ESC @`; we send a command only on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Modes {
    align: Align,
    bold: bool,
    size: Size,
    reverse: bool,
}

struct Job<'a> {
    printer: Printer<MemoryDriver>,
    modes: Modes,
    profile: &'a PrinterProfile,
    font: &'a RasterFont,
}

type Step = Result<(), RenderError>;

/// The whole job: `ESC @`, `FS &`, then the document. Never emits `&#NNNN;` or `?` for a
/// character the printer lacks, and no text line is wider than the profile's columns.
pub fn render(
    doc: &Doc,
    profile: &PrinterProfile,
    font: &RasterFont,
) -> Result<Vec<u8>, RenderError> {
    let sink = MemoryDriver::default();
    let mut job = Job {
        printer: Printer::new(sink.clone(), protocol(), None),
        modes: Modes::default(),
        profile,
        font,
    };
    job.printer.init()?;
    job.printer.custom(&commands::CHINESE_ON)?;
    for block in layout(doc, profile) {
        job.block(&block)?;
    }
    job.set_modes(Modes::default())?;
    job.printer.print()?;
    Ok(sink.take())
}

fn justify(align: Align) -> JustifyMode {
    match align {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
        Align::Right => JustifyMode::RIGHT,
    }
}

impl Job<'_> {
    fn block(&mut self, block: &Block) -> Step {
        match block {
            Block::Line(line) => self.line(line)?,
            Block::Qr(data) => self.qr(data)?,
            Block::Feed(n) => {
                self.printer.feeds(*n)?;
            }
            // `GS V 65 0`: feed to the cutter and cut. (escpos's `partial_cut` sends
            // `GS V 65 1`, which the ESC/POS manual defines as a full cut one dot later.)
            Block::Cut if self.profile.cutter => {
                self.printer.cut()?;
            }
            // No cutter: feed the last line past the tear bar.
            Block::Cut => {
                self.printer.feeds(4)?;
            }
            Block::DrawerKick if self.profile.drawer_kick => {
                self.printer.custom(&commands::drawer_kick())?;
            }
            Block::DrawerKick => {}
        }
        Ok(())
    }

    fn set_modes(&mut self, want: Modes) -> Step {
        let have = self.modes;
        if want.align != have.align {
            self.printer.justify(justify(want.align))?;
        }
        if want.bold != have.bold {
            self.printer.bold(want.bold)?;
        }
        if want.size != have.size {
            match want.size {
                Size::Double => self.printer.size(2, 2)?,
                Size::Normal => self.printer.reset_size()?,
            };
        }
        if want.reverse != have.reverse {
            self.printer.reverse(want.reverse)?;
        }
        self.modes = want;
        Ok(())
    }

    fn line(&mut self, line: &Line) -> Step {
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
            })?;
            // `write` + LF, not `writeln`: that ends lines with `ESC d 1`, which the decoder
            // (and the golden files) read as a feed, not a line end.
            match self.printer.write(&format!("{text}\n")) {
                Ok(_) => return Ok(()),
                // escpos's encoder refused a character `line_fits` let through: draw it.
                Err(PrinterError::Input(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // The image is the full paper width with the alignment drawn in, so the printer's
        // justification must not shift it again. Bold and reverse are not drawn: a raster
        // line is rare (a name character) and stays plain.
        self.set_modes(Modes::default())?;
        let dots = self.profile.dots() as usize;
        let bitmap = self.font.render_line(text, dots, scale, line.align);
        self.printer.custom(&commands::raster_image(&bitmap))?;
        Ok(())
    }

    fn qr(&mut self, data: &str) -> Step {
        let dots = self.profile.dots() as usize;
        let fitted = QrMatrix::new(data).and_then(|m| m.module_for(dots).map(|size| (m, size)));
        let Some((matrix, module)) = fitted else {
            // Too long for a QR code on this paper: print what it says instead of nothing.
            for line in crate::text::wrap(data, self.profile.columns()) {
                self.line(&Line {
                    text: line,
                    ..Line::default()
                })?;
            }
            return Ok(());
        };
        if self.profile.native_qr {
            self.set_modes(Modes {
                align: Align::Center,
                ..Modes::default()
            })?;
            // Model 2, EC level M (escpos's `qrcode()` defaults to Model 1 / level H).
            // module ≤ MODULE_DOTS (6), so the cast cannot truncate.
            let option =
                QRCodeOption::new(QRCodeModel::Model2, module as u8, QRCodeCorrectionLevel::M);
            self.printer.qrcode_option(data, option)?.write("\n")?;
        } else {
            self.set_modes(Modes::default())?;
            let bitmap = matrix.to_bitmap(module, dots);
            self.printer.custom(&commands::raster_image(&bitmap))?;
        }
        Ok(())
    }
}
