//! Two counters at once, on one real SQLite file.

use std::sync::{Arc, Barrier};

use jifen::app::redeem::redeem;
use jifen::core::IdempotencyKey;
use jifen::store::Db;

use crate::common::*;

/// Runs the same closure on two threads, each with its own connection, started together;
/// the cashier is signed in on both.
fn on_two_counters<T: Send + 'static>(
    s: &Store,
    work: impl Fn(&mut Db, usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let cashier = s.cashier.clone();
    let barrier = Arc::new(Barrier::new(2));
    let work = Arc::new(work);
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let (barrier, work, path) = (barrier.clone(), work.clone(), s.path());
            let cashier = cashier.clone();
            std::thread::spawn(move || {
                let mut db = Db::open(&path).unwrap();
                cashier.act_on(&mut db);
                barrier.wait();
                work(&mut db, i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn two_counters_cannot_overdraw_one_household() {
    let mut s = small_store();
    let mut succeeded = 0;
    for _ in 0..10 {
        // Each counter wants 15 + 10 = 25 points; both race for the same balance.
        let cashier = s.cashier.clone();
        let results = on_two_counters(&s, move |db, _| {
            redeem(
                db,
                &cashier,
                &cart("101001", &[("1002", 1), ("1003", 1)]),
                t0(),
            )
            .is_ok()
        });
        succeeded += results.iter().filter(|ok| **ok).count();
        assert!(balance(&mut s.db, "101001") >= 0);
    }
    assert_eq!(succeeded, 4);
    // 100 points, 25 per redemption → exactly 4 succeed overall, whatever the interleaving.
    assert_eq!(balance(&mut s.db, "101001"), 0);
    assert_eq!(jifen::app::check::check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn the_same_key_from_two_counters_writes_once() {
    let mut s = small_store();
    let cashier = s.cashier.clone();
    let results = on_two_counters(&s, move |db, _| {
        let mut request = cart("101002", &[("1002", 2)]);
        request.key = Some("scan-42".parse::<IdempotencyKey>().unwrap());
        redeem(db, &cashier, &request, t0()).unwrap()
    });
    assert_eq!(results[0].receipt, results[1].receipt);
    assert_eq!(results.iter().filter(|r| r.replayed).count(), 1);
    assert_eq!(balance(&mut s.db, "101002"), 70);
}
