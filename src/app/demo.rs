//! The demo village, seeded from the files in `fixtures/` (compiled in, so `jifen demo` works
//! from any folder): one store serving 青山村 and 河湾村, their households, goods, donations,
//! purchases and eleven months of committee scores. October 2026's sheet is left unposted so
//! staff can try the monthly import themselves.

use chrono::{NaiveDate, NaiveDateTime};

use super::import::{grid_from_bytes, import_goods_grid, import_households_grid, post_scores};
use super::setup::{add_staff, init_store};
use super::stock::{Donation, Purchase, ReceiveLine, receive_donation, receive_purchase};
use super::{Actor, Result, sign_in};
use crate::core::import_rows;
use crate::core::staff::Role;
use crate::core::{AmountCents, GoodsCode, Period, Qty, StaffId};
use crate::store::Db;

pub const STORE_NAME: &str = "青山河湾联合积分超市";
pub const MANAGER: (&str, &str) = ("张丽", "842619");
pub const CASHIER: (&str, &str) = ("王芳", "5827");
pub const AUDITOR: (&str, &str) = ("李明", "7391");
pub const APPROVERS: [&str; 3] = ["王建华", "李国强", "赵秀英"];

const HOUSEHOLDS: &[u8] = include_bytes!("../../fixtures/households.csv");
const GOODS: &[u8] = include_bytes!("../../fixtures/goods.csv");
const DONATIONS: &[u8] = include_bytes!("../../fixtures/donations.csv");
const PURCHASES: &[u8] = include_bytes!("../../fixtures/purchases.csv");
const SCORES: &[(&str, &[u8])] = &[
    (
        "2025-11",
        include_bytes!("../../fixtures/scores/2025-11.csv"),
    ),
    (
        "2025-12",
        include_bytes!("../../fixtures/scores/2025-12.csv"),
    ),
    (
        "2026-01",
        include_bytes!("../../fixtures/scores/2026-01.csv"),
    ),
    (
        "2026-02",
        include_bytes!("../../fixtures/scores/2026-02.csv"),
    ),
    (
        "2026-03",
        include_bytes!("../../fixtures/scores/2026-03.csv"),
    ),
    (
        "2026-04",
        include_bytes!("../../fixtures/scores/2026-04.csv"),
    ),
    (
        "2026-05",
        include_bytes!("../../fixtures/scores/2026-05.csv"),
    ),
    (
        "2026-06",
        include_bytes!("../../fixtures/scores/2026-06.csv"),
    ),
    (
        "2026-07",
        include_bytes!("../../fixtures/scores/2026-07.csv"),
    ),
    (
        "2026-08",
        include_bytes!("../../fixtures/scores/2026-08.csv"),
    ),
    (
        "2026-09",
        include_bytes!("../../fixtures/scores/2026-09.csv"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoStaff {
    pub manager: StaffId,
    pub cashier: StaffId,
    pub auditor: StaffId,
}

/// Seeds an empty store with the demo village.
pub fn seed(db: &mut Db, now: NaiveDateTime) -> Result<DemoStaff> {
    let manager_id = init_store(db, STORE_NAME, MANAGER.0, MANAGER.1, now)?;
    let manager = sign_in(db, manager_id, MANAGER.1, now)?;
    let cashier = add_staff(db, &manager, CASHIER.0, Role::Cashier, CASHIER.1, now)?;
    let auditor = add_staff(db, &manager, AUDITOR.0, Role::Auditor, AUDITOR.1, now)?;

    let households = grid_from_bytes("households.csv", HOUSEHOLDS)?;
    import_households_grid(db, &manager, "fixtures/households.csv", &households, now)?;
    let goods = grid_from_bytes("goods.csv", GOODS)?;
    import_goods_grid(db, &manager, "fixtures/goods.csv", &goods, now)?;
    seed_donations(db, &manager, now)?;
    seed_purchases(db, &manager, now)?;

    let approvers: Vec<String> = APPROVERS.iter().map(|s| s.to_string()).collect();
    for (period, bytes) in SCORES {
        let file = format!("fixtures/scores/{period}.csv");
        let rows = import_rows::scores(&grid_from_bytes(&file, bytes)?).map_err(|cell| {
            super::Error::Import {
                file: file.clone(),
                cell,
            }
        })?;
        let period: Period = period.parse().expect("fixture periods are valid");
        post_scores(db, &manager, &file, period, &approvers, &rows, now)?;
    }
    Ok(DemoStaff {
        manager: manager_id,
        cashier,
        auditor,
    })
}

/// Rows of a receiving sheet grouped by their 批次 (batch), in file order.
fn batches(name: &str, bytes: &[u8]) -> Result<Vec<Vec<Vec<String>>>> {
    let grid = grid_from_bytes(name, bytes)?;
    let mut out: Vec<Vec<Vec<String>>> = Vec::new();
    for row in grid
        .into_iter()
        .skip(1)
        .filter(|r| r.iter().any(|c| !c.is_empty()))
    {
        match out.last_mut() {
            Some(batch) if batch[0][0] == row[0] => batch.push(row),
            _ => out.push(vec![row]),
        }
    }
    Ok(out)
}

fn line(row: &[String], value_column: usize) -> ReceiveLine {
    ReceiveLine {
        code: row[4]
            .parse::<GoodsCode>()
            .expect("fixture codes are valid"),
        qty: Qty(row[5]
            .parse()
            .expect("fixture quantities are whole numbers")),
        value: AmountCents::parse_yuan(&row[value_column]).ok(),
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("fixture dates are valid")
}

fn seed_donations(db: &mut Db, actor: &Actor, now: NaiveDateTime) -> Result<()> {
    // 批次,日期,捐赠方,联系方式,编码,数量,估值元
    for batch in batches("donations.csv", DONATIONS)? {
        let first = &batch[0];
        let donation = Donation {
            donor: first[2].clone(),
            contact: Some(first[3].clone()).filter(|c| !c.is_empty()),
            received_on: date(&first[1]),
            lines: batch.iter().map(|r| line(r, 6)).collect(),
        };
        receive_donation(db, actor, &donation, now)?;
    }
    Ok(())
}

fn seed_purchases(db: &mut Db, actor: &Actor, now: NaiveDateTime) -> Result<()> {
    // 批次,日期,供应商,发票号,编码,数量,金额元
    for batch in batches("purchases.csv", PURCHASES)? {
        let first = &batch[0];
        let lines: Vec<ReceiveLine> = batch.iter().map(|r| line(r, 6)).collect();
        let purchase = Purchase {
            supplier: first[2].clone(),
            invoice_no: first[3].clone(),
            amount: AmountCents(lines.iter().filter_map(|l| l.value).map(|v| v.0).sum()),
            received_on: date(&first[1]),
            lines,
        };
        receive_purchase(db, actor, &purchase, now)?;
    }
    Ok(())
}
