//! From a `Doc` to printed lines for one profile: every line here already fits the
//! paper, so the encoder only chooses how to send it (text or raster).
//! Ours: escpos's `ui` line helpers cut by bytes, not by GBK columns or whole characters.

use crate::doc::{Align, Doc, Item};
use crate::profile::PrinterProfile;
use crate::text::{gbk_width, normalize, pad, truncate, wrap};

/// Normal is font A (12×24); Double is double width and height (24×48 per ASCII char).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    #[default]
    Normal,
    Double,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub text: String,
    pub align: Align,
    pub bold: bool,
    pub size: Size,
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Line(Line),
    Qr(String),
    Feed(u8),
    Cut,
    DrawerKick,
}

/// Lay a document out for a profile.
pub fn layout(doc: &Doc, profile: &PrinterProfile) -> Vec<Block> {
    let columns = profile.columns();
    let mut out = Vec::new();
    for item in &doc.items {
        lay_item(item, columns, &mut out);
    }
    out
}

fn lay_item(item: &Item, columns: usize, out: &mut Vec<Block>) {
    let plain = |text: String| {
        Block::Line(Line {
            text,
            ..Line::default()
        })
    };
    match item {
        Item::Title(text) => big_lines(text, columns / 2, false, out),
        Item::Stamp(text) => big_lines(text, columns / 2, true, out),
        Item::Text { text, align, bold } => {
            for text in wrap(text, columns) {
                out.push(Block::Line(Line {
                    text,
                    align: *align,
                    bold: *bold,
                    ..Line::default()
                }));
            }
        }
        Item::Columns(cells) => {
            let n = cells.len().max(1);
            let each = columns.saturating_sub(n - 1) / n;
            let widths = vec![each; n];
            let aligns: Vec<Align> = cells.iter().map(|(_, a)| *a).collect();
            let row: Vec<String> = cells.iter().map(|(t, _)| t.clone()).collect();
            out.extend(table_row(&row, &widths, &aligns).into_iter().map(plain));
        }
        Item::KeyValue(key, value) => {
            out.extend(key_value(key, value, columns).into_iter().map(plain))
        }
        Item::Table {
            widths,
            aligns,
            rows,
        } => {
            let widths = resolve_widths(widths, columns);
            for row in rows {
                out.extend(table_row(row, &widths, aligns).into_iter().map(plain));
            }
        }
        Item::Rule => out.push(plain("-".repeat(columns))),
        Item::Qr(data) => out.push(Block::Qr(data.clone())),
        Item::Feed(n) => out.push(Block::Feed(*n)),
        Item::Cut => out.push(Block::Cut),
        Item::DrawerKick => out.push(Block::DrawerKick),
    }
}

/// Double-size centred bold lines; a stamp is reversed, with a space either side so the
/// black band reads as a label.
fn big_lines(text: &str, columns: usize, reverse: bool, out: &mut Vec<Block>) {
    let inner = if reverse {
        columns.saturating_sub(2)
    } else {
        columns
    };
    for line in wrap(text, inner) {
        let text = if reverse { format!(" {line} ") } else { line };
        out.push(Block::Line(Line {
            text,
            align: Align::Center,
            bold: true,
            size: Size::Double,
            reverse,
        }));
    }
}

/// `key ...... value` on one line when both fit; otherwise the key wraps and the value
/// goes right-aligned on the key's last line, or on a line of its own.
fn key_value(key: &str, value: &str, columns: usize) -> Vec<String> {
    let value = normalize(value);
    let value = truncate(&value, columns);
    let mut lines = wrap(key, columns);
    let value_width = gbk_width(value);
    match lines.last_mut() {
        Some(last) if gbk_width(last) + 1 + value_width <= columns => {
            let gap = columns - gbk_width(last) - value_width;
            last.push_str(&" ".repeat(gap));
            last.push_str(value);
        }
        _ => lines.push(pad(value, columns, Align::Right)),
    }
    lines
}

/// Concrete widths that fit `columns` with one space between columns. Zeros share what
/// the fixed widths leave; if the fixed widths are too wide, the widest shrink first.
/// Every column keeps at least 2 so a Chinese character fits.
pub fn resolve_widths(widths: &[usize], columns: usize) -> Vec<usize> {
    if widths.is_empty() {
        return vec![columns];
    }
    let available = columns.saturating_sub(widths.len() - 1);
    let flex = widths.iter().filter(|w| **w == 0).count();
    let fixed: usize = widths.iter().sum();
    let left = available.saturating_sub(fixed);
    let mut out: Vec<usize> = if let Some(each) = left.checked_div(flex) {
        let mut share = vec![each; flex];
        for s in share.iter_mut().take(left % flex) {
            *s += 1;
        }
        let mut share = share.into_iter();
        widths
            .iter()
            .map(|w| {
                if *w == 0 {
                    share.next().unwrap_or(0)
                } else {
                    *w
                }
            })
            .collect()
    } else {
        widths.to_vec()
    };
    for w in out.iter_mut() {
        *w = (*w).max(2);
    }
    while out.iter().sum::<usize>() > available {
        let Some(widest) = out.iter_mut().filter(|w| **w > 2).max_by_key(|w| **w) else {
            break; // too many columns for the paper: the encoder's edge guard truncates
        };
        *widest -= 1;
    }
    out
}

fn table_row(cells: &[String], widths: &[usize], aligns: &[Align]) -> Vec<String> {
    let wrapped: Vec<Vec<String>> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| wrap(cells.get(i).map(String::as_str).unwrap_or(""), *w))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|row| {
            let cells: Vec<String> = wrapped
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (lines, w))| {
                    let align = aligns.get(i).copied().unwrap_or_default();
                    pad(lines.get(row).map(String::as_str).unwrap_or(""), *w, align)
                })
                .collect();
            cells.join(" ").trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flexible_column_takes_the_rest() {
        assert_eq!(resolve_widths(&[0, 4, 6, 6], 32), vec![13, 4, 6, 6]);
        assert_eq!(resolve_widths(&[0, 0], 32), vec![16, 15]);
    }

    #[test]
    fn too_wide_columns_shrink_to_fit() {
        let w = resolve_widths(&[20, 20], 32);
        assert_eq!(w.iter().sum::<usize>() + 1, 32);
    }

    #[test]
    fn key_value_right_aligns_the_value() {
        assert_eq!(key_value("合计", "35", 10), vec!["合计    35"]);
        assert_eq!(
            key_value("合计积分合计", "35", 10),
            vec!["合计积分合", "计      35"]
        );
    }

    #[test]
    fn table_cells_wrap_within_their_column() {
        let rows = table_row(
            &["食用油食用油".into(), "2".into()],
            &[6, 3],
            &[Align::Left, Align::Right],
        );
        assert_eq!(rows, vec!["食用油   2", "食用油"]);
    }
}
