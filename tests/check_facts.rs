//! `check`'s derived facts (issue 15 point 2): a credit that is not its score under the rules
//! in force, a redemption line that is not the price of its day, a correction without its
//! committee — each made the way a forger would — are named by `jifen check` (exit 1).

use std::path::Path;
use std::process::Command;

use jifen::app::check::check;
use jifen::app::redeem::redeem;
use jifen::core::chain::GENESIS;
use jifen::core::ledger::{PointEntry, PointEntryKind};
use jifen::core::{Period, Points, StaffId};
use jifen::store::check::Fault;
use jifen::store::check_derived::DerivedFault;

use crate::common::*;

pub(crate) fn jifen(data: &Path, args: &[&str], pin: Option<&str>) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jifen"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA")
        .env_remove("JIFEN_PIN");
    if let Some(pin) = pin {
        command.env("JIFEN_PIN", pin);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

/// What someone with the sqlite3 shell does: drop the guard, edit, put the guard back.
fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// A points entry appended with SQL, correctly chained and with a correct running total.
pub(crate) fn forge_entry(
    path: &Path,
    household_id: i64,
    kind: PointEntryKind,
    amount: i64,
    period: Option<Period>,
    approved_by: Option<&str>,
) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let (id, prev): (i64, String) = conn
        .query_row(
            "SELECT id, hash FROM point_entry ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or((0, GENESIS.to_string()));
    let (number, balance): (String, i64) = conn
        .query_row(
            "SELECT h.number, COALESCE((SELECT balance_after FROM point_entry p WHERE p.household_id = h.id
                ORDER BY p.id DESC LIMIT 1), 0) FROM household h WHERE h.id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut entry = PointEntry {
        id: id + 1,
        household: number.parse().unwrap(),
        kind,
        amount: Points(amount),
        balance_after: Points(balance + amount),
        period,
        receipt_no: None,
        reason: (kind == PointEntryKind::Correction).then(|| "补录".to_string()),
        approved_by: approved_by.map(str::to_string),
        staff: StaffId(1),
        created_at: t0(),
        prev_hash: prev,
        hash: String::new(),
    };
    entry.hash = entry.expected_hash();
    conn.execute(
        "INSERT INTO point_entry (id, household_id, household_no, kind, amount, balance_after, period,
            reason, approved_by, staff_id, created_at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, '2026-11-20 09:00:00', ?10, ?11)",
        rusqlite::params![
            entry.id,
            household_id,
            number,
            kind.as_db(),
            amount,
            entry.balance_after.0,
            period.map(|p| p.to_string()),
            entry.reason,
            entry.approved_by,
            entry.prev_hash,
            entry.hash
        ],
    )
    .unwrap();
    entry.id
}

fn derived(faults: &[Fault]) -> Vec<DerivedFault> {
    faults
        .iter()
        .filter_map(|f| match f {
            Fault::Derived(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_demo_store_has_no_derived_fault() {
    let mut s = demo_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 1)]), t0()).unwrap();
    // The demo posts eleven months of sheets under two villages' rules: every credit follows.
    let credits: i64 =
        s.db.connection()
            .query_row(
                "SELECT COUNT(*) FROM point_entry WHERE kind = 'monthly_credit'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(credits > 1000, "{credits}");
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_score_raised_with_sql_fails_check_naming_the_credit() {
    let mut s = demo_store();
    let (entry, household_id, period, score): (i64, i64, String, i64) =
        s.db.connection()
            .query_row(
                "SELECT p.id, p.household_id, p.period, s.score FROM point_entry p
             JOIN score s ON s.household_id = p.household_id AND s.period = p.period
             WHERE p.kind = 'monthly_credit' ORDER BY p.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    tamper(
        &s.path(),
        &format!(
            "UPDATE score SET score = score + 7 WHERE household_id = {household_id} AND period = '{period}'"
        ),
    );
    let faults = check(&mut s.db).unwrap();
    let found = derived(&faults);
    assert!(
        found.iter().any(|f| matches!(f,
            DerivedFault::CreditMismatch { entry: e, score: sc, .. } if *e == entry && *sc == score + 7)),
        "{faults:?}"
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(&format!("积分流水第 {entry} 条")), "{text}");
    assert!(text.contains("按当时的村规应发"), "{text}");
}

#[test]
fn a_village_rule_changed_with_sql_fails_check_on_the_credits_it_gave() {
    let mut s = small_store();
    let rules = "name = \"青山村积分规则\"\n[scoring]\nmax_score = 100\npoints_per_score = 2\n";
    jifen::app::rules::set_policy(&mut s.db, &s.manager, "青山村", rules, t0()).unwrap();
    let grid: Vec<Vec<String>> = [["户号", "得分"], ["101001", "30"]]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let rows = jifen::core::import_rows::scores(&grid).unwrap();
    let period = Period::of(t0().date());
    jifen::app::import::post_scores(
        &mut s.db,
        &s.manager,
        "scores.csv",
        period,
        &["王建华".into(), "李国强".into(), "赵秀英".into()],
        &rows,
        t0(),
    )
    .unwrap();
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    // Lowering the rate afterwards would make last month's 60 points look like 30 "owed".
    tamper(
        &s.path(),
        "UPDATE village_policy SET toml = replace(toml, 'points_per_score = 2', 'points_per_score = 1')",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        derived(&faults).iter().any(|f| matches!(f,
            DerivedFault::CreditMismatch { household, expected: 30, found: 60, .. } if household == "101001")),
        "{faults:?}"
    );
}

#[test]
fn a_price_changed_with_sql_fails_check_naming_the_receipt_line() {
    let mut s = small_store();
    let receipt = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 1), ("1001", 1)]),
        t0(),
    )
    .unwrap()
    .receipt;
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    tamper(
        &s.path(),
        "UPDATE price SET price_points = 60 WHERE goods_code = '1001'",
    );
    let faults = check(&mut s.db).unwrap();
    assert_eq!(
        derived(&faults),
        vec![DerivedFault::PriceMismatch {
            receipt_no: receipt.receipt_no.to_string(),
            line_no: 2,
            goods: "1001".into(),
            expected: Some(60),
            found: 50,
        }],
        "{faults:?}"
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("小票 {} 第 2 行", receipt.receipt_no)),
        "{text}"
    );
}

#[test]
fn a_redemption_line_cheapened_with_sql_fails_check() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1002", 2)]), t0()).unwrap();
    // The forger makes the line, the total and the debit agree at a lower price: only the
    // price of the day still says 15.
    tamper(
        &s.path(),
        "DROP TRIGGER redemption_line_no_update;
         UPDATE redemption_line SET unit_price_points = 5, line_points = 10;
         CREATE TRIGGER redemption_line_no_update BEFORE UPDATE ON redemption_line
         BEGIN SELECT RAISE(ABORT, 'redemption_line is append-only'); END;",
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        derived(&faults).iter().any(|f| matches!(
            f,
            DerivedFault::PriceMismatch {
                expected: Some(15),
                found: 5,
                ..
            }
        )),
        "{faults:?}"
    );
}

#[test]
fn a_correction_without_its_committee_fails_check_naming_it() {
    let mut s = small_store();
    let forged = forge_entry(
        &s.path(),
        1,
        PointEntryKind::Correction,
        500,
        None,
        Some("张丽"),
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        derived(&faults).contains(&DerivedFault::CorrectionUnapproved {
            entry: forged,
            household: "101001".into(),
            approved_by: "张丽".into(),
        }),
        "{faults:?}"
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("没有村委会三人批准"), "{text}");
}

#[test]
fn a_monthly_credit_with_no_score_fails_check_naming_it() {
    let mut s = small_store();
    let period = Period::of(t0().date());
    let forged = forge_entry(
        &s.path(),
        2,
        PointEntryKind::MonthlyCredit,
        80,
        Some(period),
        Some("王建华,李国强,赵秀英"),
    );
    let faults = check(&mut s.db).unwrap();
    assert!(
        derived(&faults).contains(&DerivedFault::CreditWithoutScore {
            entry: forged,
            household: "101002".into(),
            period: period.to_string(),
        }),
        "{faults:?}"
    );
}
