//! Counter benchmarks (issue 3): CPU time per frame of the counter screen with 2,000 goods on
//! the shelf and 20,000 households in the store, and scan-to-household-shown including the
//! database lookup. Run: `cargo bench --bench counter`. Prints p50/p99; no pass/fail.

use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use jifen::app::synthetic;
use jifen::store::Db;
use jifen::ui::{Action, JifenApp};

const HOUSEHOLDS: usize = 20_000;
const GOODS: usize = 2_000;
const ROUNDS: usize = 300;

fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn report(what: &str, samples: &mut [Duration]) {
    let p50 = percentile(samples, 0.50);
    let p99 = percentile(samples, 0.99);
    println!(
        "{what:<48} p50 {:>8.2} ms   p99 {:>8.2} ms   (n={})",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        samples.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jifen.db");
    let started = Instant::now();
    let store = {
        let mut db = Db::open(&path).unwrap();
        synthetic::seed(&mut db, HOUSEHOLDS, GOODS, now()).unwrap()
    };
    println!(
        "seeded {HOUSEHOLDS} households and {GOODS} goods in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let db = Db::open(&path).unwrap();
    let mut harness: Harness<'static, JifenApp> = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(now)));
    harness.state_mut().apply(Action::SignIn {
        staff: store.cashier.id,
        pin: synthetic::CASHIER_PIN.into(),
    });
    harness.run_steps(3);

    let mut scans = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let number = &store.households[(i * 7919) % HOUSEHOLDS];
        let t = Instant::now();
        harness.state_mut().apply(Action::Scan(number.clone()));
        harness.step();
        scans.push(t.elapsed());
        assert!(harness.state().counter.household.is_some());
    }
    report("scan to household shown (lookup + one frame)", &mut scans);

    // A household at the counter with a few goods in the cart: the screen staff look at.
    harness.state_mut().apply(Action::AddGoods {
        code: store.goods[0].parse().unwrap(),
    });
    harness.state_mut().apply(Action::AddGoods {
        code: store.goods[1].parse().unwrap(),
    });
    let mut frames = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
    }
    report(
        "counter frame, 2,000 goods (incl. accesskit tree)",
        &mut frames,
    );
}
