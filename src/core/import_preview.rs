//! What an import would do, before it does it: rows to add, rows already there unchanged, rows
//! that would change (old → new, field by field), and rows refused with their cell. Pure data
//! and comparisons; the store is read by `app::import_preview`.

use serde::Serialize;

use super::Points;
use super::goods::{Goods, NewGoods};
use super::household::{Household, HouseholdKind};
use super::import_rows::CellError;

/// Which sheet is being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ImportKind {
    Households,
    Goods,
    Scores,
    Stock,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Households,
        ImportKind::Goods,
        ImportKind::Scores,
        ImportKind::Stock,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Households => "households",
            ImportKind::Goods => "goods",
            ImportKind::Scores => "scores",
            ImportKind::Stock => "stock",
        }
    }
}

/// One field of a row that differs from what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The documented column name (户主, 人口…).
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

/// One row as the preview lists it: its spreadsheet row, its key (户号, 编码) and a short text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewLine {
    pub row: usize,
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLine {
    pub row: usize,
    pub key: String,
    pub text: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    pub kind: ImportKind,
    pub file: String,
    pub add: Vec<PreviewLine>,
    pub unchanged: Vec<PreviewLine>,
    pub changes: Vec<ChangeLine>,
    #[serde(skip)]
    pub refused: Vec<CellError>,
    /// Whether the changes can be applied by this import (a roster's can; a goods sheet's
    /// price changes need an approved price instead).
    pub changes_applicable: bool,
}

impl ImportPreview {
    pub fn new(kind: ImportKind, file: &str) -> Self {
        ImportPreview {
            kind,
            file: file.to_string(),
            add: Vec::new(),
            unchanged: Vec::new(),
            changes: Vec::new(),
            refused: Vec::new(),
            changes_applicable: kind == ImportKind::Households,
        }
    }

    /// Nothing refused and something to write.
    pub fn can_apply(&self, apply_changes: bool) -> bool {
        self.refused.is_empty()
            && (!self.add.is_empty()
                || (apply_changes && self.changes_applicable && !self.changes.is_empty()))
    }
}

fn kind_text(kind: HouseholdKind) -> &'static str {
    match kind {
        HouseholdKind::Registered => "户籍",
        HouseholdKind::Resident => "常住",
    }
}

fn push(out: &mut Vec<FieldChange>, column: &'static str, old: String, new: String) {
    if old != new {
        out.push(FieldChange { column, old, new });
    }
}

/// The fields a roster may change on a household already in the store. A blank phone in the
/// sheet is "not given", never "remove the phone".
pub fn household_changes(old: &Household, new: &Household) -> Vec<FieldChange> {
    let mut out = Vec::new();
    push(
        &mut out,
        "户主",
        old.head_name.clone(),
        new.head_name.clone(),
    );
    push(
        &mut out,
        "人口",
        old.members.to_string(),
        new.members.to_string(),
    );
    if let Some(phone) = &new.phone {
        push(
            &mut out,
            "电话",
            old.phone.clone().unwrap_or_default(),
            phone.clone(),
        );
    }
    push(
        &mut out,
        "类别",
        kind_text(old.kind).into(),
        kind_text(new.kind).into(),
    );
    out
}

/// How a goods row differs from the good in the store (shown; a price change needs approval).
pub fn goods_changes(old: &Goods, old_price: Option<Points>, new: &NewGoods) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let g = &new.goods;
    push(&mut out, "名称", old.name.clone(), g.name.clone());
    push(&mut out, "单位", old.unit.clone(), g.unit.clone());
    push(
        &mut out,
        "积分",
        old_price.map(|p| p.0.to_string()).unwrap_or_default(),
        new.price_points.0.to_string(),
    );
    if let Some(c) = &g.category {
        push(
            &mut out,
            "类别",
            old.category.clone().unwrap_or_default(),
            c.clone(),
        );
    }
    out
}

/// A household as one line of the preview.
pub fn household_line(h: &Household) -> String {
    format!("{} {}{} {}人", h.head_name, h.village, h.group, h.members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::household::HouseholdStatus;

    fn household(head: &str, members: i64, phone: Option<&str>) -> Household {
        Household {
            number: "101001".parse().unwrap(),
            head_name: head.into(),
            village: "青山村".into(),
            group: "一组".into(),
            members,
            phone: phone.map(str::to_string),
            kind: HouseholdKind::Registered,
            status: HouseholdStatus::Active,
        }
    }

    #[test]
    fn changes_are_listed_field_by_field_and_a_blank_phone_changes_nothing() {
        let old = household("王大山", 4, Some("13800000001"));
        let new = household("王小山", 5, None);
        let changes = household_changes(&old, &new);
        let cols: Vec<_> = changes
            .iter()
            .map(|c| (c.column, c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(cols, [("户主", "王大山", "王小山"), ("人口", "4", "5")]);
        assert!(household_changes(&old, &old).is_empty());
    }
}
