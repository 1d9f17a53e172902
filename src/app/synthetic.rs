//! A large, plausible store made through the ordinary services, for benchmarks: tens of
//! thousands of households and thousands of goods, deterministic for a given size.

use chrono::NaiveDateTime;

use super::import::{import_goods_grid, import_households_grid};
use super::setup::{add_staff, init_store};
use super::stock::{Donation, ReceiveLine, receive_donation};
use super::{Actor, Result, sign_in};
use crate::core::Qty;
use crate::core::import_rows::Grid;
use crate::core::staff::Role;
use crate::store::Db;

pub const MANAGER_PIN: &str = "1234";
pub const CASHIER_PIN: &str = "2345";

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
