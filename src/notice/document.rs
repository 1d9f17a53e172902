//! A public notice as a sequence of blocks, independent of what it is drawn on: the A4 pages
//! (PDF and PNG), the plain text and the receipt slip are all made from one `NoticeDoc`.

use chrono::NaiveDate;

/// Villagers read the notices: their words are Chinese whatever the staff's language.
pub const NOTICE_LOCALE: &str = "zh-CN";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Share of the table's width (the columns' weights are summed).
    pub weight: f32,
    pub align: Align,
    /// Width in characters on a receipt slip; `Some(0)` takes what is left, `None` leaves
    /// the column off the slip.
    pub slip_width: Option<usize>,
    /// A shorter header for the narrow slip (积分 for 所需积分).
    pub slip_header: Option<String>,
}

impl Column {
    pub fn new(header: impl Into<String>, weight: f32, align: Align) -> Self {
        Column {
            header: header.into(),
            weight,
            align,
            slip_width: None,
            slip_header: None,
        }
    }

    pub fn slip(mut self, width: usize) -> Self {
        self.slip_width = Some(width);
        self
    }

    pub fn slip_as(mut self, width: usize, header: impl Into<String>) -> Self {
        self.slip_header = Some(header.into());
        self.slip(width)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    /// A totals row: shaded on paper.
    pub total: bool,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Self {
        Row {
            cells,
            total: false,
        }
    }

    pub fn total(cells: Vec<String>) -> Self {
        Row { cells, total: true }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows at least this tall in mm (room for a signature).
    pub min_row_mm: f32,
    /// Printed in place of the rows when there are none.
    pub empty: String,
}

impl Table {
    pub fn new(columns: Vec<Column>, rows: Vec<Row>, empty: impl Into<String>) -> Self {
        Table {
            columns,
            rows,
            min_row_mm: 0.0,
            empty: empty.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; a table that runs onto the next page repeats it with （续）.
    Heading(String),
    Paragraph(String),
    /// Small print: notes, the ledgers' fingerprint.
    Note(String),
    Table(Table),
    /// Lines to sign by hand: 经手人：______ 监督人：______.
    Signatures(Vec<String>),
    /// The next block starts on a new page (each village group of a long notice).
    PageBreak,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoticeDoc {
    /// e.g. 物资收支公示.
    pub title: String,
    /// Under the title: the period, the village group.
    pub subtitle: Option<String>,
    /// The issuing body (the store) and the date, over the seal, at the end.
    pub issuer: String,
    pub date: NaiveDate,
    pub blocks: Vec<Block>,
    /// A running title for pages after the first and for file metadata.
    pub short_title: String,
}

impl NoticeDoc {
    /// Every piece of text in the notice, for searching and for tests.
    pub fn all_text(&self) -> String {
        let mut out = vec![self.title.clone()];
        out.extend(self.subtitle.clone());
        for block in &self.blocks {
            match block {
                Block::Heading(t) | Block::Paragraph(t) | Block::Note(t) => out.push(t.clone()),
                Block::Table(table) => {
                    out.extend(table.columns.iter().map(|c| c.header.clone()));
                    for row in &table.rows {
                        out.extend(row.cells.iter().cloned());
                    }
                }
                Block::Signatures(lines) => out.extend(lines.iter().cloned()),
                Block::PageBreak => {}
            }
        }
        out.push(self.issuer.clone());
        out.join("\n")
    }
}
