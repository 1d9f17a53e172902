//! Reading the rows of a village's sheet into checked records. Pure: the file has already been
//! decoded into a grid of strings; every refusal names the spreadsheet row and the column.

use super::goods::{Goods, NewGoods, barcode_is_well_formed};
use super::household::{Household, HouseholdKind, HouseholdStatus, NewHousehold};
use super::import_sheet::{Row, Seen, Sheet};
use super::{GoodsCode, HouseholdNo, Points, Qty};

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
    OutOfRange {
        value: String,
        min: i64,
        max: i64,
    },
    TooLong {
        max: usize,
    },
    BadCode(String),
    BadKind(String),
    BadBarcode(String),
    Duplicate {
        first_row: usize,
    },
    AlreadyExists(String),
    UnknownHousehold(String),
    NameMismatch {
        expected: String,
        found: String,
    },
    AlreadyPosted {
        household: String,
        period: String,
    },
    /// A roster row puts a household already in the store in another village or group.
    MovedGroup {
        from: String,
        to: String,
    },
    /// A roster row carries opening points different from those recorded at its first import.
    OpeningPointsDiffer {
        recorded: i64,
        found: i64,
    },
    UnknownGoods(String),
    /// Opening stock for a good that already has stock movements.
    StockAlreadyEntered(String),
}

/// One documented column: the header the contract documents, the other names villages
/// write for it, and the English alias.
pub struct Column {
    pub zh: &'static str,
    pub aliases: &'static [&'static str],
    pub en: &'static str,
    pub required: bool,
}

const fn col(
    zh: &'static str,
    aliases: &'static [&'static str],
    en: &'static str,
    required: bool,
) -> Column {
    Column {
        zh,
        aliases,
        en,
        required,
    }
}

// The one table of header names. A name belongs to one column per sheet: 编号 is a
// household's number on a roster and never a goods code.
pub const HOUSEHOLD_COLUMNS: &[Column] = &[
    col(
        "户号",
        &["户编号", "编号", "农户编号", "家庭编号", "户代码"],
        "household_id",
        true,
    ),
    col(
        "户主",
        &["户主姓名", "姓名", "户主名", "户主名字", "家庭户主"],
        "head_name",
        true,
    ),
    col(
        "村",
        &[
            "村名",
            "村庄",
            "行政村",
            "所属村",
            "村（社区）",
            "村(社区)",
            "社区",
        ],
        "village",
        true,
    ),
    col(
        "村小组",
        &["组别", "小组", "组", "所属小组", "村民小组", "组名"],
        "group",
        true,
    ),
    col(
        "人口",
        &["家庭人口", "人数", "家庭人数", "人口数", "家庭成员数"],
        "members",
        false,
    ),
    col(
        "电话",
        &[
            "联系电话",
            "手机",
            "手机号",
            "手机号码",
            "电话号码",
            "联系方式",
        ],
        "phone",
        false,
    ),
    col("类别", &["户类别", "户籍类别", "户别"], "kind", false),
    col(
        "期初积分",
        &["原有积分", "结转积分", "上期积分", "积分余额"],
        "opening_points",
        false,
    ),
];

pub const GOODS_COLUMNS: &[Column] = &[
    col(
        "编码",
        &["商品编码", "物品编码", "货号", "商品编号"],
        "code",
        true,
    ),
    col("名称", &["商品名称", "物品名称", "品名"], "name", true),
    col("单位", &["计量单位"], "unit", true),
    col(
        "积分",
        &["兑换积分", "所需积分", "积分价", "积分价格", "分值"],
        "price_points",
        true,
    ),
    col("类别", &["商品类别", "分类"], "category", false),
    col("条码", &["条形码", "商品条码"], "barcode", false),
    col(
        "每户每月限量",
        &["每月限量", "限量", "每户限量"],
        "monthly_limit",
        false,
    ),
];

pub const SCORE_COLUMNS: &[Column] = &[
    col(
        "户号",
        &["户编号", "编号", "农户编号", "家庭编号"],
        "household_id",
        true,
    ),
    col(
        "得分",
        &["积分", "本月得分", "月得分", "得分合计", "合计"],
        "score",
        true,
    ),
    col("户主", &["户主姓名", "姓名"], "head_name", false),
];

/// Opening stock (期初库存): what is on the shelf when the software starts.
pub const STOCK_COLUMNS: &[Column] = &[
    col(
        "编码",
        &["商品编码", "物品编码", "货号", "商品编号"],
        "code",
        true,
    ),
    col(
        "数量",
        &["期初数量", "库存", "库存数量", "现有数量", "期初库存"],
        "qty",
        true,
    ),
    col("来源", &["来源说明", "货源", "备注"], "source", false),
    col("名称", &["商品名称", "物品名称", "品名"], "name", false),
];

/// Most points a single cell may carry: far above any real score, far below overflow.
const MAX_POINTS: i64 = 1_000_000;

/// The rows of a sheet that read well, and every row that did not, each with its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub rows: Vec<(usize, T)>,
    pub refused: Vec<CellError>,
}

impl<T> Parsed<T> {
    /// All rows or the first refusal (the command line's "all rows or none").
    pub fn all_or_first_error(self) -> Result<Vec<(usize, T)>, CellError> {
        if let Some(first) = self.refused.into_iter().next() {
            return Err(first);
        }
        if self.rows.is_empty() {
            return Err(no_rows());
        }
        Ok(self.rows)
    }
}

fn no_rows() -> CellError {
    CellError {
        row: 0,
        column: String::new(),
        problem: Problem::NoRows,
    }
}

/// Reads every data row with `read`, keeping good rows and refusals apart.
fn read_rows<T>(
    sheet: &Sheet<'_>,
    mut read: impl FnMut(&Row<'_>) -> Result<T, CellError>,
) -> Parsed<T> {
    let mut parsed = Parsed {
        rows: Vec::new(),
        refused: Vec::new(),
    };
    for row in sheet.rows() {
        match read(&row) {
            Ok(t) => parsed.rows.push((row.number, t)),
            Err(e) => parsed.refused.push(e),
        }
    }
    parsed
}

/// Reads a households sheet. Each record keeps its row number for errors found later.
pub fn households(grid: &Grid) -> Result<Vec<(usize, NewHousehold)>, CellError> {
    households_sheet(grid, None)?.all_or_first_error()
}

/// Reads a roster, every row: a sheet without a 村 column takes `default_village` (the one
/// the clerk chose, or the store's only village).
pub fn households_sheet(
    grid: &Grid,
    default_village: Option<&str>,
) -> Result<Parsed<NewHousehold>, CellError> {
    let defaulted: &[&str] = if default_village.is_some() {
        &["村"]
    } else {
        &[]
    };
    let sheet = Sheet::with_defaults(grid, HOUSEHOLD_COLUMNS, defaulted)?;
    let mut seen = Seen::default();
    Ok(read_rows(&sheet, |row| {
        let number: HouseholdNo = row.code("户号")?;
        seen.check(row, "户号", number.as_str())?;
        let kind_text = row.get("类别").unwrap_or("");
        let kind = HouseholdKind::parse_sheet(kind_text)
            .ok_or_else(|| row.error("类别", Problem::BadKind(kind_text.into())))?;
        let village = match (row.get("村"), default_village) {
            (None, Some(v)) => v.trim().to_string(),
            _ => row.text("村", 30)?,
        };
        let household = Household {
            number,
            head_name: row.text("户主", 20)?,
            village,
            group: row.text("村小组", 30)?,
            members: row.number("人口", 1, 30, Some(1))?,
            phone: row.optional_text("电话", 20)?,
            kind,
            status: HouseholdStatus::Active,
        };
        let opening = row.number("期初积分", 0, MAX_POINTS, Some(0))?;
        Ok(NewHousehold {
            household,
            opening_points: Points(opening),
        })
    }))
}

/// Reads a goods sheet.
pub fn goods(grid: &Grid) -> Result<Vec<(usize, NewGoods)>, CellError> {
    goods_sheet(grid)?.all_or_first_error()
}

pub fn goods_sheet(grid: &Grid) -> Result<Parsed<NewGoods>, CellError> {
    let sheet = Sheet::new(grid, GOODS_COLUMNS)?;
    let mut codes = Seen::default();
    let mut barcodes = Seen::default();
    Ok(read_rows(&sheet, |row| {
        let code: GoodsCode = row.code("编码")?;
        codes.check(row, "编码", code.as_str())?;
        let barcode = row.optional_text("条码", 14)?;
        if let Some(barcode) = &barcode {
            if !barcode_is_well_formed(barcode) {
                return Err(row.error("条码", Problem::BadBarcode(barcode.clone())));
            }
            barcodes.check(row, "条码", barcode)?;
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
        Ok(NewGoods {
            goods,
            price_points: Points(price),
        })
    }))
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
    Ok(scores_sheet(grid)?
        .all_or_first_error()?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

pub fn scores_sheet(grid: &Grid) -> Result<Parsed<ScoreRow>, CellError> {
    let sheet = Sheet::new(grid, SCORE_COLUMNS)?;
    let mut seen = Seen::default();
    Ok(read_rows(&sheet, |row| {
        let household: HouseholdNo = row.code("户号")?;
        seen.check(row, "户号", household.as_str())?;
        Ok(ScoreRow {
            row: row.number,
            household,
            head_name: row.optional_text("户主", 20)?,
            score: row.number("得分", 0, 1000, None)?,
        })
    }))
}

/// One line of opening stock: what is on the shelf, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    pub code: GoodsCode,
    pub qty: Qty,
    /// 来源 as the clerk wrote it (a donor, "村集体采购"…); `None` when the column is blank.
    pub source: Option<String>,
}

/// Most of one good a village shop holds: a typing error beyond this.
const MAX_OPENING_QTY: i64 = 100_000;

pub fn stock_sheet(grid: &Grid) -> Result<Parsed<StockRow>, CellError> {
    let sheet = Sheet::new(grid, STOCK_COLUMNS)?;
    let mut seen = Seen::default();
    Ok(read_rows(&sheet, |row| {
        let code: GoodsCode = row.code("编码")?;
        seen.check(row, "编码", code.as_str())?;
        Ok(StockRow {
            code,
            qty: Qty(row.number("数量", 1, MAX_OPENING_QTY, None)?),
            source: row.optional_text("来源", 40)?,
        })
    }))
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
    fn header_below_title_rows_with_the_names_villages_write() {
        let g = grid(&[
            &[
                "青山村农户花名册",
                "青山村农户花名册",
                "青山村农户花名册",
                "",
                "",
            ],
            &["填表日期：2026年11月", "", "", "", ""],
            &["序号", "户编号", "户主姓名", "组别", "家庭人口", "联系电话"],
            &["1", "101001", "王大山", "一组", "4", "13800000001"],
        ]);
        let parsed = households_sheet(&g, Some("青山村")).unwrap();
        assert!(parsed.refused.is_empty(), "{:?}", parsed.refused);
        let (row, h) = &parsed.rows[0];
        assert_eq!(*row, 4, "row numbers stay the spreadsheet's");
        assert_eq!(
            (
                h.household.head_name.as_str(),
                h.household.village.as_str(),
                h.household.group.as_str()
            ),
            ("王大山", "青山村", "一组")
        );
        assert_eq!(h.household.members, 4);
        assert_eq!(h.household.phone.as_deref(), Some("13800000001"));
        // Without a village to fall back on, the missing 村 column is named at the header row.
        let err = households_sheet(&g, None).err().unwrap();
        assert_eq!(
            (err.row, err.column.as_str(), err.problem),
            (3, "村", Problem::MissingColumn)
        );
    }

    #[test]
    fn every_bad_row_is_listed_not_just_the_first() {
        let g = grid(&[
            &["户号", "户主", "村", "村小组", "人口"],
            &["101001", "", "青山村", "一组", "3"],
            &["101002", "李四", "青山村", "一组", "三"],
            &["101003", "张三", "青山村", "一组", "2"],
        ]);
        let parsed = households_sheet(&g, None).unwrap();
        assert_eq!(parsed.rows.len(), 1);
        let cells: Vec<_> = parsed
            .refused
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(cells, [(2, "户主"), (3, "人口")]);
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
