//! The check figures of issues 10 and 23: the full `check()` of the whole store, and the
//! incremental check from a signed mark that the app runs at start.

use std::time::{Duration, Instant};

use jifen::app::{self, Actor};
use jifen::core::Qty;
use jifen::core::redemption::{CartLine, RedemptionRequest, Via};
use jifen::store::Db;

use super::{Generated, Table, ms, now, p50_p99, run_dry};

/// `check()` of the whole store, bounded by `deadline` seconds.
pub fn check_store(db: &mut Db, deadline: u64, table: &mut Table) {
    let interrupt = db.connection().get_interrupt_handle();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if stopped.recv_timeout(Duration::from_secs(deadline)).is_err() {
            interrupt.interrupt();
        }
    });
    let t = Instant::now();
    let result = app::check::check(db);
    let elapsed = t.elapsed();
    let _ = stop.send(());
    watchdog.join().unwrap();
    let figure = match result {
        Ok(faults) => {
            assert_eq!(faults, vec![], "the generated store must pass every check");
            format!("{:.1} s, no faults", elapsed.as_secs_f64())
        }
        Err(e) => format!("did not finish in {deadline} s (interrupted: {e})"),
    };
    table.add("check() of the whole store", figure);
}

/// The start-up check (issue 23): a full check leaves a signed mark, a day's worth of
/// redemptions follows, then the incremental check from the mark (what the app runs at start).
pub fn check_incremental(
    db: &mut Db,
    manager: &Actor,
    cashier: &Actor,
    generated: &Generated,
    table: &mut Table,
) {
    const DAY: usize = 100;
    let t = Instant::now();
    let full = app::check_mark::check_full(db, now(), &mut |_| {}).unwrap();
    let full_time = t.elapsed();
    assert_eq!(
        full.faults,
        vec![],
        "the store must pass before it is marked"
    );
    app::check_mark::record_mark(db, manager, &full.verified, now())
        .unwrap()
        .expect("the mark is recorded");
    let run: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap();
    // As in `redemption_commit`: a kept store's households run dry, a refused cart is skipped.
    let (mut redeemed, mut refused) = (0, 0);
    for i in (run as usize).. {
        if redeemed == DAY {
            break;
        }
        let request = RedemptionRequest {
            household: generated.households[(i * 7_919 + 13) % generated.households.len()]
                .parse()
                .unwrap(),
            lines: (0..3)
                .map(|j| CartLine {
                    code: generated.goods[(i * 17 + j * 331) % generated.goods.len()]
                        .parse()
                        .unwrap(),
                    qty: Qty(1),
                })
                .collect(),
            via: Via::Card,
            key: Some(format!("bench-day-{run}-{i}").parse().unwrap()),
        };
        match app::redeem::redeem(db, cashier, &request, now()) {
            Ok(_) => redeemed += 1,
            Err(app::Error::Refused(_)) => {
                refused += 1;
                run_dry(refused);
            }
            Err(e) => panic!("redemption failed: {e}"),
        }
    }
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let outcome = app::check_mark::check_incremental(db, now()).unwrap();
        samples.push(t.elapsed());
        assert!(matches!(
            outcome.kind,
            app::check_mark::Kind::Incremental(_)
        ));
        assert_eq!(outcome.faults, vec![]);
    }
    let (p50, _) = p50_p99(&mut samples);
    table.add(
        "check incremental, from a signed mark (what the app runs at start)",
        format!(
            "{:.1} ms p50 of 5, after {DAY} redemptions since the mark ({refused} carts refused, skipped; the full check that made the mark: {:.1} s)",
            ms(p50),
            full_time.as_secs_f64()
        ),
    );
}
