//! `check` recomputes double value (积分翻倍, 涪陵's rule: the year's top 3 households pay half):
//! a half-price line must belong to a household that was among its village's top N of the
//! year at the moment it redeemed — by the sheets posted before then, the households of the
//! village then — not merely to a village whose rules had double value.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime};
use jifen::app::household_changes::{self as changes, Move, MoveTo};
use jifen::app::redeem::redeem;
use jifen::app::{self, check::check};
use jifen::core::household_change::Committee;
use jifen::core::ledger::{PointEntryKind, StockMovementKind};
use jifen::core::policy::double_value_price;
use jifen::core::redemption::{CartLine, GoodsState, Via, plan};
use jifen::core::{GoodsCode, Points, Qty};
use jifen::store::check::Fault;
use jifen::store::check_derived::DerivedFault;
use jifen::store::ledger::{
    MovementSource, NewPointEntry, NewStockMovement, append_point_entry_after,
    append_stock_movement_after,
};
use jifen::store::{cart_shelf::cart_shelf, households, ledger, redemptions};

use crate::check_facts::jifen;
use crate::common::*;

fn approvers() -> [String; 3] {
    ["王建华", "李国强", "赵秀英"].map(String::from)
}

/// Posts one sheet for `period` at `now`.
fn post(s: &mut Store, period: &str, scores: &[(&str, i64)], now: NaiveDateTime) {
    let grid: Vec<Vec<String>> = std::iter::once(["户号", "得分"].map(String::from).to_vec())
        .chain(
            scores
                .iter()
                .map(|(number, score)| vec![number.to_string(), score.to_string()]),
        )
        .collect();
    let rows = jifen::core::import_rows::scores(&grid).unwrap();
    app::import::post_scores(
        &mut s.db,
        &s.manager,
        &format!("{period}.csv"),
        period.parse().unwrap(),
        &approvers(),
        &rows,
        now,
    )
    .unwrap();
}

/// The small store with a second village, 试点村, under 涪陵's rules (top 3 pay half): five
/// households of 500 points each, October's sheet posted at t0 with 100, 99, 98, 97 and 60.
/// 青山村 (no double value) scores higher still, and must not count in 试点村's ranking.
fn fuling_store() -> Store {
    let mut s = small_store();
    let mut grid = vec![
        ["户号", "户主", "村", "村小组", "期初积分"]
            .map(String::from)
            .to_vec(),
    ];
    for i in 1..=5 {
        grid.push(
            [
                format!("50100{i}"),
                format!("村民{i}"),
                "试点村".into(),
                "第一组".into(),
                "500".into(),
            ]
            .to_vec(),
        );
    }
    app::import::import_households_grid(&mut s.db, &s.manager, "h.csv", &grid, t0()).unwrap();
    let rules = std::fs::read_to_string(fixture("policies/fuling.toml")).unwrap();
    app::rules::set_policy(&mut s.db, &s.manager, "试点村", &rules, t0()).unwrap();
    post(
        &mut s,
        "2026-10",
        &[
            ("501001", 100),
            ("501002", 99),
            ("501003", 98),
            ("501004", 97),
            ("501005", 60),
            ("101001", 100),
            ("101002", 100),
            ("102001", 100),
        ],
        t0(),
    );
    s
}

/// Ten minutes after October's sheet was posted.
fn later() -> NaiveDateTime {
    at(2026, 11, 20, 9, 10)
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

/// What a counter program changed by someone who knows a cashier's PIN would write: the rows
/// of a redemption, each consistent with the others and signed by the cashier, at half price
/// for a household of its choosing. Only the standing of that moment can tell.
fn forge_signed_half_price(
    s: &mut Store,
    household: &str,
    goods: &str,
    qty: i64,
    now: NaiveDateTime,
) -> String {
    let actor = s.cashier.clone();
    let number = hh(household);
    s.db.write(|tx| -> Result<String, app::Error> {
        let found = households::find(tx, &number)?.unwrap();
        let wanted = code(goods);
        let shelf: HashMap<GoodsCode, GoodsState> =
            cart_shelf(tx, &[&wanted], found.id, now.date())?
                .into_iter()
                .map(|g| {
                    let state = GoodsState {
                        price_points: g.price_points.map(double_value_price),
                        on_hand: g.on_hand,
                        taken_this_month: g.taken_this_month,
                        service: None,
                        goods: g.goods,
                    };
                    (state.goods.code.clone(), state)
                })
                .collect();
        let balance = ledger::balance(tx, found.id)?;
        let lines = [CartLine {
            code: wanted.clone(),
            qty: Qty(qty),
        }];
        let plan = plan(&number, found.household.status, balance, &lines, &shelf)?;
        let receipt_no = redemptions::next_receipt_no(tx, now.year())?;
        let id = redemptions::insert(
            tx,
            &redemptions::NewRedemption {
                receipt_no,
                household_id: found.id,
                staff: actor.id,
                key: None,
                fingerprint: "forged",
                via: &Via::Card,
                plan: &plan,
                session_id: None,
                created_at: now,
            },
        )?;
        append_point_entry_after(
            tx,
            NewPointEntry {
                household_id: found.id,
                household_no: &number,
                kind: PointEntryKind::RedemptionDebit,
                amount: Points(-plan.total_points.0),
                period: None,
                redemption_id: Some(id),
                receipt_no: Some(receipt_no.to_string()),
                reason: None,
                approved_by: None,
                staff: actor.id,
                created_at: now,
            },
            balance,
        )?;
        append_stock_movement_after(
            tx,
            NewStockMovement {
                goods: &wanted,
                kind: StockMovementKind::RedemptionIssue,
                qty: Qty(-qty),
                source: MovementSource {
                    redemption_id: Some(id),
                    label: Some(receipt_no.to_string()),
                    ..Default::default()
                },
                reason: None,
                value: None,
                staff: actor.id,
                created_at: now,
            },
            shelf[&wanted].on_hand,
        )?;
        Ok(receipt_no.to_string())
    })
    .unwrap()
}

#[test]
fn a_top_three_households_half_price_redemption_passes_check() {
    let mut s = fuling_store();
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501003", &[("1001", 1), ("1002", 1)]),
        later(),
    )
    .unwrap();
    // 98 is third in 试点村 (青山村's 100s do not count there): 50 → 25 and 15 → 8.
    assert_eq!(done.receipt.total_points.0, 33);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn a_half_price_line_edited_in_for_the_fourth_household_fails_check_naming_the_receipt() {
    let mut s = fuling_store();
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501004", &[("1001", 1)]),
        later(),
    )
    .unwrap();
    assert_eq!(done.receipt.total_points.0, 50, "97 is fourth: full price");
    let receipt = done.receipt.receipt_no.to_string();
    // Made to look like double value: the line, the total and the debit at half price.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER redemption_line_no_update;
         UPDATE redemption_line SET unit_price_points = 25, line_points = 25;
         CREATE TRIGGER redemption_line_no_update BEFORE UPDATE ON redemption_line
         BEGIN SELECT RAISE(ABORT, 'redemption_line is append-only'); END;",
    )
    .unwrap();
    drop(conn);
    let faults = check(&mut s.db).unwrap();
    let found = derived(&faults);
    assert!(
        found.contains(&DerivedFault::DoubleValueNotEarned {
            receipt_no: receipt.clone(),
            line_no: 1,
            goods: "1001".into(),
            household: "501004".into(),
            year_total: 97,
            rank: 4,
            top_n: 3,
            price: 50,
            found: 25,
        }),
        "{faults:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| matches!(f, DerivedFault::PriceMismatch { .. })),
        "{found:?}"
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(&format!("小票 {receipt} 第 1 行")), "{text}");
    assert!(
        text.contains("501004 户兑换时全年得分 97，在本村排第 4 名，不在前 3 名"),
        "{text}"
    );
}

#[test]
fn a_signed_half_price_redemption_for_a_household_outside_the_top_three_fails_check() {
    let mut s = fuling_store();
    let receipt = forge_signed_half_price(&mut s, "501005", "1002", 2, later());
    // Everything else about it holds: signed, chained, totals and balances agree. Before
    // the standing was recomputed this passed check.
    assert_eq!(
        check(&mut s.db).unwrap(),
        vec![Fault::Derived(DerivedFault::DoubleValueNotEarned {
            receipt_no: receipt.clone(),
            line_no: 1,
            goods: "1002".into(),
            household: "501005".into(),
            year_total: 60,
            rank: 5,
            top_n: 3,
            price: 15,
            found: 8,
        })]
    );
    drop(s.db);
    let (code, text) = jifen(s.dir.path(), &["check"], None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(&format!("小票 {receipt} 第 1 行")), "{text}");
}

#[test]
fn a_household_top_three_when_it_redeemed_still_passes_after_later_sheets_drop_it() {
    let mut s = fuling_store();
    let first = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501003", &[("1002", 2)]),
        later(),
    )
    .unwrap();
    assert_eq!(first.receipt.total_points.0, 16, "third: 2 × 8");
    // November's sheet, an hour later: 501003 falls to fifth (98 against 197, 190, 160, 100).
    post(
        &mut s,
        "2026-11",
        &[
            ("501001", 0),
            ("501002", 91),
            ("501003", 0),
            ("501004", 100),
            ("501005", 100),
        ],
        at(2026, 11, 20, 10, 0),
    );
    // The counter now charges it full price; the earlier half-price receipt stays right.
    let second = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501003", &[("1002", 2)]),
        at(2026, 11, 20, 10, 5),
    )
    .unwrap();
    assert_eq!(second.receipt.total_points.0, 30);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
    // The same signed half price now, after the new sheet, is caught.
    let now = forge_signed_half_price(&mut s, "501003", "1002", 1, at(2026, 11, 20, 10, 10));
    assert_eq!(
        derived(&check(&mut s.db).unwrap()),
        vec![DerivedFault::DoubleValueNotEarned {
            receipt_no: now,
            line_no: 1,
            goods: "1002".into(),
            household: "501003".into(),
            year_total: 98,
            rank: 5,
            top_n: 3,
            price: 15,
            found: 8,
        }]
    );
}

fn move_to(village_group: &str, on: NaiveDateTime) -> Move {
    Move {
        to: MoveTo::Group(village_group.parse().unwrap()),
        reason: "搬家".into(),
        committee: None,
        on: on.date(),
    }
}

#[test]
fn households_that_moved_in_after_the_redemption_did_not_count_then() {
    let mut s = fuling_store();
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("501003", &[("1002", 1)]),
        later(),
    )
    .unwrap();
    // Two of 青山村's 100s move into 试点村 an hour later, dated the same day: by today's
    // roster 501003 would be fifth, and the counter now charges it full price. By the day
    // alone (`group_at`) they were there from midnight; the moves' records say when the
    // counter saw them, after the redemption.
    for (number, minute) in [("101001", 0), ("101002", 1)] {
        let when = at(2026, 11, 20, 10, minute);
        changes::move_household(
            &mut s.db,
            &s.manager,
            &hh(number),
            &move_to("试点村/第一组", when),
            when,
        )
        .unwrap();
    }
    let now = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501003", &[("1002", 1)]),
        at(2026, 11, 20, 10, 5),
    )
    .unwrap();
    assert_eq!(now.receipt.total_points.0, 15);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_household_that_left_after_the_redemption_still_counted_then() {
    let mut s = fuling_store();
    let forged = forge_signed_half_price(&mut s, "501004", "1002", 1, later());
    // 501001 (100) moves away afterwards: by today's roster 501004 would be third, and the
    // counter now rightly gives it half price; the forged line was made while it was fourth.
    let away = Move {
        to: MoveTo::Away,
        reason: "迁往县城".into(),
        committee: Some(Committee::parse("王建华,李国强,赵秀英").unwrap()),
        on: later().date(),
    };
    let when = at(2026, 11, 20, 11, 0);
    changes::move_household(&mut s.db, &s.manager, &hh("501001"), &away, when).unwrap();
    let now = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501004", &[("1002", 1)]),
        at(2026, 11, 20, 11, 5),
    )
    .unwrap();
    assert_eq!(now.receipt.total_points.0, 8, "third now: half price");
    assert_eq!(
        derived(&check(&mut s.db).unwrap()),
        vec![DerivedFault::DoubleValueNotEarned {
            receipt_no: forged,
            line_no: 1,
            goods: "1002".into(),
            household: "501004".into(),
            year_total: 97,
            rank: 4,
            top_n: 3,
            price: 15,
            found: 8,
        }]
    );
}

#[test]
fn a_sheet_posted_in_the_same_second_as_the_redemption_counts_for_it() {
    let mut s = fuling_store();
    // November's sheet and the redemption carry the same second; the sheet came first, and
    // made 501005 (60 + 100) the first of the village.
    post(&mut s, "2026-11", &[("501005", 100)], later());
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("501005", &[("1002", 1)]),
        later(),
    )
    .unwrap();
    assert_eq!(done.receipt.total_points.0, 8);
    assert_eq!(check(&mut s.db).unwrap(), vec![]);
}
