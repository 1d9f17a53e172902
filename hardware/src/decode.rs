//! Reading our ESC/POS bytes back: for tests ("the receipt says 大米 5kg") and for the
//! on-screen print preview, which shows exactly the bytes that will be sent. It knows
//! the commands we emit and skips others by their length; it never panics on any input.
//! Ours: escpos only writes commands; no crate reads ESC/POS with GB text back.

use std::fmt::Write as _;

use encoding_rs::GB18030;

use crate::commands::{DLE, EOT, ESC, FS, GS, LF, NUL};
use crate::doc::Align;
use crate::raster::Bitmap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleChange {
    Align(Align),
    Bold(bool),
    /// Character magnification from `GS !` (1 = normal, 2 = double).
    Size {
        width: u8,
        height: u8,
    },
    Reverse(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Init,
    ChineseMode(bool),
    /// One printed line (the text before an LF), GB18030-decoded.
    Text(String),
    Style(StyleChange),
    /// A `GS v 0` raster image, rows packed MSB-first.
    Image {
        width_dots: usize,
        height: usize,
        bits: Vec<u8>,
    },
    /// The payload stored by `GS ( k` for a native QR code.
    Qr(String),
    Cut,
    Feed(u8),
    DrawerKick,
    StatusQuery(u8),
    Unknown(Vec<u8>),
}

impl Decoded {
    /// The image as a bitmap (for tests that look at dots, or to scan a raster QR).
    pub fn bitmap(&self) -> Option<Bitmap> {
        match self {
            Self::Image {
                width_dots,
                height,
                bits,
            } => Some(Bitmap::from_packed(width_dots / 8, *height, bits.clone())),
            _ => None,
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    chinese: bool,
    line: Vec<u8>,
    out: Vec<Decoded>,
}

pub fn decode(bytes: &[u8]) -> Vec<Decoded> {
    let mut r = Reader {
        bytes,
        pos: 0,
        chinese: false,
        line: Vec::new(),
        out: Vec::new(),
    };
    while r.pos < bytes.len() {
        r.step();
    }
    r.flush_text();
    r.out
}

impl Reader<'_> {
    /// Take `n` bytes, or what is left when the input ends early.
    fn take(&mut self, n: usize) -> &[u8] {
        let end = self.pos.saturating_add(n).min(self.bytes.len());
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        s
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn flush_text(&mut self) {
        if !self.line.is_empty() {
            let (text, _) = GB18030.decode_without_bom_handling(&self.line);
            self.out.push(Decoded::Text(text.into_owned()));
            self.line.clear();
        }
    }

    fn emit(&mut self, d: Decoded) {
        self.flush_text();
        self.out.push(d);
    }

    fn step(&mut self) {
        let b = self.bytes[self.pos];
        match b {
            LF => {
                self.pos += 1;
                let (text, _) = GB18030.decode_without_bom_handling(&self.line);
                self.out.push(Decoded::Text(text.into_owned()));
                self.line.clear();
            }
            ESC => self.esc(),
            GS => self.gs(),
            FS => self.fs(),
            DLE if self.peek(1) == Some(EOT) => {
                // escpos sends `DLE EOT n` with a NUL after it for n = 1–4 (its request
                // carries a parameter byte that only n = 7, 8 and 18 have): one query.
                let nul = matches!(self.peek(2), Some(1..=4)) && self.peek(3) == Some(NUL);
                let cmd = self.take(if nul { 4 } else { 3 }).to_vec();
                self.emit(match cmd.get(2) {
                    Some(n) => Decoded::StatusQuery(*n),
                    None => Decoded::Unknown(cmd),
                });
            }
            0x00..0x20 | 0x7f => {
                self.pos += 1;
                self.emit(Decoded::Unknown(vec![b]));
            }
            0x81..=0xFE if self.chinese => {
                // A 2-byte GB character: take the trail byte too so it is never read as a command.
                let pair = match self.peek(1) {
                    Some(t) if t >= 0x40 => 2,
                    _ => 1,
                };
                let s = self.take(pair).to_vec();
                self.line.extend_from_slice(&s);
            }
            _ => {
                self.pos += 1;
                self.line.push(b);
            }
        }
    }

    /// A command of a fixed number of parameter bytes, reported as `Unknown`.
    fn skip(&mut self, len: usize) {
        let cmd = self.take(len).to_vec();
        self.emit(Decoded::Unknown(cmd));
    }

    fn esc(&mut self) {
        let param = self.peek(2);
        let d = match (self.peek(1), param) {
            (Some(b'@'), _) => (2, Decoded::Init),
            (Some(b'a'), Some(n)) => (3, Decoded::Style(StyleChange::Align(align_of(n)))),
            (Some(b'E'), Some(n)) => (3, Decoded::Style(StyleChange::Bold(n & 1 == 1))),
            (Some(b'd'), Some(n)) => (3, Decoded::Feed(n)),
            (Some(b'p'), Some(_)) if self.pos + 5 <= self.bytes.len() => (5, Decoded::DrawerKick),
            (Some(b'2' | b'<'), _) => return self.skip(2),
            (
                Some(
                    b' ' | b'!' | b'-' | b'3' | b'G' | b'J' | b'M' | b'R' | b't' | b'V' | b'{'
                    | b'e',
                ),
                _,
            ) => {
                return self.skip(3);
            }
            (Some(b'$' | b'c'), _) => return self.skip(4),
            _ => return self.skip(2),
        };
        self.pos += d.0;
        self.emit(d.1);
    }

    fn gs(&mut self) {
        let param = self.peek(2);
        match (self.peek(1), param) {
            (Some(b'!'), Some(n)) => {
                self.pos += 3;
                let (width, height) = ((n >> 4) + 1, (n & 0x0F) + 1);
                self.emit(Decoded::Style(StyleChange::Size { width, height }));
            }
            (Some(b'B'), Some(n)) => {
                self.pos += 3;
                self.emit(Decoded::Style(StyleChange::Reverse(n & 1 == 1)));
            }
            (Some(b'V'), Some(m)) => {
                let len = if matches!(m, 65 | 66 | 97 | 98 | 103 | 104) {
                    4
                } else {
                    3
                };
                self.take(len);
                self.emit(Decoded::Cut);
            }
            (Some(b'v'), Some(b'0')) => self.raster(),
            (Some(b'('), Some(b'k')) => self.two_d_code(),
            (Some(b'L' | b'W' | b'P'), _) => self.skip(4),
            (Some(b'h' | b'w' | b'H' | b'f' | b'a' | b'k' | b'r' | b'I'), _) => self.skip(3),
            _ => self.skip(2),
        }
    }

    fn fs(&mut self) {
        match self.peek(1) {
            Some(b'&') => {
                self.pos += 2;
                self.chinese = true;
                self.emit(Decoded::ChineseMode(true));
            }
            Some(b'.') => {
                self.pos += 2;
                self.chinese = false;
                self.emit(Decoded::ChineseMode(false));
            }
            Some(b'!' | b'-' | b'W') => self.skip(3),
            Some(b'p' | b'S') => self.skip(4),
            _ => self.skip(2),
        }
    }

    /// `GS v 0 m xL xH yL yH d…`. An image whose data is cut short is reported as
    /// `Unknown` rather than allocated at its claimed (possibly huge) size.
    fn raster(&mut self) {
        let Some(head) = self.bytes.get(self.pos..self.pos + 8) else {
            let rest = self.take(usize::MAX).to_vec();
            return self.emit(Decoded::Unknown(rest));
        };
        let width_bytes = usize::from(u16::from_le_bytes([head[4], head[5]]));
        let height = usize::from(u16::from_le_bytes([head[6], head[7]]));
        let len = width_bytes * height;
        if self.bytes.len() - (self.pos + 8) < len {
            let rest = self.take(usize::MAX).to_vec();
            return self.emit(Decoded::Unknown(rest));
        }
        self.pos += 8;
        let bits = self.take(len).to_vec();
        self.emit(Decoded::Image {
            width_dots: width_bytes * 8,
            height,
            bits,
        });
    }

    /// `GS ( k pL pH cn fn …`: QR store-data becomes `Qr`; the QR setup and print
    /// commands around it say nothing a reader needs; other symbologies are `Unknown`.
    fn two_d_code(&mut self) {
        let (Some(pl), Some(ph)) = (self.peek(3), self.peek(4)) else {
            let rest = self.take(usize::MAX).to_vec();
            return self.emit(Decoded::Unknown(rest));
        };
        let len = usize::from(u16::from_le_bytes([pl, ph]));
        let cmd = self.take(5 + len).to_vec();
        let params = cmd.get(5..).unwrap_or_default();
        match params {
            [49, 80, 48, data @ ..] => {
                self.emit(Decoded::Qr(String::from_utf8_lossy(data).into_owned()))
            }
            [49, 65 | 67 | 69 | 81, ..] => self.flush_text(),
            _ => self.emit(Decoded::Unknown(cmd)),
        }
    }
}

fn align_of(n: u8) -> Align {
    match n {
        1 | b'1' => Align::Center,
        2 | b'2' => Align::Right,
        _ => Align::Left,
    }
}

/// The job as plain text: one line per printed line, images and codes as bracketed
/// placeholders, so staff can read a receipt before paper is spent.
pub fn preview_text(decoded: &[Decoded]) -> String {
    let mut out = String::new();
    for d in decoded {
        match d {
            Decoded::Text(line) => {
                out.push_str(line);
                out.push('\n');
            }
            Decoded::Image {
                width_dots, height, ..
            } => {
                let _ = writeln!(out, "[图像 {width_dots}×{height}]");
            }
            Decoded::Qr(data) => {
                let _ = writeln!(out, "[二维码 {data}]");
            }
            Decoded::Feed(n) => out.push_str(&"\n".repeat(usize::from(*n))),
            Decoded::Cut => out.push_str("[切纸]\n"),
            Decoded::DrawerKick => out.push_str("[钱箱]\n"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_and_commands() {
        let bytes = [
            &[ESC, b'@', FS, b'&', ESC, b'a', 1][..],
            &[0xB4, 0xF3, 0xC3, 0xD7, b' ', b'5', b'k', b'g', LF],
            &[GS, b'V', 66, 0],
        ]
        .concat();
        assert_eq!(
            decode(&bytes),
            vec![
                Decoded::Init,
                Decoded::ChineseMode(true),
                Decoded::Style(StyleChange::Align(Align::Center)),
                Decoded::Text("大米 5kg".into()),
                Decoded::Cut,
            ]
        );
    }

    #[test]
    fn escpos_status_requests_and_cut_read_as_one_command_each() {
        let bytes = [
            DLE, EOT, 1, NUL, DLE, EOT, 4, NUL, DLE, EOT, 2, GS, b'V', 65, 0,
        ];
        assert_eq!(
            decode(&bytes),
            vec![
                Decoded::StatusQuery(1),
                Decoded::StatusQuery(4),
                Decoded::StatusQuery(2),
                Decoded::Cut,
            ]
        );
    }

    #[test]
    fn truncated_image_is_unknown_not_allocated() {
        let d = decode(&[GS, b'v', b'0', 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2]);
        assert!(matches!(d.as_slice(), [Decoded::Unknown(_)]));
    }

    #[test]
    fn preview_marks_images() {
        let d = vec![
            Decoded::Text("合计".into()),
            Decoded::Image {
                width_dots: 384,
                height: 24,
                bits: vec![],
            },
        ];
        assert_eq!(preview_text(&d), "合计\n[图像 384×24]\n");
    }
}
