//! What a laid-out notice page is made of, in millimetres from the top-left corner: the
//! drawing operations that both the PDF and the PNG renderers carry out.

use super::fonts::Fonts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

pub const BLACK: Colour = Colour(0, 0, 0);
pub(super) const GREY: Colour = Colour(96, 96, 96);
pub(super) const RULE: Colour = Colour(70, 70, 70);
pub(super) const HEADER_FILL: Colour = Colour(232, 232, 232);
pub(super) const TOTAL_FILL: Colour = Colour(244, 244, 244);
/// The red of official notices; prints as a dark grey in black and white.
pub(super) const RED: Colour = Colour(180, 28, 28);

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// One line of text; `size` is the em size in mm, `baseline` its y.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
        colour: Colour,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    /// A horizontal or vertical line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Colour,
    },
    /// A dashed circle: where the seal goes.
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        width: f32,
        colour: Colour,
    },
}

pub type Page = Vec<Op>;

pub(super) fn text(x: f32, baseline: f32, size: f32, text: &str, colour: Colour) -> Op {
    Op::Text {
        x,
        baseline,
        size,
        text: text.to_string(),
        colour,
    }
}

pub(super) fn centred(
    fonts: &Fonts,
    s: &str,
    cx: f32,
    baseline: f32,
    size: f32,
    colour: Colour,
) -> Op {
    text(
        cx - fonts.width_em(s) * size / 2.0,
        baseline,
        size,
        s,
        colour,
    )
}

pub(super) fn hline(x1: f32, x2: f32, y: f32, width: f32, colour: Colour) -> Op {
    Op::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width,
        colour,
    }
}

pub(super) fn vline(x: f32, y1: f32, y2: f32) -> Op {
    Op::Line {
        x1: x,
        y1,
        x2: x,
        y2,
        width: 0.2,
        colour: RULE,
    }
}
