//! Public notices and cards as documents (PNG, PDF) made from core data. Nothing here reads
//! the database or the clock: callers pass in what is to be printed.

pub mod card_png;
pub mod card_sheet;
pub mod document;
pub mod fonts;
pub mod group_notices;
mod layout;
pub mod notice_pdf;
pub mod notice_png;
pub mod notice_text;
pub mod notices;
mod page_ops;
pub mod pages;
pub mod qr;
pub mod register;
pub mod wrap;

use rust_i18n::t;

use crate::core::card::CardFace;

/// Cards are read by villagers, so their words are always Chinese, whatever the staff's
/// language setting.
pub(crate) const CARD_LOCALE: &str = "zh-CN";

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("QR code: {0}")]
    Qr(String),
    #[error("bundled font unreadable")]
    Font,
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("PNG: {0}")]
    Png(String),
}

/// The text lines of a card, top to bottom, for a receipt-printer card slip (which prints the
/// QR of `face.payload` itself, natively or as a raster).
pub fn slip_lines(face: &CardFace) -> Vec<String> {
    vec![
        face.store_name.clone(),
        format!("{}：{}", label("card.face.household"), face.household),
        format!("{}：{}", label("card.face.head"), face.head_name),
        format!("{} {}", face.village, face.group),
        issued_line(face),
        face.payload.grouped(),
    ]
}

fn label(key: &str) -> String {
    t!(key, locale = CARD_LOCALE).into()
}

fn issued_line(face: &CardFace) -> String {
    t!(
        "card.face.issued",
        locale = CARD_LOCALE,
        serial = face.serial,
        date = face.issued_on
    )
    .into()
}
