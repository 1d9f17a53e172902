//! Each village's own redemption rules (一村一方案), as the committee writes them in a TOML
//! file, and the pure decisions they lead to: tiers, eligibility, double value, prizes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{GoodsCode, Points, Qty};

/// A village's rules. Every field has a default, so a file states only what differs from
/// "points = score, redeem any day, no tiers".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct VillagePolicy {
    /// A name for the rule set, e.g. "翁源县积分兑换办法（2023）".
    pub name: String,
    pub scoring: Scoring,
    pub redemption: RedemptionRules,
    pub tiers: Option<Tiers>,
    pub year_end_reset: bool,
    pub double_value: Option<DoubleValue>,
    /// Per-household monthly limits that override the goods' own, by goods code.
    pub monthly_limits: BTreeMap<String, i64>,
    pub annual_prize: Option<AnnualPrize>,
    /// How the scoring register turns events into a month's score (issue 20).
    pub register: super::register::RegisterRules,
    /// A resident (常住, non-registered) household may redeem only this many months after it
    /// arrived (涪陵: 居住6个月以上); none means at once.
    pub resident_months_before_eligible: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scoring {
    /// Points credited per score point (1: points = score).
    pub points_per_score: i64,
    /// The most a household can score in a month; a sheet above it is refused.
    pub max_score: i64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            points_per_score: 1,
            max_score: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RedemptionRules {
    /// Redeem only while a redemption day (session) is open (兑换日).
    pub only_on_redemption_day: bool,
}

/// Tiered monthly redemption (翁源): only households with at least `min_score` that month and
/// ranked within the top `top_n` of their village group may redeem; their score picks a tier,
/// and each tier has its own goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub min_score: i64,
    pub top_n: i64,
    /// Highest tier first.
    pub levels: Vec<TierLevel>,
    /// Whether a higher tier may also take the goods of lower tiers.
    #[serde(default = "yes")]
    pub higher_takes_lower: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierLevel {
    pub name: String,
    pub min_score: i64,
    pub goods: Vec<String>,
}

/// Double value (涪陵): the year's top households redeem at double value, i.e. pay half.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubleValue {
    pub top_n: i64,
}

/// The annual prize list (翁源): `share_percent` of a group's households win; of the winners
/// `first_percent` get the first prize, `second_percent` the second, the rest the third.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualPrize {
    pub share_percent: i64,
    pub first_percent: i64,
    pub second_percent: i64,
}

/// Bounds on the numbers a rules file may set, far above any village's and far below overflow.
const MAX_POINTS_PER_SCORE: i64 = 1_000;
const MAX_SCORE: i64 = 1_000;

impl VillagePolicy {
    pub fn parse(text: &str) -> Result<Self, String> {
        let policy: VillagePolicy = toml::from_str(text).map_err(|e| e.to_string())?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), String> {
        self.register.validate()?;
        if !(1..=MAX_POINTS_PER_SCORE).contains(&self.scoring.points_per_score)
            || !(1..=MAX_SCORE).contains(&self.scoring.max_score)
        {
            return Err(format!(
                "scoring.points_per_score must be 1 to {MAX_POINTS_PER_SCORE} and scoring.max_score 1 to {MAX_SCORE}"
            ));
        }
        if let Some(tiers) = &self.tiers {
            if tiers.levels.is_empty() || tiers.top_n < 1 {
                return Err("tiers need at least one level and top_n of at least 1".into());
            }
            if tiers
                .levels
                .windows(2)
                .any(|w| w[0].min_score <= w[1].min_score)
            {
                return Err("tier levels must go from the highest score down".into());
            }
        }
        if let Some(prize) = &self.annual_prize
            && (!(1..=100).contains(&prize.share_percent)
                || !(0..=100).contains(&prize.first_percent)
                || !(0..=100).contains(&prize.second_percent)
                || prize.first_percent + prize.second_percent > 100)
        {
            return Err("annual_prize percentages do not add up".into());
        }
        if let Some(d) = &self.double_value
            && d.top_n < 1
        {
            return Err("double_value.top_n must be at least 1".into());
        }
        Ok(())
    }

    /// The points a score is worth; `None` if it would not fit (a typing error in the rules).
    pub fn points_for_score(&self, score: i64) -> Option<Points> {
        score.checked_mul(self.scoring.points_per_score).map(Points)
    }

    pub fn limit_for(&self, code: &GoodsCode, goods_limit: Option<Qty>) -> Option<Qty> {
        self.monthly_limits
            .get(code.as_str())
            .map(|q| Qty(*q))
            .or(goods_limit)
    }
}

/// Competition rank ("1224"): one more than the number of strictly better scores.
pub fn rank(score: i64, all_scores: &[i64]) -> i64 {
    1 + all_scores.iter().filter(|s| **s > score).count() as i64
}

/// Where a household stands under the tiered rule this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierStanding {
    /// The household's own village group has not posted its sheet for the month the rule
    /// looks at (the month before the redemption) yet.
    SheetNotPosted {
        group: String,
        period: super::Period,
    },
    /// The group's sheet is posted but has no score for this household.
    NoScore,
    BelowMinimum {
        score: i64,
        min_score: i64,
    },
    OutsideTop {
        score: i64,
        rank: i64,
        top_n: i64,
    },
    Tier {
        index: usize,
        name: String,
        score: i64,
        rank: i64,
    },
}

impl Tiers {
    /// A household's standing from its score and the scores of its whole village group.
    pub fn standing(&self, score: Option<i64>, group_scores: &[i64]) -> TierStanding {
        let Some(score) = score else {
            return TierStanding::NoScore;
        };
        if score < self.min_score {
            return TierStanding::BelowMinimum {
                score,
                min_score: self.min_score,
            };
        }
        let rank = rank(score, group_scores);
        if rank > self.top_n {
            return TierStanding::OutsideTop {
                score,
                rank,
                top_n: self.top_n,
            };
        }
        match self.levels.iter().position(|l| score >= l.min_score) {
            Some(index) => TierStanding::Tier {
                index,
                name: self.levels[index].name.clone(),
                score,
                rank,
            },
            None => TierStanding::BelowMinimum {
                score,
                min_score: self.levels.last().map_or(self.min_score, |l| l.min_score),
            },
        }
    }

    /// Whether a household in tier `index` may take a good. Goods in no tier's list are open
    /// to every eligible household.
    pub fn allows(&self, index: usize, code: &GoodsCode) -> bool {
        let in_level = |l: &TierLevel| l.goods.iter().any(|g| g == code.as_str());
        if !self.levels.iter().any(in_level) {
            return true;
        }
        if self.higher_takes_lower {
            self.levels[index..].iter().any(in_level)
        } else {
            in_level(&self.levels[index])
        }
    }
}

impl DoubleValue {
    /// The one rule that decides who pays half: a household that has scored this year and
    /// whose year total ranks within `top_n` (competition rank, `rank`) among `year_totals`,
    /// the year totals of the village's active households (its own among them or not: a
    /// total is never above itself). The redemption calls it with the totals of its moment;
    /// `check` calls it with the totals it recomputes for that moment, so they cannot disagree.
    pub fn earned(&self, total: i64, year_totals: &[i64]) -> bool {
        total > 0 && rank(total, year_totals) <= self.top_n
    }
}

/// The points a top household pays under double value: half, rounded up to whole points.
pub fn double_value_price(price: Points) -> Points {
    Points((price.0 + 1) / 2)
}

/// How many of a group's households win each annual prize: (first, second, third).
pub fn prize_counts(prize: &AnnualPrize, households: usize) -> (usize, usize, usize) {
    let round = |n: f64| n.round() as usize;
    let winners = round(households as f64 * prize.share_percent as f64 / 100.0);
    let first = round(winners as f64 * prize.first_percent as f64 / 100.0);
    let second = round(winners as f64 * prize.second_percent as f64 / 100.0).min(winners - first);
    (first, second, winners - first - second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wengyuan() -> Tiers {
        Tiers {
            min_score: 80,
            top_n: 15,
            levels: vec![
                TierLevel {
                    name: "一档".into(),
                    min_score: 95,
                    goods: vec!["1003".into()],
                },
                TierLevel {
                    name: "二档".into(),
                    min_score: 90,
                    goods: vec!["1001".into()],
                },
                TierLevel {
                    name: "三档".into(),
                    min_score: 85,
                    goods: vec!["1015".into()],
                },
                TierLevel {
                    name: "四档".into(),
                    min_score: 80,
                    goods: vec!["1020".into()],
                },
            ],
            higher_takes_lower: true,
        }
    }

    #[test]
    fn the_sixteenth_household_with_96_is_not_eligible() {
        let mut scores = vec![99; 15];
        scores.push(96);
        assert_eq!(
            wengyuan().standing(Some(96), &scores),
            TierStanding::OutsideTop {
                score: 96,
                rank: 16,
                top_n: 15
            }
        );
    }

    #[test]
    fn a_93_is_tier_two_and_takes_tier_two_goods_not_tier_one() {
        let tiers = wengyuan();
        let standing = tiers.standing(Some(93), &[93, 70]);
        let TierStanding::Tier { index, .. } = standing else {
            panic!("{standing:?}")
        };
        assert_eq!(index, 1);
        assert!(tiers.allows(index, &"1001".parse().unwrap()));
        assert!(!tiers.allows(index, &"1003".parse().unwrap()));
        assert!(
            tiers.allows(index, &"1020".parse().unwrap()),
            "a higher tier may take lower tiers' goods"
        );
        assert!(
            tiers.allows(index, &"1099".parse().unwrap()),
            "goods in no tier are open"
        );
    }

    #[test]
    fn prizes_for_a_47_household_group() {
        let prize = AnnualPrize {
            share_percent: 30,
            first_percent: 20,
            second_percent: 30,
        };
        assert_eq!(prize_counts(&prize, 47), (3, 4, 7));
    }

    #[test]
    fn double_value_halves_rounding_up() {
        assert_eq!(double_value_price(Points(50)), Points(25));
        assert_eq!(double_value_price(Points(15)), Points(8));
    }

    #[test]
    fn double_value_goes_to_the_top_n_by_competition_rank_and_never_to_a_zero_year() {
        let top3 = DoubleValue { top_n: 3 };
        let totals = [100, 99, 99, 98, 60];
        assert!(top3.earned(100, &totals));
        assert!(
            top3.earned(99, &totals),
            "two tied second places are both in"
        );
        assert!(
            !top3.earned(98, &totals),
            "98 ranks fourth (1224), outside the top three"
        );
        assert!(
            top3.earned(98, &[100, 99]),
            "the village's totals without its own"
        );
        assert!(
            !top3.earned(0, &[0, 0]),
            "nobody has scored yet: nobody pays half"
        );
        assert!(!top3.earned(5, &[9, 8, 7, 6]));
    }

    #[test]
    fn unknown_keys_and_bad_tiers_are_refused() {
        assert!(VillagePolicy::parse("year_end_rest = true").is_err());
        assert!(VillagePolicy::parse("[tiers]\nmin_score = 80\ntop_n = 15\nlevels = []").is_err());
        assert_eq!(VillagePolicy::parse("").unwrap(), VillagePolicy::default());
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::VillagePolicy;

    #[test]
    fn the_three_documented_villages_parse() {
        for file in ["wengyuan", "zhujiajiao", "fuling"] {
            let path = format!(
                "{}/fixtures/policies/{file}.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).unwrap();
            VillagePolicy::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        let wengyuan =
            VillagePolicy::parse(include_str!("../../fixtures/policies/wengyuan.toml")).unwrap();
        assert_eq!(wengyuan.tiers.unwrap().levels.len(), 4);
    }
}
