//! The `[register]` section of a village's rules file: how its register turns events into a
//! month's score. It lives beside the redemption rules in the same TOML (一村一方案).

use serde::{Deserialize, Serialize};

/// How a month is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 涪陵: the month is the sum of the items that happened.
    #[default]
    Additive,
    /// 翁源: the month starts at `full_marks` and items deduct (倒扣分).
    Deduction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegisterRules {
    pub mode: Mode,
    /// Where a deduction month starts (百分制: 100).
    pub full_marks: i64,
    /// 负面清单: when a negative-list item happens in a month, the points of these classes for
    /// that month become zero (涪陵: ["基础积分", "贡献积分"]). "全部" zeroes the whole month.
    pub negative_list_zeroes: Vec<String>,
}

impl Default for RegisterRules {
    fn default() -> Self {
        RegisterRules {
            mode: Mode::Additive,
            full_marks: 100,
            negative_list_zeroes: Vec::new(),
        }
    }
}

/// The word in `negative_list_zeroes` that means every class and the whole month.
pub const ALL_CLASSES: &str = "全部";

impl RegisterRules {
    pub fn negative_zeroes_all(&self) -> bool {
        self.negative_list_zeroes.iter().any(|c| c == ALL_CLASSES)
    }

    pub fn validate(&self) -> Result<(), String> {
        if !(1..=1_000).contains(&self.full_marks) {
            return Err("register.full_marks must be 1 to 1000".into());
        }
        if self
            .negative_list_zeroes
            .iter()
            .any(|c| c.trim().is_empty())
        {
            return Err("register.negative_list_zeroes has an empty class name".into());
        }
        Ok(())
    }
}
