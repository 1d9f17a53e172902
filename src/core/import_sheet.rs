//! Finding the table in a village's sheet and reading its cells by column. Sheets as village
//! offices make them have a title row or two ("青山村农户花名册", often merged across the
//! columns), a date line, then the header: the header is the first row that holds every
//! required column, under any of the names villages write for it.

use std::collections::HashMap;

use super::import_rows::{CellError, Column, Grid, Problem};
use super::{ParseError, parse_whole_number};

/// Title and note rows above the header that a sheet may have before its table starts.
const MAX_ROWS_ABOVE_HEADER: usize = 15;

/// A header cell as it is compared: no BOM, no spaces (全角 or not), no "*" or "（必填）".
pub fn normalise_header(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .replace("（必填）", "")
        .replace("(必填)", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊' && *c != '\u{3000}')
        .collect()
}

impl Column {
    /// Whether a header cell names this column: its documented name, a name villages write
    /// for it, or the English alias in any case.
    pub fn matches(&self, header: &str) -> bool {
        let h = normalise_header(header);
        h == self.zh || self.aliases.contains(&h.as_str()) || h.eq_ignore_ascii_case(self.en)
    }
}

/// A sheet with its header located: reads cells by documented column name.
pub struct Sheet<'a> {
    grid: &'a Grid,
    /// Index in the grid of the header row.
    header: usize,
    index: HashMap<&'static str, usize>,
}

impl<'a> Sheet<'a> {
    /// Finds the header row and every documented column in it; extra columns are ignored,
    /// order is free. `optional_missing` lists required columns the caller can do without
    /// (a roster without 村 when the clerk named the village).
    pub fn new(grid: &'a Grid, columns: &[Column]) -> Result<Self, CellError> {
        Self::with_defaults(grid, columns, &[])
    }

    pub fn with_defaults(
        grid: &'a Grid,
        columns: &[Column],
        defaulted: &[&str],
    ) -> Result<Self, CellError> {
        if grid.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
            return Err(CellError {
                row: 0,
                column: String::new(),
                problem: Problem::NoRows,
            });
        }
        let needed = |c: &&Column| c.required && !defaulted.contains(&c.zh);
        // The header is the first row holding every needed column; failing that, the row
        // holding most of them is where the clerk will look for the missing one.
        let mut best: Option<(usize, usize)> = None;
        for (i, row) in grid.iter().enumerate().take(MAX_ROWS_ABOVE_HEADER + 1) {
            let found = columns
                .iter()
                .filter(needed)
                .filter(|c| row.iter().any(|h| c.matches(h)))
                .count();
            if best.is_none_or(|(_, n)| found > n) {
                best = Some((i, found));
            }
        }
        let (header, _) = best.unwrap_or((0, 0));
        let mut index = HashMap::new();
        for column in columns {
            match grid[header].iter().position(|h| column.matches(h)) {
                Some(i) => {
                    index.insert(column.zh, i);
                }
                None if needed(&column) => {
                    return Err(CellError {
                        row: header + 1,
                        column: column.zh.to_string(),
                        problem: Problem::MissingColumn,
                    });
                }
                None => {}
            }
        }
        Ok(Sheet {
            grid,
            header,
            index,
        })
    }

    /// The spreadsheet row number of the header (1 for a sheet without title rows).
    pub fn header_row(&self) -> usize {
        self.header + 1
    }

    pub fn has(&self, column: &str) -> bool {
        self.index.contains_key(column)
    }

    /// Data rows with their spreadsheet row numbers, skipping rows that are entirely blank
    /// and rows that repeat the header (a sheet printed on several pages).
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let header = &self.grid[self.header];
        self.grid
            .iter()
            .enumerate()
            .skip(self.header + 1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .filter(move |(_, cells)| *cells != header)
            .map(|(i, cells)| Row {
                number: i + 1,
                cells,
                index: &self.index,
            })
    }
}

pub struct Row<'a> {
    pub number: usize,
    cells: &'a [String],
    index: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    pub fn error(&self, column: &str, problem: Problem) -> CellError {
        CellError {
            row: self.number,
            column: column.to_string(),
            problem,
        }
    }

    /// The trimmed cell, or `None` when the column is absent or the cell blank.
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = *self.index.get(column)?;
        let cell = self.cells.get(i)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    pub fn text(&self, column: &str, max_chars: usize) -> Result<String, CellError> {
        let cell = self
            .get(column)
            .ok_or_else(|| self.error(column, Problem::Empty))?;
        if cell.chars().count() > max_chars {
            return Err(self.error(column, Problem::TooLong { max: max_chars }));
        }
        Ok(cell.to_string())
    }

    pub fn optional_text(
        &self,
        column: &str,
        max_chars: usize,
    ) -> Result<Option<String>, CellError> {
        match self.get(column) {
            None => Ok(None),
            Some(_) => self.text(column, max_chars).map(Some),
        }
    }

    /// A whole number within bounds; `default` when the cell is blank (`None` = required).
    pub fn number(
        &self,
        column: &str,
        min: i64,
        max: i64,
        default: Option<i64>,
    ) -> Result<i64, CellError> {
        let Some(cell) = self.get(column) else {
            return default.ok_or_else(|| self.error(column, Problem::Empty));
        };
        let out_of_range = || {
            self.error(
                column,
                Problem::OutOfRange {
                    value: cell.into(),
                    min,
                    max,
                },
            )
        };
        let value = parse_whole_number(cell).map_err(|e| match e {
            ParseError::OutOfRange => out_of_range(),
            _ => self.error(column, Problem::NotInteger(cell.into())),
        })?;
        if !(min..=max).contains(&value) {
            return Err(out_of_range());
        }
        Ok(value)
    }

    pub fn code<T: std::str::FromStr>(&self, column: &str) -> Result<T, CellError> {
        let cell = self
            .get(column)
            .ok_or_else(|| self.error(column, Problem::Empty))?;
        cell.parse()
            .map_err(|_| self.error(column, Problem::BadCode(cell.into())))
    }
}

/// Remembers where each key was first seen, to report duplicates by row.
#[derive(Default)]
pub struct Seen(HashMap<String, usize>);

impl Seen {
    pub fn check(&mut self, row: &Row<'_>, column: &str, key: &str) -> Result<(), CellError> {
        if let Some(first_row) = self.0.get(key) {
            return Err(row.error(
                column,
                Problem::Duplicate {
                    first_row: *first_row,
                },
            ));
        }
        self.0.insert(key.to_string(), row.number);
        Ok(())
    }
}
