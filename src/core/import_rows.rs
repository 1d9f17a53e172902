//! Reading the rows of a village's sheet into checked records. Pure: the file has already been
//! decoded into a grid of strings; every refusal names the spreadsheet row and the column.

use std::collections::HashMap;

use super::goods::{Goods, NewGoods, barcode_is_well_formed};
use super::household::{Household, HouseholdKind, HouseholdStatus, NewHousehold};
use super::{GoodsCode, HouseholdNo, ParseError, Points, Qty, parse_whole_number};

/// A decoded sheet: the first row is the header.
pub type Grid = Vec<Vec<String>>;

/// What is wrong with one cell (or with the whole sheet when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The spreadsheet's row number: the header is row 1, the first data row is row 2.
    pub row: usize,
    /// The column's Chinese name as the documented header, empty for whole-sheet problems.
    pub column: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoRows,
    MissingColumn,
    Empty,
    NotInteger(String),
    OutOfRange { value: String, min: i64, max: i64 },
    TooLong { max: usize },
    BadCode(String),
    BadKind(String),
    BadBarcode(String),
    Duplicate { first_row: usize },
    AlreadyExists(String),
    UnknownHousehold(String),
    NameMismatch { expected: String, found: String },
    AlreadyPosted { household: String, period: String },
}

/// One documented column: the header a village writes, and the English alias.
pub struct Column {
    pub zh: &'static str,
    pub en: &'static str,
    pub required: bool,
}

pub const HOUSEHOLD_COLUMNS: &[Column] = &[
    Column {
        zh: "户号",
        en: "household_id",
        required: true,
    },
    Column {
        zh: "户主",
        en: "head_name",
        required: true,
    },
    Column {
        zh: "村",
        en: "village",
        required: true,
    },
    Column {
        zh: "村小组",
        en: "group",
        required: true,
    },
    Column {
        zh: "人口",
        en: "members",
        required: false,
    },
    Column {
        zh: "电话",
        en: "phone",
        required: false,
    },
    Column {
        zh: "类别",
        en: "kind",
        required: false,
    },
    Column {
        zh: "期初积分",
        en: "opening_points",
        required: false,
    },
];

pub const GOODS_COLUMNS: &[Column] = &[
    Column {
        zh: "编码",
        en: "code",
        required: true,
    },
    Column {
        zh: "名称",
        en: "name",
        required: true,
    },
    Column {
        zh: "单位",
        en: "unit",
        required: true,
    },
    Column {
        zh: "积分",
        en: "price_points",
        required: true,
    },
    Column {
        zh: "类别",
        en: "category",
        required: false,
    },
    Column {
        zh: "条码",
        en: "barcode",
        required: false,
    },
    Column {
        zh: "每户每月限量",
        en: "monthly_limit",
        required: false,
    },
];

pub const SCORE_COLUMNS: &[Column] = &[
    Column {
        zh: "户号",
        en: "household_id",
        required: true,
    },
    Column {
        zh: "得分",
        en: "score",
        required: true,
    },
    Column {
        zh: "户主",
        en: "head_name",
        required: false,
    },
];

/// Most points a single cell may carry: far above any real score, far below overflow.
const MAX_POINTS: i64 = 1_000_000;

/// A sheet with its header located: reads cells by documented column name.
pub struct Sheet<'a> {
    grid: &'a Grid,
    index: HashMap<&'static str, usize>,
}

impl<'a> Sheet<'a> {
    /// Finds every documented column in the header; extra columns are ignored, order is free.
    pub fn new(grid: &'a Grid, columns: &[Column]) -> Result<Self, CellError> {
        let header = grid.first().ok_or(CellError {
            row: 0,
            column: String::new(),
            problem: Problem::NoRows,
        })?;
        let mut index = HashMap::new();
        for column in columns {
            let found = header.iter().position(|h| {
                let h = h.trim().trim_start_matches('\u{feff}').trim();
                h == column.zh || h.eq_ignore_ascii_case(column.en)
            });
            match found {
                Some(i) => {
                    index.insert(column.zh, i);
                }
                None if column.required => {
                    return Err(CellError {
                        row: 1,
                        column: column.zh.to_string(),
                        problem: Problem::MissingColumn,
                    });
                }
                None => {}
            }
        }
        Ok(Sheet { grid, index })
    }

    /// Data rows with their spreadsheet row numbers, skipping rows that are entirely blank.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.grid
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
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
        let value = parse_whole_number(cell).map_err(|e| match e {
            ParseError::OutOfRange => self.error(
                column,
                Problem::OutOfRange {
                    value: cell.into(),
                    min,
                    max,
                },
            ),
            _ => self.error(column, Problem::NotInteger(cell.into())),
        })?;
        if !(min..=max).contains(&value) {
            return Err(self.error(
                column,
                Problem::OutOfRange {
                    value: cell.into(),
                    min,
                    max,
                },
            ));
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
struct Seen(HashMap<String, usize>);

impl Seen {
    fn check(&mut self, row: &Row<'_>, column: &str, key: &str) -> Result<(), CellError> {
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

/// Reads a households sheet. Each record keeps its row number for errors found later.
pub fn households(grid: &Grid) -> Result<Vec<(usize, NewHousehold)>, CellError> {
    let sheet = Sheet::new(grid, HOUSEHOLD_COLUMNS)?;
    let mut seen = Seen::default();
    let mut out = Vec::new();
    for row in sheet.rows() {
        let number: HouseholdNo = row.code("户号")?;
        seen.check(&row, "户号", number.as_str())?;
        let kind_text = row.get("类别").unwrap_or("");
        let kind = HouseholdKind::parse_sheet(kind_text)
            .ok_or_else(|| row.error("类别", Problem::BadKind(kind_text.into())))?;
        let household = Household {
            number,
            head_name: row.text("户主", 20)?,
            village: row.text("村", 30)?,
            group: row.text("村小组", 30)?,
            members: row.number("人口", 1, 30, Some(1))?,
            phone: row.optional_text("电话", 20)?,
            kind,
            status: HouseholdStatus::Active,
        };
        let opening = row.number("期初积分", 0, MAX_POINTS, Some(0))?;
        out.push((
            row.number,
            NewHousehold {
                household,
                opening_points: Points(opening),
            },
        ));
    }
    if out.is_empty() {
        return Err(CellError {
            row: 0,
            column: String::new(),
            problem: Problem::NoRows,
        });
    }
    Ok(out)
}

/// Reads a goods sheet.
pub fn goods(grid: &Grid) -> Result<Vec<(usize, NewGoods)>, CellError> {
    let sheet = Sheet::new(grid, GOODS_COLUMNS)?;
    let mut codes = Seen::default();
    let mut barcodes = Seen::default();
    let mut out = Vec::new();
    for row in sheet.rows() {
        let code: GoodsCode = row.code("编码")?;
        codes.check(&row, "编码", code.as_str())?;
        let barcode = row.optional_text("条码", 14)?;
        if let Some(barcode) = &barcode {
            if !barcode_is_well_formed(barcode) {
                return Err(row.error("条码", Problem::BadBarcode(barcode.clone())));
            }
            barcodes.check(&row, "条码", barcode)?;
        }
        let goods = Goods {
            code,
            barcode,
            name: row.text("名称", 30)?,
            unit: row.text("单位", 6)?,
            category: row.optional_text("类别", 12)?,
            monthly_limit: match row.get("每户每月限量") {
                None => None,
                Some(_) => Some(Qty(row.number("每户每月限量", 1, 10_000, None)?)),
            },
            retired: false,
        };
        let price = row.number("积分", 1, MAX_POINTS, None)?;
        out.push((
            row.number,
            NewGoods {
                goods,
                price_points: Points(price),
            },
        ));
    }
    if out.is_empty() {
        return Err(CellError {
            row: 0,
            column: String::new(),
            problem: Problem::NoRows,
        });
    }
    Ok(out)
}

/// One household's score for the month, as the committee wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    pub row: usize,
    pub household: HouseholdNo,
    pub head_name: Option<String>,
    pub score: i64,
}

/// Reads a committee's score sheet. Scores are small integers (100 minus deductions, or a sum
/// of items worth 1–10), so anything outside 0–1000 is a typing error.
pub fn scores(grid: &Grid) -> Result<Vec<ScoreRow>, CellError> {
    let sheet = Sheet::new(grid, SCORE_COLUMNS)?;
    let mut seen = Seen::default();
    let mut out = Vec::new();
    for row in sheet.rows() {
        let household: HouseholdNo = row.code("户号")?;
        seen.check(&row, "户号", household.as_str())?;
        out.push(ScoreRow {
            row: row.number,
            household,
            head_name: row.optional_text("户主", 20)?,
            score: row.number("得分", 0, 1000, None)?,
        });
    }
    if out.is_empty() {
        return Err(CellError {
            row: 0,
            column: String::new(),
            problem: Problem::NoRows,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn english_aliases_and_free_order() {
        let g = grid(&[
            &["group", "head_name", "household_id", "village", "备注"],
            &["第一组", "王大山", "101001", "青山村", "x"],
        ]);
        let rows = households(&g).unwrap();
        assert_eq!(rows[0].1.household.head_name, "王大山");
        assert_eq!(rows[0].1.household.members, 1);
        assert_eq!(rows[0].0, 2);
    }

    #[test]
    fn errors_name_row_and_column() {
        let g = grid(&[
            &["户号", "户主", "村", "村小组", "人口"],
            &["101001", "王大山", "青山村", "第一组", "3"],
            &["", "", "", "", ""],
            &["101002", "李四", "青山村", "第一组", "三"],
        ]);
        let err = households(&g).unwrap_err();
        assert_eq!((err.row, err.column.as_str()), (4, "人口"));
        assert_eq!(err.problem, Problem::NotInteger("三".into()));
    }

    #[test]
    fn missing_required_column_is_row_one() {
        let g = grid(&[&["户号", "村", "村小组"], &["101001", "青山村", "第一组"]]);
        let err = households(&g).unwrap_err();
        assert_eq!(
            (err.row, err.column.as_str(), err.problem),
            (1, "户主", Problem::MissingColumn)
        );
    }

    #[test]
    fn duplicate_codes_point_at_the_first() {
        let g = grid(&[
            &["编码", "名称", "单位", "积分"],
            &["1001", "大米", "袋", "50"],
            &["1001", "食用油", "桶", "80"],
        ]);
        let err = goods(&g).unwrap_err();
        assert_eq!(err.problem, Problem::Duplicate { first_row: 2 });
        assert_eq!(err.row, 3);
    }
}
