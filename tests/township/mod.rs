//! The township copy against a real PostgreSQL (a throwaway cluster, see `cluster`).

mod aggregates;
mod background;
mod cluster;
mod forks;
mod offline;
mod push;
mod report;
mod restore_order;
mod signatures;

use chrono::NaiveDateTime;
use jifen::app::redeem::{redeem, void_redemption};
use jifen::core::ReceiptNo;
use jifen::township::push::{PushOptions, PushOutcome, Via};
use jifen::township::source::Source;
use jifen::township::spec::Ledger;
use jifen::township::{Township, enrol};

use crate::common::{Store, at, cart, demo_store};

/// A township database with its owner's address.
pub struct Town {
    pub admin_url: String,
}

impl Town {
    pub fn new() -> Town {
        let admin_url = cluster::cluster().fresh_database();
        Township::connect_admin(&admin_url).expect("the township schema migrates");
        Town { admin_url }
    }

    /// Enrols a store and returns the address `enrol` printed for it.
    pub fn enrol(&self, name: &str) -> String {
        let mut town = Township::connect_admin(&self.admin_url).unwrap();
        enrol::enrol(&mut town, name).unwrap().url
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.admin_url, postgres::NoTls).unwrap()
    }

    /// Every row the township holds of one store's ledger, as JSON text without the
    /// township's own columns: two copies are equal when these are.
    pub fn rows(&self, store_name: &str, ledger: Ledger) -> Vec<String> {
        let sql = format!(
            "SELECT (to_jsonb(t) - 'store_id' - 'pushed_at')::text FROM township.{} t
             JOIN township.store s USING (store_id) WHERE s.name = $1 ORDER BY seq",
            ledger.table()
        );
        self.client()
            .query(&sql, &[&store_name])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// The current master records of a store: (kind, key, body hash).
    pub fn masters(&self, store_name: &str) -> Vec<(String, String, String)> {
        self.client()
            .query(
                "SELECT kind, key, body_hash FROM township.master_current m
                 JOIN township.store s USING (store_id) WHERE s.name = $1 ORDER BY kind, key",
                &[&store_name],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }
}

/// Pushes a store through the library (the CLI path is tested in `offline` and `push`).
pub fn push(store: &mut Store, url: &str) -> jifen::township::Result<PushOutcome> {
    let mut town = Township::connect(url)?;
    store.db.read(|tx| {
        jifen::township::push::push(
            &mut town,
            &Source::new(tx),
            PushOptions::new(Via::Push),
            |_| {},
        )
    })
}

/// The demo store with some redemptions in November and December 2026, one of them voided.
pub fn busy_store(seed: i64) -> Store {
    let mut s = demo_store();
    // October's committee sheet (the demo stops at September), so the fourth quarter has credits.
    let approvers: Vec<String> = ["王建华", "李国强", "赵秀英"].map(String::from).to_vec();
    jifen::app::import::import_scores(
        &mut s.db,
        &s.manager,
        &crate::common::fixture("scores/2026-10.csv"),
        "2026-10".parse().unwrap(),
        &approvers,
        // After the demo's own entries: a ledger's clock only moves forward.
        at(2026, 11, 20, 9, 30),
    )
    .unwrap();
    let households = ["101001", "101002", "102001", "201001", "202003"];
    // Every write in time order, since a ledger's clock only moves forward.
    enum Step<'a> {
        November(usize, &'a str, i64),
        December(&'a str),
        Void,
    }
    let mut steps: Vec<(NaiveDateTime, Step)> = Vec::new();
    for (i, h) in households.iter().enumerate() {
        let day = 21 + (i as u32 + seed as u32) % 5;
        let qty = 1 + (i as i64 + seed) % 2;
        steps.push((at(2026, 11, day, 10, i as u32), Step::November(i, h, qty)));
        steps.push((at(2026, 12, 2, 9, i as u32), Step::December(h)));
    }
    steps.push((at(2026, 11, 21 + (seed as u32) % 5, 16, 0), Step::Void));
    steps.sort_by_key(|(when, _)| *when);
    let mut first: Option<ReceiptNo> = None;
    for (when, step) in steps {
        match step {
            Step::November(i, h, qty) => {
                let done = redeem(
                    &mut s.db,
                    &s.cashier,
                    &cart(h, &[("1001", qty), ("1015", 1)]),
                    when,
                )
                .unwrap();
                if i == 0 {
                    first = Some(done.receipt.receipt_no);
                }
            }
            Step::December(h) => {
                redeem(&mut s.db, &s.cashier, &cart(h, &[("1015", 1)]), when).unwrap();
            }
            Step::Void => {
                let receipt = first.expect("the first household redeemed that morning");
                void_redemption(&mut s.db, &s.manager, &receipt, "顾客退回", when).unwrap();
            }
        }
    }
    s
}

/// The store's own rows of a ledger in the same JSON form as `Town::rows`.
pub fn store_rows(store: &Store, ledger: Ledger) -> usize {
    let sql = format!("SELECT COUNT(*) FROM {}", ledger.table());
    store
        .db
        .connection()
        .query_row(&sql, [], |r| r.get::<_, i64>(0))
        .unwrap() as usize
}
