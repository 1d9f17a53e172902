//! A notice as an A4 PDF: text stays text in the bundled CJK fonts (embedded, subset by
//! krilla, so the file opens on any PC and prints the same), lines and fills are vectors.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};

use super::NoticeError;
use super::document::{NOTICE_LOCALE, NoticeDoc};
use super::fonts::{Face, Fonts};
use super::pages::{Colour, Op, PAGE_H, PAGE_W, paginate};

const PT_PER_MM: f32 = 72.0 / 25.4;

struct PdfFonts {
    main: Font,
    rare: Font,
}

/// The PDF of the notice, every page numbered.
pub fn notice_pdf(doc: &NoticeDoc) -> Result<Vec<u8>, NoticeError> {
    let fonts = Fonts::get()?;
    let pdf_fonts = PdfFonts {
        main: Font::new(Data::from(Face::Main.data()), 0).ok_or(NoticeError::Font)?,
        rare: Font::new(Data::from(Face::Rare.data()), 0).ok_or(NoticeError::Font)?,
    };
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", doc.issuer, doc.short_title))
            .language(NOTICE_LOCALE.to_string())
            .creator("Jifen".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM)
        .ok_or_else(|| NoticeError::Pdf("page size".into()))?;
    for ops in paginate(doc)? {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        // Everything below is drawn in millimetres.
        surface.push_transform(&Transform::from_scale(PT_PER_MM, PT_PER_MM));
        for op in &ops {
            draw(&mut surface, fonts, &pdf_fonts, op);
        }
        surface.pop();
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| NoticeError::Pdf(e.to_string()))
}

fn paint(c: Colour) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn stroke(
    surface: &mut Surface<'_>,
    path: PathBuilder,
    width: f32,
    colour: Colour,
    dash: Option<StrokeDash>,
) {
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: paint(colour),
            width,
            dash,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, pdf: &PdfFonts, op: &Op) {
    match op {
        Op::Text {
            x,
            baseline,
            size,
            text,
            colour,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(*colour),
                ..Default::default()
            }));
            let mut pen = *x;
            for (face, run) in fonts.runs(text) {
                let font = match face {
                    Face::Main => pdf.main.clone(),
                    Face::Rare => pdf.rare.clone(),
                };
                surface.draw_text(
                    Point::from_xy(pen, *baseline),
                    font,
                    *size,
                    run,
                    false,
                    TextDirection::Auto,
                );
                pen += fonts.run_width_em(face, run) * size;
            }
        }
        Op::Fill { x, y, w, h, colour } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*colour),
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            colour,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y1);
            path.line_to(*x2, *y2);
            stroke(surface, path, *width, *colour, None);
        }
        Op::Circle {
            cx,
            cy,
            r,
            width,
            colour,
        } => {
            stroke(
                surface,
                circle(*cx, *cy, *r),
                *width,
                *colour,
                Some(StrokeDash {
                    array: vec![1.6, 1.2],
                    offset: 0.0,
                }),
            );
        }
    }
}

/// A circle as four cubic arcs.
fn circle(cx: f32, cy: f32, r: f32) -> PathBuilder {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut path = PathBuilder::new();
    path.move_to(cx + r, cy);
    path.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    path.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    path.close();
    path
}
