//! The few ESC/POS commands the `escpos` crate (0.20) has no equivalent for, each with why.
//! Everything else (reset, styles, alignment, sizes, feeds, cut, native QR, status requests)
//! is built by `escpos`'s `Printer` in `encode` and `status`. The byte values here are also
//! what the decoder reads.

use crate::raster::Bitmap;

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const FS: u8 = 0x1C;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0A;
pub const NUL: u8 = 0x00;

/// `FS &`: Chinese mode, a byte ≥ 0x81 starts a 2-byte GB character. escpos has no Chinese
/// mode (its page codes are single-byte tables).
pub const CHINESE_ON: [u8; 2] = [FS, b'&'];
/// `FS .`: leave Chinese mode (read by the decoder; we never leave it within a job).
pub const CHINESE_OFF: [u8; 2] = [FS, b'.'];

/// `ESC p 0 t1 t2`: pulse drawer pin 2 for 50 ms on, 500 ms off. escpos's
/// `cash_drawer(Pin2)` sends `ESC p 0` without the two pulse times, which printers take as
/// the start of a command and then swallow the next two bytes of the receipt.
pub fn drawer_kick() -> [u8; 5] {
    [ESC, b'p', 0, 25, 250]
}

/// `GS v 0 0 xL xH yL yH d…`: a raster image, rows of packed bits, MSB leftmost.
/// escpos's only raster command (`bit_image*`, feature `graphics`) takes an encoded image
/// file, needs the `image` crate with all its formats, resizes to 512 dots by default (wider
/// than a 384-dot head) and sends `CAN` first; our bitmaps are already packed for the head.
/// Our images are at most one paper width square (a QR), far below the u16 limits.
pub fn raster_image(bitmap: &Bitmap) -> Vec<u8> {
    let [xl, xh] = (bitmap.width_bytes() as u16).to_le_bytes();
    let [yl, yh] = (bitmap.height() as u16).to_le_bytes();
    let mut out = vec![GS, b'v', b'0', 0, xl, xh, yl, yh];
    out.extend_from_slice(bitmap.bits());
    out
}
