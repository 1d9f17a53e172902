//! The report reads monthly aggregates the push keeps (V4). They must equal a recomputation
//! from the raw rows whatever happened: rows in many small batches, a void arriving before or
//! after its redemption's debit, a marked rollback taking rows back.

use jifen::app::redeem::{redeem, void_redemption};
use jifen::core::notice_period::NoticePeriod;
use jifen::township::Township;
use jifen::township::push::{PushOptions, Via};
use jifen::township::report::report;
use jifen::township::source::Source;

use super::{Town, busy_store};
use crate::common::{Store, at, cart};

fn push_in_batches(store: &mut Store, url: &str, batch_rows: usize) {
    let mut town = Township::connect(url).unwrap();
    store
        .db
        .read(|tx| {
            jifen::township::push::push(
                &mut town,
                &Source::new(tx),
                PushOptions {
                    batch_rows,
                    via: Via::Push,
                },
                |_| {},
            )
        })
        .unwrap();
}

/// A view's rows, as text, in order.
fn all_rows(pg: &mut postgres::Client, view: &str, keys: &str, sums: &[&str]) -> Vec<String> {
    let sql = format!(
        "SELECT concat_ws('|', {keys}, {}) FROM township.{view} ORDER BY {keys}",
        sums.iter()
            .map(|c| format!("{c}::bigint"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    pg.query(&sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn compare_with_raw(town: &Town) -> usize {
    let mut pg = town.client();
    let household = ["net", "credited", "redeemed", "redemptions"];
    let keys = "store_id, household_id, month";
    let kept = all_rows(&mut pg, "household_month", keys, &household);
    assert_eq!(
        kept,
        all_rows(&mut pg, "household_month_raw", keys, &household)
    );
    let goods = [
        "net",
        "donated",
        "purchased",
        "issued",
        "written_off",
        "corrected",
    ];
    let keys = "store_id, goods_code, month";
    let kept_goods = all_rows(&mut pg, "goods_month", keys, &goods);
    assert_eq!(
        kept_goods,
        all_rows(&mut pg, "goods_month_raw", keys, &goods)
    );
    kept.len() + kept_goods.len()
}

#[test]
fn the_aggregate_based_report_equals_a_recomputation_from_the_raw_rows() {
    let town = Town::new();
    let mut a = busy_store(0);
    let mut b = busy_store(1);
    let url_a = town.enrol("青山河湾A");
    let url_b = town.enrol("青山河湾B");
    // Small batches: many statements, each adding to the same household-months.
    push_in_batches(&mut a, &url_a, 37);
    push_in_batches(&mut b, &url_b, 5_000);
    assert!(compare_with_raw(&town) > 100);

    // A redemption pushed, then voided and pushed again: the void arrives after its debit.
    let done = redeem(
        &mut a.db,
        &a.cashier,
        &cart("101002", &[("1001", 1)]),
        at(2026, 12, 3, 10, 0),
    )
    .unwrap();
    push_in_batches(&mut a, &url_a, 37);
    void_redemption(
        &mut a.db,
        &a.manager,
        &done.receipt.receipt_no,
        "顾客退回",
        at(2026, 12, 3, 11, 0),
    )
    .unwrap();
    push_in_batches(&mut a, &url_a, 37);
    compare_with_raw(&town);

    // A marked rollback of B's last rows (as an audited restore's push takes it).
    let mut pg = town.client();
    let b_id: i32 = pg
        .query_one(
            "SELECT store_id FROM township.store WHERE name = '青山河湾B'",
            &[],
        )
        .unwrap()
        .get(0);
    let (audit_seq, audit_hash): (i64, String) = {
        let r = pg
            .query_one(
                "SELECT seq, hash FROM township.audit_log WHERE store_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&b_id],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    for ledger in ["point_entry", "stock_movement"] {
        let (kept, kept_hash): (i64, String) = {
            let r = pg
                .query_one(
                    &format!(
                        "SELECT seq, hash FROM township.{ledger} WHERE store_id = $1
                          ORDER BY seq DESC OFFSET 6 LIMIT 1"
                    ),
                    &[&b_id],
                )
                .unwrap();
            (r.get(0), r.get(1))
        };
        pg.query_one(
            "SELECT township.accept_rollback($1, $2, $3, $4, $5, $6, 'x', '{}'::jsonb)",
            &[
                &b_id,
                &ledger,
                &kept,
                &kept_hash,
                &(audit_seq + 1),
                &audit_hash,
            ],
        )
        .unwrap();
    }
    compare_with_raw(&town);

    // The whole report, from the aggregates and from the raw rows, for a quarter and a year.
    let now = at(2026, 12, 31, 18, 0);
    let periods: Vec<NoticePeriod> = ["2026-Q4", "2026", "2026-11"]
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
    let mut admin = Township::connect_admin(&town.admin_url).unwrap();
    let from_aggregates: Vec<_> = periods
        .iter()
        .map(|p| report(&mut admin, *p, now).unwrap())
        .collect();
    assert!(from_aggregates[0].totals().2 > 0, "Q4 has redemptions");
    pg.batch_execute(
        "DROP VIEW township.household_month; DROP VIEW township.goods_month;
         CREATE VIEW township.household_month AS SELECT * FROM township.household_month_raw;
         CREATE VIEW township.goods_month AS SELECT * FROM township.goods_month_raw;",
    )
    .unwrap();
    for (period, kept) in periods.iter().zip(&from_aggregates) {
        assert_eq!(
            &report(&mut admin, *period, now).unwrap(),
            kept,
            "{period:?}"
        );
    }
}
