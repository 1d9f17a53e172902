//! A large, plausible store made through the ordinary services, for benchmarks: tens of
//! thousands of households and thousands of goods, deterministic for a given size.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime};

use super::import::{import_goods_grid, import_households_grid, post_scores};
use super::redeem::redeem;
use super::setup::{add_staff, init_store};
use super::stock::{Donation, ReceiveLine, receive_donation};
use super::{Actor, Result, sign_in};
use crate::core::import_rows::{Grid, ScoreRow};
use crate::core::redemption::{CartLine, RedemptionRequest, Via};
use crate::core::staff::Role;
use crate::core::{GoodsCode, HouseholdNo, Period, Qty};
use crate::store::Db;

pub const MANAGER_PIN: &str = "842619";
pub const CASHIER_PIN: &str = "5827";

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"];
const GIVEN: &[&str] = &[
    "建国", "秀英", "国强", "桂兰", "志明", "丽娟", "海涛", "春梅",
];
const CATEGORIES: &[&str] = &[
    "粮油",
    "调味",
    "日化",
    "纸品",
    "家居",
    "文具",
    "纪念品",
    "服务",
];

pub struct LargeStore {
    pub manager: Actor,
    pub cashier: Actor,
    /// 户号 of every household, in order.
    pub households: Vec<String>,
    /// Codes of every good, in order.
    pub goods: Vec<String>,
}

/// The 户号 of the `i`th synthetic household: 8 digits, never a leading zero.
pub fn household_number(i: usize) -> String {
    format!("{}", 10_000_000 + i)
}

/// Seeds an empty store with `households` households (1,000 points each) and `goods` goods
/// (500 in stock each).
pub fn seed(
    db: &mut Db,
    households: usize,
    goods: usize,
    now: NaiveDateTime,
) -> Result<LargeStore> {
    let manager_id = init_store(db, "基准测试积分超市", "管理员", MANAGER_PIN, now)?;
    let manager = sign_in(db, manager_id, MANAGER_PIN, now)?;
    let cashier_id = add_staff(db, &manager, "收银员", Role::Cashier, CASHIER_PIN, now)?;
    let cashier = sign_in(db, cashier_id, CASHIER_PIN, now)?;

    let mut grid: Grid = vec![
        ["户号", "户主", "村", "村小组", "人口", "电话", "期初积分"]
            .map(String::from)
            .to_vec(),
    ];
    let numbers: Vec<String> = (0..households).map(household_number).collect();
    for (i, number) in numbers.iter().enumerate() {
        let name = format!(
            "{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / SURNAMES.len()) % GIVEN.len()]
        );
        let village = format!("第{}村", i / 5_000 + 1);
        let group = format!("第{}组", (i / 100) % 50 + 1);
        let phone = format!("138{:08}", i);
        grid.push(vec![
            number.clone(),
            name,
            village,
            group,
            "3".into(),
            phone,
            "1000".into(),
        ]);
    }
    import_households_grid(db, &manager, "synthetic-households", &grid, now)?;

    let mut grid: Grid = vec![
        ["编码", "名称", "单位", "积分", "类别"]
            .map(String::from)
            .to_vec(),
    ];
    let codes: Vec<String> = (0..goods).map(|i| format!("{}", 100_000 + i)).collect();
    for (i, code) in codes.iter().enumerate() {
        let category = CATEGORIES[i % CATEGORIES.len()].to_string();
        grid.push(vec![
            code.clone(),
            format!("商品{i}"),
            "件".into(),
            format!("{}", i % 97 + 1),
            category,
        ]);
    }
    import_goods_grid(db, &manager, "synthetic-goods", &grid, now)?;
    let donation = Donation {
        donor: "基准测试捐赠".into(),
        contact: None,
        received_on: now.date(),
        lines: codes
            .iter()
            .map(|c| ReceiveLine {
                code: c.parse().expect("synthetic codes are valid"),
                qty: Qty(500),
                value: None,
            })
            .collect(),
    };
    receive_donation(db, &manager, &donation, now)?;
    Ok(LargeStore {
        manager,
        cashier,
        households: numbers,
        goods: codes,
    })
}

/// Years of history for a synthetic store: monthly score sheets for every household, a
/// restocking donation each January, and redemptions spread over the months.
pub struct History {
    /// The first month whose scores are posted (on the first day of the month after).
    pub first_period: Period,
    pub months: usize,
    /// Redemption lines to write in all (three goods per redemption, one of each).
    pub redemption_lines: usize,
    /// Units of every good donated at the start of each year.
    pub restock_per_year: i64,
}

/// What `add_history` wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HistoryMade {
    pub credits: usize,
    pub redemptions: usize,
    pub lines: usize,
    /// Carts refused (a household short of points): tried again with another household.
    pub refused: usize,
}

const LINES_PER_REDEMPTION: usize = 3;

/// A small deterministic generator (64-bit LCG): the same store on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Adds `history` to a store made by `seed` (seeded on or before the first posting day),
/// through the ordinary services, so every chain, running total and receipt number is what
/// the counter itself would have written. `progress` is called after each month.
///
/// For speed the generating connection runs with `synchronous=OFF` (the data is a benchmark
/// fixture, not a ledger anyone relies on); it is set back to `FULL` before returning.
pub fn add_history(
    db: &mut Db,
    store: &LargeStore,
    history: &History,
    mut progress: impl FnMut(Period, &HistoryMade),
) -> Result<HistoryMade> {
    db.connection().pragma_update(None, "synchronous", "OFF")?;
    let made = write_history(db, store, history, &mut progress);
    db.connection().pragma_update(None, "synchronous", "FULL")?;
    made
}

fn write_history(
    db: &mut Db,
    store: &LargeStore,
    history: &History,
    progress: &mut impl FnMut(Period, &HistoryMade),
) -> Result<HistoryMade> {
    let approvers: Vec<String> = ["王建华", "李国强", "赵秀英"].map(String::from).to_vec();
    let households: Vec<HouseholdNo> = store
        .households
        .iter()
        .map(|h| h.parse().expect("synthetic numbers are valid"))
        .collect();
    let goods: Vec<GoodsCode> = store
        .goods
        .iter()
        .map(|c| c.parse().expect("synthetic codes are valid"))
        .collect();
    let mut rng = Lcg(20_211_101);
    let mut made = HistoryMade::default();
    let mut period = history.first_period;
    for month in 0..history.months {
        let posted = period.next().first_day().and_time(NaiveTime::MIN);
        if posted.month() == 1 {
            restock(db, store, &goods, history.restock_per_year, posted)?;
        }
        let rows: Vec<ScoreRow> = households
            .iter()
            .enumerate()
            .map(|(i, h)| ScoreRow {
                row: i + 2,
                household: h.clone(),
                head_name: None,
                score: 60 + rng.below(41) as i64,
            })
            .collect();
        let file = format!("synthetic-scores-{period}");
        post_scores(db, &store.manager, &file, period, &approvers, &rows, posted)?;
        made.credits += rows.len();

        let target = history.redemption_lines * (month + 1) / history.months;
        // Spread over the month's days 2 to 28, ten seconds apart from 08:00.
        let planned = (target.saturating_sub(made.lines) / LINES_PER_REDEMPTION).max(1);
        let mut k: usize = 0;
        while made.lines + LINES_PER_REDEMPTION <= target {
            let day = (1 + k * 27 / planned).min(27) as i64;
            let at = posted
                + Duration::days(day)
                + Duration::hours(8)
                + Duration::seconds((k % 3_000) as i64 * 10);
            k += 1;
            let mut lines: Vec<CartLine> = Vec::with_capacity(LINES_PER_REDEMPTION);
            while lines.len() < LINES_PER_REDEMPTION {
                let code = &goods[rng.below(goods.len())];
                if lines.iter().all(|l| &l.code != code) {
                    lines.push(CartLine {
                        code: code.clone(),
                        qty: Qty(1),
                    });
                }
            }
            let request = RedemptionRequest {
                household: households[rng.below(households.len())].clone(),
                lines,
                via: Via::Card,
                key: None,
            };
            match redeem(db, &store.cashier, &request, at) {
                Ok(_) => {
                    made.redemptions += 1;
                    made.lines += LINES_PER_REDEMPTION;
                }
                Err(e) if e.refusal().is_some() => made.refused += 1,
                Err(e) => return Err(e),
            }
        }
        progress(period, &made);
        period = period.next();
    }
    Ok(made)
}

fn restock(
    db: &mut Db,
    store: &LargeStore,
    goods: &[GoodsCode],
    qty: i64,
    at: NaiveDateTime,
) -> Result<()> {
    let donation = Donation {
        donor: "年度捐赠".into(),
        contact: None,
        received_on: at.date(),
        lines: goods
            .iter()
            .map(|code| ReceiveLine {
                code: code.clone(),
                qty: Qty(qty),
                value: None,
            })
            .collect(),
    };
    receive_donation(db, &store.manager, &donation, at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_history_passes_every_check() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_in(dir.path()).unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2025, 11, 1)
            .unwrap()
            .and_time(NaiveTime::MIN);
        let store = seed(&mut db, 40, 12, start).unwrap();
        let history = History {
            first_period: Period::of(start.date()),
            months: 3,
            redemption_lines: 90,
            restock_per_year: 50,
        };
        let mut months = Vec::new();
        let made = add_history(&mut db, &store, &history, |p, _| months.push(p)).unwrap();
        assert_eq!((made.credits, made.lines, made.redemptions), (120, 90, 30));
        assert_eq!(months.len(), 3);
        assert_eq!(crate::app::check::check(&mut db).unwrap(), vec![]);
    }
}
