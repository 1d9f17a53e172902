//! Property tests: random sequences of credits, redemptions, voids, receipts and write-offs,
//! replayed against the real SQLite store and against a plain in-memory model.

use std::collections::HashMap;

use jifen::app;
use jifen::core::import_rows::ScoreRow;
use jifen::core::{Period, Points, Qty, ReceiptNo};
use proptest::prelude::*;

use crate::common::*;

const HOUSEHOLDS: [&str; 3] = ["101001", "101002", "102001"];
const GOODS: [(&str, i64, Option<i64>); 3] = [
    ("1001", 50, Some(2)),
    ("1002", 15, None),
    ("1003", 10, None),
];

#[derive(Debug, Clone)]
enum Op {
    Credit {
        household: usize,
        points: i64,
    },
    Deduct {
        household: usize,
        points: i64,
    },
    Redeem {
        household: usize,
        lines: Vec<(usize, i64)>,
    },
    Void {
        nth: usize,
    },
    Receive {
        goods: usize,
        qty: i64,
    },
    WriteOff {
        goods: usize,
        qty: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 1..80i64).prop_map(|(household, points)| Op::Credit { household, points }),
        (0..3usize, 1..80i64).prop_map(|(household, points)| Op::Deduct { household, points }),
        (0..3usize, prop::collection::vec((0..3usize, 1..4i64), 1..4))
            .prop_map(|(household, lines)| Op::Redeem { household, lines }),
        (0..3usize, 1..4i64).prop_map(|(household, q)| Op::Redeem {
            household,
            lines: vec![(1, q)]
        }),
        (0..8usize).prop_map(|nth| Op::Void { nth }),
        (0..3usize, 1..10i64).prop_map(|(goods, qty)| Op::Receive { goods, qty }),
        (0..3usize, 1..7i64).prop_map(|(goods, qty)| Op::WriteOff { goods, qty }),
    ]
}

/// The model: balances, stock, and each redemption's household, lines and whether it is void.
struct Model {
    balance: [i64; 3],
    stock: [i64; 3],
    redemptions: Vec<(ReceiptNo, usize, [i64; 3], bool)>,
}

impl Model {
    fn taken(&self, household: usize, goods: usize) -> i64 {
        self.redemptions
            .iter()
            .filter(|r| r.1 == household && !r.3)
            .map(|r| r.2[goods])
            .sum()
    }

    /// Whether the redemption should go through, and the quantities per good it takes.
    fn redeem_allowed(&self, household: usize, lines: &[(usize, i64)]) -> Option<[i64; 3]> {
        let mut qty = [0i64; 3];
        for (g, q) in lines {
            qty[*g] += q;
        }
        let mut total = 0;
        for (g, (_, price, limit)) in GOODS.iter().enumerate() {
            if qty[g] > self.stock[g]
                || limit.is_some_and(|l| self.taken(household, g) + qty[g] > l)
            {
                return None;
            }
            total += qty[g] * price;
        }
        (total <= self.balance[household]).then_some(qty)
    }
}

fn total_of(qty: &[i64; 3]) -> i64 {
    qty.iter().zip(GOODS).map(|(q, g)| q * g.1).sum()
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut s = small_store();
    let mut model = Model {
        balance: [100; 3],
        stock: [5; 3],
        redemptions: Vec::new(),
    };
    let approvers: Vec<String> = ["甲", "乙", "丙"].map(String::from).to_vec();
    let mut period: Period = "2001-01".parse().unwrap();
    for op in ops {
        match op {
            Op::Credit { household, points } => {
                let rows = [ScoreRow {
                    row: 2,
                    household: hh(HOUSEHOLDS[*household]),
                    head_name: None,
                    score: *points,
                }];
                app::import::post_scores(
                    &mut s.db,
                    &s.manager,
                    "sheet",
                    period,
                    &approvers,
                    &rows,
                    t0(),
                )
                .unwrap();
                period = period.next();
                model.balance[*household] += points;
            }
            Op::Deduct { household, points } => {
                let result = app::points::correct_points(
                    &mut s.db,
                    &s.manager,
                    &hh(HOUSEHOLDS[*household]),
                    Points(-points),
                    "评议更正",
                    "王建华,李国强,赵秀英",
                    t0(),
                );
                let allowed = model.balance[*household] >= *points;
                prop_assert_eq!(
                    result.is_ok(),
                    allowed,
                    "deduct {} from {}",
                    points,
                    model.balance[*household]
                );
                if allowed {
                    model.balance[*household] -= points;
                }
            }
            Op::Redeem { household, lines } => {
                let request = cart(
                    HOUSEHOLDS[*household],
                    &lines
                        .iter()
                        .map(|(g, q)| (GOODS[*g].0, *q))
                        .collect::<Vec<_>>(),
                );
                let result = app::redeem::redeem(&mut s.db, &s.cashier, &request, t0());
                let expected = model.redeem_allowed(*household, lines);
                prop_assert_eq!(
                    result.is_ok(),
                    expected.is_some(),
                    "redeem {:?}: {:?}",
                    lines,
                    result.as_ref().err().map(|e| e.to_string())
                );
                if let (Ok(done), Some(qty)) = (result, expected) {
                    prop_assert_eq!(done.receipt.total_points.0, total_of(&qty));
                    model.balance[*household] -= total_of(&qty);
                    for (stock, taken) in model.stock.iter_mut().zip(qty) {
                        *stock -= taken;
                    }
                    model
                        .redemptions
                        .push((done.receipt.receipt_no, *household, qty, false));
                }
            }
            Op::Void { nth } => {
                let Some(index) =
                    (!model.redemptions.is_empty()).then(|| nth % model.redemptions.len())
                else {
                    continue;
                };
                let (no, household, qty, voided) = model.redemptions[index];
                let result = app::redeem::void_redemption(&mut s.db, &s.manager, &no, "退货", t0());
                prop_assert_eq!(result.is_ok(), !voided);
                if !voided {
                    model.redemptions[index].3 = true;
                    model.balance[household] += total_of(&qty);
                    for (stock, returned) in model.stock.iter_mut().zip(qty) {
                        *stock += returned;
                    }
                }
            }
            Op::Receive { goods, qty } => {
                let donation = app::stock::Donation {
                    donor: "爱心企业".into(),
                    contact: None,
                    received_on: t0().date(),
                    lines: vec![app::stock::ReceiveLine {
                        code: code(GOODS[*goods].0),
                        qty: Qty(*qty),
                        value: None,
                    }],
                };
                app::stock::receive_donation(&mut s.db, &s.cashier, &donation, t0()).unwrap();
                model.stock[*goods] += qty;
            }
            Op::WriteOff { goods, qty } => {
                let change = cart("x", &[(GOODS[*goods].0, -qty)]).lines;
                let result = app::stock::adjust_stock(&mut s.db, &s.manager, &change, "损坏", t0());
                prop_assert_eq!(result.is_ok(), model.stock[*goods] >= *qty);
                if result.is_ok() {
                    model.stock[*goods] -= qty;
                }
            }
        }
        for (i, h) in HOUSEHOLDS.iter().enumerate() {
            let stored = balance(&mut s.db, h);
            prop_assert!(stored >= 0);
            prop_assert_eq!(stored, model.balance[i], "balance of {}", h);
        }
        for (g, goods) in GOODS.iter().enumerate() {
            prop_assert_eq!(
                on_hand(&mut s.db, goods.0),
                model.stock[g],
                "stock of {}",
                goods.0
            );
        }
    }
    // Balances equal the sum of entries, stock the sum of movements, chains intact.
    let faults = app::check::check(&mut s.db).unwrap();
    prop_assert!(faults.is_empty(), "{:?}", faults);
    let sums: HashMap<String, i64> =
        s.db.connection()
            .prepare("SELECT household_no, SUM(amount) FROM point_entry GROUP BY household_no")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    for (i, h) in HOUSEHOLDS.iter().enumerate() {
        prop_assert_eq!(sums[*h], model.balance[i]);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn store_agrees_with_the_model_and_never_goes_negative(ops in prop::collection::vec(op(), 1..30)) {
        run(&ops)?;
    }
}
