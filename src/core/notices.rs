//! Public notices (张榜公布) as data: the posted prices, what came in and went out, the
//! points, the redemption sheet, the rules. Gathered by `app::notices` from the ledgers,
//! drawn by `notice::`; the arithmetic the public checks lives here.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::notice_period::NoticePeriod;
use super::staff::Role;
use super::{AmountCents, GoodsCode, HouseholdNo, Period, Points, Qty};

/// 专人管理: someone in charge of the store, by appointment or, when none is recorded, by role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInCharge {
    pub name: String,
    pub duty: Duty,
    /// The member was disabled on this day, within or before the notice's period (issue 16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_on: Option<NaiveDate>,
    /// The short fingerprint of the member's signing key at the notice's end (issue 15), for
    /// a villager to compare with `staff list` at the counter. `None` before signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Duty {
    /// The duty written in the appointment (designated_staff).
    Appointed(String),
    /// No appointment recorded: the staff member's role.
    Role(Role),
}

/// The head of one hash chain: its last entry's id (the number of entries) and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub entries: i64,
    pub hash: String,
}

/// The ledgers' fingerprint: both chain heads as they stood at `as_of`. Altering any entry
/// recorded before then changes it (or breaks the chain, which `jifen check` names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub as_of: NaiveDateTime,
    pub points: ChainHead,
    pub stock: ChainHead,
}

impl Fingerprint {
    /// The witness code printed on the notice (`jifen check --witness`).
    pub fn witness(&self) -> String {
        super::chain::witness_code(
            self.points.entries,
            &self.points.hash,
            self.stock.entries,
            &self.stock.hash,
        )
    }
}

/// 明码标价: one good with the price in force on the list's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLine {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub category: Option<String>,
    pub price_points: Option<Points>,
    pub effective_from: Option<NaiveDate>,
    pub monthly_limit: Option<Qty>,
    /// Tier names of villages whose rules reserve this good for a tier (翁源 分档兑换).
    pub tiers: Vec<String>,
    /// An approved price that starts later (将调整): the points and its first day.
    #[serde(default)]
    pub upcoming: Option<(Points, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub store_name: String,
    pub day: NaiveDate,
    pub goods: Vec<PriceLine>,
    pub staff: Vec<StaffInCharge>,
}

/// One good's stock over a period. `corrected` is signed (stocktakes and corrections);
/// `issued` is net of voided redemptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLine {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub opening: Qty,
    pub donated: Qty,
    pub purchased: Qty,
    pub issued: Qty,
    pub written_off: Qty,
    pub corrected: Qty,
    pub closing: Qty,
}

impl StockLine {
    /// opening + received − issued − written off ± corrections, as the public adds it up.
    pub fn expected_closing(&self) -> Qty {
        Qty(
            self.opening.0 + self.donated.0 + self.purchased.0 - self.issued.0 - self.written_off.0
                + self.corrected.0,
        )
    }

    pub fn balances(&self) -> bool {
        self.expected_closing() == self.closing
    }

    pub fn is_idle(&self) -> bool {
        [
            self.opening,
            self.donated,
            self.purchased,
            self.issued,
            self.written_off,
            self.corrected,
            self.closing,
        ]
        .iter()
        .all(|q| q.0 == 0)
    }
}

/// One good's opening stock and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningStockLine {
    pub goods: String,
    pub unit: String,
    pub qty: Qty,
    pub source: String,
}

/// One good of one donation: 社会捐赠 are posted with the donor's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationLine {
    pub received_on: NaiveDate,
    pub donor: String,
    pub goods: String,
    pub unit: String,
    pub qty: Qty,
}

/// One purchase with its VAT invoice; `goods` is "name qty unit" per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseRecord {
    pub received_on: NaiveDate,
    pub supplier: String,
    pub invoice_no: String,
    pub amount: AmountCents,
    pub goods: Vec<String>,
}

/// 物资收支公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockNotice {
    pub store_name: String,
    pub period: NoticePeriod,
    pub lines: Vec<StockLine>,
    pub donations: Vec<DonationLine>,
    /// Opening stock (期初库存) entered in the period, with where it came from: the notice of
    /// the month a store starts shows what its 期初 is made of.
    #[serde(default)]
    pub opening_stock: Vec<OpeningStockLine>,
    pub purchases: Vec<PurchaseRecord>,
    pub redemptions: i64,
    pub points_redeemed: Points,
    pub households_served: i64,
    pub staff: Vec<StaffInCharge>,
    pub fingerprint: Fingerprint,
}

impl StockNotice {
    pub fn purchases_total(&self) -> AmountCents {
        AmountCents(self.purchases.iter().map(|p| p.amount.0).sum())
    }
}

/// One household's line on the points notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdPoints {
    pub number: HouseholdNo,
    pub head_name: String,
    /// The score of each month of the period (`None`: not scored that month).
    pub monthly: Vec<Option<i64>>,
    pub period_score: i64,
    /// Scores from January of the period's year to its last month (annual prizes and the
    /// year's top households are ranked by this).
    pub year_total: i64,
    /// Points balance at the end of the period.
    pub balance: Points,
}

/// A correction of points made in the period (after a dispute or a mistake found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionLine {
    pub day: NaiveDate,
    pub number: HouseholdNo,
    pub head_name: String,
    pub change: Points,
    pub reason: String,
    pub approved_by: String,
}

/// A household change that took effect in the period (变动情况, issue 24): a split, merge, new
/// head, move or join, worded for the board, with the points it moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub day: NaiveDate,
    pub number: HouseholdNo,
    pub head_name: String,
    pub change: String,
    pub reason: String,
    pub approved_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Honour {
    pub rank: usize,
    pub number: HouseholdNo,
    pub head_name: String,
    pub score: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPoints {
    pub village: String,
    pub group: String,
    pub households: Vec<HouseholdPoints>,
    pub corrections: Vec<CorrectionLine>,
    pub honour_roll: Vec<Honour>,
    /// 变动情况: the group's household changes in the period.
    #[serde(default)]
    pub changes: Vec<ChangeLine>,
}

/// 积分公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsNotice {
    pub store_name: String,
    pub period: NoticePeriod,
    pub months: Vec<Period>,
    /// Who approved each posted month's sheet (评分小组).
    pub committees: Vec<(Period, String)>,
    pub groups: Vec<GroupPoints>,
    /// The N of the honour roll's "top N".
    pub honour_roll_size: usize,
}

/// 光荣榜: the best `n` scores of the period, ties sharing a rank (1, 2, 2, 4) and a tie at
/// the last place all listed. Households that scored nothing are not honoured.
pub fn honour_roll(households: &[HouseholdPoints], n: usize) -> Vec<Honour> {
    let mut ranked: Vec<&HouseholdPoints> =
        households.iter().filter(|h| h.period_score > 0).collect();
    ranked.sort_by(|a, b| {
        b.period_score
            .cmp(&a.period_score)
            .then_with(|| a.number.cmp(&b.number))
    });
    let mut out: Vec<Honour> = Vec::new();
    for (index, h) in ranked.into_iter().enumerate() {
        let rank = match out.last() {
            Some(last) if last.score == h.period_score => last.rank,
            _ => index + 1,
        };
        if rank > n {
            break;
        }
        out.push(Honour {
            rank,
            number: h.number.clone(),
            head_name: h.head_name.clone(),
            score: h.period_score,
        });
    }
    out
}

/// One redemption on the sheet a household signs (家庭积分兑换表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionRow {
    pub at: NaiveDateTime,
    pub receipt_no: String,
    pub number: HouseholdNo,
    pub head_name: String,
    /// "name ×qty" per line.
    pub goods: Vec<String>,
    pub points: Points,
    pub balance_after: Points,
    pub voided: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRedemptions {
    pub village: String,
    pub group: String,
    pub rows: Vec<RedemptionRow>,
}

impl GroupRedemptions {
    /// Points of the redemptions that stand (voided ones gave their points back).
    pub fn points(&self) -> Points {
        Points(
            self.rows
                .iter()
                .filter(|r| !r.voided)
                .map(|r| r.points.0)
                .sum(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionSheet {
    pub store_name: String,
    pub period: NoticePeriod,
    pub groups: Vec<GroupRedemptions>,
}

/// 管理制度: the store's rules, from its editable template with the names filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesNotice {
    pub store_name: String,
    pub day: NaiveDate,
    pub text: String,
    pub staff: Vec<StaffInCharge>,
}

/// Fills `{store}` and `{staff}` in a rules template.
pub fn fill_rules_template(template: &str, store_name: &str, staff_names: &str) -> String {
    template
        .replace("{store}", store_name)
        .replace("{staff}", staff_names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household(number: &str, score: i64) -> HouseholdPoints {
        HouseholdPoints {
            number: number.parse().unwrap(),
            head_name: format!("户主{number}"),
            monthly: vec![Some(score)],
            period_score: score,
            year_total: score,
            balance: Points(score),
        }
    }

    #[test]
    fn ties_share_a_rank_and_a_tie_at_the_last_place_is_listed() {
        let all = [
            household("1", 90),
            household("2", 98),
            household("3", 95),
            household("4", 95),
            household("5", 90),
            household("6", 80),
            household("7", 0),
        ];
        let roll = honour_roll(&all, 3);
        let got: Vec<(usize, &str, i64)> = roll
            .iter()
            .map(|h| (h.rank, h.number.as_str(), h.score))
            .collect();
        assert_eq!(got, [(1, "2", 98), (2, "3", 95), (2, "4", 95)]);
        let roll = honour_roll(&all, 4);
        assert_eq!(roll.len(), 5, "both 90s share 4th place: {roll:?}");
        assert!(honour_roll(&[household("7", 0)], 3).is_empty());
    }

    #[test]
    fn a_stock_line_balances_when_the_public_sum_is_the_closing() {
        let mut line = StockLine {
            code: "1001".parse().unwrap(),
            name: "大米 5kg".into(),
            unit: "袋".into(),
            opening: Qty(10),
            donated: Qty(100),
            purchased: Qty(50),
            issued: Qty(40),
            written_off: Qty(3),
            corrected: Qty(-2),
            closing: Qty(115),
        };
        assert!(line.balances() && !line.is_idle());
        line.closing = Qty(116);
        assert!(!line.balances());
    }

    #[test]
    fn the_rules_template_gets_the_store_and_staff() {
        let text = fill_rules_template("{store}由{staff}负责。", "青山超市", "张丽、王芳");
        assert_eq!(text, "青山超市由张丽、王芳负责。");
    }
}
