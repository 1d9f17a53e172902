//! The ESC/POS commands we send, in one place, so the encoder, the status query and the
//! decoder agree on every byte.
//!
//! We emit bytes ourselves instead of driving the `escpos` 0.20 crate: its command
//! builders are crate-private and reachable only through its `Printer` and a `Driver`,
//! `writeln` appends `ESC d 1`, `qrcode()` picks Model 1/EC H, `real_time_status()` adds
//! a NUL, and its encoder would need guarding against `&#NNNN;` anyway. The handful of
//! commands below is smaller than that plumbing, and the decoder must know them exactly.

use crate::doc::Align;
use crate::raster::Bitmap;

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const FS: u8 = 0x1C;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0A;

/// `ESC @`: reset modes (not the buffer).
pub const INIT: [u8; 2] = [ESC, b'@'];
/// `FS &`: Chinese mode, a byte ≥ 0x81 starts a 2-byte GB character.
pub const CHINESE_ON: [u8; 2] = [FS, b'&'];
/// `FS .`: leave Chinese mode.
pub const CHINESE_OFF: [u8; 2] = [FS, b'.'];
/// `GS V 66 0`: feed to the cutter and cut, leaving a tab (partial cut).
pub const CUT: [u8; 4] = [GS, b'V', 66, 0];

pub fn align(a: Align) -> [u8; 3] {
    let n = match a {
        Align::Left => 0,
        Align::Center => 1,
        Align::Right => 2,
    };
    [ESC, b'a', n]
}

pub fn bold(on: bool) -> [u8; 3] {
    [ESC, b'E', u8::from(on)]
}

/// `GS ! n`: 0x11 doubles width and height; applies to Chinese characters too.
pub fn size(double: bool) -> [u8; 3] {
    [GS, b'!', if double { 0x11 } else { 0 }]
}

/// `GS B n`: white on black.
pub fn reverse(on: bool) -> [u8; 3] {
    [GS, b'B', u8::from(on)]
}

/// `ESC d n`: print and feed n lines.
pub fn feed(lines: u8) -> [u8; 3] {
    [ESC, b'd', lines]
}

/// `ESC p 0 t1 t2`: pulse drawer pin 2 for 50 ms on, 500 ms off.
pub fn drawer_kick() -> [u8; 5] {
    [ESC, b'p', 0, 25, 250]
}

/// `DLE EOT n`: real-time status (n = 1 printer, 2 offline cause, 3 error, 4 paper).
pub fn status_query(n: u8) -> [u8; 3] {
    [DLE, EOT, n]
}

/// `GS v 0 0 xL xH yL yH d…`: a raster image, rows of packed bits, MSB leftmost.
/// Our images are at most one paper width square (a QR), far below the u16 limits.
pub fn raster_image(bitmap: &Bitmap) -> Vec<u8> {
    let [xl, xh] = (bitmap.width_bytes() as u16).to_le_bytes();
    let [yl, yh] = (bitmap.height() as u16).to_le_bytes();
    let mut out = vec![GS, b'v', b'0', 0, xl, xh, yl, yh];
    out.extend_from_slice(bitmap.bits());
    out
}

/// `GS ( k`: a native QR code, Model 2, EC level M, `module` dots per module.
pub fn qr_native(data: &[u8], module: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 40);
    out.extend_from_slice(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]); // model 2
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 67, module]); // module size
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 69, 49]); // EC level M
    let [pl, ph] = ((data.len() + 3) as u16).to_le_bytes();
    out.extend_from_slice(&[GS, b'(', b'k', pl, ph, 49, 80, 48]); // store data
    out.extend_from_slice(data);
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 81, 48]); // print
    out
}
