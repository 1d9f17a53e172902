//! The card's design, once, in millimetres: the PNG and the PDF sheet both draw these items,
//! so a card looks the same whichever way it was made.

use rust_i18n::t;

use super::fonts::Fonts;
use super::qr::QrMatrix;
use super::{CARD_LOCALE, NoticeError, label};
use crate::core::card::CardFace;

/// ISO/IEC 7810 ID-1, the size of a bank card: fits a wallet and a card sleeve.
pub const CARD_W_MM: f32 = 85.6;
pub const CARD_H_MM: f32 = 54.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const WHITE: Rgb = Rgb(255, 255, 255);
pub const BLACK: Rgb = Rgb(0, 0, 0);
const GREY: Rgb = Rgb(90, 90, 90);
/// 中国红, the colour of village notice boards; white text on it prints well in black and white too.
const RED: Rgb = Rgb(198, 40, 40);

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
    /// One line of text; `size` is the em size in mm and `baseline` its y.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
        colour: Rgb,
    },
    /// The symbol with its quiet zone, its top-left corner at (x, y).
    Qr {
        x: f32,
        y: f32,
        module: f32,
        matrix: QrMatrix,
    },
}

const HEADER_H: f32 = 10.5;
const MARGIN: f32 = 3.0;
const QR_MODULE: f32 = 1.38;
const QR_X: f32 = 1.0;
const QR_Y: f32 = 12.5;
const COLUMN_X: f32 = 42.5;
const COLUMN_W: f32 = CARD_W_MM - COLUMN_X - MARGIN;

/// Shrinks the size so that the text fits `max_w` (long store or village names).
fn fitted(fonts: &Fonts, text: &str, size: f32, max_w: f32) -> f32 {
    let width = fonts.width_em(text) * size;
    if width > max_w && width > 0.0 {
        size * max_w / width
    } else {
        size
    }
}

fn text(
    fonts: &Fonts,
    x: f32,
    baseline: f32,
    size: f32,
    max_w: f32,
    text: &str,
    colour: Rgb,
) -> Item {
    Item::Text {
        x,
        baseline,
        size: fitted(fonts, text, size, max_w),
        text: text.to_string(),
        colour,
    }
}

/// A small grey label and a large value on one baseline: 户号 101001.
fn labelled(fonts: &Fonts, baseline: f32, name: &str, value: &str, size: f32) -> [Item; 2] {
    let label_size = 3.0;
    let label_w = fonts.width_em(name) * label_size + 1.5;
    [
        text(fonts, COLUMN_X, baseline, label_size, COLUMN_W, name, GREY),
        text(
            fonts,
            COLUMN_X + label_w,
            baseline,
            size,
            COLUMN_W - label_w,
            value,
            BLACK,
        ),
    ]
}

pub fn card_items(face: &CardFace) -> Result<Vec<Item>, NoticeError> {
    let fonts = Fonts::get()?;
    let title: String = t!("card.face.title", locale = CARD_LOCALE).into();
    let title_size = 3.2;
    let title_w = fonts.width_em(&title) * title_size;
    let mut items = vec![
        Item::Fill {
            x: 0.0,
            y: 0.0,
            w: CARD_W_MM,
            h: CARD_H_MM,
            colour: WHITE,
        },
        Item::Fill {
            x: 0.0,
            y: 0.0,
            w: CARD_W_MM,
            h: HEADER_H,
            colour: RED,
        },
        text(
            fonts,
            MARGIN + 1.0,
            7.3,
            4.6,
            CARD_W_MM - 2.0 * MARGIN - title_w - 4.0,
            &face.store_name,
            WHITE,
        ),
        text(
            fonts,
            CARD_W_MM - MARGIN - title_w,
            7.0,
            title_size,
            title_w,
            &title,
            WHITE,
        ),
        Item::Qr {
            x: QR_X,
            y: QR_Y,
            module: QR_MODULE,
            matrix: QrMatrix::encode(&face.payload)?,
        },
    ];
    items.extend(labelled(
        fonts,
        20.0,
        &label("card.face.household"),
        face.household.as_str(),
        6.0,
    ));
    items.extend(labelled(
        fonts,
        30.5,
        &label("card.face.head"),
        &face.head_name,
        7.0,
    ));
    let place = format!("{} {}", face.village, face.group);
    items.push(text(fonts, COLUMN_X, 38.5, 4.2, COLUMN_W, &place, BLACK));
    items.push(text(
        fonts,
        COLUMN_X,
        45.0,
        2.6,
        COLUMN_W,
        &super::issued_line(face),
        GREY,
    ));
    items.push(text(
        fonts,
        COLUMN_X,
        50.5,
        2.8,
        COLUMN_W,
        &face.payload.grouped(),
        BLACK,
    ));
    Ok(items)
}
