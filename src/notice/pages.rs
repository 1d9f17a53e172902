//! A notice laid out on A4 pages by hand, in millimetres: the title under a red rule, tables
//! whose header row (and section heading, marked 续) repeats on every page they run onto,
//! the issuer and date over a seal circle, 第 1 页 / 共 N 页 at the foot. The PDF and the PNG
//! both draw these pages, so they look the same.

use rust_i18n::t;

use super::NoticeError;
use super::document::{Align, Block, NOTICE_LOCALE, NoticeDoc, Table};
use super::fonts::Fonts;
use super::page_ops::{
    BLACK, GREY, HEADER_FILL, RED, RULE, TOTAL_FILL, centred, hline, text, vline,
};
pub use super::page_ops::{Colour, Op, Page};
use super::wrap::wrap;

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
const LEFT: f32 = 18.0;
const TOP: f32 = 15.0;
const BOTTOM: f32 = 20.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * LEFT;
const TITLE: f32 = 7.6;
const SUBTITLE: f32 = 3.7;
const HEADING: f32 = 4.2;
const BODY: f32 = 3.6;
const CELL: f32 = 3.2;
const NOTE: f32 = 2.8;
const LEADING: f32 = 1.45;
const CELL_PAD_X: f32 = 1.3;
const CELL_PAD_Y: f32 = 1.0;

struct Layout<'a> {
    fonts: &'a Fonts,
    doc: &'a NoticeDoc,
    pages: Vec<Page>,
    ops: Page,
    y: f32,
    /// Where content starts on the current page (after the title or running header).
    top: f32,
    heading: Option<String>,
}

/// Lays the notice out on pages.
pub fn paginate(doc: &NoticeDoc) -> Result<Vec<Page>, NoticeError> {
    let fonts = Fonts::get()?;
    let mut layout = Layout {
        fonts,
        doc,
        pages: Vec::new(),
        ops: Vec::new(),
        y: TOP,
        top: TOP,
        heading: None,
    };
    layout.title_block();
    for block in &doc.blocks {
        layout.block(block);
    }
    layout.issuer_block();
    layout.pages.push(std::mem::take(&mut layout.ops));
    let count = layout.pages.len();
    for (index, page) in layout.pages.iter_mut().enumerate() {
        let footer: String = t!(
            "notice.page",
            locale = NOTICE_LOCALE,
            page = index + 1,
            pages = count
        )
        .into();
        page.push(centred(
            fonts,
            &footer,
            PAGE_W / 2.0,
            PAGE_H - 10.0,
            NOTE,
            GREY,
        ));
    }
    Ok(layout.pages)
}

impl Layout<'_> {
    fn bottom(&self) -> f32 {
        PAGE_H - BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        let f = self.fonts;
        let header = self.doc.short_title.clone();
        self.ops.push(text(LEFT, TOP + 3.0, NOTE, &header, GREY));
        let issuer = self.doc.issuer.clone();
        let w = f.width_em(&issuer) * NOTE;
        self.ops
            .push(text(LEFT + CONTENT_W - w, TOP + 3.0, NOTE, &issuer, GREY));
        self.ops
            .push(hline(LEFT, LEFT + CONTENT_W, TOP + 4.5, 0.2, GREY));
        self.y = TOP + 9.0;
        self.top = self.y;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn room_for(&mut self, height: f32) -> bool {
        if self.y + height > self.bottom() && self.y > self.top {
            self.new_page();
            return false;
        }
        true
    }

    fn title_block(&mut self) {
        let f = self.fonts;
        let size = TITLE.min(CONTENT_W / f.width_em(&self.doc.title).max(1.0));
        self.ops.push(centred(
            f,
            &self.doc.title,
            PAGE_W / 2.0,
            TOP + 8.0,
            size,
            RED,
        ));
        self.ops
            .push(hline(LEFT, LEFT + CONTENT_W, TOP + 12.0, 0.8, RED));
        self.ops
            .push(hline(LEFT, LEFT + CONTENT_W, TOP + 13.2, 0.25, RED));
        self.y = TOP + 15.0;
        if let Some(subtitle) = self.doc.subtitle.clone() {
            for line in wrap(f, &subtitle, SUBTITLE, CONTENT_W, 0.0) {
                self.y += SUBTITLE * LEADING;
                self.ops
                    .push(centred(f, &line, PAGE_W / 2.0, self.y, SUBTITLE, BLACK));
            }
        }
        self.y += 3.0;
        self.top = self.y;
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(heading) => {
                self.room_for(HEADING * LEADING + 3.0 + 4.0 * CELL * LEADING);
                self.y += if self.y > self.top { 3.0 } else { 0.0 };
                self.y += HEADING * LEADING;
                self.ops
                    .push(text(LEFT, self.y - 1.2, HEADING, heading, BLACK));
                self.y += 0.8;
                self.heading = Some(heading.clone());
            }
            Block::Paragraph(p) => self.lines(p, BODY, BLACK, 2.0 * BODY),
            Block::Note(n) => self.lines(n, NOTE, GREY, 0.0),
            Block::Table(table) if table.rows.is_empty() => {
                self.lines(&table.empty, BODY, BLACK, 2.0 * BODY)
            }
            Block::Table(table) => self.table(table),
            Block::Signatures(labels) => self.signatures(labels),
            Block::PageBreak => {
                if self.y > self.top {
                    self.new_page();
                }
            }
        }
    }

    fn lines(&mut self, s: &str, size: f32, colour: Colour, indent: f32) {
        self.y += 0.8;
        for (i, line) in wrap(self.fonts, s, size, CONTENT_W, indent)
            .iter()
            .enumerate()
        {
            self.room_for(size * LEADING);
            self.y += size * LEADING;
            let x = LEFT + if i == 0 { indent } else { 0.0 };
            self.ops
                .push(text(x, self.y - size * 0.3, size, line, colour));
        }
    }

    fn signatures(&mut self, labels: &[String]) {
        self.room_for(16.0);
        self.y += 12.0;
        let share = CONTENT_W / labels.len().max(1) as f32;
        for (i, label) in labels.iter().enumerate() {
            let x = LEFT + share * i as f32;
            let w = self.fonts.width_em(label) * BODY;
            self.ops.push(text(x, self.y, BODY, label, BLACK));
            self.ops.push(hline(
                x + w + 1.0,
                x + share - 8.0,
                self.y + 0.8,
                0.25,
                BLACK,
            ));
        }
        self.y += 4.0;
    }

    fn widths(&self, table: &Table) -> Vec<f32> {
        let total: f32 = table
            .columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(0.01);
        table
            .columns
            .iter()
            .map(|c| CONTENT_W * c.weight / total)
            .collect()
    }

    /// One row's wrapped cells and its height.
    fn row_lines(&self, cells: &[String], widths: &[f32], min: f32) -> (Vec<Vec<String>>, f32) {
        let lines: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(cell, w)| wrap(self.fonts, cell, CELL, w - 2.0 * CELL_PAD_X, 0.0))
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
        (lines, (count * CELL * LEADING + 2.0 * CELL_PAD_Y).max(min))
    }

    fn draw_row(
        &mut self,
        table: &Table,
        widths: &[f32],
        lines: &[Vec<String>],
        h: f32,
        fill: Option<Colour>,
    ) {
        let top = self.y;
        if let Some(colour) = fill {
            self.ops.push(Op::Fill {
                x: LEFT,
                y: top,
                w: CONTENT_W,
                h,
                colour,
            });
        }
        let mut x = LEFT;
        for ((cell, w), column) in lines.iter().zip(widths).zip(&table.columns) {
            let align = if fill == Some(HEADER_FILL) {
                Align::Center
            } else {
                column.align
            };
            for (i, line) in cell.iter().enumerate() {
                let lw = self.fonts.width_em(line) * CELL;
                let lx = match align {
                    Align::Left => x + CELL_PAD_X,
                    Align::Center => x + (w - lw) / 2.0,
                    Align::Right => x + w - CELL_PAD_X - lw,
                };
                let baseline = top + CELL_PAD_Y + (i as f32 + 1.0) * CELL * LEADING - CELL * 0.32;
                self.ops.push(text(lx, baseline, CELL, line, BLACK));
            }
            self.ops.push(vline(x, top, top + h));
            x += w;
        }
        self.ops.push(vline(LEFT + CONTENT_W, top, top + h));
        self.ops.push(hline(LEFT, LEFT + CONTENT_W, top, 0.2, RULE));
        self.ops
            .push(hline(LEFT, LEFT + CONTENT_W, top + h, 0.2, RULE));
        self.y += h;
    }

    fn header_row(&mut self, table: &Table, widths: &[f32]) {
        let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
        let (lines, h) = self.row_lines(&headers, widths, 0.0);
        self.draw_row(table, widths, &lines, h, Some(HEADER_FILL));
    }

    fn table(&mut self, table: &Table) {
        let widths = self.widths(table);
        let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
        let (_, header_h) = self.row_lines(&headers, &widths, 0.0);
        self.y += 1.5;
        for (index, row) in table.rows.iter().enumerate() {
            let (lines, h) = self.row_lines(&row.cells, &widths, table.min_row_mm);
            let first = index == 0;
            let need = h + if first { header_h } else { 0.0 };
            if self.y + need > self.bottom() {
                self.new_page();
                if !first && let Some(heading) = self.heading.clone() {
                    let more: String = t!(
                        "notice.continued",
                        locale = NOTICE_LOCALE,
                        heading = heading
                    )
                    .into();
                    self.y += HEADING * LEADING;
                    self.ops
                        .push(text(LEFT, self.y - 1.2, HEADING, &more, GREY));
                    self.y += 0.8 + 1.5;
                }
                self.header_row(table, &widths);
            } else if first {
                self.header_row(table, &widths);
            }
            let fill = row.total.then_some(TOTAL_FILL);
            self.draw_row(table, &widths, &lines, h, fill);
        }
        self.y += 1.0;
    }

    /// The issuer and the date at the right, over a dashed circle where the seal is pressed.
    fn issuer_block(&mut self) {
        self.room_for(52.0);
        let f = self.fonts;
        let date = super::notices::chinese_date(self.doc.date);
        let width = (f.width_em(&self.doc.issuer).max(f.width_em(&date)) * BODY).max(36.0);
        let cx = LEFT + CONTENT_W - 6.0 - width / 2.0;
        let top = self.y + 12.0;
        self.ops.push(Op::Circle {
            cx,
            cy: top + 12.0,
            r: 19.0,
            width: 0.3,
            colour: Colour(190, 190, 190),
        });
        let seal: String = t!("notice.seal", locale = NOTICE_LOCALE).into();
        self.ops.push(centred(
            f,
            &seal,
            cx,
            top - 1.5,
            NOTE,
            Colour(160, 160, 160),
        ));
        self.ops
            .push(centred(f, &self.doc.issuer, cx, top + 10.0, BODY, BLACK));
        self.ops
            .push(centred(f, &date, cx, top + 17.0, BODY, BLACK));
        self.y = top + 34.0;
    }
}

#[cfg(test)]
mod tests;
