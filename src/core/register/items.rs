//! The scoring items (积分项目及分值) as a village writes them: 类别, 项目, 积分内容, 分值,
//! and optionally 序号, 计分方式 and 周期. Cells left blank under a merged 类别 or 项目 take
//! the value above, as the documents' tables are laid out.

use serde::Serialize;

use crate::core::import_rows::{CellError, Column, Grid, Problem};
use crate::core::import_sheet::Sheet;

/// How an item moves the month's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Adds its points (基础, 贡献).
    Add,
    /// Deducts its points from full marks (翁源's 倒扣分).
    Deduct,
    /// On the negative list (负面清单): what it does is the village rule's.
    Negative,
}

impl ItemKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ItemKind::Add => "add",
            ItemKind::Deduct => "deduct",
            ItemKind::Negative => "negative",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        match text {
            "add" => Some(ItemKind::Add),
            "deduct" => Some(ItemKind::Deduct),
            "negative" => Some(ItemKind::Negative),
            _ => None,
        }
    }

    /// As the sheet writes it.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Add => "加分",
            ItemKind::Deduct => "扣分",
            ItemKind::Negative => "负面清单",
        }
    }
}

/// What an item is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemPoints {
    /// Worth this much once a cycle ("2分").
    Fixed(i64),
    /// Worth this much each time it happens ("每次2分").
    PerOccurrence(i64),
    /// The scoring group chooses within the range, once a cycle ("1-5分").
    Range(i64, i64),
}

impl ItemPoints {
    pub fn bounds(self) -> (i64, i64) {
        match self {
            ItemPoints::Fixed(p) | ItemPoints::PerOccurrence(p) => (p, p),
            ItemPoints::Range(a, b) => (a, b),
        }
    }

    pub fn is_once_per_cycle(self) -> bool {
        !matches!(self, ItemPoints::PerOccurrence(_))
    }

    pub fn as_db(self) -> &'static str {
        match self {
            ItemPoints::Fixed(_) => "fixed",
            ItemPoints::PerOccurrence(_) => "per_occurrence",
            ItemPoints::Range(..) => "range",
        }
    }

    pub fn from_db(kind: &str, min: i64, max: i64) -> Option<Self> {
        match kind {
            "fixed" => Some(ItemPoints::Fixed(min)),
            "per_occurrence" => Some(ItemPoints::PerOccurrence(min)),
            "range" => Some(ItemPoints::Range(min, max)),
            _ => None,
        }
    }

    /// As the sheet writes it: "2分", "每次2分", "1-5分"; a negative-list item "归零".
    pub fn label(self, kind: ItemKind) -> String {
        let sign = if kind == ItemKind::Deduct { "扣" } else { "" };
        match self {
            _ if kind == ItemKind::Negative => "归零".to_string(),
            ItemPoints::Fixed(p) => format!("{sign}{p}分"),
            ItemPoints::PerOccurrence(p) => format!("每次{sign}{p}分"),
            ItemPoints::Range(a, b) => format!("{sign}{a}-{b}分"),
        }
    }

    /// Reads "2分", "2", "每次2分", "每次扣2分", "1-5分", "1～5分", "扣3分"; the sign word 扣
    /// says the item deducts. Returns the points and whether 扣 was written.
    pub fn parse(text: &str) -> Option<(ItemPoints, bool)> {
        let mut t = text.trim().replace([' ', '\u{3000}'], "");
        let per = t.starts_with("每次") || t.starts_with("每项") || t.starts_with("每处");
        if per {
            t = t.chars().skip(2).collect();
        }
        let deduct = t.starts_with('扣') || t.starts_with('-') && !t[1..].contains('-');
        let t = t
            .trim_start_matches(['扣', '-'])
            .trim_end_matches('分')
            .to_string();
        let number = |s: &str| {
            s.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=100).contains(n))
        };
        let points = match t.split_once(['-', '～', '~', '—', '至']) {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b.trim_start_matches('扣'))?);
                if a > b || per {
                    return None;
                }
                ItemPoints::Range(a, b)
            }
            None if per => ItemPoints::PerOccurrence(number(&t)?),
            None => ItemPoints::Fixed(number(&t)?),
        };
        Some((points, deduct))
    }
}

/// How often an item can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    Month,
    Year,
}

impl Cycle {
    pub fn as_db(self) -> &'static str {
        match self {
            Cycle::Month => "month",
            Cycle::Year => "year",
        }
    }

    pub fn from_db(text: &str) -> Option<Self> {
        match text {
            "month" => Some(Cycle::Month),
            "year" => Some(Cycle::Year),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cycle::Month => "每月",
            Cycle::Year => "每年",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "月" | "每月" | "月度" | "month" => Some(Cycle::Month),
            "年" | "每年" | "年度" | "year" => Some(Cycle::Year),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoringItem {
    pub number: i64,
    /// 类别: 基础积分, 贡献积分, 负向扣分; 人居环境, 乡风文明.
    pub class: String,
    pub kind: ItemKind,
    /// 项目: 爱国, 环境好 …
    pub item: String,
    /// 积分内容: what earns (or costs) the points.
    pub content: String,
    pub points: ItemPoints,
    pub cycle: Cycle,
}

impl ScoringItem {
    /// The short name staff type: the content's title before "：" without its number
    /// ("1.爱党爱国：…" → 爱党爱国), else the 项目.
    pub fn name(&self) -> String {
        let title = self
            .content
            .split_once(['：', ':'])
            .map(|(t, _)| t)
            .unwrap_or("");
        let title = title
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、' || c == '．')
            .trim();
        if title.is_empty() || title.chars().count() > 12 {
            self.item.clone()
        } else {
            title.to_string()
        }
    }
}

const ITEM_COLUMNS: &[Column] = &[
    Column {
        zh: "序号",
        aliases: &[],
        en: "number",
        required: false,
    },
    Column {
        zh: "类别",
        aliases: &[],
        en: "class",
        required: true,
    },
    Column {
        zh: "项目",
        aliases: &[],
        en: "item",
        required: true,
    },
    Column {
        zh: "积分内容",
        aliases: &[],
        en: "content",
        required: true,
    },
    Column {
        zh: "分值",
        aliases: &[],
        en: "points",
        required: true,
    },
    Column {
        zh: "计分方式",
        aliases: &[],
        en: "kind",
        required: false,
    },
    Column {
        zh: "周期",
        aliases: &[],
        en: "cycle",
        required: false,
    },
];

/// Reads an items table. The kind of an item is its 计分方式 cell when given, else "负面" or
/// "负向" in its class makes it a negative-list item, else 扣 in its points a deduction, else
/// it adds.
pub fn item_rows(grid: &Grid) -> Result<Vec<ScoringItem>, CellError> {
    let sheet = Sheet::new(grid, ITEM_COLUMNS)?;
    let mut out: Vec<ScoringItem> = Vec::new();
    let (mut class, mut item) = (String::new(), String::new());
    for row in sheet.rows() {
        if let Some(c) = row.get("类别") {
            class = c.to_string();
            item.clear();
        }
        if let Some(i) = row.get("项目") {
            item = i.to_string();
        }
        if class.is_empty() {
            return Err(row.error("类别", Problem::Empty));
        }
        let content = row.text("积分内容", 500)?;
        if item.is_empty() {
            item = content.chars().take(12).collect();
        }
        let declared_kind = match row.get("计分方式") {
            None => None,
            Some(k) => Some(match k {
                "加分" | "add" => ItemKind::Add,
                "扣分" | "deduct" => ItemKind::Deduct,
                "负面清单" | "负向" | "归零" | "negative" => ItemKind::Negative,
                other => return Err(row.error("计分方式", Problem::BadKind(other.into()))),
            }),
        };
        let negative_class = class.contains("负面") || class.contains("负向");
        let points_cell = row.get("分值").unwrap_or("");
        let is_negative = declared_kind == Some(ItemKind::Negative)
            || (declared_kind.is_none() && negative_class);
        let (points, deduct_word) = if is_negative && ItemPoints::parse(points_cell).is_none() {
            (ItemPoints::Fixed(0), false)
        } else {
            ItemPoints::parse(points_cell)
                .ok_or_else(|| row.error("分值", Problem::NotInteger(points_cell.into())))?
        };
        let kind = declared_kind.unwrap_or(if negative_class {
            ItemKind::Negative
        } else if deduct_word {
            ItemKind::Deduct
        } else {
            ItemKind::Add
        });
        let cycle = match row.get("周期") {
            None => Cycle::Month,
            Some(c) => {
                Cycle::parse(c).ok_or_else(|| row.error("周期", Problem::BadKind(c.into())))?
            }
        };
        let number = row.number("序号", 1, 999, Some(out.len() as i64 + 1))?;
        if let Some(first) = out.iter().position(|i| i.number == number) {
            return Err(row.error(
                "序号",
                Problem::Duplicate {
                    first_row: first + 2,
                },
            ));
        }
        out.push(ScoringItem {
            number,
            class: class.clone(),
            kind,
            item: item.clone(),
            content,
            points,
            cycle,
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
