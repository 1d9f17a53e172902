//! Cards on A4 for an office printer: ten a page (two across, five down, edge to edge so one
//! cut separates two cards), crop marks in the margins and a faint outline for scissors.
//! Text stays text, with the CJK fonts embedded (subset), and QR codes are vector squares.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};
use rust_i18n::t;

use super::fonts::{Face, Fonts};
use super::layout::{CARD_H_MM, CARD_W_MM, Item, Rgb, card_items};
use super::qr::QUIET_ZONE;
use super::{CARD_LOCALE, NoticeError};
use crate::core::card::CardFace;

const PAGE_W_MM: f32 = 210.0;
const PAGE_H_MM: f32 = 297.0;
pub const COLUMNS: usize = 2;
pub const ROWS: usize = 5;
pub const CARDS_PER_PAGE: usize = COLUMNS * ROWS;
const LEFT: f32 = (PAGE_W_MM - COLUMNS as f32 * CARD_W_MM) / 2.0;
const TOP: f32 = (PAGE_H_MM - ROWS as f32 * CARD_H_MM) / 2.0;
/// Crop marks start this far outside the cards and run this long.
const MARK_GAP: f32 = 1.5;
const MARK_LEN: f32 = 4.5;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// What the footer of each page says, besides the page number.
pub struct SheetTitle<'a> {
    pub store_name: &'a str,
    pub what: &'a str,
    pub date: chrono::NaiveDate,
}

/// The PDF of all `faces`, ten to a page, in the order given.
pub fn cards_pdf(faces: &[CardFace], title: &SheetTitle<'_>) -> Result<Vec<u8>, NoticeError> {
    let fonts = Fonts::get()?;
    let pdf_fonts = PdfFonts {
        main: Font::new(Data::from(Face::Main.data()), 0).ok_or(NoticeError::Font)?,
        rare: Font::new(Data::from(Face::Rare.data()), 0).ok_or(NoticeError::Font)?,
    };
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", title.store_name, title.what))
            .language(CARD_LOCALE.to_string())
            .creator("Jifen".to_string()),
    );
    let pages: Vec<&[CardFace]> = faces.chunks(CARDS_PER_PAGE).collect();
    let settings = PageSettings::from_wh(PAGE_W_MM * PT_PER_MM, PAGE_H_MM * PT_PER_MM)
        .ok_or_else(|| NoticeError::Pdf("page size".into()))?;
    for (index, cards) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        // Everything below is drawn in millimetres.
        surface.push_transform(&Transform::from_scale(PT_PER_MM, PT_PER_MM));
        for (slot, face) in cards.iter().enumerate() {
            let (x, y) = slot_origin(slot);
            surface.push_transform(&Transform::from_translate(x, y));
            for item in card_items(face)? {
                draw_item(&mut surface, fonts, &pdf_fonts, &item);
            }
            outline(&mut surface);
            surface.pop();
        }
        crop_marks(&mut surface, cards.len());
        let footer: String = t!(
            "card.sheet.footer",
            locale = CARD_LOCALE,
            store = title.store_name,
            what = title.what,
            date = title.date,
            page = index + 1,
            pages = pages.len()
        )
        .into();
        let size = fitted_size(fonts, &footer, 2.6, PAGE_W_MM / 2.0 - LEFT - 8.0);
        let item = Item::Text {
            x: LEFT + 4.0,
            baseline: PAGE_H_MM - TOP + MARK_GAP + 3.0,
            size,
            text: footer,
            colour: Rgb(90, 90, 90),
        };
        draw_item(&mut surface, fonts, &pdf_fonts, &item);
        surface.pop();
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| NoticeError::Pdf(e.to_string()))
}

/// The top-left corner of a slot on the page, in mm: left to right, then top to bottom.
pub fn slot_origin(slot: usize) -> (f32, f32) {
    let (column, row) = (slot % COLUMNS, slot / COLUMNS);
    (
        LEFT + column as f32 * CARD_W_MM,
        TOP + row as f32 * CARD_H_MM,
    )
}

struct PdfFonts {
    main: Font,
    rare: Font,
}

fn fitted_size(fonts: &Fonts, text: &str, size: f32, max_w: f32) -> f32 {
    let width = fonts.width_em(text) * size;
    if width > max_w {
        size * max_w / width
    } else {
        size
    }
}

fn fill_of(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        ..Default::default()
    }
}

fn draw_item(surface: &mut Surface<'_>, fonts: &Fonts, pdf: &PdfFonts, item: &Item) {
    match item {
        Item::Fill { x, y, w, h, colour } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_fill(Some(fill_of(*colour)));
                surface.draw_path(&path);
            }
        }
        Item::Text {
            x,
            baseline,
            size,
            text,
            colour,
        } => {
            surface.set_fill(Some(fill_of(*colour)));
            let mut pen = *x;
            for (face, run) in fonts.runs(text) {
                let font = match face {
                    Face::Main => pdf.main.clone(),
                    Face::Rare => pdf.rare.clone(),
                };
                let start = Point::from_xy(pen, *baseline);
                surface.draw_text(start, font, *size, run, false, TextDirection::Auto);
                pen += fonts.run_width_em(face, run) * size;
            }
        }
        Item::Qr {
            x,
            y,
            module,
            matrix,
        } => {
            let quiet = QUIET_ZONE as f32 * module;
            let mut path = PathBuilder::new();
            for (row, col, len) in matrix.dark_runs() {
                // A hair taller than a module, so rows overlap and no light seam is rendered
                // between them at any zoom.
                let rect = Rect::from_xywh(
                    x + quiet + col as f32 * module,
                    y + quiet + row as f32 * module,
                    len as f32 * module,
                    module + 0.02,
                );
                if let Some(rect) = rect {
                    path.push_rect(rect);
                }
            }
            if let Some(path) = path.finish() {
                surface.set_fill(Some(fill_of(Rgb(0, 0, 0))));
                surface.draw_path(&path);
            }
        }
    }
}

fn hairline(colour: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        width,
        ..Default::default()
    }
}

/// A faint outline: village offices cut with scissors more often than with a guillotine.
fn outline(surface: &mut Surface<'_>) {
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(0.0, 0.0, CARD_W_MM, CARD_H_MM) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(hairline(Rgb(200, 200, 200), 0.1)));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

/// Marks in the margins where every cut line meets the edge of the block of cards.
fn crop_marks(surface: &mut Surface<'_>, cards: usize) {
    let rows = cards.div_ceil(COLUMNS);
    let columns = cards.min(COLUMNS);
    let (right, bottom) = (
        LEFT + columns as f32 * CARD_W_MM,
        TOP + rows as f32 * CARD_H_MM,
    );
    let mut path = PathBuilder::new();
    for column in 0..=columns {
        let x = LEFT + column as f32 * CARD_W_MM;
        path.move_to(x, TOP - MARK_GAP);
        path.line_to(x, TOP - MARK_GAP - MARK_LEN);
        path.move_to(x, bottom + MARK_GAP);
        path.line_to(x, bottom + MARK_GAP + MARK_LEN);
    }
    for row in 0..=rows {
        let y = TOP + row as f32 * CARD_H_MM;
        path.move_to(LEFT - MARK_GAP, y);
        path.line_to(LEFT - MARK_GAP - MARK_LEN, y);
        path.move_to(right + MARK_GAP, y);
        path.line_to(right + MARK_GAP + MARK_LEN, y);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(hairline(Rgb(0, 0, 0), 0.2)));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}
