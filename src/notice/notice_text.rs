//! A notice as plain text (UTF-8, `.txt`), for pasting into a WeChat message or opening in
//! Notepad; and as a receipt-printer document where it is short enough (the price list).

use jifen_hardware::doc::{Align as SlipAlign, Doc, Item};

use super::document::{Align, Block, NoticeDoc, Table};
use super::notices::chinese_date;
use super::wrap::text_columns;

fn pad(cell: &str, width: usize, align: Align) -> String {
    let gap = width.saturating_sub(text_columns(cell));
    match align {
        Align::Left => format!("{cell}{}", " ".repeat(gap)),
        Align::Right => format!("{}{cell}", " ".repeat(gap)),
        Align::Center => format!("{}{cell}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2)),
    }
}

fn table_text(table: &Table, out: &mut Vec<String>) {
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    let widths: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|r| text_columns(&r[i]))
                .chain([text_columns(&c.header)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<(String, Align)>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|((c, a), w)| pad(c, *w, *a))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    out.push(line(
        table
            .columns
            .iter()
            .map(|c| (c.header.clone(), Align::Left))
            .collect(),
    ));
    let rule = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push("-".repeat(rule));
    for row in rows {
        out.push(line(
            row.into_iter()
                .zip(table.columns.iter().map(|c| c.align))
                .collect(),
        ));
    }
}

/// The notice as plain text, tables in aligned columns (for a monospaced font).
pub fn notice_text(doc: &NoticeDoc) -> String {
    let mut out = vec![doc.title.clone()];
    out.extend(doc.subtitle.clone());
    out.push(String::new());
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                out.push(String::new());
                out.push(h.clone());
            }
            Block::Paragraph(p) => out.push(format!("　　{p}")),
            Block::Note(n) => out.push(n.clone()),
            Block::Table(t) if t.rows.is_empty() => out.push(format!("　　{}", t.empty)),
            Block::Table(t) => table_text(t, &mut out),
            Block::Signatures(labels) => {
                out.push(String::new());
                out.push(
                    labels
                        .iter()
                        .map(|l| format!("{l}__________"))
                        .collect::<Vec<_>>()
                        .join("    "),
                );
            }
            Block::PageBreak => out.push(String::new()),
        }
    }
    out.push(String::new());
    out.push(doc.issuer.clone());
    out.push(chinese_date(doc.date));
    out.join("\n") + "\n"
}

fn slip_align(a: Align) -> SlipAlign {
    match a {
        Align::Left => SlipAlign::Left,
        Align::Center => SlipAlign::Center,
        Align::Right => SlipAlign::Right,
    }
}

/// The notice for the receipt printer: tables keep only the columns marked for the slip.
/// Meant for short notices (the price list); a long one prints as long as it is.
pub fn notice_slip(doc: &NoticeDoc) -> Doc {
    let mut slip = Doc::new();
    slip.title(doc.issuer.clone());
    slip.push(Item::Text {
        text: doc.title.clone(),
        align: SlipAlign::Center,
        bold: true,
    });
    if let Some(subtitle) = &doc.subtitle {
        slip.push(Item::Text {
            text: subtitle.clone(),
            align: SlipAlign::Center,
            bold: false,
        });
    }
    slip.rule();
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                slip.push(Item::Text {
                    text: h.clone(),
                    align: SlipAlign::Left,
                    bold: true,
                });
            }
            Block::Paragraph(p) | Block::Note(p) => {
                slip.text(p.clone());
            }
            Block::Table(t) if t.rows.is_empty() => {
                slip.text(t.empty.clone());
            }
            Block::Table(t) => {
                let keep: Vec<usize> = (0..t.columns.len())
                    .filter(|i| t.columns[*i].slip_width.is_some())
                    .collect();
                let pick =
                    |cells: &[String]| keep.iter().map(|i| cells[*i].clone()).collect::<Vec<_>>();
                let headers: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| c.slip_header.clone().unwrap_or_else(|| c.header.clone()))
                    .collect();
                let mut rows = vec![pick(&headers)];
                rows.extend(t.rows.iter().map(|r| pick(&r.cells)));
                slip.push(Item::Table {
                    widths: keep
                        .iter()
                        .map(|i| t.columns[*i].slip_width.unwrap_or(0))
                        .collect(),
                    aligns: keep
                        .iter()
                        .map(|i| slip_align(t.columns[*i].align))
                        .collect(),
                    rows,
                });
                slip.rule();
            }
            Block::Signatures(labels) => {
                slip.push(Item::Feed(1));
                for l in labels {
                    slip.text(format!("{l}______________"));
                    slip.push(Item::Feed(1));
                }
            }
            Block::PageBreak => {
                slip.rule();
            }
        }
    }
    slip.push(Item::Text {
        text: chinese_date(doc.date),
        align: SlipAlign::Right,
        bold: false,
    });
    slip.push(Item::Feed(2));
    slip.push(Item::Cut);
    slip
}
