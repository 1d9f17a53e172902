//! Shared set-up: real SQLite files in temporary folders, the demo village, fixed clocks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use jifen::app::{self, Actor, sign_in};
use jifen::core::redemption::{CartLine, RedemptionRequest, Via};
use jifen::core::{GoodsCode, HouseholdNo, Qty, StaffId};
use jifen::store::Db;
use tempfile::TempDir;

pub struct Store {
    pub dir: TempDir,
    pub db: Db,
    pub manager: Actor,
    pub cashier: Actor,
    pub auditor: Actor,
}

impl Store {
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("jifen.db")
    }
}

pub fn chinese() {
    rust_i18n::set_locale("zh-CN");
}

/// A fixed moment on a redemption day; tests never read the clock.
pub fn t0() -> NaiveDateTime {
    at(2026, 11, 20, 9, 0)
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// A fresh store seeded with the demo village from `fixtures/`.
pub fn demo_store() -> Store {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_in(dir.path()).unwrap();
    let staff = app::demo::seed(&mut db, t0()).unwrap();
    let manager = sign_in(&mut db, staff.manager, app::demo::MANAGER.1, t0()).unwrap();
    let cashier = sign_in(&mut db, staff.cashier, app::demo::CASHIER.1, t0()).unwrap();
    let auditor = sign_in(&mut db, staff.auditor, app::demo::AUDITOR.1, t0()).unwrap();
    Store {
        dir,
        db,
        manager,
        cashier,
        auditor,
    }
}

fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A small store: 3 households with 100 points each, 3 goods (rice limited to 2 a month).
pub fn small_store() -> Store {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_in(dir.path()).unwrap();
    let manager_id =
        app::setup::init_store(&mut db, "测试积分超市", "张丽", "842619", t0()).unwrap();
    let manager = sign_in(&mut db, manager_id, "842619", t0()).unwrap();
    let cashier_id = app::setup::add_staff(
        &mut db,
        &manager,
        "王芳",
        jifen::core::staff::Role::Cashier,
        "5827",
        t0(),
    )
    .unwrap();
    let auditor_id = app::setup::add_staff(
        &mut db,
        &manager,
        "李明",
        jifen::core::staff::Role::Auditor,
        "7391",
        t0(),
    )
    .unwrap();
    let households = grid(&[
        &["户号", "户主", "村", "村小组", "期初积分"],
        &["101001", "王大山", "青山村", "第一组", "100"],
        &["101002", "李秀英", "青山村", "第一组", "100"],
        &["102001", "刘䶮", "青山村", "第二组", "100"],
    ]);
    app::import::import_households_grid(&mut db, &manager, "households.csv", &households, t0())
        .unwrap();
    let goods = grid(&[
        &["编码", "名称", "单位", "积分", "每户每月限量"],
        &["1001", "大米 5kg", "袋", "50", "2"],
        &["1002", "毛巾", "条", "15", ""],
        &["1003", "牙膏", "支", "10", ""],
    ]);
    app::import::import_goods_grid(&mut db, &manager, "goods.csv", &goods, t0()).unwrap();
    let donation = app::stock::Donation {
        donor: "青山米业有限公司".into(),
        contact: None,
        received_on: t0().date(),
        lines: ["1001", "1002", "1003"]
            .iter()
            .map(|c| app::stock::ReceiveLine {
                code: code(c),
                qty: Qty(5),
                value: None,
            })
            .collect(),
    };
    app::stock::receive_donation(&mut db, &manager, &donation, t0()).unwrap();
    let cashier = sign_in(&mut db, cashier_id, "5827", t0()).unwrap();
    let auditor = sign_in(&mut db, auditor_id, "7391", t0()).unwrap();
    Store {
        dir,
        db,
        manager,
        cashier,
        auditor,
    }
}

pub fn code(text: &str) -> GoodsCode {
    text.parse().unwrap()
}

pub fn hh(text: &str) -> HouseholdNo {
    text.parse().unwrap()
}

pub fn staff(id: i64) -> StaffId {
    StaffId(id)
}

pub fn cart(household: &str, lines: &[(&str, i64)]) -> RedemptionRequest {
    RedemptionRequest {
        household: hh(household),
        lines: lines
            .iter()
            .map(|(c, q)| CartLine {
                code: code(c),
                qty: Qty(*q),
            })
            .collect(),
        via: Via::Card,
        key: None,
    }
}

/// Every row of every table, as text: two snapshots are equal when the content is.
pub fn content(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            out.push(format!("{table}: {}", cells.join("|")));
        }
    }
    out
}

pub fn balance(db: &mut Db, household: &str) -> i64 {
    app::queries::balance(db, &hh(household))
        .unwrap()
        .balance_points
        .0
}

pub fn on_hand(db: &mut Db, goods: &str) -> i64 {
    app::queries::stock(db, Some(&code(goods)), t0().date()).unwrap()[0]
        .on_hand
        .0
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

/// Restores `file` into `dir` as the first manager (staff 1) with `pin`, as `jifen restore
/// FILE --staff 1 --reason …` does.
pub fn restore_by_manager(
    dir: &Path,
    file: &Path,
    pin: &str,
    confirm_loss: Option<i64>,
) -> app::Result<app::backup::Restored> {
    app::backup::restore(
        dir,
        &app::backup::RestoreRequest {
            file,
            manager: StaffId(1),
            pin,
            reason: "电脑硬盘坏了，从U盘备份恢复",
            confirm_loss,
            last_receipt: None,
        },
        t0(),
    )
}
