//! The commit comparison of issue 23: a redemption's commit beside one fsync'd single-row
//! insert on the same disk and pragmas, and the redemption's own work with `synchronous=OFF`,
//! in the counter's steady state.

use std::path::Path;
use std::time::{Duration, Instant};

use jifen::app::{self, Actor};
use jifen::store::Db;

use super::{
    Generated, Size, Table, cart, met, now, p50_p99, p50_p99_text, percentile, run_dry, run_tag,
};

/// A redemption's commit, and one fsync'd single-row insert on the same disk with the same
/// pragmas (Db::open), measured alternately so both see the same disk; then the redemption
/// again with `synchronous=OFF`: its own work, without the disk.
pub fn redemption_commit(
    size: &Size,
    db: &mut Db,
    cashier: &Actor,
    generated: &Generated,
    dir: &Path,
    table: &mut Table,
) {
    let mut baseline = Db::open(&dir.join("baseline.db")).unwrap();
    baseline
        .connection()
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
        )
        .unwrap();
    let run = run_tag(db);
    // The steady state of a counter, not the first minutes after a reboot: the store file in
    // the OS cache (on a counter PC the day's first start reads it whole, for its check and
    // its backup), and SQLite's own cache and prepared statements warm from a few carts.
    let file = warm_os_cache(db.path());
    for i in 0..size.commits / 20 {
        let key = Some(format!("bench-{run}-warm-{i}"));
        let request = cart(size, generated, i, (1_009, 41, 733), key);
        let _ = app::redeem::redeem(db, cashier, &request, now());
    }
    table.add(
        "conditions of the commit figures",
        format!(
            "store file read once into the OS cache ({:.2} GB) and {} carts redeemed first, unmeasured",
            file as f64 / 1e9,
            size.commits / 20
        ),
    );
    let (mut redemptions, mut inserts) = (Vec::new(), Vec::new());
    // A kept store's households run dry after many runs: a refused cart is skipped, counted.
    let mut refused = 0;
    for i in 0.. {
        if redemptions.len() == size.commits {
            break;
        }
        let key = Some(format!("bench-{run}-{i}"));
        let request = cart(size, generated, i, (104_729, 31, 677), key);
        let t = Instant::now();
        match app::redeem::redeem(db, cashier, &request, now()) {
            Ok(done) => assert!(!done.replayed),
            Err(app::Error::Refused(_)) => {
                refused += 1;
                run_dry(refused);
                continue;
            }
            Err(e) => panic!("redemption failed: {e}"),
        }
        redemptions.push(t.elapsed());

        let t = Instant::now();
        baseline
            .write(|tx| -> Result<(), jifen::store::StoreError> {
                tx.execute(
                    "INSERT INTO bench_row (payload) VALUES (?1)",
                    [format!("row {i}")],
                )?;
                Ok(())
            })
            .unwrap();
        inserts.push(t.elapsed());
    }
    db.connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let mut unsynced = Vec::new();
    for i in 0.. {
        if unsynced.len() == size.commits {
            break;
        }
        let key = Some(format!("bench-{run}-off-{i}"));
        let request = cart(size, generated, i, (7_717, 37, 619), key);
        let t = Instant::now();
        match app::redeem::redeem(db, cashier, &request, now()) {
            Ok(_) => unsynced.push(t.elapsed()),
            Err(app::Error::Refused(_)) => {
                refused += 1;
                run_dry(refused);
            }
            Err(e) => panic!("redemption failed: {e}"),
        }
    }
    db.connection()
        .pragma_update(None, "synchronous", "FULL")
        .unwrap();
    let (r50, r99) = p50_p99(&mut redemptions);
    let (i50, i99) = p50_p99(&mut inserts);
    let u50 = percentile(&mut unsynced, 0.5);
    table.add(
        "redemption commit (3 lines, synchronous=FULL)",
        format!(
            "{} ({refused} carts refused for points or stock, skipped)",
            p50_p99_text(&mut redemptions)
        ),
    );
    table.add(
        "single-row fsync'd insert, same disk and pragmas",
        p50_p99_text(&mut inserts),
    );
    table.add(
        "redemption / single insert",
        format!(
            "ratio {:.2}x at p50, {:.2}x at p99 (goal ≤ 1.5x: {})",
            r50.as_secs_f64() / i50.as_secs_f64(),
            r99.as_secs_f64() / i99.as_secs_f64(),
            met(r50.as_secs_f64() <= 1.5 * i50.as_secs_f64())
        ),
    );
    table.add(
        "redemption's own work (synchronous=OFF)",
        format!(
            "{} (goal p50 ≤ 0.2 ms: {})",
            p50_p99_text(&mut unsynced),
            met(u50 <= Duration::from_micros(200))
        ),
    );
}

/// Reads the store file once, as the day's first start does, so the figures after it are
/// those of pages in the OS cache; returns its size in bytes.
fn warm_os_cache(path: &Path) -> u64 {
    let mut file = std::fs::File::open(path).unwrap();
    std::io::copy(&mut file, &mut std::io::sink()).unwrap()
}
